import { resolve } from 'node:path';
import { DateTime } from 'luxon';
import { readServiceAccountKey, type ServiceAccountKey } from './google-key';
import { bool, type Env, num, oneOf, optional, origin, problem, required } from './env';

/** The Google Sheets block; absent in local mode. */
export interface GoogleSettings {
  sheetId: string;
  /** The service-account key, parsed here once; the Sheets adapter signs with it. */
  key: ServiceAccountKey;
  /** Every Sheets request goes here when set (tests, proxies). */
  rootUrl?: string;
}

/** The Alpaca block; absent in local mode. */
export interface AlpacaSettings {
  keyId: string;
  secretKey: string;
  /** true for the paper account, false for live money. */
  paper: boolean;
  /** Origin (or origin + path prefix) that receives all Trading API traffic instead of Alpaca's host. */
  baseUrl?: string;
  /** Origin (or origin + path prefix) that receives all Market Data traffic instead of data.alpaca.markets. */
  dataUrl?: string;
  /** Market-data feed: `iex` (free), `sip`, or `delayed_sip`. */
  dataFeed: string;
  /** The SDK's client-side throttle to Alpaca's 200 requests a minute (per host); on unless false. */
  rateLimit: boolean;
  /** ORDER_EVENTS: `stream` follows orders by Alpaca's trade_updates stream (polling while it is down); `polling` never opens it. */
  orderEvents: 'stream' | 'polling';
}

/** `shared`: one position per symbol, shared by its rows. `per-row`: each Config row trades its own book; the broker holds the net. */
export type PositionMode = 'shared' | 'per-row';

/** Server, sheet, broker and reliability settings. */
export interface CoreSettings {
  positionMode: PositionMode;
  port: number;
  /** True under systemd with output to the journal (JOURNAL_STREAM set): log lines carry syslog priorities. */
  journald: boolean;
  /** Unset only in local mode, where one is generated and saved under dataDir. */
  webhookSecret?: string;
  dataDir: string;
  statusTimezone: string;
  configTab: string;
  google?: GoogleSettings;
  alpaca?: AlpacaSettings;
  performance: { intervalMinutes: number; windowDays: number; tab: string };
  /** The Signals tab: one row per authenticated alert, at most `maxRows` of them. */
  signals: { tab: string; maxRows: number };
  /** The Controls tab (Halt, Flatten and what the bot reports), read every `pollMs`. */
  controls: { tab: string; pollMs: number };
  /** The Positions tab: what is held, how it is protected, and (per-row mode) each row's share. */
  positionsTab: string;
  /** CRYPTO_STOP_LIMIT_PCT: how far beyond its trigger a crypto stop's limit sits, in percent (a stop-limit is crypto's only stop). */
  cryptoStopLimitPct: number;
  reliability: {
    dedupeWindowMs: number;
    configMaxAgeMs: number;
    answerDeadlineMs: number;
    flipFillTimeoutMs: number;
    flipResumeMaxAgeMs: number;
    /** LIMIT_TIMEOUT_SECONDS: how long a limit order (and each try of an exit after one) may wait before it is cancelled. */
    limitTimeoutMs: number;
    shutdownTimeoutMs: number;
    reconcileIntervalMs: number;
  };
}

const GOOGLE_VARS = ['GOOGLE_SHEET_ID', 'GOOGLE_APPLICATION_CREDENTIALS', 'GOOGLE_SHEETS_ROOT_URL'];
const ALPACA_VARS = ['APCA_API_KEY_ID', 'APCA_API_SECRET_KEY', 'APCA_API_BASE_URL', 'APCA_API_DATA_URL'];

function parseGoogle(env: Env): GoogleSettings | undefined {
  if (!GOOGLE_VARS.some((n) => optional(env, n))) return undefined;
  const partly =
    'The Google Sheets settings are only partly set: set GOOGLE_SHEET_ID ' +
    'and GOOGLE_APPLICATION_CREDENTIALS together, or neither for local mode.';
  const sheetId = required(env, 'GOOGLE_SHEET_ID', `${partly} It is the long id in the sheet's URL.`);
  const keyPath = required(env, 'GOOGLE_APPLICATION_CREDENTIALS', `${partly} It is the path to the service-account JSON key.`);
  const rootUrl = origin(env, 'GOOGLE_SHEETS_ROOT_URL');
  if (!sheetId || !keyPath) return undefined;
  let key: ServiceAccountKey;
  try {
    key = readServiceAccountKey(resolve(keyPath));
  } catch (err) {
    return problem(env, (err as Error).message, undefined);
  }
  return { sheetId, key, rootUrl };
}

