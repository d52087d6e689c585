/**
 * The Config tab's columns, one entry each: the header (a contract: the
 * trader, the docs and the tests outside name it so), its other spellings,
 * how a cell sets the row, what `sheet:init` makes of it, and whether the
 * local sheet's first Config has it. The parser (`config-table.ts`), the
 * `sheet:init` plan (`domain/sheet/sheet-layout.ts`), row identity
 * (`domain/sheet/row-identity.ts`) and the local seed (`src/local-mode.ts`)
 * all read this table; a new column is a new entry. Pure.
 */
import {
  activeCell,
  cooldownCell,
  directionCell,
  extendedHoursCell,
  limitOffsetCell,
  orderTypeCell,
  protectionPctCell,
  riskPctCell,
  sizeCell,
  tradeWindowCell,
} from './config-cells';
import { ORDER_TYPE_CHOICES } from './limit-price';
import { column, type ConfigColumnSpec } from './config-column-spec';

/** The Time Frame drop-down; other spellings the bot understands still work (the list only warns). */
export const TIMEFRAME_CHOICES = ['1 Min', '5 Min', '15 Min', '30 Min', '45 Min', '1 Hour', '2 Hour', '4 Hour', '1 Day', '1 Week'];

/** The direction drop-down. */
export const DIRECTION_CHOICES = ['both', 'long only', 'short only'];

/** The entries, in the order of `CONFIG_COLUMN_TABLE` (below), with their literal types, from which `ConfigColumns` is read. */
const TABLE = [
  column({
    key: 'symbol',
    header: 'symbol',
    spellings: ['ticker'],
    required: true,
    role: 'key',
    example: 'AAPL',
    init: 'plain',
    local: '',
    about: 'the ticker',
  }),
  column({
    key: 'positionSize',
    header: 'position_size',
    required: true,
    role: 'setting',
    read: sizeCell,
    example: '$5,000',
    init: 'dollars',
    local: '',
    about: 'per trade: dollars (a number cell, or US-style text), shares (25 shares) or a percentage of equity (10%)',
  }),
  column({
    key: 'active',
    header: 'active',
    required: true,
    role: 'setting',
    read: activeCell,
    example: 'TRUE',
    init: 'checkbox',
    local: 'FALSE',
    about: 'TRUE trades the row',
  }),
  column({
    key: 'timeframe',
    header: 'Time Frame',
    required: true,
    role: 'key',
    example: '15 Min',
    init: { dropdown: TIMEFRAME_CHOICES },
    local: '',
    about: "the chart's timeframe",
  }),
  column({
    key: 'direction',
    header: 'direction',
    role: 'setting',
    read: directionCell,
    example: 'long only',
    init: { dropdown: DIRECTION_CHOICES },
    about: 'which sides the row may hold: blank or both, long only, short only',
  }),
  column({
    key: 'orderStatus',
    header: 'Order Status',
    role: 'bot',
    example: 'FILLED',
    init: 'status colours',
    local: 'READY',
    about: "the row's status word",
  }),
  column({
    key: 'lastUpdated',
    header: 'Last Updated',
    role: 'bot',
    example: '2025-10-10 22:30:05 PDT',
    init: 'plain',
    local: '',
    about: 'when the status was written',
  }),
  column({
    key: 'reason',
    header: 'Reason',
    role: 'bot',
    example: 'market closed',
    init: 'plain',
    local: '',
    about: 'why a row is FAILED, HALTED or WAITING',
  }),
  column({
    key: 'stopLossPct',
    header: 'stop_loss_pct',
    role: 'setting',
    read: protectionPctCell('stopLossPct'),
    group: 'protection',
    example: '2',
    about: 'a stop loss at the broker, percent from the entry fill',
  }),
  column({
    key: 'takeProfitPct',
    header: 'take_profit_pct',
    role: 'setting',
    read: protectionPctCell('takeProfitPct'),
    group: 'protection',
    example: '4.5%',
    about: 'a take-profit limit at the broker, percent from the entry fill',
  }),
  column({
    key: 'trailPct',
    header: 'trail_pct',
    role: 'setting',
    read: protectionPctCell('trailPct'),
    group: 'protection',
    example: '3',
    about: 'a trailing stop at the broker, percent from the best price since entry',
  }),
  column({
    key: 'riskPct',
    header: 'risk_pct',
    role: 'setting',
    read: riskPctCell,
    example: '1',
    init: 'plain',
    about: 'percent of equity a stop-out at stop_loss_pct loses; sizes the row instead of position_size',
  }),
  column({
    key: 'tradeWindow',
    header: 'trade_window',
    role: 'setting',
    read: tradeWindowCell,
    example: '09:45-15:30',
    init: 'plain',
    about: 'New York times the row may enter in, e.g. 09:45-11:30, 13:30-15:30; blank = any time (exits always go)',
  }),
  column({
    key: 'cooldownMin',
    header: 'cooldown_min',
    role: 'setting',
    read: cooldownCell,
    example: '30',
    init: 'plain',
    about: 'minutes the row waits to enter again after its position went flat; blank = no wait',
  }),
  column({
    key: 'position',
    header: 'Position',
    role: 'bot',
    example: '25',
    about: "per-row mode: the row's own signed shares, written by the bot",
  }),
  column({
    key: 'orderType',
    header: 'order_type',
    role: 'setting',
    read: orderTypeCell,
    example: 'limit',
    init: { dropdown: ORDER_TYPE_CHOICES },
    about: 'market (blank) or limit: a limit order priced from the last trade, cancelled if not filled in LIMIT_TIMEOUT_SECONDS',
  }),
  column({
    key: 'limitOffsetPct',
    header: 'limit_offset_pct',
    role: 'setting',
    read: limitOffsetCell,
    example: '0.1',
    init: 'plain',
    about: 'how far through the last trade a limit order is priced, in percent (a buy above it, a sell below); blank = 0.1',
  }),
  column({
    key: 'extendedHours',
    header: 'extended_hours',
    role: 'setting',
    read: extendedHoursCell,
    example: 'TRUE',
    init: 'checkbox',
    about: 'TRUE trades pre-market and after-hours signals as extended-hours limit orders; blank or FALSE = regular hours only',
  }),
] as const;

