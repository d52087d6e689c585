import fc from 'fast-check';
import {
  opensExposure,
  planTrade,
  sizeOpenLeg,
  targetOf,
  type PlanInput,
  type Target,
  type WorkingOrder,
} from '../../../src/domain/trading/trade-plan';
import type { Asset, Direction, MarketPosition, Signal } from '../../../src/domain/types';
import { ALPACA_RULES } from '../../../src/adapters/alpaca/rules';
import { assetRules } from '../../../src/domain/trading/broker-rules';

/** Alpaca's rules for US equities: shorts in whole shares. */
const rules = assetRules(ALPACA_RULES);
/** A broker that lets shorts hold fractional shares. */
const fractionalShorts = { ...rules, fractionalShorts: true };

const asset = (o: Partial<Asset> = {}): Asset => ({
  symbol: 'AAPL',
  tradable: true,
  fractionable: true,
  shortable: true,
  easyToBorrow: true,
  ...o,
});
const plan = (target: Target, position: number, o: Partial<PlanInput> = {}) =>
  planTrade({ target, position, direction: 'both', working: [], rules, ...o });
const long: Target = { kind: 'side', side: 'long' };
const short: Target = { kind: 'side', side: 'short' };
const flat: Target = { kind: 'flat' };
const strategy = (
  marketPosition: MarketPosition,
  size?: number,
  prevSize?: number,
  prevMarketPosition?: MarketPosition,
): Pick<Signal, 'action' | 'strategy'> => ({ action: 'long', strategy: { marketPosition, size, prevSize, prevMarketPosition } });

describe('targetOf', () => {
  it('when the alert has no strategy fields, then BUY, SELL and CLOSE keep their meaning', () => {
    expect(targetOf({ action: 'long' })).toEqual(long);
    expect(targetOf({ action: 'short' })).toEqual(short);
    expect(targetOf({ action: 'close' })).toEqual(flat);
  });
  it('when market_position is present, then it decides whatever the action word says', () => {
    expect(targetOf({ ...strategy('flat'), action: 'short' })).toEqual(flat);
    expect(targetOf({ ...strategy('short'), action: 'long' })).toEqual(short);
  });
  it('when both sizes are given and > 0 on the same side, then it scales by their ratio', () => {
    expect(targetOf(strategy('long', 50, 100))).toEqual({ kind: 'scale', side: 'long', ratio: 0.5 });
    expect(targetOf(strategy('short', 30, 20, 'short'))).toEqual({ kind: 'scale', side: 'short', ratio: 1.5 });
  });
  it('when a size is missing or 0, or the strategy changed side, then it holds that side', () => {
    expect(targetOf(strategy('long', 50))).toEqual(long);
    expect(targetOf(strategy('long', 50, 0))).toEqual(long);
    expect(targetOf(strategy('long', 50, 20, 'short'))).toEqual(long);
  });
});

describe('planTrade: the classic rules', () => {
  it('when flat, then long and short open and flat waits', () => {
    expect(plan(long, 0)).toEqual({ kind: 'trade', close: undefined, open: 'long' });
    expect(plan(short, 0)).toEqual({ kind: 'trade', close: undefined, open: 'short' });
    expect(plan(flat, 0)).toMatchObject({ kind: 'hold', status: 'WAITING' });
  });
  it('when already on the asked side, then it holds as ALREADY LONG / ALREADY SHORT', () => {
    expect(plan(long, 5)).toMatchObject({ kind: 'hold', status: 'ALREADY LONG' });
    expect(plan(short, -5)).toMatchObject({ kind: 'hold', status: 'ALREADY SHORT' });
  });
  it('when on the opposite side, then it closes the exact quantity first, then opens (a flip)', () => {
    expect(plan(short, 2.5)).toEqual({ kind: 'trade', close: { side: 'sell', qty: 2.5 }, open: 'short' });
    expect(plan(long, -7)).toEqual({ kind: 'trade', close: { side: 'buy', qty: 7 }, open: 'long' });
  });
  it('when closing a position, then only the close leg is planned', () => {
    expect(plan(flat, 3)).toEqual({ kind: 'trade', close: { side: 'sell', qty: 3 } });
    expect(plan(flat, -3)).toEqual({ kind: 'trade', close: { side: 'buy', qty: 3 } });
  });
});

