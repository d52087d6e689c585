import type { Logger } from './ports';

/** Field names whose values are never printed, whatever their level of nesting. */
const SECRET_KEYS = /secret|passphrase|password|token|authorization|api[_-]?key|private[_-]?key/i;

/** Replaces secret-looking fields with `[redacted]` so no log line can carry one. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = SECRET_KEYS.test(k) ? '[redacted]' : redact(v, depth + 1);
  }
  return out;
}

/** Where log lines go; tests pass their own to capture them. */
export type LogSink = (line: string) => void;

/**
 * A logger that prints one JSON line per event (`{"t","level","event",…}`),
 * with secret fields redacted and any literal secret value masked.
 */
export function createLogger(sink: LogSink = (l) => process.stdout.write(l + '\n'), secrets: string[] = []): Logger {
  const masks = secrets.filter((s) => s.length >= 4);
  const write = (level: string, event: string, fields?: Record<string, unknown>) => {
    let line = JSON.stringify({ t: new Date().toISOString(), level, event, ...(redact(fields ?? {}) as object) });
    for (const s of masks) line = line.split(s).join('[redacted]');
    sink(line);
  };
  return {
    info: (e, f) => write('info', e, f),
    warn: (e, f) => write('warn', e, f),
    error: (e, f) => write('error', e, f),
  };
}

/** A logger that keeps its lines in memory; for tests. */
export function memoryLogger(secrets: string[] = []): Logger & { lines: string[] } {
  const lines: string[] = [];
  return Object.assign(createLogger((l) => lines.push(l), secrets), { lines });
}
