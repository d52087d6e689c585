/**
 * Limit orders in local mode: the paper broker fills a limit when an alert's
 * price reaches it (a buy at or below its limit, a sell at or above), rests
 * it otherwise until a later alert's price does or the timeout cancels it,
 * and refuses a limit price off Alpaca's tick.
 */
import { localServerSuite } from '../../support/local-server';
import { waitUntil } from '../../support/sheet-row';

const local = localServerSuite('local-limit-', { symbol: 'AAPL', timeframe: '15' });
/** Local mode with one AAPL 15 Min limit row of 10 shares, priced `offset` percent through the last alert's price. */
const start = (offset: string, env: Record<string, string> = {}) =>
  local.start(
    'symbol,position_size,active,Time Frame,order_type,limit_offset_pct,Order Status,Reason\n' +
      `AAPL,10 shares,TRUE,15 Min,limit,${offset},,\n`,
    env,
  );
const alert = local.alert;
const row = () => local.row();
const held = () => local.held('AAPL');
const working = () => local.server.adapters.broker.listOpenOrders();

describe('local mode limit orders', () => {
  it("when the alert's price reaches the limit, then the paper broker fills at once at that price", async () => {
    await start('0.1');
    await alert({ action: 'buy', price: '100', id: 'l1' });
    await waitUntil(() => row().includes('FILLED'), `the row to show FILLED (it says ${row()})`);
    expect(await held()).toBe(10);
    expect((await local.server.adapters.broker.getPosition('AAPL'))?.avgEntryPrice).toBe(100);
  });

  it("when the limit is below the alert's price, then it rests, and a later alert's price at or below it fills it", async () => {
    await start('-1', { LIMIT_TIMEOUT_SECONDS: '60' });
    await alert({ action: 'buy', price: '100', id: 'l2' });
    await waitUntil(async () => (await working()).length === 1, 'the buy limit to rest');
    expect(await working()).toEqual([expect.objectContaining({ type: 'limit', side: 'buy', qty: 10, limitPrice: 99 })]);
    expect(await held()).toBe(0);
    await alert({ action: 'buy', price: '99.5', id: 'l3' }); // a price above the limit: still resting
    expect(await held()).toBe(0);
    await alert({ action: 'close', price: '98.9', id: 'l4', symbol: 'MSFT' }); // another symbol's price moves nothing
    await alert({ action: 'buy', price: '98.9', id: 'l5' });
    await waitUntil(async () => (await held()) === 10, 'the resting limit to fill');
    expect((await local.server.adapters.broker.getPosition('AAPL'))?.avgEntryPrice).toBe(98.9);
  });

  it('when no alert reaches the limit in LIMIT_TIMEOUT_SECONDS, then it is cancelled and the row is WAITING', async () => {
    await start('-1', { LIMIT_TIMEOUT_SECONDS: '1' });
    await alert({ action: 'buy', price: '100', id: 'l6' });
    await waitUntil(() => row().includes('limit not filled in 1 s'), `the row to say the limit was not filled (it says ${row()})`, 5000);
    expect(row()).toContain('WAITING');
    expect(await working()).toEqual([]);
    expect(await held()).toBe(0);
  });

  it('when a limit price is off the tick, then the paper broker refuses it as Alpaca does', async () => {
    await start('0.1');
    const submit = (limitPrice: number) =>
      local.server.adapters.broker.submitOrder({
        symbol: 'AAPL',
        side: 'buy',
        qty: 1,
        limitPrice,
        referencePrice: 100,
        clientOrderId: `x-${limitPrice}`,
      });
    await expect(submit(100.005)).rejects.toThrow(/sub-penny increment/);
    await expect(submit(100.01)).resolves.toMatchObject({ state: 'filled' });
  });
});
