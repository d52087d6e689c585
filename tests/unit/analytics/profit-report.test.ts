/**
 * The `npm run profit` model and page from plain values: percentages over
 * the cost basis, best and worst, the two sides, today's P&L, and a page
 * whose colours never shift its columns.
 */
import { buildProfitReport } from '../../../analytics/profit/profit-report';
import { profitJson, profitText } from '../../../analytics/profit/render';
import type { PerformanceRow } from '../../../src/domain/performance/performance';
import type { Position } from '../../../src/domain/types';

const pos = (symbol: string, qty: number, avg: number, price: number): Position => ({
  symbol,
  qty,
  side: qty < 0 ? 'short' : 'long',
  avgEntryPrice: avg,
  currentPrice: price,
  marketValue: qty * price,
  unrealizedPl: qty * (price - avg),
});

const total: PerformanceRow = {
  symbol: 'TOTAL',
  totalTrades: 4,
  winningTrades: 3,
  losingTrades: 1,
  winRate: 0.75,
  totalPnl: 12.5,
  avgPnlPerTrade: 3.13,
  bestTrade: 10,
  worstTrade: -4,
  openQty: null,
  unrealizedPl: 0,
  lastUpdated: '',
};

function report(positions: Position[]) {
  return buildProfitReport({
    mode: 'paper',
    now: new Date('2025-03-14T20:00:00Z'),
    account: { equity: 10_200, lastEquity: 10_000, cash: 9_000, buyingPower: 8_000, shortingEnabled: true, status: 'ACTIVE' },
    positions,
    total,
    window: { days: 30, from: new Date('2025-02-12T20:00:00Z'), to: new Date('2025-03-14T20:00:00Z') },
    fills: 8,
    unpricedRoundTrips: 0,
  });
}

describe('profit report', () => {
  const r = report([pos('AAA', 10, 20, 22), pos('BBB', -4, 50, 55), pos('CCC', 2.5, 40, 40)]);

  it('when positions are long and short, then each P&L percent is over its cost and the list runs best first', () => {
    expect(r.positions.map((p) => [p.symbol, p.unrealizedPl, p.unrealizedPlPct])).toEqual([
      ['AAA', 20, 0.1], // 10 × (22 − 20) over 200
      ['CCC', 0, 0],
      ['BBB', -20, -0.1], // short 4: −4 × (55 − 50) over 200
    ]);
    expect(r.best?.symbol).toBe('AAA');
    expect(r.worst?.symbol).toBe('BBB');
  });

  it('when the sides are added up, then market value is signed as the broker reports it', () => {
    expect(r.long).toEqual({ count: 2, marketValue: 320, unrealizedPl: 20 });
    expect(r.short).toEqual({ count: 1, marketValue: -220, unrealizedPl: -20 });
  });

  it('when equity is above the previous close, then today is the difference in dollars and percent', () => {
    expect(r.account).toMatchObject({ todayPnl: 200, todayPnlPct: 0.02 });
    expect(r.realized).toMatchObject({ trades: 4, wins: 3, losses: 1, winRate: 0.75, realizedPnl: 12.5 });
  });

  it('when flat, then there is no best or worst and the page says so', () => {
    const flat = report([]);
    expect(flat.best).toBeNull();
    expect(profitText(flat, { colour: false, timezone: 'UTC' })).toContain('No open positions.');
    expect(profitJson(flat)).toMatchObject({ best_position: null, worst_position: null, positions: [] });
  });

  it('when coloured, then stripping the colour gives exactly the plain page', () => {
    const coloured = profitText(r, { colour: true, timezone: 'America/New_York' });
    expect(coloured).toContain('\x1b[');
    // eslint-disable-next-line no-control-regex
    expect(coloured.replace(/\x1b\[\d+m/g, '')).toBe(profitText(r, { colour: false, timezone: 'America/New_York' }));
    expect(profitText(r, { colour: false, timezone: 'America/New_York' })).toMatch(/^Account \(paper\) {2}2025-03-14 16:00 EDT$/m);
  });
});
