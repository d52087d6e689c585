import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DateTime } from 'luxon';
import { ConfigurationError } from '../domain/errors';
import { bool, type Env, num, oneOf, optional, origin, required } from './env';

/** The Google Sheets block; absent in local mode. */
export interface GoogleSettings {
  sheetId: string;
  credentialsFile: string;
  /** Every Sheets request goes here when set (tests, proxies). */
  rootUrl?: string;
}

/** The Alpaca block; absent in local mode. */
export interface AlpacaSettings {
  keyId: string;
  secretKey: string;
  paper: boolean;
  baseUrl?: string;
  dataUrl?: string;
  dataFeed: string;
  /** The SDK's client-side throttle to Alpaca's 200 requests a minute. */
  rateLimit: boolean;
}

/** `shared`: one position per symbol, shared by its rows. `per-row`: each Config row trades its own book; the broker holds the net. */
export type PositionMode = 'shared' | 'per-row';

/** Server, sheet, broker and reliability settings. */
export interface CoreSettings {
  positionMode: PositionMode;
  port: number;
  /** Unset only in local mode, where one is generated and saved under dataDir. */
  webhookSecret?: string;
  dataDir: string;
  statusTimezone: string;
  configTab: string;
  google?: GoogleSettings;
  alpaca?: AlpacaSettings;
  performance: { intervalMinutes: number; windowDays: number; tab: string };
  reliability: {
    dedupeWindowMs: number;
    configMaxAgeMs: number;
    answerDeadlineMs: number;
    flipFillTimeoutMs: number;
    flipResumeMaxAgeMs: number;
    shutdownTimeoutMs: number;
    reconcileIntervalMs: number;
  };
}

const GOOGLE_VARS = ['GOOGLE_SHEET_ID', 'GOOGLE_APPLICATION_CREDENTIALS', 'GOOGLE_SHEETS_ROOT_URL'];
const ALPACA_VARS = ['APCA_API_KEY_ID', 'APCA_API_SECRET_KEY', 'APCA_API_BASE_URL', 'APCA_API_DATA_URL'];

function parseGoogle(env: Env): GoogleSettings | undefined {
  if (!GOOGLE_VARS.some((n) => optional(env, n))) return undefined;
  const partly = 'The Google Sheets settings are only partly set: set GOOGLE_SHEET_ID and GOOGLE_APPLICATION_CREDENTIALS together, or neither for local mode.';
  const sheetId = required(env, 'GOOGLE_SHEET_ID', `${partly} It is the long id in the sheet's URL.`);
  const credentialsFile = resolve(required(env, 'GOOGLE_APPLICATION_CREDENTIALS', `${partly} It is the path to the service-account JSON key.`));
  if (!existsSync(credentialsFile)) {
    throw new ConfigurationError(`GOOGLE_APPLICATION_CREDENTIALS points to ${credentialsFile}, which does not exist. Download the service-account key there.`);
  }
  let key: { client_email?: unknown; private_key?: unknown };
  try {
    key = JSON.parse(readFileSync(credentialsFile, 'utf8'));
  } catch {
    throw new ConfigurationError(`GOOGLE_APPLICATION_CREDENTIALS: ${credentialsFile} is not readable JSON. Use the service-account key file from Google Cloud.`);
  }
  if (typeof key.client_email !== 'string' || typeof key.private_key !== 'string') {
    throw new ConfigurationError(`GOOGLE_APPLICATION_CREDENTIALS: ${credentialsFile} has no client_email/private_key. Use a service-account key (see credentials.example.json).`);
  }
  return { sheetId, credentialsFile, rootUrl: origin(env, 'GOOGLE_SHEETS_ROOT_URL') };
}

