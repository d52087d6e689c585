import { planIntent, sizeOpenLeg } from '../../src/domain/trade-plan';
import type { Asset, Position } from '../../src/domain/types';

const pos = (qty: number): Position => ({ symbol: 'AAPL', qty, side: qty > 0 ? 'long' : 'short', avgEntryPrice: 100, marketValue: qty * 100, unrealizedPl: 0 });
const asset = (o: Partial<Asset> = {}): Asset => ({ symbol: 'AAPL', tradable: true, fractionable: true, shortable: true, easyToBorrow: true, ...o });

describe('planIntent', () => {
  it('when flat, then long and short open and close waits', () => {
    expect(planIntent('long', null)).toEqual({ kind: 'trade', close: undefined, open: 'long' });
    expect(planIntent('short', null)).toEqual({ kind: 'trade', close: undefined, open: 'short' });
    expect(planIntent('close', null)).toMatchObject({ kind: 'hold', status: 'WAITING' });
  });
  it('when already on the asked side, then it holds as ALREADY LONG / ALREADY SHORT', () => {
    expect(planIntent('long', pos(5))).toMatchObject({ kind: 'hold', status: 'ALREADY LONG' });
    expect(planIntent('short', pos(-5))).toMatchObject({ kind: 'hold', status: 'ALREADY SHORT' });
  });
  it('when on the opposite side, then it closes the exact quantity first, then opens (a flip)', () => {
    expect(planIntent('short', pos(2.5))).toEqual({ kind: 'trade', close: { side: 'sell', qty: 2.5 }, open: 'short' });
    expect(planIntent('long', pos(-7))).toEqual({ kind: 'trade', close: { side: 'buy', qty: 7 }, open: 'long' });
  });
  it('when closing a position, then only the close leg is planned', () => {
    expect(planIntent('close', pos(3))).toEqual({ kind: 'trade', close: { side: 'sell', qty: 3 } });
    expect(planIntent('close', pos(-3))).toEqual({ kind: 'trade', close: { side: 'buy', qty: 3 } });
  });
});

describe('sizeOpenLeg', () => {
  it('when buying a fractionable asset, then it is a notional order of position_size dollars', () => {
    expect(sizeOpenLeg('long', 5000, asset(), undefined)).toEqual({ ok: true, side: 'buy', notional: 5000 });
  });
  it('when buying a non-fractionable asset, then it is whole shares', () => {
    expect(sizeOpenLeg('long', 5000, asset({ fractionable: false }), 190.12)).toEqual({ ok: true, side: 'buy', qty: 26 });
  });
  it('when shorting, then it is floor(size / price) whole shares', () => {
    expect(sizeOpenLeg('short', 5000, asset(), 190.12)).toEqual({ ok: true, side: 'sell', qty: 26 });
    expect(sizeOpenLeg('short', 1000, asset(), 999.99)).toEqual({ ok: true, side: 'sell', qty: 1 });
  });
  it('when a short would be under one share or the asset is not shortable, then it is refused with the reason', () => {
    expect(sizeOpenLeg('short', 100, asset(), 190)).toMatchObject({ ok: false, reason: expect.stringMatching(/less than 1 share/) });
    expect(sizeOpenLeg('short', 5000, asset({ shortable: false }), 190)).toMatchObject({ ok: false, reason: expect.stringMatching(/not shortable/) });
    expect(sizeOpenLeg('short', 5000, asset({ easyToBorrow: false }), 190)).toMatchObject({ ok: false, reason: expect.stringMatching(/not shortable/) });
  });
});
