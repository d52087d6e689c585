/** Small helpers for printing benchmark figures. */

/** The p-th percentile (0–100) of the values, nearest-rank. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Milliseconds with one decimal. */
export const ms = (v: number) => `${v.toFixed(1)} ms`;

/** Prints rows as an aligned two-column table. */
export function table(title: string, rows: [string, string][]): void {
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(`\n${title}\n${'-'.repeat(title.length)}`);
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
}

/** Elapsed milliseconds since `start` (from performance.now()). */
export const since = (start: number) => performance.now() - start;
