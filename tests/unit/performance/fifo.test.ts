import { matchFifo, type OpenLot } from '../../../src/domain/performance/fifo';
import { reconstructOpeningLots } from '../../../src/domain/performance/opening-lots';
import type { Fill, Position } from '../../../src/domain/types';

let seq = 0;
/** A fill; its order id defaults to a fresh one (one order per fill). */
function fill(symbol: string, side: 'buy' | 'sell', qty: number, price: number, time: string, orderId?: string): Fill {
  seq += 1;
  const id = String(seq).padStart(4, '0');
  return { id, symbol, side, qty, price, time: `2025-10-${time}Z`, orderId: orderId ?? `order-${id}` };
}

function position(symbol: string, qty: number, avgEntryPrice: number): Position {
  return { symbol, qty, side: qty > 0 ? 'long' : 'short', avgEntryPrice, marketValue: 0, unrealizedPl: 0 };
}

describe('matchFifo', () => {
  it('when a long is opened and closed, then one long round trip with (exit - entry) * qty', () => {
    const { roundTrips, openLots } = matchFifo([
      fill('AAPL', 'buy', 10, 100, '01T14:00:00'),
      fill('AAPL', 'sell', 10, 105.5, '02T14:00:00'),
    ]);
    expect(roundTrips).toEqual([
      {
        symbol: 'AAPL',
        direction: 'long',
        qty: 10,
        entryPrice: 100,
        exitPrice: 105.5,
        entryTime: '2025-10-01T14:00:00Z',
        exitTime: '2025-10-02T14:00:00Z',
        pnl: 55,
      },
    ]);
    expect(openLots).toEqual([]);
  });

  it('when a short is opened and covered, then one short round trip with (entry - exit) * qty', () => {
    const { roundTrips, openLots } = matchFifo([fill('TSLA', 'sell', 5, 250, '01T14:00:00'), fill('TSLA', 'buy', 5, 262.4, '01T15:00:00')]);
    expect(roundTrips).toHaveLength(1);
    expect(roundTrips[0]).toMatchObject({ direction: 'short', qty: 5, entryPrice: 250, exitPrice: 262.4 });
    expect(roundTrips[0].pnl).toBeCloseTo(-62, 9);
    expect(openLots).toEqual([]);
  });

  it('when a fill crosses zero, then it closes the old side and opens the other with the remainder', () => {
    const { roundTrips, openLots } = matchFifo([fill('AAPL', 'buy', 10, 100, '01T14:00:00'), fill('AAPL', 'sell', 15, 110, '01T15:00:00')]);
    expect(roundTrips).toEqual([expect.objectContaining({ direction: 'long', qty: 10, pnl: 100 })]);
    expect(openLots).toEqual([{ symbol: 'AAPL', qty: -5, price: 110, time: '2025-10-01T15:00:00Z' }]);

    const after = matchFifo([
      fill('AAPL', 'buy', 10, 100, '01T14:00:00'),
      fill('AAPL', 'sell', 15, 110, '01T15:00:00'),
      fill('AAPL', 'buy', 5, 104, '01T16:00:00'),
    ]);
    expect(after.roundTrips[1]).toMatchObject({ direction: 'short', qty: 5, entryPrice: 110, exitPrice: 104, pnl: 30 });
    expect(after.openLots).toEqual([]);
  });

  it('when both orders fill in pieces, then their slices merge into one round trip at weighted prices', () => {
    // Entry order A: 3 @ 100 + 7 @ 101; exit order B: 4 @ 110 + 6 @ 111.
    // Slices: 3×(110−100)=30, 1×(110−101)=9, 6×(111−101)=60 → 99.
    const { roundTrips } = matchFifo([
      fill('MSFT', 'buy', 3, 100, '01T14:00:00', 'A'),
      fill('MSFT', 'buy', 7, 101, '01T14:00:01', 'A'),
      fill('MSFT', 'sell', 4, 110, '02T14:00:00', 'B'),
      fill('MSFT', 'sell', 6, 111, '02T14:00:01', 'B'),
    ]);
    expect(roundTrips).toHaveLength(1);
    expect(roundTrips[0]).toMatchObject({
      qty: 10,
      entryTime: '2025-10-01T14:00:00Z',
      exitTime: '2025-10-02T14:00:01Z',
    });
    expect(roundTrips[0].entryPrice).toBeCloseTo(100.7, 9);
    expect(roundTrips[0].exitPrice).toBeCloseTo(110.6, 9);
    expect(roundTrips[0].pnl).toBeCloseTo(99, 9);
  });

  it('when one closing fill consumes lots of two entry orders, then it makes two round trips', () => {
    const { roundTrips } = matchFifo([
      fill('MSFT', 'buy', 5, 100, '01T14:00:00'),
      fill('MSFT', 'buy', 5, 102, '01T15:00:00'),
      fill('MSFT', 'sell', 10, 105, '02T14:00:00'),
    ]);
    expect(roundTrips.map((t) => [t.qty, t.entryPrice, t.pnl])).toEqual([
      [5, 100, 25],
      [5, 102, 15],
    ]);
  });

  it('when a closing sell takes part of a lot, then the rest of the lot stays open', () => {
    const { roundTrips, openLots } = matchFifo([fill('NVDA', 'buy', 10, 50, '01T14:00:00'), fill('NVDA', 'sell', 4, 55, '01T15:00:00')]);
    expect(roundTrips).toEqual([expect.objectContaining({ qty: 4, pnl: 20 })]);
    expect(openLots).toEqual([{ symbol: 'NVDA', qty: 6, price: 50, time: '2025-10-01T14:00:00Z' }]);
  });

  it('when quantities are fractional, then they match to 1e-9 without dust lots', () => {
    const { roundTrips, openLots } = matchFifo([
      fill('AMD', 'buy', 0.1, 10, '01T14:00:00'),
      fill('AMD', 'buy', 0.2, 10, '01T14:00:01'),
      fill('AMD', 'sell', 0.3, 11, '01T15:00:00'),
      fill('SPY', 'buy', 0.5, 200.1, '01T14:00:00'),
      fill('SPY', 'sell', 0.25, 210.3, '01T15:00:00'),
      fill('SPY', 'sell', 0.25, 190, '01T16:00:00'),
    ]);
    expect(openLots).toEqual([]);
    const pnl = roundTrips.map((t) => Math.round(t.pnl * 1e6) / 1e6);
    // AMD 0.1×1 = 0.1 and 0.2×1 = 0.2; SPY 0.25×10.2 = 2.55 and 0.25×(−10.1) = −2.525.
    expect(pnl).toEqual([0.1, 0.2, 2.55, -2.525]);
  });

  it('when symbols interleave and arrive out of order, then each is matched on its own, in time order', () => {
    const fills = [
      fill('AAPL', 'sell', 10, 120, '03T14:00:00'),
      fill('MSFT', 'buy', 2, 300, '04T14:00:00'),
      fill('AAPL', 'buy', 10, 100, '01T14:00:00'),
      fill('MSFT', 'sell', 2, 310, '02T14:00:00'),
    ];
    const { roundTrips, openLots } = matchFifo(fills);
    expect(roundTrips.map((t) => [t.symbol, t.direction, t.pnl])).toEqual([
      ['AAPL', 'long', 200],
      ['MSFT', 'short', 20],
    ]);
    expect(openLots).toEqual([]);
  });

  it('when fills share a timestamp, then the id decides their order', () => {
    const buy = { ...fill('AAPL', 'buy', 1, 100, '01T14:00:00'), id: 'a' };
    const sell = { ...fill('AAPL', 'sell', 1, 101, '01T14:00:00'), id: 'b' };
    const { roundTrips } = matchFifo([sell, buy]);
    expect(roundTrips).toEqual([expect.objectContaining({ direction: 'long', pnl: 1 })]);
  });

  it('when an opening lot seeds the book, then a sell closes it instead of opening a phantom short', () => {
    const seed: OpenLot = { symbol: 'AAPL', qty: 10, price: 100, time: '2025-09-30T00:00:00.000Z' };
    const sell = fill('AAPL', 'sell', 10, 90, '01T14:00:00');
    expect(matchFifo([sell]).openLots).toEqual([expect.objectContaining({ qty: -10 })]);
    const { roundTrips, openLots } = matchFifo([sell], [seed]);
    expect(roundTrips).toEqual([expect.objectContaining({ direction: 'long', qty: 10, entryPrice: 100, entryTime: seed.time, pnl: -100 })]);
    expect(openLots).toEqual([]);
  });
});

