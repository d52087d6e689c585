/** Small durable key-value state (halt flag, alert cool-downs), kept in the journal. */
export interface StateStore {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
}
