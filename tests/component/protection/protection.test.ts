/**
 * Protective exits held at the broker: the real server and the real Alpaca
 * SDK against the fake, which holds stop, limit, trailing stop and OCO orders
 * and fills them when its price reaches them. Covers placing each kind and
 * its fill, a refused protection, restarts, the cells' checks, and reconcile
 * keeping the protection to the row (exits when a later signal changes the
 * position are in protection-position-changes.test.ts).
 */
import { startHttpCapture } from '../../support/http-capture';
import { PROTECTION_HEADER, protectionConfig, protectionSuite } from '../../support/protection-stack';

const { stack, start, waitStatus, resting } = protectionSuite();

describe('protective exits', () => {
  it(
    'when a row asks for a stop loss, then the entry is whole shares, a GTC stop rests at ' +
      'the fill price less the percentage, and its fill makes the row WAITING with the price',
    async () => {
      await start({ config: protectionConfig('2', '', '') });
      stack.alpaca.setPrice('AAPL', 199.98);
      await stack.signal({ action: 'buy', symbol: 'AAPL', timeframe: '15', id: 's1' });
      await stack.waitResting(1);
      expect(stack.brokerQty('AAPL')).toBe(25);
      const [stop] = resting();
      expect(stop).toMatchObject({
        type: 'stop',
        side: 'sell',
        qty: '25',
        time_in_force: 'gtc',
        stop_price: '195.98',
        client_order_id: expect.stringMatching(/-sl$/),
      });
      stack.alpaca.setPrice('AAPL', 195.5);
      await waitStatus('WAITING', 'stop loss filled at $195.50');
      expect(stack.brokerQty('AAPL')).toBe(0);
    },
  );

  it('when a row asks for a stop and a target, then they rest as one OCO pair, and when the target fills the stop is gone', async () => {
    await start({ config: protectionConfig('2', '5', '') });
    stack.alpaca.setPrice('AAPL', 200);
    await stack.signal({ action: 'buy', symbol: 'AAPL', timeframe: '15', id: 's2' });
    await stack.waitResting(2);
    const parent = resting().find((o) => o.type === 'limit')!;
    expect(parent).toMatchObject({
      order_class: 'oco',
      limit_price: '210',
      side: 'sell',
      qty: '25',
      client_order_id: expect.stringMatching(/-tp$/),
    });
    expect(resting().find((o) => o.type === 'stop')).toMatchObject({ order_class: 'oco', stop_price: '196' });
    stack.alpaca.setPrice('AAPL', 211);
    await waitStatus('WAITING', 'take profit filled at $211.00');
    expect(stack.brokerQty('AAPL')).toBe(0);
    expect(resting()).toEqual([]);
    expect(stack.alpaca.orders.find((o) => o.type === 'stop')!.status).toBe('canceled');
  });

  it('when the price makes a new high, then the trailing stop follows it, and fills on the way down from there', async () => {
    await start({ config: protectionConfig('2', '', '5') });
    stack.alpaca.setPrice('AAPL', 100);
    await stack.signal({ action: 'buy', symbol: 'AAPL', timeframe: '15', id: 's3' });
    await stack.waitResting(1);
    expect(resting()[0]).toMatchObject({ type: 'trailing_stop', trail_percent: '5', client_order_id: expect.stringMatching(/-trail$/) });
    await waitStatus('FILLED', 'trailing stop 5% wins over stop_loss_pct');
    stack.alpaca.setPrice('AAPL', 120);
    stack.alpaca.setPrice('AAPL', 115); // above 120 less 5% (114): still held, though far below the 2% stop from 100
    expect(stack.brokerQty('AAPL')).toBe(50);
    expect(resting()[0]).toMatchObject({ hwm: '120', stop_price: '114' });
    stack.alpaca.setPrice('AAPL', 113.9);
    await waitStatus('WAITING', 'trailing stop filled at $113.90');
    expect(stack.brokerQty('AAPL')).toBe(0);
  });

  it(
    'when Alpaca rejects the protection, then the position stays open, the ' +
      'row shows FAILED "position open without protection", and Slack is alerted',
    async () => {
      const slack = await startHttpCapture();
      try {
        await start({ config: protectionConfig('2', '', ''), env: { SLACK_WEBHOOK_URL: `${slack.origin}/hook` } });
        stack.alpaca.setPrice('AAPL', 200);
        stack.alpaca.inject({
          method: 'POST',
          path: /^\/v2\/orders$/,
          status: 422,
          body: { code: 42210000, message: 'invalid stop_price' },
          times: 1,
          when: (b: any) => b?.type === 'stop',
        });
        await stack.signal({ action: 'buy', symbol: 'AAPL', timeframe: '15', id: 's8' });
        await waitStatus('FAILED', 'position open without protection: invalid stop_price');
        expect(stack.brokerQty('AAPL')).toBe(25);
        await stack.until(() => slack.requests.length === 1, 'one Slack alert');
        expect(slack.requests[0].body).toMatch(/AAPL.*position open without protection: invalid stop_price/);
      } finally {
        await slack.close();
      }
    },
  );

  it('when the stop fills across a restart, then the row shows WAITING "stop loss filled at …", not just "no longer held"', async () => {
    await start({ config: protectionConfig('2', '', '') });
    stack.alpaca.setPrice('AAPL', 200);
    await stack.signal({ action: 'buy', symbol: 'AAPL', timeframe: '15', id: 's15' });
    await stack.waitResting(1);
    await waitStatus('FILLED');
    stack.alpaca.closeMarket();
    stack.alpaca.setPrice('AAPL', 190); // reached while the market is closed: it fills at the open
    await stack.restart();
    stack.alpaca.openMarket();
    await stack.server.reconcile();
    await waitStatus('WAITING', 'stop loss filled at $190.00');
    expect(stack.brokerQty('AAPL')).toBe(0);
    expect(stack.logs.join('\n')).not.toMatch(/reconcile\.position_gone/);
  });

  it(
    'when the server restarts holding a protected position whose stop never ' +
      'reached Alpaca, then the stop is placed at start-up with a log line',
    async () => {
      await start({ config: protectionConfig('2', '', '') });
      stack.alpaca.setPrice('AAPL', 200);
      stack.alpaca.inject({ method: 'POST', path: /^\/v2\/orders$/, status: 500, times: Infinity, when: (b: any) => b?.type === 'stop' });
      await stack.signal({ action: 'buy', symbol: 'AAPL', timeframe: '15', id: 's9' });
      await waitStatus('FAILED');
      expect(resting()).toEqual([]);
      stack.alpaca.clearFaults();
      await stack.restart();
      await stack.waitResting(1);
      expect(resting()[0]).toMatchObject({ type: 'stop', stop_price: '196', qty: '25' });
      expect(stack.logs.join('\n')).toMatch(/protection\.missing_at_start/);
    },
  );

  it('when the server restarts with a protective order whose position is gone, then the orphan is cancelled', async () => {
    await start({ config: protectionConfig('2', '', '') });
    stack.alpaca.setPrice('AAPL', 200);
    await stack.signal({ action: 'buy', symbol: 'AAPL', timeframe: '15', id: 's10' });
    await stack.waitResting(1);
    stack.alpaca.setPosition('AAPL', 0); // closed by hand at the broker while the stop still rests
    await stack.restart();
    await stack.waitResting(0);
    await stack.until(() => /protection\.orphan_cancelled/.test(stack.logs.join('\n')), 'the orphan cancel to be logged');
  });

  it('when a protection cell is not a positive number under 50, then an entry is FAILED with the reason and nothing is sent', async () => {
    await start({ config: protectionConfig('', '', '60') });
    await stack.signal({ action: 'buy', symbol: 'AAPL', timeframe: '15', id: 's16' });
    await waitStatus('FAILED', 'trail_pct "60" must be a positive number under 50');
    expect(stack.alpaca.orders).toEqual([]);
  });

  it('when a protected row is worth less than one share, then the entry is FAILED and nothing is sent', async () => {
    await start({ config: [PROTECTION_HEADER, ['AAPL', '150', 'TRUE', '15 Min', '2', '', '', '', '']] });
    stack.alpaca.setPrice('AAPL', 200);
    await stack.signal({ action: 'buy', symbol: 'AAPL', timeframe: '15', id: 's17' });
    await waitStatus('FAILED');
    expect(stack.row('AAPL', '15 Min').Reason).toMatch(/less than 1 share/);
    expect(stack.alpaca.orders).toEqual([]);
  });
});

