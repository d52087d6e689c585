/**
 * The webhook's JSON body: parsed, and refused when it is not one flat-ish
 * object. An alert is a handful of fields; a body nested hundreds of levels
 * deep is hostile, and the recursive code after the parse (JSON.stringify
 * for the journal, among others) would overflow the stack on it.
 */

/** The deepest nesting accepted: an alert's object is level 1, its values' arrays or objects level 2, and so on. */
export const MAX_JSON_DEPTH = 32;

/** A parsed body, or why it is refused (a 400). */
export type JsonBody = { ok: true; body: Record<string, unknown> } | { ok: false; error: string };

/** Parses a webhook body: a JSON object nested at most `MAX_JSON_DEPTH` levels, or the reason it is not one. */
export function parseJsonObject(text: string): JsonBody {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, error: text.trim() === '' ? 'empty body: send the alert as JSON' : 'body is not valid JSON' };
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { ok: false, error: 'body must be a JSON object' };
  if (deeperThan(body, MAX_JSON_DEPTH)) return { ok: false, error: `body is nested too deeply (more than ${MAX_JSON_DEPTH} levels)` };
  return { ok: true, body: body as Record<string, unknown> };
}

/** True when `value` nests arrays or objects more than `max` levels deep; walked with a list, never recursion, so any depth is safe. */
export function deeperThan(value: unknown, max: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length) {
    const [node, depth] = pending.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(node)) if (child !== null && typeof child === 'object') pending.push([child, depth + 1]);
  }
  return false;
}
