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
