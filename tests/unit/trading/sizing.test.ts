import { parseConfigTable } from '../../../src/domain/trading/config-table';
import {
  cappedNote,
  needsEquity,
  parsePositionSize,
  rowEntryShares,
  sizeEntry,
  sizingProblem,
  typedDollars,
  wantedSize,
} from '../../../src/domain/trading/sizing';
import type { Asset } from '../../../src/domain/types';

const asset = (over: Partial<Asset> = {}): Asset => ({
  symbol: 'AAPL',
  tradable: true,
  fractionable: true,
  shortable: true,
  easyToBorrow: true,
  ...over,
});
const alpaca = { fractionalShorts: false };

describe('parsePositionSize', () => {
  it.each([
    [5000, { kind: 'dollars', value: 5000 }],
    ['5000', { kind: 'dollars', value: 5000 }],
    ['$5,000', { kind: 'dollars', value: 5000 }],
    ['25 shares', { kind: 'shares', value: 25 }],
    ['25 sh', { kind: 'shares', value: 25 }],
    ['1 share', { kind: 'shares', value: 1 }],
    ['2.5 Shares', { kind: 'shares', value: 2.5 }],
    ['25sh', { kind: 'shares', value: 25 }],
    ['10%', { kind: 'equity_pct', value: 10 }],
    ['2.5 %', { kind: 'equity_pct', value: 2.5 }],
  ])('when the cell is %p, then it reads %p', (cell, size) => {
    expect(parsePositionSize(cell)).toEqual({ size });
  });

  it('when a number cell is under $1 (Google Sheets turned a typed 10% into 0.1), then the problem says to type it as text', () => {
    expect(parsePositionSize(0.1)).toEqual({ problem: "position_size 0.1 reads as $0.1, under $1; for 10% of equity type '10%" });
    expect(parsePositionSize(0.025)).toEqual({ problem: expect.stringContaining("for 2.5% of equity type '2.5%") });
    expect(parsePositionSize(1)).toEqual({ size: { kind: 'dollars', value: 1 } });
  });

  it('when the cell is blank, then it gives no size and no problem (risk_pct may size the row)', () => {
    expect(parsePositionSize('')).toEqual({});
    expect(parsePositionSize(undefined)).toEqual({});
  });

  it.each(['25 lots', 'ten%', '%10', 'shares', '1.500,00', '0 shares', '0%', '150%', '-5 sh'])(
    'when the cell is "%s", then it is a problem naming position_size and an example',
    (cell) => {
      const read = parsePositionSize(cell);
      expect(read).toEqual({ problem: expect.stringMatching(/^position_size .*(\(25 shares\)|more than 0)/) });
    },
  );

  it('when a percentage is over 100, then the problem says what to type', () => {
    expect(parsePositionSize('150%')).toEqual({ problem: expect.stringMatching(/over 100% of equity: .*\(10%\)/) });
  });
});

describe('a Config row with risk_pct', () => {
  const header = ['symbol', 'position_size', 'active', 'Time Frame', 'stop_loss_pct', 'risk_pct'];

  it('when risk_pct and stop_loss_pct are set, then the row has both and position_size may be blank', () => {
    const table = parseConfigTable([header, ['AAPL', '', 'TRUE', '15 Min', '2', '1%']]);
    expect(table.rows[0]).toMatchObject({ riskPct: 1, protection: { stopLossPct: 2 } });
    expect(table.rows[0].problem).toBeUndefined();
  });

  it('when risk_pct is set without stop_loss_pct, then the row has the problem "risk_pct needs stop_loss_pct"', () => {
    const table = parseConfigTable([header, ['AAPL', '$5,000', 'TRUE', '15 Min', '', '1']]);
    expect(table.rows[0].problem).toMatch(/^risk_pct needs stop_loss_pct/);
  });

  it.each(['abc', '0', '100', '-1'])('when risk_pct is "%s", then the problem names risk_pct and an example', (cell) => {
    const table = parseConfigTable([header, ['AAPL', '$5,000', 'TRUE', '15 Min', '2', cell]]);
    expect(table.rows[0].problem).toMatch(/^risk_pct ".*" must be a percentage of equity .* e\.g\. 1/);
  });

  it('when position_size is blank and risk_pct too, then the row says position_size is blank', () => {
    const table = parseConfigTable([header, ['AAPL', '', 'TRUE', '15 Min', '', '']]);
    expect(table.rows[0].problem).toMatch(/^position_size is blank/);
  });

  it('when position_size is shares, then positionSize (dollars) is 0 and size says shares', () => {
    const table = parseConfigTable([header, ['AAPL', '25 shares', 'TRUE', '15 Min', '', '']]);
    expect(table.rows[0]).toMatchObject({ positionSize: 0, size: { kind: 'shares', value: 25 } });
  });
});

