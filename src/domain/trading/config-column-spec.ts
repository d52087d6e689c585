/**
 * The shape of one entry of the Config column table (`config-columns.ts`):
 * header, spellings, role (with a setting's reader), example, `sheet:init`
 * format and local seed value. Pure.
 */
import type { CellReader } from './config-cells';

/** Headers compare case- and space-insensitively ("Time Frame" = "timeframe" = "time_frame"). */
export const headerKey = (header: string): string => header.toLowerCase().replace(/[\s_-]+/g, '');

/**
 * What `sheet:init` does with a column: adds it when missing and, on the
 * Google Sheet, formats the cells under the header: none (`plain`), a
 * checkbox, dollars, a drop-down that warns on other values, or the Order
 * Status colours.
 */
export type InitFormat = 'plain' | 'checkbox' | 'dollars' | 'status colours' | { dropdown: readonly string[] };

/** Who fills a column: a key of the row (symbol, Time Frame), a setting the trader types, or the bot. */
export type Role = { role: 'key' } | { role: 'bot' } | { role: 'setting'; read: CellReader; group?: string };

/** What every column has, whoever fills it. */
export interface ColumnBase<K extends string, R extends boolean> {
  /** Its name in `ConfigColumns`. */
  key: K;
  /** The header as `sheet:init` writes it and the docs name it. */
  header: string;
  /** Other headers read as this column (all compared by `headerKey`). */
  spellings: readonly string[];
  /** The header row is the first of the top ten that names every required column. */
  required: R;
  /** A good value, as the trader would type it. */
  example: string;
  /** `sheet:init` adds the column with this format; absent: it never adds it. */
  init?: InitFormat;
  /** The local sheet's first Config has the column, and an example row that names no value gets this one; absent: not there. */
  local?: string;
  /** One line: what the column holds. */
  about: string;
}

/** One Config column; `K` is its name in `ConfigColumns`, `R` whether the tab must have it. */
export type ConfigColumnSpec<K extends string = string, R extends boolean = boolean> = Role & ColumnBase<K, R>;

/** An entry as written in the table: spellings and required may be left out. */
type Input<K extends string, R extends boolean> = Role &
  Omit<ColumnBase<K, R>, 'spellings' | 'required'> & {
    spellings?: readonly string[];
    required?: R;
  };

/** An entry of the table, with its key and `required` kept as literal types (so `ConfigColumns` follows the table). */
export function column<const K extends string, const R extends boolean = false>(spec: Input<K, R>): ConfigColumnSpec<K, R> {
  return { ...spec, spellings: spec.spellings ?? [], required: (spec.required ?? false) as R } as ConfigColumnSpec<K, R>;
}

/** True when a header cell names this column (its header or another spelling, compared by `headerKey`). */
export function names(spec: ConfigColumnSpec, header: string): boolean {
  const key = headerKey(header);
  return headerKey(spec.header) === key || spec.spellings.some((s) => headerKey(s) === key);
}
