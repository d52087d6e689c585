/** The kill switch: /halt, /resume, TRADING_ENABLED, HALT_BLOCKS_CLOSE, and a halt surviving a restart. */
import { API_TOKEN, startGuarded, type GuardedStack } from '../support/guarded-stack';

let stack: GuardedStack;
afterEach(async () => stack?.stop());

const BUY = { action: 'BUY', symbol: 'AAPL', timeframe: '15' };
const CLOSE = { action: 'CLOSE', symbol: 'AAPL', timeframe: '15' };
const halt = (reason?: string) => stack.call('/halt', { method: 'POST', token: API_TOKEN, body: reason ? JSON.stringify({ reason }) : undefined });
const statusOf = (symbol: string, tf: string) => stack.row(symbol, tf)['Order Status'];

describe('kill switch', () => {
  it('when halted, then a BUY is journaled, answered 200 halted, the row shows HALTED, and nothing is sent', async () => {
    stack = await startGuarded();
    expect((await halt('earnings')).body).toMatchObject({ status: 'halted', halted: true, reason: 'earnings' });
    const res = await stack.signal(BUY);
    expect(res).toMatchObject({ status: 200, body: { status: 'halted', reason: 'trading halted: earnings' } });
    expect(stack.alpaca.orders).toHaveLength(0);
    expect(stack.server.ctx.journal.getSignal(res.body.signal_id)).toMatchObject({ state: 'done', status: 'HALTED' });
    await stack.until(() => statusOf('AAPL', '15 Min') === 'HALTED', 'the HALTED row');
    expect(stack.alpaca.requests.some((r) => r.method === 'POST')).toBe(false);
  });

  it('when halted, then a CLOSE still closes the position', async () => {
    stack = await startGuarded();
    stack.alpaca.setPosition('AAPL', 10, 180);
    await halt();
    expect((await stack.signal(CLOSE)).body.status).toBe('ORDER SUBMITTED');
    expect(stack.alpaca.orders).toEqual([expect.objectContaining({ side: 'sell', qty: '10' })]);
    await stack.until(() => statusOf('AAPL', '15 Min') === 'WAITING', 'the WAITING row');
  });

  it('when HALT_BLOCKS_CLOSE=true, then a CLOSE is halted too and nothing is sent', async () => {
    stack = await startGuarded({ env: { HALT_BLOCKS_CLOSE: 'true' } });
    stack.alpaca.setPosition('AAPL', 10, 180);
    await halt();
    expect((await stack.signal(CLOSE)).body.status).toBe('halted');
    expect(stack.alpaca.orders).toHaveLength(0);
  });

  it('when halted and a SELL would flip a long, then the long is closed, no short is opened, and the row is HALTED with the reason', async () => {
    stack = await startGuarded();
    stack.alpaca.setPosition('AAPL', 10, 180);
    await halt();
    const res = await stack.signal({ action: 'SELL', symbol: 'AAPL', timeframe: '15' });
    expect(res.body).toMatchObject({ status: 'halted', reason: expect.stringMatching(/^trading halted: POST \/halt; closing the position/), order_ids: [expect.any(String)] });
    await stack.until(() => statusOf('AAPL', '15 Min') === 'HALTED', 'the HALTED row');
    expect(stack.alpaca.orders).toEqual([expect.objectContaining({ side: 'sell', qty: '10' })]);
    expect(stack.alpaca.positions()).toEqual([]);
  });

  it('when the server restarts while halted, then it is still halted; /resume lifts it', async () => {
    stack = await startGuarded();
    await halt('overnight');
    await stack.restart();
    expect((await stack.signal({ ...BUY, id: 'after-restart' })).body.status).toBe('halted');
    expect(stack.alpaca.orders).toHaveLength(0);
    expect((await stack.call('/halt', { token: API_TOKEN })).body).toMatchObject({ halted: true, reason: 'overnight' });
    expect((await stack.call('/resume', { method: 'POST', token: API_TOKEN })).body).toMatchObject({ status: 'trading', halted: false });
    expect((await stack.signal({ ...BUY, id: 'after-resume' })).body.status).toBe('ORDER SUBMITTED');
  });

  it('when TRADING_ENABLED=false, then the server starts halted, and a restart with true does not lift a halt', async () => {
    stack = await startGuarded({ env: { TRADING_ENABLED: 'false' } });
    expect((await stack.signal({ ...BUY, id: 'a' })).body).toMatchObject({ status: 'halted', reason: 'trading halted: TRADING_ENABLED=false' });
    await stack.restart({ TRADING_ENABLED: 'true' });
    expect((await stack.signal({ ...BUY, id: 'b' })).body.status).toBe('halted');
    expect(stack.alpaca.orders).toHaveLength(0);
  });

  it('when /halt or /resume come without the token, then nothing changes', async () => {
    stack = await startGuarded();
    expect((await stack.call('/halt', { method: 'POST' })).status).toBe(401);
    expect((await stack.signal({ ...BUY, id: 'c' })).body.status).toBe('ORDER SUBMITTED');
    await halt();
    expect((await stack.call('/resume', { method: 'POST', token: 'x'.repeat(30) })).status).toBe(401);
    expect((await stack.signal({ action: 'BUY', symbol: 'MSFT', timeframe: '15' })).body.status).toBe('halted');
    expect(stack.alpaca.orders).toHaveLength(1);
  });
});