/** Alpaca's own trading hosts; the SDK picks one by its paper flag, a base URL overrides it. */
export const ALPACA_LIVE_HOST = 'api.alpaca.markets';
export const ALPACA_PAPER_HOST = 'paper-api.alpaca.markets';

/**
 * A base URL on Alpaca's live host with ALPACA_PAPER=true (or on the paper
 * host with false) would trade one account while everything says the other:
 * that is a problem naming both settings. Other hosts (a proxy, a test fake)
 * are taken as given.
 */
function checkPaperMatchesHost(env: Env, paper: boolean, baseUrl: string | undefined): void {
  if (!baseUrl) return;
  const host = new URL(baseUrl).hostname.toLowerCase();
  const paperSaid = `ALPACA_PAPER=${paper}${optional(env, 'ALPACA_PAPER') === undefined ? ' (the default)' : ''}`;
  if (host === ALPACA_LIVE_HOST && paper) {
    problem(
      env,
      `APCA_API_BASE_URL=${baseUrl} is Alpaca's LIVE (real money) host, but ${paperSaid} says paper. ` +
        `To trade real money set ALPACA_PAPER=false; for paper set APCA_API_BASE_URL=https://${ALPACA_PAPER_HOST} or remove it.`,
      undefined,
    );
  } else if (host === ALPACA_PAPER_HOST && !paper) {
    problem(
      env,
      `APCA_API_BASE_URL=${baseUrl} is Alpaca's paper host, but ${paperSaid} says live. ` +
        `For paper set ALPACA_PAPER=true; to trade real money set APCA_API_BASE_URL=https://${ALPACA_LIVE_HOST} or remove it.`,
      undefined,
    );
  }
}

function parseAlpaca(env: Env): AlpacaSettings | undefined {
  if (!ALPACA_VARS.some((n) => optional(env, n))) return undefined;
  const partly =
    'The Alpaca settings are only partly set: set APCA_API_KEY_ID and APCA_API_SECRET_KEY together, or neither for local mode.';
  const paper = bool(env, 'ALPACA_PAPER', true);
  const baseUrl = origin(env, 'APCA_API_BASE_URL');
  checkPaperMatchesHost(env, paper, baseUrl);
  return {
    keyId: required(env, 'APCA_API_KEY_ID', `${partly} Find the key in Alpaca's dashboard.`),
    secretKey: required(env, 'APCA_API_SECRET_KEY', `${partly} Find the secret in Alpaca's dashboard.`),
    paper,
    baseUrl,
    dataUrl: origin(env, 'APCA_API_DATA_URL'),
    dataFeed: oneOf(env, 'ALPACA_DATA_FEED', ['iex', 'sip', 'delayed_sip'] as const, 'iex'),
    rateLimit: bool(env, 'ALPACA_RATE_LIMIT', true),
    orderEvents: oneOf(env, 'ORDER_EVENTS', ['stream', 'polling'] as const, 'stream'),
  };
}

/** Two settings naming one tab would have the bot write one tab's rows over another's: a problem naming both. */
function checkDistinctTabs(env: Env, tabs: Record<string, string>): void {
  const seen = new Map<string, string>();
  for (const [name, tab] of Object.entries(tabs)) {
    const other = seen.get(tab.toLowerCase());
    if (other) problem(env, `${name}="${tab}" names the same tab as ${other}. Give each tab its own name.`, undefined);
    else seen.set(tab.toLowerCase(), name);
  }
}