describe('protection kept to the row, by reconcile', () => {
  it(
    'when the stop is cancelled by hand at Alpaca, then reconcile ' + 'places it again, under a client order id never used before',
    async () => {
      await start({ config: protectionConfig('2', '', '') });
      stack.alpaca.setPrice('AAPL', 200);
      await stack.signal({ action: 'buy', symbol: 'AAPL', timeframe: '15', id: 'r1' });
      await stack.waitResting(1);
      const first = resting()[0];
      await fetch(`${stack.alpaca.url}/v2/orders/${first.id}`, {
        method: 'DELETE',
        headers: { 'APCA-API-KEY-ID': stack.alpaca.keyId, 'APCA-API-SECRET-KEY': stack.alpaca.secretKey },
      });
      await stack.until(() => resting().length === 0, 'the stop cancelled by hand');
      await stack.server.reconcile();
      await stack.waitResting(1);
      expect(resting()[0]).toMatchObject({ type: 'stop', qty: '25', client_order_id: expect.stringMatching(/-sl2$/) });
    },
  );

  it(
    "when the trader clears the row's stop cell, then reconcile drops " +
      "the position's stop; when a new percentage is typed, the stop moves",
    async () => {
      await start({ config: protectionConfig('2', '', '') });
      stack.alpaca.setPrice('AAPL', 200);
      await stack.signal({ action: 'buy', symbol: 'AAPL', timeframe: '15', id: 'r2' });
      await stack.waitResting(1);
      stack.sheets.setTab('Config', protectionConfig('', '', ''));
      await stack.server.reconcile();
      await stack.waitResting(0);
      expect(stack.brokerQty('AAPL')).toBe(25);
      stack.sheets.setTab('Config', protectionConfig('3', '', ''));
      await stack.server.reconcile();
      await stack.waitResting(1);
      expect(resting()[0]).toMatchObject({ type: 'stop', qty: '25', stop_price: '194' });
    },
  );
});
