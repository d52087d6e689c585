/** GET /signals: the journal's signals, newest first, with status, reason, orders and fills; token only. */
import { API_TOKEN, startGuarded, type GuardedStack } from '../../support/guarded-stack';

jest.setTimeout(30_000);

let stack: GuardedStack;
beforeAll(async () => {
  stack = await startGuarded();
  await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15', price: '189.05' });
  await stack.signal({ action: 'BUY', symbol: 'NVDA', timeframe: '15' });
  await stack.signal({ action: 'CLOSE', symbol: 'MSFT', timeframe: '15' });
  await stack.until(() => stack.server.ctx.journal.workingSignals().length === 0, 'every signal decided');
});
afterAll(async () => stack?.stop());

const get = (query = '', token = API_TOKEN) => stack.call(`/signals${query}`, { token });

describe('GET /signals', () => {
  it('when called with the token, then it lists the signals newest first with status, reason, orders and fills', async () => {
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.body.signals.map((s: { symbol: string }) => s.symbol)).toEqual(['MSFT', 'NVDA', 'AAPL']);
    const [msft, nvda, aapl] = res.body.signals;
    expect(msft).toMatchObject({ status: 'WAITING', action: 'close', orders: [], fills: [] });
    expect(nvda).toMatchObject({ status: 'ignored', reason: 'no Config row for NVDA 15' });
    expect(aapl).toMatchObject({ status: 'FILLED', price: 189.05, orders: [{ leg: 'open', side: 'buy', state: 'filled' }] });
    expect(aapl.fills).toEqual([expect.objectContaining({ side: 'buy', price: 190, slippage_bps: 50.3 })]);
    expect(aapl.orders[0].order_id).toEqual(aapl.fills[0].order_id);
  });

  it('when limit, symbol and since are given, then only those signals come back', async () => {
    expect((await get('?limit=2')).body.signals).toHaveLength(2);
    expect((await get('?symbol=aapl')).body.signals.map((s: { symbol: string }) => s.symbol)).toEqual(['AAPL']);
    expect((await get('?since=2999-01-01T00:00:00Z')).body).toEqual({ count: 0, signals: [] });
    expect((await get('?since=2000-01-01&symbol=NASDAQ:MSFT')).body.count).toBe(1);
  });

  it('when a parameter is bad, then 400 says which, and nothing else is returned', async () => {
    for (const q of [
      '?limit=0',
      '?limit=1001',
      '?limit=abc',
      '?limit=5.5',
      '?since=yesterday',
      '?since=2025-13-45T00:00:00Z',
      '?symbol=%3DCMD()',
      '?symbol=A&symbol=B',
      '?order=desc',
    ]) {
      const res = await get(q);
      expect([q, res.status]).toEqual([q, 400]);
      expect(typeof res.body.error).toBe('string');
    }
  });

  it('when called without the token or with a wrong one, then 401', async () => {
    expect((await get('', '')).status).toBe(401);
    expect((await get('', 'not-the-token-000000')).status).toBe(401);
  });
});
