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
    expect(planProtection({ stopLossPct: 2, takeProfitPct: 5 }, 'long', 199.9833, 25.7).order).toEqual(ocoPair('sell', 25, 195.98, 209.98));
  });

  it('when a short asks for a stop and a target, then the prices mirror: the stop above, the target below, bought back', () => {
    expect(planProtection({ stopLossPct: 2, takeProfitPct: 5 }, 'short', 100, 10).order).toEqual(ocoPair('buy', 10, 102, 95));
  });

  it('when only a stop or only a target is asked for, then one single order rests', () => {
    expect(planProtection({ stopLossPct: 10 }, 'long', 50, 3).order).toEqual({
      kind: 'stop',
      leg: 'sl',
      side: 'sell',
      qty: 3,
      stopPrice: 45,
    });
    expect(planProtection({ takeProfitPct: 10 }, 'long', 50, 3).order).toEqual({
      kind: 'limit',
      leg: 'tp',
      side: 'sell',
      qty: 3,
      limitPrice: 55,
    });
  });

  it('when a trail comes with a stop and a target, then the trailing stop wins and the note says so', () => {
    const planned = planProtection({ stopLossPct: 2, takeProfitPct: 5, trailPct: 3 }, 'long', 100, 4);
    expect(planned.order).toEqual({ kind: 'trailing_stop', leg: 'trail', side: 'sell', qty: 4, trailPercent: 3 });
    expect(planned.note).toBe('trailing stop 3% wins over stop_loss_pct and take_profit_pct');
  });

  it('when less than one whole share is held, then nothing is planned', () => {
    expect(planProtection({ stopLossPct: 2 }, 'long', 100, 0.6).order).toBeUndefined();
  });

  it('when the broker rests fractional exits, then every share held is covered, on its ticks', () => {
    const fractional = { ticksPerDollar: () => 10, fractionalShorts: false, fractionalResting: true };
    expect(planWith({ stopLossPct: 2 }, 'long', 100, 0.6, fractional).order).toEqual({
      kind: 'stop',
      leg: 'sl',
      side: 'sell',
      qty: 0.6,
      stopPrice: 98,
    });
    expect(planWith({ stopLossPct: 2.5 }, 'long', 100, 0.6, fractional).order).toMatchObject({ stopPrice: 97.5 });
  });

  it("when prices are under $1, then Alpaca's rules round them to $0.0001; at $1 and above to $0.01", () => {
    expect(roundToTick(0.123456, rules)).toBe(0.1235);
    expect(roundToTick(1.23456, rules)).toBe(1.23);
  });

  it('names what filled from the order type', () => {
    expect([exitName('stop'), exitName('limit'), exitName('trailing_stop')]).toEqual(['stop loss', 'take profit', 'trailing stop']);
  });
});
