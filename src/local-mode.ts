import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seedConfig } from './domain/trading/config-columns';

/** The example rows, by header; the Config column table gives the other columns and their order. */
const EXAMPLES = [
  { symbol: 'AAPL', position_size: '$5,000', active: 'TRUE', 'Time Frame': '15 Min' },
  { symbol: 'MSFT', position_size: '$5,000', active: 'TRUE', 'Time Frame': '15 Min' },
  { symbol: 'SPY', position_size: '$10,000', active: 'TRUE', 'Time Frame': '1 Hour' },
  { symbol: 'TSLA', position_size: '$2,000', active: 'FALSE', 'Time Frame': '15 Min' },
];

/** The example Config tab written on the first local start. */
export const EXAMPLE_CONFIG: string[][] = seedConfig(EXAMPLES);

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
