/** Local mode sizes a percentage of equity from the paper broker's own account ($100,000 to start). */
import { localServerSuite } from '../../support/local-server';
import { waitUntil } from '../../support/sheet-row';

const local = localServerSuite('local-sizing-', { symbol: 'AAPL', timeframe: '15' });
const start = (size: string, env: Record<string, string> = {}) =>
  local.start(`symbol,position_size,active,Time Frame,Order Status,Reason\nAAPL,${size},TRUE,15 Min,,\n`, env);
const alert = local.alert;
const row = () => local.row();
const held = () => local.held('AAPL');

describe('local mode sizing', () => {
  it("when position_size is 10%, then it buys 10% of the paper account's equity", async () => {
    await start('10%');
    await alert({ action: 'buy', price: '100', id: 's1' });
    await waitUntil(() => row().includes('FILLED'), `the row to show FILLED (it says ${row()})`);
    expect(await held()).toBe(100); // $10,000 at $100
  });

  it('when 25 shares are worth more than MAX_POSITION_USD, then the paper order is cut and the row says so', async () => {
    await start('25 shares', { MAX_POSITION_USD: '1000' });
    await alert({ action: 'sell', price: '100', id: 's2' });
    await waitUntil(() => row().includes('FILLED'), `the row to show FILLED (it says ${row()})`);
    expect(await held()).toBe(-10);
    expect(row()).toContain('capped at MAX_POSITION_USD $1,000');
  });
});
