/**
 * Limit exits and flips, end to end over HTTP against the fake Alpaca: an
 * exit not filled in LIMIT_TIMEOUT_SECONDS is cancelled and sent again at
 * market; one that is still not filled after 3 tries is FAILED and every
 * channel (email through a real SMTP server, SMS, Slack) is told; a flip's
 * close falls back the same way; per-row books follow what a limit filled.
 */
import { startHttpCapture, type HttpCapture } from '../../support/http-capture';
import { PER_ROW_HEADER, rowBooks, startPerRow } from '../../support/per-row';
import { startSmtpSink, type SmtpSink } from '../../support/smtp-sink';
import { startStack, type Stack } from '../../support/stack';

let stack: Stack;
afterEach(async () => stack?.stop());

const HEADER = ['symbol', 'position_size', 'active', 'Time Frame', 'order_type', 'Order Status', 'Reason'];
const startLimitRow = (env: Record<string, string> = {}) =>
  startStack({
    config: [HEADER, ['AAPL', '10 shares', 'TRUE', '15 Min', 'limit', 'READY', '']],
    env: { LIMIT_TIMEOUT_SECONDS: '1', ...env },
  });
const waitForOrders = (n: number) => stack.until(() => stack.alpaca.orders.length >= n, `${n} orders at the fake`);
/** Each order at the fake as `type side qty status`, oldest first. */
const orders = () => stack.alpaca.orders.map((o) => `${o.type} ${o.side} ${o.qty} ${o.status}`);

describe('limit exits (shared positions)', () => {
  it('when a limit close is not filled in time, then it is cancelled and sent again at market, and the row ends WAITING', async () => {
    stack = await startLimitRow();
    stack.alpaca.setPosition('AAPL', 10, 185);
    stack.alpaca.setFillMode('manual', 'AAPL'); // the limit is never reached
    await stack.signal({ action: 'CLOSE', symbol: 'AAPL', timeframe: '15' });
    await waitForOrders(1);
    stack.alpaca.setFillMode('immediate', 'AAPL'); // the market order that follows fills
    await stack.waitRow('AAPL', '15 Min', { 'Order Status': 'WAITING' }, 8000);
    expect(orders()).toEqual(['limit sell 10 canceled', 'market sell 10 filled']);
    expect(String(stack.alpaca.orders[1].client_order_id)).toMatch(/-close2$/);
    expect(stack.brokerQty('AAPL')).toBe(0);
  });

  it("when a flip's close is a limit not filled in time, then it falls back to market and the opening limit follows", async () => {
    stack = await startLimitRow();
    stack.alpaca.setPosition('AAPL', -10, 195);
    stack.alpaca.setFillMode('manual', 'AAPL');
    // A flip's answer waits a moment for its opening leg: the fake is set while it waits.
    const answer = stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
    await waitForOrders(1);
    stack.alpaca.setFillMode('immediate', 'AAPL');
    await answer;
    await stack.waitRow('AAPL', '15 Min', { 'Order Status': 'FILLED' }, 8000);
    expect(orders()).toEqual(['limit buy 10 canceled', 'market buy 10 filled', 'limit buy 10 filled']);
    expect(stack.brokerQty('AAPL')).toBe(10);
  });

  it("when a flip's opening limit is not filled in time, then the row is WAITING, closed and not opened", async () => {
    stack = await startLimitRow();
    stack.alpaca.setPosition('AAPL', -10, 195);
    stack.alpaca.setFillMode('manual', 'AAPL');
    const answer = stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
    await waitForOrders(1);
    stack.alpaca.partialFill(String(stack.alpaca.orders[0].id), 10); // the close fills whole; the opening limit waits
    await answer;
    await stack.waitRow('AAPL', '15 Min', { 'Order Status': 'WAITING', Reason: /not opened: limit not filled in 1 s/ }, 8000);
    expect(orders()).toEqual(['limit buy 10 filled', 'limit buy 10 canceled']);
    expect(stack.brokerQty('AAPL')).toBe(0);
  });
});

