/** The words the bot writes into a Config row's Order Status cell. */
export const STATUSES = [
  'READY',
  'ORDER SUBMITTED',
  'FILLED',
  'FAILED',
  'WAITING',
  'INACTIVE',
  'ALREADY LONG',
  'ALREADY SHORT',
  'HALTED',
] as const;

/** One Order Status value. */
export type Status = (typeof STATUSES)[number];

/** The status word when `text` is one, else undefined. */
export function asStatus(text: string): Status | undefined {
  return (STATUSES as readonly string[]).includes(text) ? (text as Status) : undefined;
}
