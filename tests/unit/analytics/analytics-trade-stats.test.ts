import { pnlBySymbol, topAndBottom, tradeStats } from '../../../analytics/model/trade-stats';
import type { RoundTrip } from '../../../src/domain/performance/fifo';
import { slippageBps, summariseSlippage } from '../../../src/domain/performance/slippage';

const trip = (symbol: string, pnl: number): RoundTrip => ({
  symbol,
  direction: 'long',
  qty: 1,
  entryPrice: 100,
  exitPrice: 100 + pnl,
  entryTime: '2024-01-02T15:00:00Z',
  exitTime: '2024-01-03T15:00:00Z',
  pnl,
});

describe('tradeStats', () => {
  it('when trades win and lose, then win rate, profit factor and averages follow from the P&Ls', () => {
    const s = tradeStats([trip('A', 30), trip('A', -10), trip('B', 10), trip('B', -20)]);
    expect(s).toMatchObject({
      trades: 4,
      wins: 2,
      losses: 2,
      winRate: 0.5,
      averageWin: 20,
      averageLoss: -15,
      bestTrade: 30,
      worstTrade: -20,
      realizedPnl: 10,
    });
    expect(s.profitFactor).toBeCloseTo(40 / 30, 12);
  });

  it('when every trade wins, then profit factor and average loss are null, not Infinity', () => {
    const s = tradeStats([trip('A', 5), trip('A', 7)]);
    expect(s).toMatchObject({ winRate: 1, profitFactor: null, averageLoss: null, averageWin: 6 });
  });

  it('when every trade loses, then the win rate is 0, profit factor 0 and average win null', () => {
    const s = tradeStats([trip('A', -5), trip('B', -7)]);
    expect(s).toMatchObject({ winRate: 0, profitFactor: 0, averageWin: null, averageLoss: -6, bestTrade: -5 });
  });

  it('when there are no trades, then every ratio is null', () => {
    expect(tradeStats([])).toMatchObject({ trades: 0, winRate: null, profitFactor: null, bestTrade: null, worstTrade: null });
  });

  it('when a trade has unknown P&L (opened before the window), then it is left out', () => {
    expect(tradeStats([trip('A', NaN), trip('A', 4)])).toMatchObject({ trades: 1, wins: 1, realizedPnl: 4 });
  });

  it('when a trade makes less than a cent, then it counts as neither win nor loss, like the Performance tab', () => {
    expect(tradeStats([trip('A', 0.004), trip('A', -0.004)])).toMatchObject({ trades: 2, wins: 0, losses: 0 });
  });
});

describe('pnlBySymbol and topAndBottom', () => {
  it('when symbols have closed trades and open positions, then each row adds realised and unrealised, best first', () => {
    const rows = pnlBySymbol(
      [trip('A', 10), trip('B', -5), trip('A', 2)],
      [
        { symbol: 'C', qty: 1, side: 'long', avgEntryPrice: 10, marketValue: 12, unrealizedPl: 2 },
        { symbol: 'B', qty: -1, side: 'short', avgEntryPrice: 10, marketValue: -11, unrealizedPl: -1 },
      ],
    );
    expect(rows).toEqual([
      { symbol: 'A', trades: 2, realizedPnl: 12, unrealizedPnl: 0, totalPnl: 12 },
      { symbol: 'C', trades: 0, realizedPnl: 0, unrealizedPnl: 2, totalPnl: 2 },
      { symbol: 'B', trades: 1, realizedPnl: -5, unrealizedPnl: -1, totalPnl: -6 },
    ]);
  });

  it('when asked for top and bottom trades, then winners come best first and losers worst first', () => {
    const { top, bottom } = topAndBottom([trip('A', 1), trip('B', -3), trip('C', 5), trip('D', -1)], 1);
    expect(top.map((t) => t.symbol)).toEqual(['C']);
    expect(bottom.map((t) => t.symbol)).toEqual(['B']);
  });
});

describe('slippage', () => {
  it('when a buy fills above the alert and a sell below it, then both are positive (worse) basis points', () => {
    expect(slippageBps('buy', 100, 100.1)).toBeCloseTo(10, 9);
    expect(slippageBps('sell', 100, 99.9)).toBeCloseTo(10, 9);
    expect(slippageBps('buy', 100, 99.95)).toBeCloseTo(-5, 9);
  });

  it('when summarising, then averages are weighted by notional per symbol and overall, and unusable rows are skipped', () => {
    const s = summariseSlippage([
      { symbol: 'AAPL', side: 'buy', signalPrice: 100, fillPrice: 100.1, qty: 30 }, // +10 bp on $3,000
      { symbol: 'AAPL', side: 'sell', signalPrice: 100, fillPrice: 100.05, qty: 10 }, // -5 bp on $1,000
      { symbol: 'MSFT', side: 'buy', signalPrice: 400, fillPrice: 400.4, qty: 5 }, // +10 bp on $2,000
      { symbol: 'MSFT', side: 'buy', signalPrice: 0, fillPrice: 1, qty: 5 },
    ]);
    expect(s.bySymbol.map((g) => g.symbol)).toEqual(['AAPL', 'MSFT']);
    expect(s.bySymbol[0].bps).toBeCloseTo((3000 * 10 + 1000 * -5) / 4000, 9);
    expect(s.bySymbol[0].cost).toBeCloseTo(30 * 0.1 - 10 * 0.05, 9);
    expect(s.overall!.bps).toBeCloseTo((3000 * 10 - 1000 * 5 + 2000 * 10) / 6000, 9);
    expect(s.overall!.fills).toBe(3);
  });

  it('when no fill carries a price, then there is no overall figure', () => {
    expect(summariseSlippage([])).toEqual({ overall: null, bySymbol: [] });
  });
});
