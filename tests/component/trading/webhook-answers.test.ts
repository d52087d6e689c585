/** The webhook's answer says what was sent: each leg's side and size, and every order id. */
import { startStack, type Stack } from '../../support/stack';
import { longResized } from '../../support/strategy-alert';

let stack: Stack;
afterEach(async () => stack?.stop());

const ids = () => stack.alpaca.orders.map((o) => o.id);

describe('what the webhook answers', () => {
  it('when a strategy takes half off a long, then the answer shows one sell leg of that size with its order id', async () => {
    stack = await startStack();
    stack.alpaca.setPosition('AAPL', 10, 180);
    const res = await stack.signal(longResized('sell', 2, 1, 'a1'));
    expect(res.body).toMatchObject({ status: 'ORDER SUBMITTED', qty: 5, legs: [{ side: 'sell', qty: 5, order_id: ids()[0] }] });
  });

  it('when a SELL flips a long, then the answer lists both orders: the close and the opening short', async () => {
    stack = await startStack();
    stack.alpaca.setPosition('AAPL', 3, 180);
    const res = await stack.signal({ action: 'SELL', symbol: 'AAPL', timeframe: '15', id: 'a2' });
    expect(ids()).toHaveLength(2);
    expect(res.body).toMatchObject({
      status: 'ORDER SUBMITTED',
      order_ids: ids(),
      legs: [
        { side: 'sell', qty: 3, order_id: ids()[0] },
        { side: 'sell', qty: 26, order_id: ids()[1] },
      ],
    });
  });

  it("when a flip's close is queued (market closed), then the answer lists the close and the opening leg that follows it", async () => {
    stack = await startStack({ env: { OFF_HOURS_POLICY: 'queue' }, alpaca: { marketOpen: false } });
    stack.alpaca.setPosition('AAPL', 3, 180);
    const res = await stack.signal({ action: 'SELL', symbol: 'AAPL', timeframe: '15', id: 'a3' });
    expect(res.body).toMatchObject({
      status: 'ORDER SUBMITTED',
      order_ids: [ids()[0]],
      legs: [
        { side: 'sell', qty: 3, order_id: ids()[0] },
        { side: 'sell', qty: 26, after: 'the close fills' },
      ],
    });
  });

  it('when a CLOSE closes a long, then the answer gives the quantity closed', async () => {
    stack = await startStack();
    stack.alpaca.setPosition('AAPL', 10, 180);
    const res = await stack.signal({ action: 'CLOSE', symbol: 'AAPL', timeframe: '15', id: 'a4' });
    expect(res.body).toMatchObject({
      status: 'ORDER SUBMITTED',
      action: 'close',
      qty: 10,
      legs: [{ side: 'sell', qty: 10, order_id: ids()[0] }],
    });
  });
});