function parseAlpaca(env: Env): AlpacaSettings | undefined {
  if (!ALPACA_VARS.some((n) => optional(env, n))) return undefined;
  const partly = 'The Alpaca settings are only partly set: set APCA_API_KEY_ID and APCA_API_SECRET_KEY together, or neither for local mode.';
  return {
    keyId: required(env, 'APCA_API_KEY_ID', `${partly} Find the key in Alpaca's dashboard.`),
    secretKey: required(env, 'APCA_API_SECRET_KEY', `${partly} Find the secret in Alpaca's dashboard.`),
    paper: bool(env, 'ALPACA_PAPER', true),
    baseUrl: origin(env, 'APCA_API_BASE_URL'),
    dataUrl: origin(env, 'APCA_API_DATA_URL'),
    dataFeed: oneOf(env, 'ALPACA_DATA_FEED', ['iex', 'sip', 'delayed_sip'] as const, 'iex'),
    rateLimit: bool(env, 'ALPACA_RATE_LIMIT', true),
  };
}

/** Parses and checks the core settings; throws ConfigurationError naming the variable and the fix. */
export function parseCoreSettings(env: Env): CoreSettings {
  const google = parseGoogle(env);
  const alpaca = parseAlpaca(env);
  const webhookSecret = optional(env, 'WEBHOOK_SECRET');
  if (alpaca && !webhookSecret) {
    throw new ConfigurationError('WEBHOOK_SECRET is not set. With Alpaca configured a secret is required: set a long random value (e.g. `openssl rand -hex 24`) and put the same one in the TradingView alert.');
  }
  if (webhookSecret !== undefined && webhookSecret.length < 12) {
    throw new ConfigurationError('WEBHOOK_SECRET is shorter than 12 characters. Use a long random value, e.g. `openssl rand -hex 24`.');
  }
  const statusTimezone = optional(env, 'STATUS_TIMEZONE') ?? 'America/Los_Angeles';
  if (!DateTime.now().setZone(statusTimezone).isValid) {
    throw new ConfigurationError(`STATUS_TIMEZONE="${statusTimezone}" is not a time zone. Use an IANA name like America/Los_Angeles.`);
  }
  const positionMode = (optional(env, 'POSITION_MODE') ?? 'shared').toLowerCase().replace(/[\s_]+/g, '-');
  if (positionMode !== 'shared' && positionMode !== 'per-row') {
    throw new ConfigurationError(`POSITION_MODE="${optional(env, 'POSITION_MODE')}" is not a position mode. Use shared (one position per symbol, the default) or per-row (each Config row keeps its own position).`);
  }
  const seconds = (name: string, fallback: number, min = 0, max = 86_400) => num(env, name, fallback, min, max) * 1000;
  return {
    positionMode,
    port: num(env, 'PORT', 8080, 0, 65535),
    webhookSecret,
    dataDir: resolve(optional(env, 'DATA_DIR') ?? './data'),
    statusTimezone,
    configTab: optional(env, 'CONFIG_TAB') ?? 'Config',
    google,
    alpaca,
    performance: {
      intervalMinutes: num(env, 'PERFORMANCE_INTERVAL_MINUTES', 5, 0.05, 1440),
      windowDays: num(env, 'PERFORMANCE_WINDOW_DAYS', 30, 1, 3650),
      tab: optional(env, 'PERFORMANCE_TAB') ?? 'Performance',
    },
    reliability: {
      dedupeWindowMs: seconds('DEDUPE_WINDOW_SECONDS', 10),
      configMaxAgeMs: seconds('CONFIG_MAX_AGE_SECONDS', 300),
      answerDeadlineMs: num(env, 'ANSWER_DEADLINE_MS', 2500, 100, 2900),
      flipFillTimeoutMs: seconds('FLIP_FILL_TIMEOUT_SECONDS', 30, 1, 600),
      flipResumeMaxAgeMs: seconds('FLIP_RESUME_MAX_AGE_SECONDS', 120),
      shutdownTimeoutMs: seconds('SHUTDOWN_TIMEOUT_SECONDS', 20, 1, 600),
      reconcileIntervalMs: num(env, 'RECONCILE_INTERVAL_MINUTES', 5, 0.05, 1440) * 60_000,
    },
  };
}