describe('an exit that never fills', () => {
  let smtp: SmtpSink;
  let slack: HttpCapture;
  let twilio: HttpCapture;
  beforeEach(async () => {
    [smtp, slack, twilio] = await Promise.all([startSmtpSink(), startHttpCapture(), startHttpCapture(() => ({ status: 201, body: {} }))]);
  });
  afterEach(async () => Promise.all([smtp.close(), slack.close(), twilio.close()]));

  it('when the exit is not filled after 3 tries, then the row is FAILED and every channel gets an alert', async () => {
    stack = await startLimitRow({
      SMTP_URL: smtp.url,
      ALERT_EMAIL_FROM: 'bot@example.com',
      ALERT_EMAIL_TO: 'trader@example.com',
      SLACK_WEBHOOK_URL: `${slack.origin}/hook`,
      TWILIO_ACCOUNT_SID: 'AC1',
      TWILIO_AUTH_TOKEN: 'tok',
      TWILIO_FROM: '+15550001111',
      ALERT_SMS_TO: '+15550002222',
      TWILIO_API_URL: twilio.origin,
    });
    stack.alpaca.setPosition('AAPL', 10, 185);
    stack.alpaca.setFillMode('manual', 'AAPL'); // nothing fills: neither the limit nor the market orders after it
    await stack.signal({ action: 'CLOSE', symbol: 'AAPL', timeframe: '15' });
    await stack.waitRow('AAPL', '15 Min', { 'Order Status': 'FAILED', Reason: /^exit not filled in 1 s, 3 tries/ }, 15_000);
    expect(orders()).toEqual(['limit sell 10 canceled', 'market sell 10 canceled', 'market sell 10 canceled']);
    expect(stack.alpaca.orders.map((o) => String(o.client_order_id).replace(/^.*-/, ''))).toEqual(['close', 'close2', 'close3']);
    expect(stack.brokerQty('AAPL')).toBe(10);
    await stack.until(
      () => smtp.messages.length === 1 && slack.requests.length === 1 && twilio.requests.length === 1,
      'the email, the Slack message and the SMS',
    );
    expect(smtp.messages[0].raw).toContain('AAPL exit failed: the position is still open');
    expect(slack.requests[0].body).toContain('AAPL exit failed');
    expect(decodeURIComponent(twilio.requests[0].body)).toContain('AAPL exit failed');
  });
});

describe('limit orders in per-row mode', () => {
  const start = () =>
    startPerRow(
      { LIMIT_TIMEOUT_SECONDS: '2' },
      {
        config: [
          [...PER_ROW_HEADER, 'order_type'],
          ['AAPL', '$5,000', 'TRUE', '15 Min', '', '', '', 'limit'],
        ],
      },
    );

  it("when part of a row's limit entry filled by the timeout, then the row is FILLED with the part and its book holds it", async () => {
    stack = await start();
    stack.alpaca.setFillMode('manual', 'AAPL');
    await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
    await waitForOrders(1);
    expect(stack.alpaca.orders[0]).toMatchObject({ type: 'limit', qty: '50', limit_price: '100.1' });
    stack.alpaca.partialFill(String(stack.alpaca.orders[0].id), 20);
    await stack.waitRow('AAPL', '15 Min', { 'Order Status': 'FILLED', Reason: /limit filled 20 of 50 in 2 s/, Position: '20' }, 8000);
    expect(rowBooks(stack)).toEqual({ '15m': 20 });
  });

  it("when a row's limit entry is not filled in time, then the row is WAITING and its book stays flat", async () => {
    stack = await start();
    stack.alpaca.setFillMode('manual', 'AAPL');
    await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
    await stack.waitRow('AAPL', '15 Min', { 'Order Status': 'WAITING', Reason: 'limit not filled in 2 s' }, 8000);
    expect(rowBooks(stack, 'AAPL', { flat: false })).toEqual({});
  });
});
