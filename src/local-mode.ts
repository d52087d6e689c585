import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The example Config tab written on the first local start. */
export const EXAMPLE_CONFIG: string[][] = [
  ['symbol', 'position_size', 'active', 'Time Frame', 'Order Status', 'Last Updated', 'Reason'],
  ['AAPL', '$5,000', 'TRUE', '15 Min', 'READY', '', ''],
  ['MSFT', '$5,000', 'TRUE', '15 Min', 'READY', '', ''],
  ['SPY', '$10,000', 'TRUE', '1 Hour', 'READY', '', ''],
  ['TSLA', '$2,000', 'FALSE', '15 Min', 'READY', '', ''],
];

/**
 * The webhook secret for local mode when WEBHOOK_SECRET is unset: generated
 * once, kept in `<dataDir>/webhook-secret` (mode 0600), never a default in code.
 */
export function localWebhookSecret(dataDir: string): string {
  return savedRandom(join(dataDir, 'webhook-secret'), 18);
}

/**
 * The API token for local mode when API_TOKEN is unset: generated once, kept
 * in `<dataDir>/api-token` (mode 0600), never a default in code.
 */
export function localApiToken(dataDir: string): string {
  return savedRandom(join(dataDir, 'api-token'), 24);
}

/** The random value saved in `file`, or a new one of `bytes` bytes written there (0600). */
function savedRandom(file: string, bytes: number): string {
  if (existsSync(file)) {
    const saved = readFileSync(file, 'utf8').trim();
    if (saved.length >= 12) return saved;
  }
  const value = randomBytes(bytes).toString('hex');
  writeFileSync(file, value + '\n', { mode: 0o600 });
  return value;
}

/** The start-up banner: mode, files, the secret, and a curl that places a trade. */
export function banner(o: { mode: string; sheet: string; port: number; secret: string; dataDir: string; local: boolean; apiToken?: string }): string {
  const bar = '='.repeat(78);
  const url = `http://localhost:${o.port}`;
  const lines = [
    bar,
    `  trading-bot is running in ${o.mode.toUpperCase()} mode on ${url}`,
    o.local
      ? '  LOCAL MODE: no Google or Alpaca settings, so orders go to the built-in paper broker\n  (starting cash $100,000) and the sheet is CSV files. No real money is involved.'
      : `  Orders go to Alpaca (${o.mode}); the sheet is ${o.sheet}.`,
    `  Sheet:    ${o.sheet}`,
    `  Data:     ${o.dataDir}`,
  ];
  if (o.local) {
    lines.push(
      `  Secret:   ${o.secret}   (saved in ${join(o.dataDir, 'webhook-secret')})`,
      ...(o.apiToken ? [`  Token:    ${o.apiToken}   (saved in ${join(o.dataDir, 'api-token')}; for /positions, /halt, /flatten)`] : []),
      '',
      '  Place a trade (buys $5,000 of AAPL at $190.12; the Config row shows FILLED):',
      '',
      `  curl -s -X POST ${url}/webhook -H 'Content-Type: application/json' \\`,
      `    -d '{"action":"BUY","symbol":"AAPL","timeframe":"15 Min","price":"190.12","secret":"${o.secret}"}'`,
      '',
      `  Then: cat ${join(o.sheet, 'Config.csv')}   and   curl -s ${url}/positions${o.apiToken ? ` -H 'Authorization: Bearer ${o.apiToken}'` : ''}`,
    );
  }
  lines.push(bar);
  return lines.join('\n');
}
