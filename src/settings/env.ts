import { ConfigurationError } from '../domain/errors';

/** The environment as read once at start-up; nothing else reads `process.env`. */
export type Env = Record<string, string | undefined>;

/** Problems recorded per collecting view of the environment (see `collecting`). */
const collectors = new WeakMap<Env, string[]>();

/**
 * A copy of `env` on which every helper here records a wrong setting instead
 * of throwing at the first one, so start-up can list them all at once.
 */
export function collecting(env: Env): { env: Env; problems: string[] } {
  const view: Env = { ...env };
  const problems: string[] = [];
  collectors.set(view, problems);
  return { env: view, problems };
}

/**
 * Reports a wrong setting: recorded when `env` is collecting (and `fallback`
 * is returned so parsing goes on), else thrown as a ConfigurationError.
 */
export function problem<T>(env: Env, message: string, fallback: T): T {
  const list = collectors.get(env);
  if (!list) throw new ConfigurationError(message);
  list.push(message);
  return fallback;
}

/** The value of `name`, trimmed; undefined when unset or blank. */
export function optional(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

/** The value of `name`, or a problem that names it and says how to fix it ('' when collecting). */
export function required(env: Env, name: string, fix: string): string {
  const v = optional(env, name);
  if (v === undefined) return problem(env, `${name} is not set. ${fix}`, '');
  return v;
}

/** A boolean setting: true/false/1/0/yes/no, else a problem (see `problem`). */
export function bool(env: Env, name: string, fallback: boolean): boolean {
  const v = optional(env, name)?.toLowerCase();
  if (v === undefined) return fallback;
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  return problem(env, `${name}="${env[name]}" is not a boolean. Use true or false.`, fallback);
}

/** A number setting within [min, max], else a problem (see `problem`). */
export function num(env: Env, name: string, fallback: number, min = -Infinity, max = Infinity): number {
  const v = optional(env, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) {
    return problem(env, `${name}="${v}" is not a number between ${min} and ${max}.`, fallback);
  }
  return n;
}

/** An optional positive number; undefined when unset. */
export function optionalNum(env: Env, name: string, min = 0, max = Infinity): number | undefined {
  return optional(env, name) === undefined ? undefined : num(env, name, 0, min, max);
}

/** One of the allowed words, else a problem listing them. */
export function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const v = optional(env, name)?.toLowerCase();
  if (v === undefined) return fallback;
  if ((allowed as readonly string[]).includes(v)) return v as T;
  return problem(env, `${name}="${v}" is not one of: ${allowed.join(', ')}.`, fallback);
}

/** An http(s) origin such as `http://127.0.0.1:9000`, without a path. */
export function origin(env: Env, name: string): string | undefined {
  const v = optional(env, name);
  if (v === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return problem(env, `${name}="${v}" is not a URL. Use an origin like https://host:port.`, undefined);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return problem(env, `${name}="${v}" must start with http:// or https://.`, undefined);
  }
  return url.origin;
}

/** A URL setting that must parse, else a problem naming it (without its value, which may hold a password). */
export function url(env: Env, name: string): string {
  const v = optional(env, name) as string;
  try {
    new URL(v);
  } catch {
    return problem(env, `${name} is not a valid URL. Use the full URL, e.g. https://… or smtp://….`, v);
  }
  return v;
}

/** A comma-separated list, blanks dropped. */
export function list(env: Env, name: string): string[] {
  return (optional(env, name) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
