/**
 * The CSV exports, one file per table, all stamped with the run's timestamp.
 * Headers are snake_case; missing values are empty cells; cells that a
 * spreadsheet would read as a formula are escaped (symbols come from outside).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { AnalyticsReport } from '../model/compute';
import { finiteDeep } from '../format';

/** The written files, by table. */
export interface CsvFiles {
  positions: string;
  trades: string;
  fills: string;
  account: string;
  equity: string;
}

/** Money and prices: cents are enough and keep the files diff-friendly. */
const r2 = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);

/** The P&L cells that end a positions or trades row: in cents, then as a share of |qty × entry price| (empty when that is 0). */
function pnlCells(pnl: number, qty: number, entryPrice: number): [number | null, number | null] {
  const cost = Math.abs(qty * entryPrice);
  return [r2(pnl), cost > 0 ? pnl / cost : null];
}

/** Writes one CSV with its header row. */
async function write(file: string, columns: string[], rows: unknown[][]): Promise<string> {
  await writeFile(file, stringify(finiteDeep(rows), { header: true, columns, escape_formulas: true, cast: { boolean: String } }));
  return file;
}

/** Writes the five CSVs into `dir` as `<table>_<ts>.csv`; returns their paths. */
export async function writeCsvs(report: AnalyticsReport, dir: string, ts: string): Promise<CsvFiles> {
  const file = (name: string) => path.join(dir, `${name}_${ts}.csv`);
  const [positions, trades, fills, account, equity] = await Promise.all([
    write(
      file('positions'),
      ['symbol', 'side', 'qty', 'avg_entry_price', 'current_price', 'market_value', 'unrealized_pl', 'unrealized_pl_pct'],
      report.positions.map((p) => [
        p.symbol,
        p.side,
        p.qty,
        p.avgEntryPrice,
        p.currentPrice ?? null,
        r2(p.marketValue),
        ...pnlCells(p.unrealizedPl, p.qty, p.avgEntryPrice),
      ]),
    ),
    write(
      file('trades'),
      ['symbol', 'direction', 'qty', 'entry_time', 'entry_price', 'exit_time', 'exit_price', 'pnl', 'return_pct'],
      report.roundTrips.map((t) => [
        t.symbol,
        t.direction,
        t.qty,
        t.entryTime,
        t.entryPrice,
        t.exitTime,
        t.exitPrice,
        ...pnlCells(t.pnl, t.qty, t.entryPrice),
      ]),
    ),
    write(
      file('fills'),
      ['time', 'symbol', 'side', 'qty', 'price', 'order_id', 'fill_id'],
      report.fills.map((f) => [f.time, f.symbol, f.side, f.qty, f.price, f.orderId, f.id]),
    ),
    write(
      file('account'),
      ['generated_at', 'mode', 'equity', 'last_equity', 'cash', 'buying_power', 'shorting_enabled', 'status'],
      [
        [
          report.generatedAt,
          report.mode,
          report.account.equity,
          report.account.lastEquity,
          report.account.cash,
          report.account.buyingPower,
          report.account.shortingEnabled,
          report.account.status,
        ],
      ],
    ),
    write(
      file('equity'),
      [
        'date',
        'equity',
        'daily_return',
        `${report.benchmark.symbol.toLowerCase()}_close`,
        `${report.benchmark.symbol.toLowerCase()}_return`,
        'drawdown',
      ],
      report.equity.map((e) => [e.date, e.equity, e.dailyReturn, e.benchmarkClose, e.benchmarkReturn, e.drawdown]),
    ),
  ]);
  return { positions, trades, fills, account, equity };
}
