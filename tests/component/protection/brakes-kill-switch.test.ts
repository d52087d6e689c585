/** The kill switch: /halt, /resume, TRADING_ENABLED, HALT_BLOCKS_CLOSE, and a halt surviving a restart (and announced). */
import { API_TOKEN, startGuarded, type GuardedStack } from '../../support/guarded-stack';
import { startHttpCapture, type HttpCapture } from '../../support/http-capture';
import { startSmtpSink, type SmtpSink } from '../../support/smtp-sink';

let stack: GuardedStack;
afterEach(async () => stack?.stop());

const BUY = { action: 'BUY', symbol: 'AAPL', timeframe: '15' };
const CLOSE = { action: 'CLOSE', symbol: 'AAPL', timeframe: '15' };
const halt = (reason?: string) =>
  stack.call('/halt', { method: 'POST', token: API_TOKEN, body: reason ? JSON.stringify({ reason }) : undefined });

describe('kill switch', () => {
  it('when halted, then a BUY is journaled, answered 200 halted, the row shows HALTED, and nothing is sent', async () => {
    stack = await startGuarded();
    expect((await halt('earnings')).body).toMatchObject({ status: 'halted', halted: true, reason: 'earnings' });
    const res = await stack.signal(BUY);
    expect(res).toMatchObject({ status: 200, body: { status: 'halted', reason: 'trading halted: earnings' } });
    expect(stack.alpaca.orders).toHaveLength(0);
    expect(stack.server.ctx.journal.getSignal(res.body.signal_id)).toMatchObject({ state: 'done', status: 'HALTED' });
    await stack.waitStatus('AAPL', '15 Min', 'HALTED');
    expect(stack.alpaca.requests.some((r) => r.method === 'POST')).toBe(false);
  });

  it('when halted, then a CLOSE still closes the position', async () => {
    stack = await startGuarded();
    stack.alpaca.setPosition('AAPL', 10, 180);
    await halt();
    expect((await stack.signal(CLOSE)).body.status).toBe('ORDER SUBMITTED');
    expect(stack.alpaca.orders).toEqual([expect.objectContaining({ side: 'sell', qty: '10' })]);
    await stack.waitStatus('AAPL', '15 Min', 'WAITING');
  });

  it('when HALT_BLOCKS_CLOSE=true, then a CLOSE is halted too and nothing is sent', async () => {
    stack = await startGuarded({ env: { HALT_BLOCKS_CLOSE: 'true' } });
    stack.alpaca.setPosition('AAPL', 10, 180);
    await halt();
    expect((await stack.signal(CLOSE)).body.status).toBe('halted');
    expect(stack.alpaca.orders).toHaveLength(0);
  });

  it(
    'when halted and a SELL would flip a long, then the long is ' + 'closed, no short is opened, and the row is HALTED with the reason',
    async () => {
      stack = await startGuarded();
      stack.alpaca.setPosition('AAPL', 10, 180);
      await halt();
      const res = await stack.signal({ action: 'SELL', symbol: 'AAPL', timeframe: '15' });
      expect(res.body).toMatchObject({
        status: 'halted',
        reason: expect.stringMatching(/^trading halted: POST \/halt; closing the position/),
        order_ids: [expect.any(String)],
      });
      await stack.waitStatus('AAPL', '15 Min', 'HALTED');
      expect(stack.alpaca.orders).toEqual([expect.objectContaining({ side: 'sell', qty: '10' })]);
      expect(stack.alpaca.positions()).toEqual([]);
    },
  );

  it('when the server restarts while halted, then it is still halted; /resume lifts it', async () => {
    stack = await startGuarded();
    await halt('overnight');
    await stack.restart();
    expect((await stack.signal({ ...BUY, id: 'after-restart' })).body.status).toBe('halted');
    expect(stack.alpaca.orders).toHaveLength(0);
    expect((await stack.call('/halt', { token: API_TOKEN })).body).toMatchObject({ halted: true, reason: 'overnight' });
    expect((await stack.call('/resume', { method: 'POST', token: API_TOKEN })).body).toMatchObject({ status: 'trading', halted: false });
    expect((await stack.signal({ ...BUY, id: 'after-resume' })).body.status).toBe('ORDER SUBMITTED');
  });

  it('when TRADING_ENABLED=false, then the server starts halted, and a restart with true does not lift a halt', async () => {
    stack = await startGuarded({ env: { TRADING_ENABLED: 'false' } });
    expect((await stack.signal({ ...BUY, id: 'a' })).body).toMatchObject({
      status: 'halted',
      reason: 'trading halted: TRADING_ENABLED=false',
    });
    await stack.restart({ TRADING_ENABLED: 'true' });
    expect((await stack.signal({ ...BUY, id: 'b' })).body.status).toBe('halted');
    expect(stack.alpaca.orders).toHaveLength(0);
  });

  it('when /halt or /resume come without the token, then nothing changes', async () => {
    stack = await startGuarded();
    expect((await stack.call('/halt', { method: 'POST' })).status).toBe(401);
    expect((await stack.signal({ ...BUY, id: 'c' })).body.status).toBe('ORDER SUBMITTED');
    await halt();
    expect((await stack.call('/resume', { method: 'POST', token: 'x'.repeat(30) })).status).toBe(401);
    expect((await stack.signal({ action: 'BUY', symbol: 'MSFT', timeframe: '15' })).body.status).toBe('halted');
    expect(stack.alpaca.orders).toHaveLength(1);
  });
});