type Spec = (typeof TABLE)[number];

/** A Config column's name in `ConfigColumns`. */
export type ConfigColumnKey = Spec['key'];

/** 0-based positions of the Config tab's columns, found by header name: the required ones always, the rest when the tab has them. */
export type ConfigColumns = { [S in Spec as S['required'] extends true ? S['key'] : never]: number } & {
  [S in Spec as S['required'] extends true ? never : S['key']]?: number;
};

/** Any entry of the table. */
export type ConfigColumn = ConfigColumnSpec<ConfigColumnKey>;

/**
 * The Config columns. Their order is the order `sheet:init` writes a new
 * tab's headers in, the local seed's column order, and which problem a row
 * shows first (after a blank or unknown Time Frame). A problem in a cell
 * voids that cell's setting, or its whole `group`'s (a row's protection is
 * all or nothing).
 */
export const CONFIG_COLUMN_TABLE: readonly ConfigColumn[] = TABLE;

/** A column the trader types a setting into. */
export type SettingColumn = ConfigColumn & { role: 'setting' };

/** The entry for `key`. */
export function configColumn(key: ConfigColumnKey): ConfigColumn {
  return CONFIG_COLUMN_TABLE.find((c) => c.key === key)!;
}

/** The columns a tab must have. */
export const REQUIRED_COLUMNS: readonly ConfigColumn[] = CONFIG_COLUMN_TABLE.filter((c) => c.required);

/** The columns the trader types settings into, in table order. */
export const SETTING_COLUMNS: readonly SettingColumn[] = CONFIG_COLUMN_TABLE.filter((c): c is SettingColumn => c.role === 'setting');

/**
 * A first Config tab: a header of the columns with a `local` value, in table
 * order, and one row per example, each cell the example's value for that
 * header or else the column's `local` value.
 */
export function seedConfig(examples: readonly Readonly<Record<string, string>>[]): string[][] {
  const seeded = CONFIG_COLUMN_TABLE.filter((c) => c.local !== undefined);
  return [seeded.map((c) => c.header), ...examples.map((example) => seeded.map((c) => example[c.header] ?? c.local!))];
}
