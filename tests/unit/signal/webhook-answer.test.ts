import type { SignalSummary } from '../../../src/app/outcome';
import { toHttp } from '../../../src/http/routes/webhook';

const about: SignalSummary = { signal_id: 's1', action: 'short', symbol: 'AAPL', timeframe: '15 Min', amount: 5000 };

describe('toHttp: a signal outcome as the webhook answer', () => {
  it('when the signal could not be recorded, then 500, the one answer that invites a resend', () => {
    expect(toHttp({ kind: 'not_recorded', error: 'disk full' })).toEqual({ status: 500, body: { status: 'error', error: 'disk full' } });
  });
  it('when an order was accepted, then 200 ORDER SUBMITTED with the order ids and size', () => {
    expect(toHttp({ kind: 'submitted', about, orderIds: ['o1'], qty: 26 })).toEqual({
      status: 200,
      body: { status: 'ORDER SUBMITTED', ...about, order_ids: ['o1'], qty: 26, notional: undefined },
    });
  });
  it('when a brake refused the entry of a reversal, then 200 with the refusal and the close that still went', () => {
    expect(
      toHttp({ kind: 'refused', about, answer: 'halted', reason: 'trading halted: x; closing the position', orderIds: ['c1'] }).body,
    ).toEqual({ status: 'halted', ...about, reason: 'trading halted: x; closing the position', order_ids: ['c1'] });
  });
  it('when nothing was to be sent, or it is a duplicate or still working, then 200 with the word', () => {
    expect(toHttp({ kind: 'settled', about, status: 'ALREADY SHORT', reason: 'already short 5' }).body).toMatchObject({
      status: 'ALREADY SHORT',
      reason: 'already short 5',
    });
    expect(toHttp({ kind: 'duplicate', signalId: 's1' })).toEqual({ status: 200, body: { status: 'duplicate', signal_id: 's1' } });
    expect(toHttp({ kind: 'still_working', signalId: 's1' }).body).toMatchObject({ status: 'accepted' });
    expect(toHttp({ kind: 'ignored', about, reason: 'no row' }).body).toMatchObject({ status: 'ignored', reason: 'no row' });
  });
});