describe('a halt carried over a restart', () => {
  let slack: HttpCapture;
  let smtp: SmtpSink;
  beforeEach(async () => {
    [slack, smtp] = await Promise.all([startHttpCapture(), startSmtpSink()]);
  });
  afterEach(async () => {
    await Promise.all([slack.close(), smtp.close()]);
  });
  const channels = () => ({
    SLACK_WEBHOOK_URL: `${slack.origin}/hook`,
    SMTP_URL: smtp.url,
    ALERT_EMAIL_FROM: 'bot@example.com',
    ALERT_EMAIL_TO: 'trader@example.com',
  });
  const startLines = () => stack.logs.filter((l) => l.includes('"event":"halt.active_at_start"'));

  it('when the server starts while halted, then the banner, a log line with reason and since, and every channel say so', async () => {
    stack = await startGuarded({ env: channels() });
    const { since } = (await halt('earnings week')).body;
    await stack.restart();
    expect(startLines()).toHaveLength(1);
    expect(JSON.parse(startLines()[0])).toMatchObject({ level: 'warn', reason: 'earnings week', since });
    const banner = await stack.server.banner();
    expect(banner).toContain(`HALTED:   since ${since}: earnings week`);
    expect(banner).toMatch(/New entries are refused; CLOSE signals and POST \/flatten still trade\. POST \/resume lifts the halt\./);
    await stack.until(() => slack.requests.length === 1 && smtp.messages.length === 1, 'the Slack message and the email');
    expect(slack.requests[0].body).toContain('trading-bot started while trading is halted');
    expect(slack.requests[0].body).toContain(`Halted since ${since}: earnings week`);
    expect(smtp.messages[0].raw).toContain('trading-bot started while trading is halted');
  });

  it('when the server starts while not halted, then neither the banner, the log nor any channel mentions a halt', async () => {
    stack = await startGuarded({ env: channels() });
    await halt('lunch');
    await stack.call('/resume', { method: 'POST', token: API_TOKEN });
    await stack.restart();
    expect(startLines()).toEqual([]);
    expect(await stack.server.banner()).not.toContain('HALTED');
    await new Promise((r) => setTimeout(r, 300));
    expect(slack.requests).toEqual([]);
    expect(smtp.messages).toEqual([]);
  });

  it('when HALT_BLOCKS_CLOSE is set, then the banner says exits are refused too', async () => {
    stack = await startGuarded({ env: { HALT_BLOCKS_CLOSE: 'true' } });
    await halt('broker outage');
    await stack.restart();
    expect(await stack.server.banner()).toContain('Every order is refused, exits too (HALT_BLOCKS_CLOSE).');
  });
});
