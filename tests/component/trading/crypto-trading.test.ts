/**
 * Crypto end to end: the real server and the real Alpaca SDK against the
 * fake, which writes BTC/USD with its slash on orders and without it
 * (BTCUSD) on positions and fills, takes its fee from the coins bought,
 * trades crypto while the stock market is closed, and refuses what Alpaca
 * refuses for crypto. The Config row names the pair as the trader writes it.
 */
import { callAlpaca } from '../../support/alpaca-broker';
import { newYorkClock } from '../../support/new-york-clock';
import { API_TOKEN } from '../../support/stack';
import { PROTECTION_HEADER, protectionSuite } from '../../support/protection-stack';

const { stack, start, resting } = protectionSuite();

/** A Config with one active BTCUSD 15 Min row of $5,000, with the stop, target and trail cells given, and an AAPL row. */
const cryptoConfig = (sl = '', tp = '', trail = '') => [
  PROTECTION_HEADER,
  ['BTCUSD', '5000', 'TRUE', '15 Min', sl, tp, trail, '', ''],
  ['AAPL', '5000', 'TRUE', '15 Min', '', '', '', '', ''],
];

const waitBtc = (status: string, reason?: string | RegExp) => stack.waitRow('BTCUSD', '15 Min', { 'Order Status': status, Reason: reason });
const btcQty = () => stack.brokerQty('BTCUSD');

/** Buys the row's $5,000 of BTC at $50,000 and waits for FILLED: 0.1 BTC ordered, 0.09975 held after the fee. */
async function buyBtc(symbol = 'COINBASE:BTCUSD', id = 'c1'): Promise<void> {
  stack.alpaca.setPrice('BTC/USD', 50_000);
  const answer = await stack.signal({ action: 'buy', symbol, timeframe: '15', id });
  expect(answer.body).toMatchObject({ status: 'ORDER SUBMITTED', symbol: 'BTC/USD' });
  await waitBtc('FILLED');
  expect(btcQty()).toBeCloseTo(0.09975, 9);
}