describe('reconstructOpeningLots', () => {
  const windowStart = new Date('2025-10-01T00:00:00Z');
  const time = windowStart.toISOString();

  it('when a position was held all window with no fills, then it is seeded at its average entry', () => {
    expect(reconstructOpeningLots([], [position('AAPL', 10, 100)], windowStart)).toEqual([{ symbol: 'AAPL', qty: 10, price: 100, time }]);
  });

  it('when the window only reduced a pre-window long, then the sell realises P&L against its entry', () => {
    const fills = [fill('AAPL', 'sell', 5, 110, '02T14:00:00')];
    const seeds = reconstructOpeningLots(fills, [position('AAPL', 5, 100)], windowStart);
    expect(seeds).toEqual([{ symbol: 'AAPL', qty: 10, price: 100, time }]);
    expect(matchFifo(fills, seeds).roundTrips).toEqual([expect.objectContaining({ qty: 5, pnl: 50 })]);
  });

  it('when the window added then reduced, then the seed price reproduces the FIFO average entry', () => {
    // Pre-window 10 @ 100; buy 10 @ 120; sell 5 @ 130 → FIFO leaves 5 @ 100 + 10 @ 120, avg 113.33…
    const fills = [fill('AAPL', 'buy', 10, 120, '02T14:00:00'), fill('AAPL', 'sell', 5, 130, '03T14:00:00')];
    const seeds = reconstructOpeningLots(fills, [position('AAPL', 15, 1700 / 15)], windowStart);
    expect(seeds[0].qty).toBe(10);
    expect(seeds[0].price).toBeCloseTo(100, 9);
    expect(matchFifo(fills, seeds).roundTrips[0].pnl).toBeCloseTo(150, 9);
  });

  it('when a pre-window long was closed in the window, then its sell is matched at an unknown price, not as a short', () => {
    const fills = [fill('AAPL', 'sell', 10, 110, '02T14:00:00')];
    const seeds = reconstructOpeningLots(fills, [], windowStart);
    expect(seeds).toEqual([{ symbol: 'AAPL', qty: 10, price: NaN, time }]);
    const { roundTrips, openLots } = matchFifo(fills, seeds);
    expect(roundTrips).toHaveLength(1);
    expect(roundTrips[0].pnl).toBeNaN();
    expect(openLots).toEqual([]);
  });

  it('when a pre-window long was flipped to a short in the window, then only the short stays open', () => {
    const fills = [fill('AAPL', 'sell', 15, 110, '02T14:00:00')];
    const seeds = reconstructOpeningLots(fills, [position('AAPL', -5, 110)], windowStart);
    expect(seeds).toEqual([{ symbol: 'AAPL', qty: 10, price: NaN, time }]);
    expect(matchFifo(fills, seeds).openLots).toEqual([expect.objectContaining({ qty: -5, price: 110 })]);
  });

  it('when a pre-window long was closed and a new one opened, then the new average is not used for the old lot', () => {
    const fills = [fill('AAPL', 'sell', 10, 110, '02T14:00:00'), fill('AAPL', 'buy', 8, 120, '03T14:00:00')];
    const seeds = reconstructOpeningLots(fills, [position('AAPL', 8, 120)], windowStart);
    expect(seeds[0].qty).toBe(10);
    expect(seeds[0].price).toBeNaN();
  });

  it('when a pre-window short is still open, then it is seeded as a negative lot', () => {
    const fills = [fill('TSLA', 'buy', 2, 240, '02T14:00:00')];
    const seeds = reconstructOpeningLots(fills, [position('TSLA', -3, 250)], windowStart);
    expect(seeds).toEqual([{ symbol: 'TSLA', qty: -5, price: 250, time }]);
    expect(matchFifo(fills, seeds).roundTrips).toEqual([expect.objectContaining({ direction: 'short', pnl: 20 })]);
  });

  it('when the window opened flat, then nothing is seeded', () => {
    const fills = [fill('AAPL', 'buy', 0.3, 100, '02T14:00:00'), fill('AAPL', 'sell', 0.1, 101, '02T15:00:00')];
    expect(reconstructOpeningLots(fills, [position('AAPL', 0.2, 100)], windowStart)).toEqual([]);
  });
});