describe('planTrade: scaling', () => {
  const scale = (side: 'long' | 'short', ratio: number): Target => ({ kind: 'scale', side, ratio });
  it('when a long is halved, then it sells half, and the step does not open exposure', () => {
    const p = plan(scale('long', 0.5), 26.3);
    expect(p).toEqual({ kind: 'trade', scale: { side: 'sell', qty: 13.15, adds: false } });
    expect(opensExposure(p)).toBe(false);
  });
  it('when a long is added to (pyramiding), then it buys the difference, which opens exposure', () => {
    const p = plan(scale('long', 1.5), 10);
    expect(p).toEqual({ kind: 'trade', scale: { side: 'buy', qty: 5, adds: true } });
    expect(opensExposure(p)).toBe(true);
  });
  it("when a short changes size, then the change is whole shares that never pass the strategy's target", () => {
    expect(plan(scale('short', 0.5), -7)).toEqual({ kind: 'trade', scale: { side: 'buy', qty: 3, adds: false } }); // -4, not past -3.5
    expect(plan(scale('short', 1.5), -7)).toEqual({ kind: 'trade', scale: { side: 'sell', qty: 3, adds: true } }); // -10, not past -10.5
  });
  it('when the broker allows fractional shorts, then a short changes by the exact difference', () => {
    expect(plan(scale('short', 0.5), -7, { rules: fractionalShorts })).toEqual({
      kind: 'trade',
      scale: { side: 'buy', qty: 3.5, adds: false },
    });
  });
  it('when the asset is not fractionable, then a long changes in whole shares too', () => {
    expect(plan(scale('long', 0.5), 7, { wholeShares: true })).toEqual({ kind: 'trade', scale: { side: 'sell', qty: 3, adds: false } });
  });
  it('when the change rounds to nothing, then it holds', () => {
    expect(plan(scale('short', 0.9), -5)).toMatchObject({ kind: 'hold', status: 'ALREADY SHORT' });
  });
  it('when flat or on the other side, then a scale opens the row size like a plain signal', () => {
    expect(plan(scale('long', 0.5), 0)).toEqual({ kind: 'trade', close: undefined, open: 'long' });
    expect(plan(scale('long', 2), -4)).toEqual({ kind: 'trade', close: { side: 'buy', qty: 4 }, open: 'long' });
  });
});

describe('planTrade: working orders', () => {
  const buy = (qty: number, id = 'b1'): WorkingOrder => ({ id, side: 'buy', qty });
  const sell = (qty: number, id = 's1'): WorkingOrder => ({ id, side: 'sell', qty });
  it('when a buy is still working while flat, then another long signal is ALREADY LONG', () => {
    expect(plan(long, 0, { working: [buy(26)] })).toMatchObject({ kind: 'hold', status: 'ALREADY LONG' });
  });
  it('when a buy is still working and the signal closes, then the buy is cancelled first and the plan comes after', () => {
    expect(plan(flat, 0, { working: [buy(26)] })).toEqual({ kind: 'cancel', orderIds: ['b1'], then: flat });
  });
  it('when a buy is still working and the signal is short, then the buy is cancelled before anything is sold', () => {
    expect(plan(short, 0, { working: [buy(26)] })).toEqual({ kind: 'cancel', orderIds: ['b1'], then: short });
  });
  it('when a scale goes against a working order, then it cancels and re-plans toward the resolved share count', () => {
    expect(plan({ kind: 'scale', side: 'long', ratio: 0.5 }, 0, { working: [buy(20)] })).toEqual({
      kind: 'cancel',
      orderIds: ['b1'],
      then: { kind: 'shares', qty: 10 },
    });
    expect(plan({ kind: 'shares', qty: 10 }, 0)).toEqual({ kind: 'trade', scale: { side: 'buy', qty: 10, adds: true } });
    expect(plan({ kind: 'shares', qty: 10 }, 20)).toEqual({ kind: 'trade', scale: { side: 'sell', qty: 10, adds: false } });
  });
  it('when a scale goes the same way as a working order, then the working order counts and stays', () => {
    expect(plan({ kind: 'scale', side: 'long', ratio: 2 }, 10, { working: [buy(5)] })).toEqual({
      kind: 'trade',
      scale: { side: 'buy', qty: 15, adds: true },
    });
  });
  it('when a closing sell is still working and a BUY comes, then it is cancelled rather than trusted', () => {
    expect(plan(long, 10, { working: [sell(10)] })).toEqual({ kind: 'cancel', orderIds: ['s1'], then: long });
  });
});

describe('planTrade: the row direction', () => {
  const only = (direction: Direction) => ({ direction });
  it('when long only and the target is short while long, then it closes the long and opens nothing', () => {
    expect(plan(short, 10, only('long only'))).toEqual({ kind: 'trade', close: { side: 'sell', qty: 10 } });
  });
  it('when long only and the target is short while flat, then nothing is sent: WAITING "long only"', () => {
    expect(plan(short, 0, only('long only'))).toEqual({ kind: 'hold', status: 'WAITING', reason: 'long only' });
  });
  it('when short only, then it is the mirror image', () => {
    expect(plan(long, -4, only('short only'))).toEqual({ kind: 'trade', close: { side: 'buy', qty: 4 } });
    expect(plan(long, 0, only('short only'))).toEqual({ kind: 'hold', status: 'WAITING', reason: 'short only' });
    expect(plan(short, 0, only('short only'))).toMatchObject({ kind: 'trade', open: 'short' });
  });
});

