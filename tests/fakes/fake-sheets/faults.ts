/**
 * What makes the fake misbehave on purpose: injected faults (an error status,
 * a delay, a dropped connection) and the per-user quota of the real service.
 */

/** One injected fault. Unset filters match every request. */
export interface FaultSpec {
  /** `GET`, `PUT`, `POST`; any when unset. */
  method?: string;
  /** Tested against the decoded path, e.g. `/v4/spreadsheets/ID/values/'Config'!A1:Z`. */
  path?: RegExp;
  /** Answer with this status in Google's error shape; unset = only delay, then serve normally. */
  status?: number;
  /** Overrides the default message for `status`. */
  message?: string;
  /** How many matching requests it hits; default 1, or unlimited when `untilMs`/`forMs` is set. */
  times?: number;
  /** Active until this epoch time (ms). */
  untilMs?: number;
  /** Active for this long from `inject()` (ms): "429 for the next 20 s" is `{ status: 429, forMs: 20_000 }`. */
  forMs?: number;
  /** Wait this long before answering (or before dropping). */
  delayMs?: number;
  /** Adds a `Retry-After` header (seconds). */
  retryAfterSeconds?: number;
  /** Destroy the connection without an answer (a network error for the client). */
  drop?: boolean;
}

/** The gRPC status word Google puts beside each HTTP code. */
export function statusWord(code: number): string {
  const words: Record<number, string> = {
    400: 'INVALID_ARGUMENT',
    401: 'UNAUTHENTICATED',
    403: 'PERMISSION_DENIED',
    404: 'NOT_FOUND',
    409: 'ABORTED',
    429: 'RESOURCE_EXHAUSTED',
    500: 'INTERNAL',
    501: 'UNIMPLEMENTED',
    503: 'UNAVAILABLE',
    504: 'DEADLINE_EXCEEDED',
  };
  return words[code] ?? 'UNKNOWN';
}

/** The message the real service sends with a code when there is nothing more specific. */
export function defaultMessage(code: number): string {
  if (code === 429) return quotaMessage('write');
  if (code === 500) return 'Internal error encountered.';
  if (code === 503) return 'The service is currently unavailable.';
  if (code === 403) return 'The caller does not have permission';
  return `Fake Sheets error ${code}`;
}

/** Google's quota message for reads or writes per minute per user. */
export function quotaMessage(kind: 'read' | 'write'): string {
  const metric = kind === 'read' ? 'Read requests' : 'Write requests';
  return (
    `Quota exceeded for quota metric '${metric}' and limit '${metric} per minute per user' ` +
    `of service 'sheets.googleapis.com' for consumer 'project_number:000000000000'.`
  );
}

/** An armed fault with its remaining uses. */
interface ArmedFault extends FaultSpec {
  remaining: number;
  deadline: number;
}

/** The injected faults, matched in the order they were injected. */
export class FaultList {
  private faults: ArmedFault[] = [];

  constructor(private readonly now: () => number) {}

  add(spec: FaultSpec): void {
    const timed = spec.untilMs !== undefined || spec.forMs !== undefined;
    const deadline = Math.min(spec.untilMs ?? Infinity, spec.forMs !== undefined ? this.now() + spec.forMs : Infinity);
    this.faults.push({ ...spec, remaining: spec.times ?? (timed ? Infinity : 1), deadline });
  }

  /** The first live fault matching the request, its use counted; undefined when none. */
  take(method: string, path: string): FaultSpec | undefined {
    const now = this.now();
    this.faults = this.faults.filter((f) => f.remaining > 0 && f.deadline > now);
    const hit = this.faults.find((f) => (!f.method || f.method.toUpperCase() === method) && (!f.path || f.path.test(path)));
    if (hit) hit.remaining--;
    return hit;
  }

  clear(): void {
    this.faults = [];
  }
}

/** Per-minute limits per user; `false` turns the quota off. */
export interface QuotaOptions {
  readsPerMinute?: number;
  writesPerMinute?: number;
  /** The window's length; 60 000 ms like the real service. */
  windowMs?: number;
}

/** A sliding-window counter of accepted reads and writes. */
export class Quota {
  private stamps: Record<'read' | 'write', number[]> = { read: [], write: [] };

  constructor(
    private readonly options: QuotaOptions | false,
    private readonly now: () => number,
  ) {}

  /** Counts one request of `kind`; false when it is over the limit (and then it is not counted). */
  take(kind: 'read' | 'write'): boolean {
    if (this.options === false) return true;
    const windowMs = this.options.windowMs ?? 60_000;
    const limit = kind === 'read' ? (this.options.readsPerMinute ?? 60) : (this.options.writesPerMinute ?? 60);
    const now = this.now();
    const live = this.stamps[kind].filter((t) => t > now - windowMs);
    this.stamps[kind] = live;
    if (live.length >= limit) return false;
    live.push(now);
    return true;
  }

  reset(): void {
    this.stamps = { read: [], write: [] };
  }
}
