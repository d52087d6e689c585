/**
 * Local mode holds protective exits too: the paper broker keeps stops,
 * targets and trailing stops, and the prices that alerts bring trigger them.
 */
import { localServerSuite } from '../../support/local-server';
import { waitUntil } from '../../support/sheet-row';

const local = localServerSuite('local-protection-', { symbol: 'AAPL' });
const start = (cells: string) =>
  local.start(
    'symbol,position_size,active,Time Frame,stop_loss_pct,take_profit_pct,trail_pct,Order Status,Reason\n' +
      `AAPL,5000,TRUE,15 Min,${cells},,\n`,
  );
const alert = local.alert;
const row = () => local.row();
const held = () => local.held('AAPL');

describe('local mode protective exits', () => {
  it(
    'when alerts bring a new high and then a drop through the trail, ' +
      'then the paper trailing stop follows and fills, and the row says so',
    async () => {
      await start('2,,5');
      await alert({ action: 'buy', timeframe: '15', price: '100', id: 'l1' });
      await waitUntil(async () => (await local.server.adapters.broker.listOpenOrders()).length === 1, 'the trailing stop to rest');
      expect(await held()).toBe(50);
      // Alerts of another timeframe (no row) still bring the price.
      await alert({ action: 'buy', timeframe: '5', price: '120', id: 'l2' });
      await alert({ action: 'buy', timeframe: '5', price: '115', id: 'l3' });
      expect(await held()).toBe(50);
      await alert({ action: 'buy', timeframe: '5', price: '113.5', id: 'l4' });
      expect(await held()).toBe(0);
      await waitUntil(
        () => row().includes('WAITING') && row().includes('trailing stop filled at $113.50'),
        `the row to say so (it says ${row()})`,
        20_000,
      );
    },
  );

  it('when a CLOSE comes while a paper stop rests, then the stop is cancelled first and the close sells once', async () => {
    await start('2,5,');
    await alert({ action: 'buy', timeframe: '15', price: '100', id: 'l5' });
    await waitUntil(async () => (await local.server.adapters.broker.listOpenOrders()).length === 2, 'the OCO pair to rest');
    await alert({ action: 'close', timeframe: '15', price: '101', id: 'l6' });
    await waitUntil(() => row().includes('WAITING'), `the row to show WAITING (it says ${row()})`);
    expect(await held()).toBe(0);
    expect(await local.server.adapters.broker.listOpenOrders()).toEqual([]);
    await alert({ action: 'buy', timeframe: '5', price: '90', id: 'l7' }); // through the old stop: nothing may sell
    expect(await held()).toBe(0);
  });
});
