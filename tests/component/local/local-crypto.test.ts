/**
 * Local mode trades crypto: the paper broker takes a BTCUSD row as the pair
 * BTC/USD, in fractions, never short, with a stop-limit and a target as the
 * protection group, and the prices alerts bring trigger them.
 */
import { localServerSuite } from '../../support/local-server';
import { waitUntil } from '../../support/sheet-row';

const local = localServerSuite('local-crypto-', { symbol: 'COINBASE:BTCUSD', timeframe: '15' });
const start = (cells: string) =>
  local.start(
    'symbol,position_size,active,Time Frame,stop_loss_pct,take_profit_pct,trail_pct,Order Status,Reason\n' +
      `BTCUSD,5000,TRUE,15 Min,${cells},,\n`,
    { CRYPTO_STOP_LIMIT_PCT: '0.5' },
  );
const alert = async (body: Record<string, unknown>) => (await (await local.alert(body)).json()) as Record<string, unknown>;
const row = () => local.row();
const held = () => local.held('BTC/USD');
const resting = () => local.server.adapters.broker.listOpenOrders();

describe('local mode crypto', () => {
  it(
    'when a BTCUSD row buys with a stop and a target, then it holds a fraction of BTC/USD, a stop-limit 0.5% below the stop ' +
      'and a target rest, and when an alert brings a price through the stop, it fills and the target is cancelled',
    async () => {
      await start('2,5');
      expect(await alert({ action: 'buy', price: '50000', id: 'k1' })).toMatchObject({ status: 'ORDER SUBMITTED', symbol: 'BTC/USD' });
      await waitUntil(async () => (await resting()).length === 2, 'the stop-limit and the target to rest');
      expect(await held()).toBeCloseTo(0.1, 9);
      const orders = await resting();
      expect(orders.map((o) => [o.type, o.side, o.qty, o.stopPrice, o.limitPrice])).toEqual([
        ['stop_limit', 'sell', 0.1, 49_000, 48_755],
        ['limit', 'sell', 0.1, undefined, 52_500],
      ]);
      // Another timeframe's alert (no row) brings the price.
      await alert({ action: 'buy', timeframe: '5', price: '48900', id: 'k2' });
      expect(await held()).toBe(0);
      await waitUntil(async () => (await resting()).length === 0, 'the target to be cancelled', 20_000);
      await waitUntil(
        () => row().includes('WAITING') && row().includes('stop loss filled at $48900.00'),
        `the row to say so (${row()})`,
        20_000,
      );
    },
  );

  it('when a crypto row gets a SELL, then the long is closed and nothing is shorted: crypto is never short', async () => {
    await start(',');
    await alert({ action: 'buy', price: '3000', symbol: 'ETHUSD', id: 'k3' }); // no ETHUSD row: it only brings a price
    expect(await alert({ action: 'buy', price: '50000', id: 'k4' })).toMatchObject({ status: 'ORDER SUBMITTED' });
    await waitUntil(async () => (await held()) > 0, 'the long');
    const answer = await alert({ action: 'sell', price: '51000', id: 'k5' });
    expect(answer).toMatchObject({ status: 'WAITING', reason: expect.stringMatching(/^crypto can't be sold short/) });
    await waitUntil(() => row().includes("crypto can't be sold short"), `the row to say so (${row()})`, 20_000);
    expect(await held()).toBe(0);
    expect(await alert({ action: 'sell', price: '51000', id: 'k6' })).toMatchObject({
      status: 'WAITING',
      reason: "crypto can't be sold short",
    });
    expect(await held()).toBe(0);
  });
});