/** Parses and checks the core settings; each wrong one is a problem (see env.ts) naming the variable and the fix. */
export function parseCoreSettings(env: Env): CoreSettings {
  const google = parseGoogle(env);
  const alpaca = parseAlpaca(env);
  const webhookSecret = optional(env, 'WEBHOOK_SECRET');
  if (alpaca && !webhookSecret) {
    problem(
      env,
      'WEBHOOK_SECRET is not set. With Alpaca configured a secret is required: set a long ' +
        'random value (e.g. `openssl rand -hex 24`) and put the same one in the TradingView alert.',
      undefined,
    );
  }
  if (webhookSecret !== undefined && webhookSecret.length < 12) {
    problem(env, 'WEBHOOK_SECRET is shorter than 12 characters. Use a long random value, e.g. `openssl rand -hex 24`.', undefined);
  }
  let statusTimezone = optional(env, 'STATUS_TIMEZONE') ?? 'America/Los_Angeles';
  if (!DateTime.now().setZone(statusTimezone).isValid) {
    statusTimezone = problem(
      env,
      `STATUS_TIMEZONE="${statusTimezone}" is not a time zone. Use an IANA name like America/Los_Angeles.`,
      'America/Los_Angeles',
    );
  }
  const rawMode = optional(env, 'POSITION_MODE');
  const positionMode: PositionMode = (() => {
    const mode = (rawMode ?? 'shared').toLowerCase().replace(/[\s_]+/g, '-');
    if (mode === 'shared' || mode === 'per-row') return mode;
    return problem<PositionMode>(
      env,
      `POSITION_MODE="${rawMode}" is not a position mode. ` +
        `Use shared (one position per symbol, the default) or per-row (each Config row keeps its own position).`,
      'shared',
    );
  })();
  const seconds = (name: string, fallback: number, min = 0, max = 86_400) => num(env, name, fallback, min, max) * 1000;
  const tabs = {
    CONFIG_TAB: optional(env, 'CONFIG_TAB') ?? 'Config',
    PERFORMANCE_TAB: optional(env, 'PERFORMANCE_TAB') ?? 'Performance',
    SIGNALS_TAB: optional(env, 'SIGNALS_TAB') ?? 'Signals',
    CONTROLS_TAB: optional(env, 'CONTROLS_TAB') ?? 'Controls',
    POSITIONS_TAB: optional(env, 'POSITIONS_TAB') ?? 'Positions',
  };
  checkDistinctTabs(env, tabs);
  return {
    positionMode,
    port: num(env, 'PORT', 8080, 0, 65535),
    journald: optional(env, 'JOURNAL_STREAM') !== undefined, // the same test as journaldFrom()
    webhookSecret,
    dataDir: resolve(optional(env, 'DATA_DIR') ?? './data'),
    statusTimezone,
    configTab: tabs.CONFIG_TAB,
    google,
    alpaca,
    performance: {
      intervalMinutes: num(env, 'PERFORMANCE_INTERVAL_MINUTES', 5, 0.05, 1440),
      windowDays: num(env, 'PERFORMANCE_WINDOW_DAYS', 30, 1, 3650),
      tab: tabs.PERFORMANCE_TAB,
    },
    signals: {
      tab: tabs.SIGNALS_TAB,
      maxRows: Math.floor(num(env, 'SIGNALS_TAB_MAX_ROWS', 2000, 10, 100_000)),
    },
    controls: {
      tab: tabs.CONTROLS_TAB,
      // At least 5 s: each poll is one Sheets read, and the quota (60 a minute) is shared with the Config reads.
      pollMs: seconds('CONTROLS_POLL_SECONDS', 15, 5, 3600),
    },
    positionsTab: tabs.POSITIONS_TAB,
    cryptoStopLimitPct: parseCryptoStopLimitPct(env),
    reliability: {
      dedupeWindowMs: seconds('DEDUPE_WINDOW_SECONDS', 10),
      configMaxAgeMs: seconds('CONFIG_MAX_AGE_SECONDS', 300),
      answerDeadlineMs: num(env, 'ANSWER_DEADLINE_MS', 2500, 100, 2900),
      flipFillTimeoutMs: seconds('FLIP_FILL_TIMEOUT_SECONDS', 30, 1, 600),
      flipResumeMaxAgeMs: seconds('FLIP_RESUME_MAX_AGE_SECONDS', 120),
      limitTimeoutMs: seconds('LIMIT_TIMEOUT_SECONDS', 60, 1, 3600),
      shutdownTimeoutMs: seconds('SHUTDOWN_TIMEOUT_SECONDS', 20, 1, 600),
      reconcileIntervalMs: num(env, 'RECONCILE_INTERVAL_MINUTES', 5, 0.05, 1440) * 60_000,
    },
  };
}

/** CRYPTO_STOP_LIMIT_PCT: a percentage above 0 and under 50; unset = 1. */
function parseCryptoStopLimitPct(env: Env): number {
  const v = optional(env, 'CRYPTO_STOP_LIMIT_PCT');
  if (v === undefined) return 1;
  const pct = /^\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : Number.NaN;
  if (pct > 0 && pct < 50) return pct;
  return problem(
    env,
    `CRYPTO_STOP_LIMIT_PCT="${v}" is not a percentage above 0 and under 50. ` +
      'Use e.g. CRYPTO_STOP_LIMIT_PCT=1 (a crypto stop sells at most 1% below its trigger), or leave it unset for 1.',
    1,
  );
}
