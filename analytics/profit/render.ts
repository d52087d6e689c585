/**
 * `npm run profit`'s two outputs: a coloured (or plain) terminal page, and
 * the JSON document printed alone with `--json`. Gains are green and losses
 * red only when colour is on, so piped output stays plain text.
 */
import { finiteDeep, localTime, money, pct, shares } from '../format';
import { textTable } from '../report/summary';
import type { PositionLine, ProfitReport, SideTotals } from './profit-report';

/** ANSI styling, or none. */
interface Paint {
  bold(s: string): string;
  /** Green above zero, red below, plain at zero or null. */
  sign(s: string, x: number | null): string;
  dim(s: string): string;
}

/** Styling with ANSI escapes when `colour`, else identity. */
function paint(colour: boolean): Paint {
  const wrap = (code: string) => (s: string) => (colour ? `\x1b[${code}m${s}\x1b[0m` : s);
  const green = wrap('32');
  const red = wrap('31');
  return { bold: wrap('1'), dim: wrap('2'), sign: (s, x) => (x === null || x === 0 ? s : x > 0 ? green(s) : red(s)) };
}

/** Dollars with a sign for P&L: "+$12.50", "-$3.00", "$0.00". */
export function pnlMoney(x: number | null): string {
  const m = money(x);
  return x !== null && Number.isFinite(x) && m !== '$0.00' && x > 0 ? `+${m}` : m;
}

/**
 * A table whose cells may be painted: padding is computed on the plain text,
 * then each cell is painted, so escapes never break the alignment.
 */
function paintedTable(rows: string[][], right: number[], painter: (row: number, col: number, cell: string) => string): string {
  const plain = textTable(rows, right).split('\n');
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return plain
    .map((line, i) => {
      if (i === 1) return line; // the dashes
      const r = i === 0 ? 0 : i - 1;
      return rows[r]
        .map((cell, c) => {
          const padded = right.includes(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]);
          return r === 0 ? padded : painter(r, c, padded);
        })
        .join('  ')
        .trimEnd();
    })
    .join('\n');
}

/** "+$300.00 (+3.00%)". */
const pnlWithPct = (p: PositionLine) => `${pnlMoney(p.unrealizedPl)} (${pct(p.unrealizedPlPct)})`;

/** The terminal page. */
export function profitText(report: ProfitReport, opts: { colour: boolean; timezone: string }): string {
  const c = paint(opts.colour);
  const a = report.account;
  const out: string[] = [];
  out.push(c.bold(`Account (${report.mode})`) + c.dim(`  ${localTime(report.generatedAt, opts.timezone)}`));
  out.push(
    ...textTable([
      ['', ''],
      ['Equity', money(a.equity)],
      ['Cash', money(a.cash)],
      ['Buying power', money(a.buyingPower)],
      ["Today's P&L", `${pnlMoney(a.todayPnl)} (${pct(a.todayPnlPct)})`],
    ])
      .split('\n')
      .slice(2)
      .map((line, i) => (i === 3 ? c.sign(`  ${line}`, a.todayPnl) : `  ${line}`)),
  );

  out.push('', c.bold(`Positions (${report.positions.length})`));
  if (report.positions.length === 0) out.push('  No open positions.');
  else {
    const rows = [
      ['Symbol', 'Side', 'Qty', 'Avg entry', 'Price', 'Market value', 'Unrealised P&L', '%'],
      ...report.positions.map((p) => [
        p.symbol,
        p.side,
        shares(p.qty),
        money(p.avgEntryPrice),
        money(p.price),
        money(p.marketValue),
        pnlMoney(p.unrealizedPl),
        pct(p.unrealizedPlPct),
      ]),
    ];
    out.push(
      paintedTable(rows, [2, 3, 4, 5, 6, 7], (r, col, cell) => (col >= 6 ? c.sign(cell, report.positions[r - 1].unrealizedPl) : cell)),
    );
  }
  if (report.best && report.worst) {
    out.push('', `${c.bold('Best')}   ${report.best.symbol} ${c.sign(pnlWithPct(report.best), report.best.unrealizedPl)}`);
    out.push(`${c.bold('Worst')}  ${report.worst.symbol} ${c.sign(pnlWithPct(report.worst), report.worst.unrealizedPl)}`);
  }

  out.push('', c.bold('Long vs short'));
  const side = (name: string, s: SideTotals) => [name, String(s.count), money(s.marketValue), pnlMoney(s.unrealizedPl)];
  const sides = [report.long, report.short];
  out.push(
    paintedTable(
      [['Side', 'Count', 'Market value', 'Unrealised P&L'], side('long', report.long), side('short', report.short)],
      [1, 2, 3],
      (r, col, cell) => (col === 3 ? c.sign(cell, sides[r - 1].unrealizedPl) : cell),
    ),
  );

  const z = report.realized;
  out.push('', c.bold(`Realised, last ${z.windowDays} days`) + c.dim(' (FIFO round trips, as the Performance tab)'));
  const rows = [
    ['', ''],
    ['Round trips', `${z.trades} (${z.fills} fills)`],
    ['Win rate', z.winRate === null ? 'n/a' : `${pct(z.winRate, 1, false)} (${z.wins} won, ${z.losses} lost)`],
    ['Realised P&L', pnlMoney(z.realizedPnl)],
    ['Best trade', pnlMoney(z.bestTrade)],
    ['Worst trade', pnlMoney(z.worstTrade)],
  ];
  const values = [null, null, z.realizedPnl, z.bestTrade, z.worstTrade];
  out.push(
    ...textTable(rows)
      .split('\n')
      .slice(2)
      .map((line, i) => c.sign(`  ${line}`, values[i])),
  );
  if (z.unpricedRoundTrips > 0)
    out.push(c.dim(`  ${z.unpricedRoundTrips} round trip(s) closed positions opened before the window at an unknown price; left out.`));
  return out.join('\n') + '\n';
}

/** Money to cents in the JSON. */
const cents = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);

/** A position under snake_case keys. */
function positionJson(p: PositionLine) {
  return {
    symbol: p.symbol,
    side: p.side,
    qty: p.qty,
    avg_entry_price: p.avgEntryPrice,
    current_price: p.price,
    market_value: cents(p.marketValue),
    unrealized_pl: cents(p.unrealizedPl),
    unrealized_pl_pct: p.unrealizedPlPct,
  };
}

/** The `--json` document: the same content as the page, snake_case keys, finite numbers or null. */
export function profitJson(report: ProfitReport): Record<string, unknown> {
  const a = report.account;
  const side = (s: SideTotals) => ({ count: s.count, market_value: cents(s.marketValue), unrealized_pl: cents(s.unrealizedPl) });
  const z = report.realized;
  return finiteDeep({
    generated_at: report.generatedAt,
    mode: report.mode,
    account: {
      equity: a.equity,
      cash: a.cash,
      buying_power: a.buyingPower,
      last_equity: a.lastEquity,
      today_pnl: cents(a.todayPnl),
      today_pnl_pct: a.todayPnlPct,
    },
    positions: report.positions.map(positionJson),
    best_position: report.best ? positionJson(report.best) : null,
    worst_position: report.worst ? positionJson(report.worst) : null,
    long: side(report.long),
    short: side(report.short),
    realized: {
      window_days: z.windowDays,
      from: z.from,
      to: z.to,
      fills: z.fills,
      trades: z.trades,
      wins: z.wins,
      losses: z.losses,
      win_rate: z.winRate,
      realized_pnl: z.realizedPnl,
      best_trade: z.bestTrade,
      worst_trade: z.worstTrade,
      unpriced_round_trips: z.unpricedRoundTrips,
    },
  });
}