describe('crypto', () => {
  it(
    'when a COINBASE:BTCUSD alert buys a BTCUSD row with a stop and a target, then a GTC stop_limit and a GTC limit rest for ' +
      'the coins held; when the stop fills, the bot cancels the target and the row shows the stop',
    async () => {
      await start({ config: cryptoConfig('2', '5') });
      await buyBtc();
      const [entry] = stack.alpaca.orders;
      expect(entry).toMatchObject({ symbol: 'BTC/USD', side: 'buy', notional: '5000', time_in_force: 'gtc', asset_class: 'crypto' });
      await stack.waitResting(2);
      const stop = resting().find((o) => o.type === 'stop_limit')!;
      const target = resting().find((o) => o.type === 'limit')!;
      expect(stop).toMatchObject({ side: 'sell', qty: '0.09975', stop_price: '49000', limit_price: '48510', time_in_force: 'gtc' });
      expect(stop.client_order_id).toMatch(/-sl$/);
      expect(target).toMatchObject({ side: 'sell', qty: '0.09975', limit_price: '52500', time_in_force: 'gtc', order_class: '' });
      expect(target.client_order_id).toMatch(/-tp$/);

      stack.alpaca.setPrice('BTC/USD', 48_900);
      await waitBtc('WAITING', 'stop loss filled at $48900.00');
      expect(btcQty()).toBe(0);
      await stack.waitResting(0);
      // The price never reached the target: the bot cancelled it, as Alpaca pairs nothing for crypto.
      expect(stack.alpaca.orders.find((o) => o.id === target.id)!.status).toBe('canceled');
    },
  );

  it('when a BTC/USD alert closes a BTCUSD row, then protection goes first; the sale is what the broker holds after the fee', async () => {
    await start({ config: cryptoConfig('2', '5') });
    await buyBtc();
    await stack.waitResting(2);
    const answer = await stack.signal({ action: 'close', symbol: 'BTC/USD', timeframe: '15', id: 'c2' });
    expect(answer.body.status).toBe('ORDER SUBMITTED');
    await waitBtc('WAITING');
    expect(btcQty()).toBe(0);
    const sale = stack.alpaca.orders.filter((o) => o.type === 'market' && o.side === 'sell');
    expect(sale).toEqual([expect.objectContaining({ qty: '0.09975', status: 'filled', time_in_force: 'gtc' })]);
    expect(resting()).toEqual([]);
  });

  it('when a crypto row gets a SELL while long, then the long is closed, nothing is shorted, and the row waits', async () => {
    await start({ config: cryptoConfig() });
    await buyBtc();
    const answer = await stack.signal({ action: 'sell', symbol: 'BTCUSD', timeframe: '15', id: 'c3' });
    expect(answer.body).toMatchObject({ status: 'WAITING', reason: expect.stringMatching(/^crypto can't be sold short/) });
    await waitBtc('WAITING', /crypto can't be sold short/);
    expect(btcQty()).toBe(0);
    expect(stack.orderLines(true)).toEqual(['buy $5000 filled', 'sell 0.09975 filled']);

    const flat = await stack.signal({ action: 'sell', symbol: 'BTCUSD', timeframe: '15', id: 'c4' });
    expect(flat.body).toMatchObject({ status: 'WAITING', reason: "crypto can't be sold short" });
    expect(stack.alpaca.orders).toHaveLength(2);
  });

  it('when the stock market is closed, then crypto still trades, while a stock row is refused "market closed"', async () => {
    await start({ config: cryptoConfig() });
    stack.alpaca.closeMarket();
    await buyBtc();
    const stock = await stack.signal({ action: 'buy', symbol: 'AAPL', timeframe: '15', id: 'c5' });
    expect(stock.body).toMatchObject({ status: 'FAILED', reason: 'market closed' });
  });

  it("when the row's size is under the asset's min_order_size, then the row is FAILED naming the minimum; nothing is sent", async () => {
    await start({ config: cryptoConfig() });
    stack.alpaca.setAsset('BTC/USD', { min_order_size: 1 });
    stack.alpaca.setPrice('BTC/USD', 50_000);
    const answer = await stack.signal({ action: 'buy', symbol: 'BTCUSD', timeframe: '15', id: 'c6' });
    expect(answer.body).toMatchObject({ status: 'FAILED', reason: "order of 0.1 BTC/USD is under the asset's min_order_size 1" });
    await waitBtc('FAILED', /min_order_size 1/);
    expect(stack.alpaca.orders).toEqual([]);
  });

  it('when a crypto row has trail_pct, then the row is FAILED: trailing stops are not offered for crypto', async () => {
    await start({ config: cryptoConfig('', '', '3') });
    const answer = await stack.signal({ action: 'buy', symbol: 'BTCUSD', timeframe: '15', id: 'c7' });
    expect(answer.body).toMatchObject({ status: 'FAILED', reason: "trailing stops aren't offered for crypto" });
    await waitBtc('FAILED', "trailing stops aren't offered for crypto");
    expect(stack.alpaca.orders).toEqual([]);
  });

  it('when Alpaca reports the position as BTCUSD and its orders as BTC/USD, then GET /positions shows one BTC/USD, protected', async () => {
    await start({ config: cryptoConfig('2', '5') });
    await buyBtc('BTCUSD');
    await stack.waitResting(2);
    expect(stack.alpaca.positions()[0].symbol).toBe('BTCUSD');
    const shown = await stack.call('/positions', { headers: { Authorization: `Bearer ${API_TOKEN}` } });
    const positions = shown.body as Array<{ symbol: string; qty: number; protection: string }>;
    expect(positions).toEqual([expect.objectContaining({ symbol: 'BTC/USD', qty: 0.09975 })]);
    expect(positions[0].protection).toMatch(/^stop 49000\.00 \(limit 48510\.00\) \[order .+\]; target 52500\.00 \[order .+\]$/);
    // A second BUY finds the long, whichever way Alpaca spelled it.
    const again = await stack.signal({ action: 'buy', symbol: 'BTC/USD', timeframe: '15', id: 'c8' });
    expect(again.body.status).toBe('ALREADY LONG');
  });

  it('when the stop fills while the bot is down, then at the restart its target is cancelled and the row shows the stop', async () => {
    await start({ config: cryptoConfig('2', '5') });
    await buyBtc();
    await stack.waitResting(2);
    await stack.restart(undefined, () => stack.alpaca.setPrice('BTC/USD', 48_900));
    await stack.waitResting(0);
    await waitBtc('WAITING', 'stop loss filled at $48900.00');
    expect(stack.alpaca.orders.filter((o) => o.type === 'limit').map((o) => o.status)).toEqual(['canceled']);
  });

  it('when one order of the pair is gone after a restart, then the bot places the pair again, both for the coins held', async () => {
    await start({ config: cryptoConfig('2', '5') });
    await buyBtc();
    await stack.waitResting(2);
    const target = resting().find((o) => o.type === 'limit')!;
    await stack.restart(undefined, async () => {
      expect((await callAlpaca(stack.alpaca, 'DELETE', `/v2/orders/${String(target.id)}`)).status).toBe(204);
    });
    await stack.until(
      () => resting().length === 2 && !resting().some((o) => o.id === target.id),
      () => `a new pair (resting: ${JSON.stringify(resting().map((o) => [o.type, o.client_order_id]))})`,
    );
    expect(resting().map((o) => [o.type, o.qty, o.client_order_id])).toEqual([
      ['stop_limit', '0.09975', expect.stringMatching(/-sl2$/)],
      ['limit', '0.09975', expect.stringMatching(/-tp2$/)],
    ]);
  });

  it('when POSITION_MODE=per-row, then a crypto row is FAILED: its row books hold whole shares, and nothing is sent', async () => {
    await start({ config: cryptoConfig(), env: { POSITION_MODE: 'per-row' } });
    stack.alpaca.setPrice('BTC/USD', 50_000);
    const answer = await stack.signal({ action: 'buy', symbol: 'BTCUSD', timeframe: '15', id: 'c9' });
    expect(answer.body).toMatchObject({ status: 'FAILED', reason: 'crypto trades with POSITION_MODE=shared only' });
    expect(stack.alpaca.orders).toEqual([]);
  });

  it('when the fills come back as BTCUSD, then the Performance tab counts the round trip under BTC/USD, closed', async () => {
    await start({ config: cryptoConfig() });
    await buyBtc();
    stack.alpaca.setPrice('BTC/USD', 51_000);
    await stack.signal({ action: 'close', symbol: 'BTCUSD', timeframe: '15', id: 'c10' });
    await waitBtc('WAITING');
    expect(stack.alpaca.activities().map((a) => a.symbol)).toEqual(['BTCUSD', 'BTCUSD']);
    const performance = await stack.call('/performance', { headers: { Authorization: `Bearer ${API_TOKEN}` } });
    const rows = performance.body.rows as Array<{ symbol: string; totalTrades: number; openQty: number; totalPnl: number }>;
    expect(rows.filter((r) => r.symbol !== 'TOTAL')).toEqual([
      expect.objectContaining({ symbol: 'BTC/USD', totalTrades: 1, openQty: 0, totalPnl: 99.75 }),
    ]);
  });

  it('when a crypto row is a limit row with extended_hours in pre-market, then a GTC limit goes 0.1% over the last trade', async () => {
    const header = ['symbol', 'position_size', 'active', 'Time Frame', 'order_type', 'extended_hours', 'Order Status', 'Reason'];
    // 08:00 New York on a Wednesday: pre-market by the calendar, where a stock row would send an extended-hours DAY limit.
    await start({
      config: [header, ['BTCUSD', '5000', 'TRUE', '15 Min', 'limit', 'TRUE', '', '']],
      clock: newYorkClock('2025-10-08', '08:00'),
    });
    stack.alpaca.setSession('pre');
    stack.alpaca.setPrice('BTC/USD', 50_000);
    await stack.signal({ action: 'buy', symbol: 'BTCUSD', timeframe: '15', id: 'c11' });
    await waitBtc('FILLED');
    expect(stack.alpaca.orders).toEqual([
      expect.objectContaining({ type: 'limit', time_in_force: 'gtc', extended_hours: false, limit_price: '50050', qty: '0.099900099' }),
    ]);
  });
});
