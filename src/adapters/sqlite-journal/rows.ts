/** What the journal's SQLite parts share: a row as better-sqlite3 returns it, and NULL read as absent. */

/** One result row, column name → value. */
export type Row = Record<string, unknown>;

/** SQL NULL as `undefined`, the way the port's optional fields carry it. */
export const orUndef = <T>(v: T | null): T | undefined => (v === null ? undefined : v);
