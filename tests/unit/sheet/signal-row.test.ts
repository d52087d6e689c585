import { SIGNALS_COLUMNS, signalOutcome, signalRow, type SignalRowInput } from '../../../src/domain/sheet/signal-row';

const base: SignalRowInput = {
  signalId: 'sig1',
  receivedAt: Date.UTC(2025, 0, 2, 15, 0, 0),
  signal: { action: 'long', symbol: 'AAPL', timeframe: '15m', timeframeLabel: '15', price: 200 },
  duplicate: false,
  orders: [],
};
const cells = (input: Partial<SignalRowInput>) =>
  Object.fromEntries(SIGNALS_COLUMNS.map((c, i) => [c, signalRow({ ...base, ...input }, 'America/Los_Angeles')[i]]));

describe('signalOutcome', () => {
  it('when the answer said duplicate, ignored, stale or halted, then that is the outcome whatever the row shows', () => {
    expect(signalOutcome({ duplicate: true, status: 'FILLED' })).toBe('duplicate');
    expect(signalOutcome({ duplicate: false, answerStatus: 'stale', status: 'FAILED' })).toBe('stale');
    expect(signalOutcome({ duplicate: false, answerStatus: 'halted', status: 'HALTED' })).toBe('halted');
    expect(signalOutcome({ duplicate: false, answerStatus: 'ignored', status: 'ignored' })).toBe('ignored');
  });

  it('when the outcome is decided, then the status word wins over the answer given while working', () => {
    expect(signalOutcome({ duplicate: false, answerStatus: 'ORDER SUBMITTED', status: 'FILLED' })).toBe('FILLED');
    expect(signalOutcome({ duplicate: false, answerStatus: 'accepted' })).toBe('accepted');
    expect(signalOutcome({ duplicate: false })).toBe('working');
  });
});

describe('signalRow', () => {
  it("when a strategy's partial exit says sell while staying long, then the action column shows the alert's SELL", () => {
    expect(
      cells({ signal: { ...base.signal, alertAction: 'short', strategy: { marketPosition: 'long', size: 50, prevSize: 100 } } }),
    ).toMatchObject({ action: 'SELL', market_position: 'long' });
  });

  it('when a buy fills above the alert price, then the row shows the fill and positive slippage in bps', () => {
    const row = cells({
      status: 'FILLED',
      latencyMs: 312,
      orders: [{ leg: 'open', side: 'buy', state: 'filled', clientOrderId: 'sig1-open', brokerId: 'b-1', filledAvgPrice: 200.5 }],
    });
    expect(row).toMatchObject({
      time: '2025-01-02 07:00:00 PST',
      symbol: 'AAPL',
      action: 'BUY',
      alert_price: '200',
      outcome: 'FILLED',
      order_ids: 'b-1',
      fill_price: '200.5',
      slippage_bps: '25.0',
      latency_ms: '312',
      signal_id: 'sig1',
    });
  });

  it(
    'when a flip filled both legs, then both order ids show and the opening ' +
      'fill is the one reported; a sell below the alert is positive slippage',
    () => {
      const row = cells({
        signal: { ...base.signal, action: 'short' },
        orders: [
          { leg: 'close', side: 'sell', state: 'filled', clientOrderId: 'c', brokerId: 'b-c', filledAvgPrice: 201 },
          { leg: 'open', side: 'sell', state: 'filled', clientOrderId: 'o', brokerId: 'b-o', filledAvgPrice: 199 },
        ],
      });
      expect(row).toMatchObject({ action: 'SELL', order_ids: 'b-c b-o', fill_price: '199', slippage_bps: '50.0' });
    },
  );

  it('when an order is not at the broker yet, then its client order id shows; no price means no slippage', () => {
    const row = cells({
      signal: { ...base.signal, price: undefined },
      orders: [{ leg: 'open', side: 'buy', state: 'filled', clientOrderId: 'sig1-open', filledAvgPrice: 10 }],
    });
    expect(row).toMatchObject({ order_ids: 'sig1-open', alert_price: '', fill_price: '10', slippage_bps: '' });
  });

  it(
    'when the alert carried a strategy position, then the column shows ' + 'the parsed word (a sentiment alias included); else it is blank',
    () => {
      expect(cells({ signal: { ...base.signal, strategy: { marketPosition: 'flat' } } }).market_position).toBe('flat');
      expect(cells({}).market_position).toBe('');
    },
  );

  it('when the alert was a duplicate, then it shows no orders or fill of the original', () => {
    const row = cells({ duplicate: true, orders: [{ leg: 'open', side: 'buy', state: 'filled', clientOrderId: 'x', filledAvgPrice: 1 }] });
    expect(row).toMatchObject({ outcome: 'duplicate', order_ids: '', fill_price: '', reason: 'this alert was already handled' });
  });
});
