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

/** A log line's level. */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/** The syslog priority journald reads from a `<N>` prefix at the start of each stdout line. */
const SYSLOG_PRIORITY: Record<LogLevel, number> = { error: 3, warn: 4, info: 6, debug: 7 };

/** `line` with journald's `<N>` priority prefix when `journald` is on (systemd sets JOURNAL_STREAM); else unchanged. */
export function withPriority(line: string, level: LogLevel, journald: boolean): string {
  return journald ? `<${SYSLOG_PRIORITY[level]}>${line}` : line;
}

/** How a logger writes: under systemd (`journald`) each line starts with its syslog priority. */
export interface LoggerOptions {
  journald?: boolean;
}

/**
 * A logger that prints one JSON line per event (`{"t","level","event",…}`),
 * with secret fields redacted and any literal secret value masked. With
 * `journald`, each line starts with its priority, so `journalctl -p warning` filters.
 */
export function createLogger(
  sink: LogSink = (l) => process.stdout.write(l + '\n'),
  secrets: string[] = [],
  options: LoggerOptions = {},
): Logger {
  const masks = secrets.filter((s) => s.length >= 4);
  const write = (level: LogLevel, event: string, fields?: Record<string, unknown>) => {
    let line = JSON.stringify({ t: new Date().toISOString(), level, event, ...(redact(fields ?? {}) as object) });
    for (const s of masks) line = line.split(s).join('[redacted]');
    sink(withPriority(line, level, options.journald ?? false));
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
  return Object.assign(
    createLogger((l) => lines.push(l), secrets),
    { lines },
  );
}