describe('wantedSize', () => {
  it('when risk_pct is 1 with a 2% stop at $50 and $100,000 equity, then it is floor(1000 / 1) = 1000 shares', () => {
    expect(wantedSize({ riskPct: 1, stopLossPct: 2 }, 100_000, 50)).toEqual({ shares: 1000 });
    expect(wantedSize({ riskPct: 0.5, stopLossPct: 3 }, 52_000, 190)).toEqual({ shares: Math.floor(260 / 5.7) });
  });

  it('when the size is a percentage, then it is that share of equity in dollars (cents floored)', () => {
    expect(wantedSize({ size: { kind: 'equity_pct', value: 10 } }, 100_000.55)).toEqual({ dollars: 10_000.05 });
  });

  it('when equity is needed but missing, then undefined; dollars and shares need none', () => {
    expect(wantedSize({ size: { kind: 'equity_pct', value: 10 } })).toBeUndefined();
    expect(wantedSize({ riskPct: 1, stopLossPct: 2 }, undefined, 50)).toBeUndefined();
    expect(wantedSize({ size: { kind: 'dollars', value: 5000 } })).toEqual({ dollars: 5000 });
    expect(wantedSize({ size: { kind: 'shares', value: 25 } })).toEqual({ shares: 25 });
  });

  it('when asked which rows read the account and which typed dollars, then only % and risk_pct need equity', () => {
    expect(needsEquity({ size: { kind: 'equity_pct', value: 10 } })).toBe(true);
    expect(needsEquity({ riskPct: 1, stopLossPct: 2 })).toBe(true);
    expect(needsEquity({ size: { kind: 'dollars', value: 10 } })).toBe(false);
    expect(needsEquity({ size: { kind: 'shares', value: 10 } })).toBe(false);
    expect(typedDollars({ size: { kind: 'dollars', value: 10 } })).toBe(true);
    expect(typedDollars({ size: { kind: 'dollars', value: 10 }, riskPct: 1 })).toBe(false);
    expect(sizingProblem({ size: { kind: 'shares', value: 1 } })).toBeUndefined();
  });
});

describe('sizeEntry', () => {
  it('when dollars on a fractionable long, then a notional order; cut to the cap when given', () => {
    expect(sizeEntry({ direction: 'long', wanted: { dollars: 5000 }, asset: asset(), rules: alpaca })).toEqual({
      ok: true,
      side: 'buy',
      notional: 5000,
    });
    expect(sizeEntry({ direction: 'long', wanted: { dollars: 12_000 }, asset: asset(), rules: alpaca, cutAt: 10_000 })).toEqual({
      ok: true,
      side: 'buy',
      notional: 10_000,
      capped: 10_000,
    });
  });

  it('when shares on a fractionable long, then that quantity, fractions kept; a short or a non-fractionable asset floors', () => {
    expect(sizeEntry({ direction: 'long', wanted: { shares: 2.5 }, asset: asset(), price: 100, rules: alpaca })).toMatchObject({
      qty: 2.5,
    });
    expect(sizeEntry({ direction: 'short', wanted: { shares: 2.5 }, asset: asset(), price: 100, rules: alpaca })).toEqual({
      ok: true,
      side: 'sell',
      qty: 2,
    });
    const whole = asset({ fractionable: false });
    expect(sizeEntry({ direction: 'long', wanted: { shares: 2.5 }, asset: whole, price: 100, rules: alpaca })).toMatchObject({ qty: 2 });
  });

  it('when shares are worth more than the cap, then they are cut to the whole shares under it and capped says so', () => {
    const sized = sizeEntry({ direction: 'short', wanted: { shares: 100 }, asset: asset(), price: 190, rules: alpaca, cutAt: 10_000 });
    expect(sized).toEqual({ ok: true, side: 'sell', qty: 52, capped: 10_000 });
    expect(cappedNote(10_000)).toBe('capped at MAX_POSITION_USD $10,000');
    const long = sizeEntry({ direction: 'long', wanted: { shares: 100 }, asset: asset(), price: 190, rules: alpaca, cutAt: 10_000 });
    expect(long).toMatchObject({ qty: 52, capped: 10_000 }); // whole shares asked for stay whole
    const fraction = sizeEntry({ direction: 'long', wanted: { shares: 100.5 }, asset: asset(), price: 400, rules: alpaca, cutAt: 1000 });
    expect(fraction).toMatchObject({ qty: 2.5, capped: 1000 });
  });

  it('when the size is under one whole share, or the asset cannot be shorted, then it is refused with the reason', () => {
    expect(sizeEntry({ direction: 'short', wanted: { shares: 0.5 }, asset: asset(), price: 100, rules: alpaca })).toEqual({
      ok: false,
      reason: 'the size is less than 1 share of AAPL at $100',
    });
    expect(sizeEntry({ direction: 'short', wanted: { shares: 5 }, asset: asset({ shortable: false }), price: 100, rules: alpaca })).toEqual(
      {
        ok: false,
        reason: 'AAPL is not shortable',
      },
    );
    expect(sizeEntry({ direction: 'long', wanted: { shares: 5 }, asset: asset(), rules: alpaca })).toEqual({
      ok: false,
      reason: 'no price for AAPL',
    });
  });
});

describe('rowEntryShares', () => {
  it('when per-row, then whole shares of dollars or shares, cut to the cap when given', () => {
    expect(rowEntryShares({ dollars: 5000 }, 190)).toEqual({ shares: 26 });
    expect(rowEntryShares({ shares: 25.7 }, 190)).toEqual({ shares: 25 });
    expect(rowEntryShares({ shares: 100 }, 190, 10_000)).toEqual({ shares: 52, capped: 10_000 });
    expect(rowEntryShares({ shares: 10 }, 190, 10_000)).toEqual({ shares: 10 });
  });
});
