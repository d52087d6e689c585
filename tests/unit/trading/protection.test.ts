import { parseConfigTable } from '../../../src/domain/trading/config-table';
import { exitName, parsePct, planProtection as planWith, type ProtectionSettings } from '../../../src/domain/trading/protection';
import { assetRules, roundToTick } from '../../../src/domain/trading/broker-rules';
import { ALPACA_RULES } from '../../../src/adapters/alpaca/rules';

const rules = assetRules(ALPACA_RULES);
/** Protection planned under Alpaca's rules. */
const planProtection = (settings: ProtectionSettings, held: 'long' | 'short', entry: number, qty: number) =>
  planWith(settings, held, entry, qty, rules);

const HEADER = ['symbol', 'position_size', 'active', 'Time Frame', 'stop_loss_pct', 'take_profit_pct', 'trail_pct'];
const rowOf = (...cells: string[]) => parseConfigTable([HEADER, ['AAPL', '5000', 'TRUE', '15 Min', ...cells]]).rows[0];

describe('protection columns', () => {
  it('when the cells are blank, then the row asks for no protection', () => {
    expect(rowOf('', '', '').protection).toBeUndefined();
    expect(rowOf('', '', '').problem).toBeUndefined();
  });

  it('when the cells hold percentages, then they are read, with or without a % sign', () => {
    expect(rowOf('2', '4.5%', '').protection).toEqual({ stopLossPct: 2, takeProfitPct: 4.5 });
  });

  it.each([['0'], ['-2'], ['50'], ['abc'], ['=1+1']])('when a cell says %s, then the row has a problem naming the column', (bad) => {
    expect(rowOf('', '', bad).problem).toBe(`trail_pct "${bad}" must be a positive number under 50`);
  });

  it('when a percentage is just under 50, then it is accepted', () => {
    expect(parsePct('stop_loss_pct', '49.9')).toEqual({ pct: 49.9 });
  });
});

/** The OCO pair planProtection rests for a stop and a target. */
const ocoPair = (side: 'buy' | 'sell', qty: number, stopPrice: number, limitPrice: number) => ({
  kind: 'oco',
  leg: 'tp',
  side,
  qty,
  stopPrice,
  limitPrice,
});

describe('planProtection', () => {
  it('when a long asks for a stop and a target, then both rest as one sell OCO pair at tick-rounded prices', () => {
    expect(planProtection({ stopLossPct: 2, takeProfitPct: 5 }, 'long', 199.9833, 25.7).orders[0]).toEqual(
      ocoPair('sell', 25, 195.98, 209.98),
    );
  });

  it('when a short asks for a stop and a target, then the prices mirror: the stop above, the target below, bought back', () => {
    expect(planProtection({ stopLossPct: 2, takeProfitPct: 5 }, 'short', 100, 10).orders[0]).toEqual(ocoPair('buy', 10, 102, 95));
  });

  it('when only a stop or only a target is asked for, then one single order rests', () => {
    expect(planProtection({ stopLossPct: 10 }, 'long', 50, 3).orders[0]).toEqual({
      kind: 'stop',
      leg: 'sl',
      side: 'sell',
      qty: 3,
      stopPrice: 45,
    });
    expect(planProtection({ takeProfitPct: 10 }, 'long', 50, 3).orders[0]).toEqual({
      kind: 'limit',
      leg: 'tp',
      side: 'sell',
      qty: 3,
      limitPrice: 55,
    });
  });

  it('when a trail comes with a stop and a target, then the trailing stop wins and the note says so', () => {
    const planned = planProtection({ stopLossPct: 2, takeProfitPct: 5, trailPct: 3 }, 'long', 100, 4);
    expect(planned.orders).toEqual([{ kind: 'trailing_stop', leg: 'trail', side: 'sell', qty: 4, trailPercent: 3 }]);
    expect(planned.note).toBe('trailing stop 3% wins over stop_loss_pct and take_profit_pct');
  });

  it('when less than one whole share is held, then nothing is planned', () => {
    expect(planProtection({ stopLossPct: 2 }, 'long', 100, 0.6).orders).toEqual([]);
  });

  it('when the broker rests fractional exits, then every share held is covered, on its ticks', () => {
    const fractional = { ...rules, ticksPerDollar: () => 10, fractionalResting: true };
    expect(planWith({ stopLossPct: 2 }, 'long', 100, 0.6, fractional).orders[0]).toEqual({
      kind: 'stop',
      leg: 'sl',
      side: 'sell',
      qty: 0.6,
      stopPrice: 98,
    });
    expect(planWith({ stopLossPct: 2.5 }, 'long', 100, 0.6, fractional).orders[0]).toMatchObject({ stopPrice: 97.5 });
  });

  it("when prices are under $1, then Alpaca's rules round them to $0.0001; at $1 and above to $0.01", () => {
    expect(roundToTick(0.123456, rules)).toBe(0.1235);
    expect(roundToTick(1.23456, rules)).toBe(1.23);
  });

  it('names what filled from the order type', () => {
    expect([exitName('stop'), exitName('limit'), exitName('trailing_stop')]).toEqual(['stop loss', 'take profit', 'trailing stop']);
  });
});

describe('planProtection for crypto', () => {
  const crypto = assetRules(ALPACA_RULES, 'crypto');

  it('when a crypto long asks for a stop and a target, then a stop_limit 1% below the stop and a limit target rest apart', () => {
    expect(planWith({ stopLossPct: 2, takeProfitPct: 5 }, 'long', 50_000, 0.09975, crypto, 1).orders).toEqual([
      { kind: 'stop_limit', leg: 'sl', side: 'sell', qty: 0.09975, stopPrice: 49_000, limitPrice: 48_510 },
      { kind: 'limit', leg: 'tp', side: 'sell', qty: 0.09975, limitPrice: 52_500 },
    ]);
  });

  it('when CRYPTO_STOP_LIMIT_PCT is 2.5, then the stop limit sits 2.5% beyond the trigger', () => {
    expect(planWith({ stopLossPct: 10 }, 'long', 2000, 1.5, crypto, 2.5).orders).toEqual([
      { kind: 'stop_limit', leg: 'sl', side: 'sell', qty: 1.5, stopPrice: 1800, limitPrice: 1755 },
    ]);
  });

  it('when a crypto row asks for a trailing stop, then nothing is planned and the problem says why', () => {
    const planned = planWith({ trailPct: 3 }, 'long', 50_000, 0.1, crypto);
    expect(planned.orders).toEqual([]);
    expect(planned.problem).toMatch(/trailing stops are not offered/);
  });

  it('when a crypto asset is traded, then the rules say: never short, fractional exits, no OCO', () => {
    expect(crypto).toMatchObject({
      shorts: false,
      fractionalResting: true,
      ocoPairs: false,
      restingStop: 'stop_limit',
      trailingStops: false,
    });
    expect(roundToTick(0.123456789, crypto)).toBe(0.123456789);
    expect(roundToTick(2345.678, crypto)).toBe(2345.68);
  });
});
