/**
 * The CLI's flags and the report window they describe. Anything malformed is
 * a UsageError, which the CLI answers with the usage text and exit code 2.
 */
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import { CHANNEL_NAMES, CHANNELS, type Channel } from '../src/adapters/notify/channels';
import { MARKET_ZONE } from './model/series';

/** Bad flags or dates. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** One usage line per channel, from the registry: its flag, what it sends, and the variables it needs. */
function channelUsage(): string {
  return CHANNEL_NAMES.map((c) => {
    const { report, variables } = CHANNELS[c];
    return `  ${`--${report.flag}`.padEnd(18)}${report.help} (${variables.join(', ')})`;
  }).join('\n');
}

/** The usage text printed by --help and after a usage error. */
export const USAGE = `Usage: npm run analytics -- [options]

Reports returns, risk and trades against SPY; writes CSVs, charts, a JSON and
an HTML report into EXPORT_DIR (default DATA_DIR/analytics), and sends them.

Window (default: the last 30 days):
  --days N          the last N calendar days (1-3650)
  --from YYYY-MM-DD first day (New York market date)
  --to YYYY-MM-DD   last day (default: today)

Output:
  --out DIR         write the files here instead of EXPORT_DIR
  --no-charts       skip the PNG charts
  --json            print metrics_<ts>.json on stdout instead of the summary table

Sending (threshold alerts go to every configured channel regardless):
${channelUsage()}
  --all             every configured channel
  -h, --help        this text

Exit codes: 0 ok; 1 run failed; 2 bad flags or dates; 3 configuration error;
4 a channel failed to deliver; 5 a threshold is breached; 6 both 4 and 5.
`;

/** The parsed flags. */
export interface CliOptions {
  days?: number;
  from?: string;
  to?: string;
  out?: string;
  charts: boolean;
  json: boolean;
  help: boolean;
  channels: Channel[];
  all: boolean;
}

/** Parses argv (without node and script); UsageError on anything unknown or malformed. */
export function parseCli(argv: string[]): CliOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        days: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        out: { type: 'string' },
        'no-charts': { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        all: { type: 'boolean' },
        ...Object.fromEntries(CHANNEL_NAMES.map((c) => [CHANNELS[c].report.flag, { type: 'boolean' as const }])),
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  let days: number | undefined;
  if (values.days !== undefined) {
    days = Number(values.days);
    if (!/^\d+$/.test(String(values.days)) || days < 1 || days > 3650)
      throw new UsageError(`--days must be a whole number from 1 to 3650, got "${values.days}".`);
  }
  if (values.from !== undefined && values.to !== undefined && days !== undefined) {
    throw new UsageError('Give --days, or --from and --to, not all three.');
  }
  return {
    days,
    from: values.from as string | undefined,
    to: values.to as string | undefined,
    out: values.out as string | undefined,
    charts: !values['no-charts'],
    json: Boolean(values.json),
    help: Boolean(values.help),
    channels: CHANNEL_NAMES.filter((c) => values[CHANNELS[c].report.flag]),
    all: Boolean(values.all),
  };
}

/** A YYYY-MM-DD market date, or a UsageError naming the flag. */
function marketDay(flag: string, value: string): DateTime {
  const d = DateTime.fromFormat(value, 'yyyy-MM-dd', { zone: MARKET_ZONE });
  if (!d.isValid) throw new UsageError(`--${flag} must be a date like 2025-01-31, got "${value}".`);
  return d;
}

/**
 * The window as instants: from the start of the first market day to the end
 * of the last (or now). `--from` alone runs to now; `--to` alone goes back
 * `--days` (default 30) from it.
 */
export function resolveWindow(opts: Pick<CliOptions, 'days' | 'from' | 'to'>, now: Date): { from: Date; to: Date } {
  const nowNy = DateTime.fromJSDate(now).setZone(MARKET_ZONE);
  const end = opts.to ? marketDay('to', opts.to).endOf('day') : nowNy;
  if (end.startOf('day') > nowNy) throw new UsageError(`--to ${opts.to} is in the future.`);
  const start = opts.from ? marketDay('from', opts.from) : end.minus({ days: opts.days ?? 30 }).startOf('day');
  if (start > end) throw new UsageError(`--from ${opts.from} is after --to ${opts.to ?? 'today'}.`);
  return { from: start.toJSDate(), to: new Date(Math.min(end.toMillis(), now.getTime())) };
}
