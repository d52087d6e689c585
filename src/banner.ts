import { join } from 'node:path';
import { type HaltAtStart, haltEffect } from './app/guards/halt-at-start';
import type { ConfigSource } from './app/sheet/config-source';
import type { Broker, Clock } from './ports';

/** What the start-up banner tells: where orders go, where the sheet is, and how to try it. */
export interface BannerFacts {
  /** The broker's mode: `local` is the built-in paper broker; `paper` and `live` are Alpaca accounts. */
  mode: 'local' | 'paper' | 'live';
  /** The broker's name (`Alpaca`), for a paper or live account. */
  broker: string;
  sheet: { kind: 'google' | 'local'; location: string };
  port: number;
  https?: boolean;
  dataDir: string;
  /** The webhook secret and API token; printed only with the local paper broker. */
  secret: string;
  apiToken: string;
  /** True when the secret / token came from the settings, false when generated and saved under dataDir. */
  secretFromSettings: boolean;
  tokenFromSettings: boolean;
  /** The first active Config row, for the trial curl; null when the tab has none (the banner then says how to add one). */
  firstRow: BannerRow | null;
  /** The Config tab's name. */
  configTab?: string;
  /** A halt in force at start-up (carried over a restart, or TRADING_ENABLED=false). */
  halt?: HaltAtStart;
}

/** The Config row the banner's curl trades, and the price it sends (the paper broker fills at it). */
export interface BannerRow {
  symbol: string;
  /** The Time Frame as the trader typed it, e.g. `15 Min`. */
  timeframe: string;
  positionSize: number;
  price: number;
  /** SELL for a `short only` row, else BUY. */
  action: 'BUY' | 'SELL';
}

const dollars = (x: number) => `$${x.toLocaleString('en-US', { minimumFractionDigits: x % 1 ? 2 : 0, maximumFractionDigits: 2 })}`;

/** The trial curl for the first active row, or how to add a row when there is none. */
function tryIt(f: BannerFacts, url: string): string[] {
  const tab = f.configTab ?? 'Config';
  const where = f.sheet.kind === 'google' ? `the ${tab} tab of the Google Sheet` : join(f.sheet.location, `${tab}.csv`);
  const curl = (body: string) => [
    `  curl -s -X POST ${url}/webhook -H 'Content-Type: application/json' \\`,
    // A quote typed into the sheet must not end the shell's quoted body.
    `    -d '${body.replace(/'/g, `'\\''`)}'`,
  ];
  if (!f.firstRow) {
    return [
      `  No active row in the ${tab} tab yet. Add one to ${where}: symbol, position_size, active TRUE,`,
      '  Time Frame (e.g. AAPL, 5000, TRUE, 15 Min). Then place a paper trade for it:',
      '',
      ...curl(`{"action":"BUY","symbol":"<symbol>","timeframe":"<Time Frame>","price":"<price>","secret":"${f.secret}"}`),
    ];
  }
  const r = f.firstRow;
  const price = r.price.toFixed(2);
  const side = r.action === 'BUY' ? 'buys' : 'sells short';
  return [
    `  Place a paper trade (${side} ${dollars(r.positionSize)} of ${r.symbol} at $${price}; ` +
      `the ${r.symbol} ${r.timeframe} row shows FILLED):`,
    '',
    ...curl(JSON.stringify({ action: r.action, symbol: r.symbol, timeframe: r.timeframe, price, secret: f.secret })),
    '',
    `  Then: ` +
      (f.sheet.kind === 'google'
        ? `look at the ${r.symbol} ${r.timeframe} row of the Google Sheet`
        : `cat ${join(f.sheet.location, `${tab}.csv`)}`) +
      `   and   curl -s ${url}/positions -H 'Authorization: Bearer ${f.apiToken}'`,
  ];
}

/** The banner's warning that trading is halted, if it is. */
function haltLines(halt: HaltAtStart | undefined): string[] {
  if (!halt) return [];
  return [
    `  HALTED:   since ${halt.since ?? 'an unknown time'}: ${halt.reason ?? 'no reason given'}`,
    `            ${haltEffect(halt.blocksClose)} POST /resume lifts the halt.`,
  ];
}

/** The sheet as a trader finds it: the Google Sheet's address, or the CSV file of the Config tab. */
function sheetPlace(sheet: BannerFacts['sheet'], configTab = 'Config'): string {
  return sheet.kind === 'google'
    ? `Google Sheet https://docs.google.com/spreadsheets/d/${sheet.location}`
    : `CSV files in ${sheet.location} (${join(sheet.location, `${configTab}.csv`)})`;
}

/**
 * The start-up banner. It says "local" and "no real money" only when orders
 * go to the built-in paper broker; then it shows the secret, the token and a
 * curl that places a (paper) trade. With a broker's paper or live account
 * (Alpaca's) it never prints a secret or token, says where they are set, and
 * offers only a harmless /health check.
 */
export function banner(f: BannerFacts): string {
  const bar = '='.repeat(78);
  const url = `${f.https ? 'https' : 'http'}://localhost:${f.port}`;
  const lines = [bar];
  if (f.mode === 'local') {
    lines.push(
      `  trading-bot is running in LOCAL mode on ${url}`,
      '  Orders go to the built-in paper broker (starting cash $100,000). No real money is involved.',
      ...haltLines(f.halt),
      `  Sheet:    ${sheetPlace(f.sheet, f.configTab)}`,
      `  Data:     ${f.dataDir}`,
      `  Secret:   ${f.secret}   (${f.secretFromSettings ? 'WEBHOOK_SECRET' : `saved in ${join(f.dataDir, 'webhook-secret')}`})`,
      `  Token:    ${f.apiToken}   ` +
        `(${f.tokenFromSettings ? 'API_TOKEN' : `saved in ${join(f.dataDir, 'api-token')}`}; for /positions, /halt, /flatten)`,
      '',
      ...tryIt(f, url),
    );
  } else {
    const live = f.mode === 'live';
    lines.push(
      `  trading-bot is running on ${url} with ${f.broker} ` +
        `${live ? 'LIVE: orders trade REAL MONEY' : `PAPER (${f.broker}'s paper account)`}`,
      ...haltLines(f.halt),
      `  Sheet:    ${sheetPlace(f.sheet, f.configTab)}`,
      `  Data:     ${f.dataDir}`,
      `  Secret:   WEBHOOK_SECRET, as set in the settings (/etc/trading-bot/env or .env); not shown`,
      `  Token:    API_TOKEN, as set in the settings; not shown`,
      '',
      `  Check it:  curl -s ${url}/health   (add -H "Authorization: Bearer $API_TOKEN" for details)`,
    );
  }
  lines.push(bar);
  return lines.join('\n');
}

/** The first active Config row without a problem, for the banner's trial curl; null when there is none or the tab can't be read. */
export async function firstActiveRow(config: ConfigSource, broker: Broker, clock: Clock): Promise<BannerRow | null> {
  try {
    const { table } = config.recent(60_000) ?? (await config.readFor(clock.now().getTime()));
    const row = table.rows.find((r) => r.active && !r.problem);
    if (!row) return null;
    // A price the paper broker already knows for it, else a round one: the paper broker fills at whatever the alert says.
    const price = await broker.getLatestPrice(row.symbol).catch(() => 100);
    return {
      symbol: row.symbol,
      timeframe: row.timeframeLabel,
      positionSize: row.positionSize,
      price,
      action: row.direction === 'short only' ? 'SELL' : 'BUY',
    };
  } catch {
    return null;
  }
}
