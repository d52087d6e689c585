import { join } from 'node:path';
import { type HaltAtStart, haltEffect } from './app/guards/halt-at-start';

/** What the start-up banner tells: where orders go, where the sheet is, and how to try it. */
export interface BannerFacts {
  /** The broker's mode: `local` is the built-in paper broker; `paper` and `live` are Alpaca accounts. */
  mode: 'local' | 'paper' | 'live';
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
  /** A halt in force at start-up (carried over a restart, or TRADING_ENABLED=false). */
  halt?: HaltAtStart;
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
  return sheet.kind === 'google' ? `Google Sheet https://docs.google.com/spreadsheets/d/${sheet.location}` : `CSV files in ${sheet.location} (${join(sheet.location, `${configTab}.csv`)})`;
}

/**
 * The start-up banner. It says "local" and "no real money" only when orders
 * go to the built-in paper broker; then it shows the secret, the token and a
 * curl that places a (paper) trade. With Alpaca it never prints a secret or
 * token, says where they are set, and offers only a harmless /health check.
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
      `  Sheet:    ${sheetPlace(f.sheet)}`,
      `  Data:     ${f.dataDir}`,
      `  Secret:   ${f.secret}   (${f.secretFromSettings ? 'WEBHOOK_SECRET' : `saved in ${join(f.dataDir, 'webhook-secret')}`})`,
      `  Token:    ${f.apiToken}   (${f.tokenFromSettings ? 'API_TOKEN' : `saved in ${join(f.dataDir, 'api-token')}`}; for /positions, /halt, /flatten)`,
      '',
      '  Place a paper trade (buys $5,000 of AAPL at $190.12; the Config row shows FILLED):',
      '',
      `  curl -s -X POST ${url}/webhook -H 'Content-Type: application/json' \\`,
      `    -d '{"action":"BUY","symbol":"AAPL","timeframe":"15 Min","price":"190.12","secret":"${f.secret}"}'`,
      '',
      `  Then: ${f.sheet.kind === 'google' ? 'look at the AAPL 15 Min row of the Google Sheet' : `cat ${join(f.sheet.location, 'Config.csv')}`}   and   curl -s ${url}/positions -H 'Authorization: Bearer ${f.apiToken}'`,
    );
  } else {
    const live = f.mode === 'live';
    lines.push(
      `  trading-bot is running on ${url} with Alpaca ${live ? 'LIVE: orders trade REAL MONEY' : 'PAPER (Alpaca\'s paper account)'}`,
      ...haltLines(f.halt),
      `  Sheet:    ${sheetPlace(f.sheet)}`,
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
