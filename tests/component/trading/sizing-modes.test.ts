/**
 * The position_size forms (dollars, shares, a percentage of equity) and
 * risk_pct, end to end over HTTP against the fake Alpaca (AAPL at $190,
 * equity = the fake's cash while flat), with MAX_POSITION_USD cutting a
 * computed size and the row saying so.
 */
import { startPerRow, PER_ROW_HEADER } from '../../support/per-row';
import { startStack, type Stack } from '../../support/stack';

let stack: Stack;
afterEach(async () => stack?.stop());

const HEADER = ['symbol', 'position_size', 'active', 'Time Frame', 'stop_loss_pct', 'risk_pct', 'Order Status', 'Reason'];
/** A stack whose Config has one AAPL 15 Min row with these cells. */
const startWith = (size: string, more: { stop?: string; risk?: string; env?: Record<string, string>; cash?: number } = {}) =>
  startStack({
    config: [HEADER, ['AAPL', size, 'TRUE', '15 Min', more.stop ?? '', more.risk ?? '', 'READY', '']],
    env: more.env,
    alpaca: more.cash === undefined ? undefined : { cash: more.cash },
  });
const accountReads = () => stack.alpaca.requests.filter((r) => r.method === 'GET' && r.path === '/v2/account').length;

describe('position_size forms (shared positions)', () => {
  it('when position_size is dollars, then it buys that notional and the account is not read for it', async () => {
    stack = await startWith('$5,000');
    const before = accountReads();
    const res = await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
    expect(res.body).toMatchObject({ status: 'ORDER SUBMITTED', amount: 5000 });
    expect(stack.orderLines()).toEqual(['buy $5000']);
    await stack.waitRow('AAPL', '15 Min', { 'Order Status': 'FILLED', Reason: '' });
    expect(accountReads()).toBe(before);
  });

  it('when position_size is "25 shares", then it buys 25 shares; "25 sh" shorts 25', async () => {
    stack = await startWith('25 shares');
    await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
    await stack.waitStatus('AAPL', '15 Min', 'FILLED');
    expect(stack.orderLines()).toEqual(['buy 25']);
    await stack.stop();
    stack = await startWith('25 sh');
    await stack.signal({ action: 'SELL', symbol: 'AAPL', timeframe: '15' });
    await stack.waitStatus('AAPL', '15 Min', 'FILLED');
    expect(stack.orderLines()).toEqual(['sell 25']);
  });

  it('when position_size is fractional shares and the signal shorts, then the short is whole shares', async () => {
    stack = await startWith('2.5 shares');
    await stack.signal({ action: 'SELL', symbol: 'AAPL', timeframe: '15' });
    await stack.waitStatus('AAPL', '15 Min', 'FILLED');
    expect(stack.orderLines()).toEqual(['sell 2']);
  });

  it('when position_size is 10%, then it buys 10% of the account equity read at the signal', async () => {
    stack = await startWith('10%', { cash: 50_000 });
    const before = accountReads();
    await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
    await stack.waitStatus('AAPL', '15 Min', 'FILLED');
    expect(stack.orderLines()).toEqual(['buy $5000']);
    expect(accountReads()).toBeGreaterThan(before);
  });

  it('when risk_pct is 1 with a 2% stop, then it buys floor(equity × 1% / ($190 × 2%)) whole shares and the stop rests', async () => {
    stack = await startWith('', { stop: '2', risk: '1' });
    await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
    await stack.waitStatus('AAPL', '15 Min', 'FILLED');
    expect(stack.orderLines()[0]).toBe(`buy ${Math.floor(1000 / 3.8)}`); // 263 shares: a stop-out loses about $1,000
    await stack.waitResting(1);
  });

  it('when risk_pct is set without stop_loss_pct, then the row is FAILED "risk_pct needs stop_loss_pct" and nothing is sent', async () => {
    stack = await startWith('$5,000', { risk: '1' });
    const res = await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
    expect(res.body).toMatchObject({ status: 'FAILED', reason: expect.stringMatching(/^risk_pct needs stop_loss_pct/) });
    await stack.waitRow('AAPL', '15 Min', { 'Order Status': 'FAILED', Reason: /^risk_pct needs stop_loss_pct/ });
    expect(stack.alpaca.orders).toHaveLength(0);
  });

  it('when position_size cannot be read, then the row is FAILED naming position_size with an example of a good value', async () => {
    stack = await startWith('25 lots');
    const res = await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
    expect(res.body).toMatchObject({
      status: 'FAILED',
      reason: expect.stringMatching(/^position_size "25 lots" is not understood: .*25 shares.*10%/),
    });
    await stack.waitRow('AAPL', '15 Min', { 'Order Status': 'FAILED', Reason: /^position_size "25 lots"/ });
    expect(stack.alpaca.orders).toHaveLength(0);
  });

  it('when shares are worth more than MAX_POSITION_USD, then the order is cut to the cap and the row says "capped at"', async () => {
    stack = await startWith('100 shares', { env: { MAX_POSITION_USD: '10000' } });
    await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
    await stack.waitRow('AAPL', '15 Min', { 'Order Status': 'FILLED', Reason: 'capped at MAX_POSITION_USD $10,000' });
    expect(stack.orderLines()).toEqual(['buy 52']); // floor(10000 / 190)
  });

  it('when 20% of equity is more than MAX_POSITION_USD, then the notional is the cap, through a flip too', async () => {
    stack = await startWith('20%', { env: { MAX_POSITION_USD: '10000' } });
    stack.alpaca.setPosition('AAPL', -5, 190);
    await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
    await stack.waitRow('AAPL', '15 Min', { 'Order Status': 'FILLED', Reason: 'capped at MAX_POSITION_USD $10,000' });
    expect(stack.orderLines()).toEqual(['buy 5', 'buy $10000']);
  });

  it('when typed dollars are over MAX_POSITION_USD, then it is still refused whole, as before', async () => {
    stack = await startWith('$12,000', { env: { MAX_POSITION_USD: '10000' } });
    const res = await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
    expect(res.body).toMatchObject({ status: 'FAILED', reason: 'order of $12,000 is over MAX_POSITION_USD $10,000' });
    expect(stack.alpaca.orders).toHaveLength(0);
  });
});

describe('position_size forms (POSITION_MODE=per-row)', () => {
  const config = [PER_ROW_HEADER, ['AAPL', '25 shares', 'TRUE', '15 Min', '', '', ''], ['AAPL', '10%', 'TRUE', '30 Min', '', '', '']];

  it('when rows size by shares and by % of equity, then each row gets its own size; the cap cuts and the row says so', async () => {
    stack = await startPerRow({ MAX_POSITION_USD: '8000' }, { config });
    await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '30' }); // 10% of $100,000 at $100 = 100 shares, cut to 80
    await stack.waitRow('AAPL', '30 Min', { 'Order Status': 'FILLED', Reason: 'capped at MAX_POSITION_USD $8,000', Position: '80' });
    await stack.stop();
    stack = await startPerRow({}, { config });
    await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
    await stack.waitRow('AAPL', '15 Min', { 'Order Status': 'FILLED', Position: '25' });
    await stack.signal({ action: 'SELL', symbol: 'AAPL', timeframe: '30' });
    await stack.waitRow('AAPL', '30 Min', { 'Order Status': 'FILLED', Position: '-100' });
    expect(stack.orderLines()).toEqual(['buy 25', 'sell 25', 'sell 75']);
  });
});
