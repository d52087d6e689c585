/**
 * Timeframe spellings differ between TradingView (`{{interval}}` gives "15",
 * "60", "D", "1W") and what a trader types in the sheet ("15 Min", "1 Hour",
 * "1 Day"). Both are reduced to one canonical key so they can be compared.
 */

const MINUTE_WORDS = new Set(['', 'm', 'min', 'mins', 'minute', 'minutes']);
const HOUR_WORDS = new Set(['h', 'hr', 'hrs', 'hour', 'hours']);
const DAY_WORDS = new Set(['d', 'day', 'days']);
const WEEK_WORDS = new Set(['w', 'wk', 'week', 'weeks']);
const MONTH_WORDS = new Set(['mo', 'mon', 'month', 'months']);

/**
 * The canonical key of a timeframe: `<minutes>m` for intraday (so "60",
 * "1H" and "1 Hour" are all `60m`), `<n>D`, `<n>W` or `<n>M` for daily, weekly
 * and monthly. Returns null when the text is not a timeframe.
 */
export function normaliseTimeframe(text: string): string | null {
  const raw = text.trim();
  const match = /^(\d+(?:\.\d+)?)?\s*([a-zA-Z]*)$/.exec(raw);
  if (!match || raw === '') return null;
  const count = match[1] === undefined ? 1 : Number(match[1]);
  if (!Number.isInteger(count) || count <= 0 || count > 100_000) return null;
  const unitRaw = match[2];
  // TradingView writes months as "M" / "3M"; a lone lower-case "m" means minutes.
  if (unitRaw === 'M') return `${count}M`;
  const unit = unitRaw.toLowerCase();
  if (match[1] === undefined && MINUTE_WORDS.has(unit)) return null;
  if (MINUTE_WORDS.has(unit)) return `${count}m`;
  if (HOUR_WORDS.has(unit)) return `${count * 60}m`;
  if (DAY_WORDS.has(unit)) return `${count}D`;
  if (WEEK_WORDS.has(unit)) return `${count}W`;
  if (MONTH_WORDS.has(unit)) return `${count}M`;
  return null;
}
