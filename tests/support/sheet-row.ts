/** Small helpers shared by the stacks: reading a Config row and waiting for a condition. */
import type { FakeSheets } from '../fakes/fake-sheets';

/** The Config row for (symbol, Time Frame cell) as a header → cell map ({} of blanks when absent). */
export function configRow(sheets: FakeSheets, symbol: string, timeframe: string): Record<string, string> {
  const [header, ...rows] = sheets.tab('Config');
  const found = rows.find((r) => r[header.indexOf('symbol')] === symbol && r[header.indexOf('Time Frame')] === timeframe) ?? [];
  return Object.fromEntries(header.map((h, i) => [h, found[i] ?? '']));
}

/**
 * Polls `check` every 25 ms until it holds; throws naming `what` after `timeoutMs` (a function is
 * asked then, to tell the state at the end).
 */
export async function waitUntil(check: () => boolean | Promise<boolean>, what: string | (() => string), timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${typeof what === 'function' ? what() : what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
