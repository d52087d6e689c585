/**
 * The Positions tab: what is held, how the broker protects it (read from the
 * bot's own resting orders at the fake Alpaca) and, per-row, each row's
 * share; rewritten after each fill, and the same protection in GET /positions.
 */
import { POSITIONS_COLUMNS } from '../../../src/domain/sheet/positions-table';
import { API_TOKEN, startStack, type Stack } from '../../support/stack';

jest.setTimeout(60_000);

let stack: Stack;
afterEach(async () => stack?.stop());

/** The tab's data rows as header → cell maps, by symbol. */
const positionsTab = () => {
  if (!stack.sheets.tabs().includes('Positions')) return {};
  const [header, ...rows] = stack.sheets.tab('Positions');
  return Object.fromEntries(rows.map((r) => [r[0], Object.fromEntries(header.map((h, i) => [h, r[i] ?? '']))])) as Record<
    string,
    Record<string, string>
  >;
};
const positionsJson = async () => (await stack.call('/positions', { token: API_TOKEN })).body as any[];
/** The bot's resting exits in `symbol`; an OCO pair counts once (its stop leg has Alpaca's own client order id). */
const resting = (symbol: string) =>
  stack.alpaca.orders.filter(
    (o) =>
      o.symbol === symbol &&
      o.type !== 'market' &&
      String(o.client_order_id).startsWith('tb-') &&
      ['new', 'accepted'].includes(String(o.status)),
  );

describe('Positions tab', () => {
  it(
    'when entries fill and their protection rests at the broker, then the tab shows ' +
      'each position with its stop, target or trail and the order ids, as /positions does',
    async () => {
      const header = ['symbol', 'position_size', 'active', 'Time Frame', 'stop_loss_pct', 'take_profit_pct', 'trail_pct', 'Order Status'];
      stack = await startStack({
        config: [header, ['AAPL', '5000', 'TRUE', '15 Min', '2', '5', '', ''], ['MSFT', '4100', 'TRUE', '15 Min', '', '', '5', '']],
      });
      stack.alpaca.setPrice('AAPL', 200);
      stack.alpaca.setPrice('MSFT', 300);
      await stack.signal({ action: 'buy', symbol: 'AAPL', timeframe: '15', id: 'p1' });
      await stack.signal({ action: 'buy', symbol: 'MSFT', timeframe: '15', id: 'p2' });
      await stack.until(() => resting('AAPL').length === 1 && resting('MSFT').length === 1, 'protection resting for both');
      const oco = resting('AAPL')[0];
      const trail = resting('MSFT')[0];
      stack.alpaca.setPrice('MSFT', 310); // the trail follows the high: 310 × 0.95
      // The Performance refresh rewrites the tab too.
      await stack.call('/performance', { token: API_TOKEN });
      await stack.until(
        () => positionsTab().MSFT?.protection.includes('294.50') ?? false,
        'the tab rewritten with the new trailing stop',
        20_000,
      );

      expect(stack.sheets.tab('Positions')[0]).toEqual([...POSITIONS_COLUMNS]);
      expect(positionsTab().AAPL).toMatchObject({
        side: 'long',
        qty: '25',
        avg_entry: '200.00',
        last: '200.00',
        market_value: '$5,000.00',
        unrealized_pl: '$0.00',
        protection: `stop 196.00 · target 210.00 [order ${oco.id}]`,
        rows: '',
      });
      expect(positionsTab().MSFT).toMatchObject({ side: 'long', qty: '13', protection: `trail 5% (stop now 294.50) [order ${trail.id}]` });
      expect(positionsTab().AAPL.updated).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d P[SD]T$/);

      const json = await positionsJson();
      expect(json.find((p) => p.symbol === 'AAPL')).toMatchObject({
        qty: 25,
        side: 'long',
        protection: `stop 196.00 · target 210.00 [order ${oco.id}]`,
      });
      expect(json.find((p) => p.symbol === 'MSFT').protection).toBe(`trail 5% (stop now 294.50) [order ${trail.id}]`);

      // The stop fills: the position and its protection leave the tab.
      stack.alpaca.setPrice('AAPL', 195);
      await stack.until(() => positionsTab().AAPL === undefined, 'AAPL gone from the tab after its stop filled', 20_000);
      expect(stack.sheets.formulasWritten()).toEqual([]);
    },
  );

  it('when rows hold their own positions (per-row mode), then the rows column shows each one, e.g. "15m +26, 60m -10"', async () => {
    stack = await startStack({
      env: { POSITION_MODE: 'per-row' },
      config: [
        ['symbol', 'position_size', 'active', 'Time Frame', 'Order Status'],
        ['AAPL', '5000', 'TRUE', '15 Min', ''],
        ['AAPL', '1900', 'TRUE', '1 Hour', ''],
      ],
    });
    expect((await stack.signal({ action: 'buy', symbol: 'AAPL', timeframe: '15', id: 'r1' })).body.status).toBe('ORDER SUBMITTED');
    expect((await stack.signal({ action: 'sell', symbol: 'AAPL', timeframe: '60', id: 'r2' })).body.status).toBe('ORDER SUBMITTED');
    await stack.until(
      () => positionsTab().AAPL?.rows === '15m +26, 60m -10',
      `the rows column (shows ${positionsTab().AAPL?.rows})`,
      20_000,
    );
    expect(positionsTab().AAPL).toMatchObject({ side: 'long', qty: '16', protection: 'none' });
  });
});