describe('sizeOpenLeg', () => {
  it('when buying a fractionable asset, then it is a notional order of position_size dollars', () => {
    expect(sizeOpenLeg('long', 5000, asset(), undefined, rules)).toEqual({ ok: true, side: 'buy', notional: 5000 });
  });
  it('when buying a non-fractionable asset, then it is whole shares', () => {
    expect(sizeOpenLeg('long', 5000, asset({ fractionable: false }), 190.12, rules)).toEqual({ ok: true, side: 'buy', qty: 26 });
  });
  it('when shorting, then it is floor(size / price) whole shares', () => {
    expect(sizeOpenLeg('short', 5000, asset(), 190.12, rules)).toEqual({ ok: true, side: 'sell', qty: 26 });
    expect(sizeOpenLeg('short', 1000, asset(), 999.99, rules)).toEqual({ ok: true, side: 'sell', qty: 1 });
  });
  it('when a short would be under one share or the asset is not shortable, then it is refused with the reason', () => {
    expect(sizeOpenLeg('short', 100, asset(), 190, rules)).toMatchObject({ ok: false, reason: expect.stringMatching(/less than 1 share/) });
    expect(sizeOpenLeg('short', 5000, asset({ shortable: false }), 190, rules)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/not shortable/),
    });
    expect(sizeOpenLeg('short', 5000, asset({ easyToBorrow: false }), 190, rules)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/not shortable/),
    });
  });
  it(
    'when the broker allows fractional shorts, then a short of a fractionable ' +
      'asset is a notional sell, and still refused when not shortable',
    () => {
      expect(sizeOpenLeg('short', 5000, asset(), undefined, fractionalShorts)).toEqual({ ok: true, side: 'sell', notional: 5000 });
      expect(sizeOpenLeg('short', 5000, asset({ fractionable: false }), 190.12, fractionalShorts)).toEqual({
        ok: true,
        side: 'sell',
        qty: 26,
      });
      expect(sizeOpenLeg('short', 5000, asset({ shortable: false }), undefined, fractionalShorts)).toMatchObject({
        ok: false,
        reason: expect.stringMatching(/not shortable/),
      });
    },
  );
});

/**
 * A strategy's alerts replayed against a simulated account: orders may stay
 * working past the next alert, and a cancel may lose the race to a fill.
 */
describe('planTrade: any sequence of strategy alerts (property)', () => {
  const PRICE = 100;
  const alert = fc.record({
    position: fc.constantFrom<MarketPosition>('long', 'short', 'flat'),
    size: fc.integer({ min: 1, max: 40 }),
    leavesWorking: fc.boolean(),
    cancelLosesRace: fc.boolean(),
  });

  it('when each alert is applied, then the holding has the sign of market_position and scales with the strategy within one share', () => {
    fc.assert(
      fc.property(fc.array(alert, { minLength: 1, maxLength: 25 }), (alerts) => {
        let position = 0;
        let working: WorkingOrder[] = [];
        let prev: { position: MarketPosition; size: number } = { position: 'flat', size: 0 };
        let n = 0;
        const fill = (o: WorkingOrder) => (position = Math.round((position + (o.side === 'buy' ? o.qty : -o.qty)) * 1e9) / 1e9);
        for (const a of alerts) {
          const size = a.position === 'flat' ? 0 : a.size;
          const target = targetOf({
            action: 'long',
            strategy: { marketPosition: a.position, size, prevSize: prev.size, prevMarketPosition: prev.position },
          });
          const before = position + working.reduce((s, o) => s + (o.side === 'buy' ? o.qty : -o.qty), 0);
          let p = planTrade({ target, direction: 'both', position, working, rules });
          if (p.kind === 'cancel') {
            for (const o of working) if (a.cancelLosesRace) fill(o);
            working = [];
            p = planTrade({ target: p.then, direction: 'both', position, working, rules });
            expect(p.kind).not.toBe('cancel');
          }
          const send = (o: WorkingOrder) => (a.leavesWorking ? working.push(o) : fill(o));
          if (p.kind === 'trade') {
            if (p.close) fill({ id: `c${n}`, ...p.close }); // a flip waits for its close to fill
            if (p.open)
              send({
                id: `o${n}`,
                side: p.open === 'long' ? 'buy' : 'sell',
                qty: p.open === 'long' ? 5000 / PRICE + 0.37 : Math.floor(5000 / PRICE),
              });
            if (p.scale) send({ id: `s${n}`, side: p.scale.side, qty: p.scale.qty });
          }
          n++;
          const holding = position + working.reduce((s, o) => s + (o.side === 'buy' ? o.qty : -o.qty), 0);
          if (a.position === 'flat') expect(Math.abs(holding)).toBeLessThan(1e-9);
          if (a.position === 'long') expect(holding).toBeGreaterThan(0);
          if (a.position === 'short') expect(holding).toBeLessThan(0);
          if (target.kind === 'scale' && Math.sign(before) === Math.sign(holding)) {
            // The change follows the strategy's in proportion, within one share (shorts move in whole shares).
            expect(Math.abs(holding - before * target.ratio)).toBeLessThan(1 + 1e-6);
            if (a.position === 'long') expect(Math.abs(holding - before * target.ratio)).toBeLessThan(1e-6);
          }
          prev = { position: a.position, size };
        }
      }),
      { numRuns: 500 },
    );
  });
});
