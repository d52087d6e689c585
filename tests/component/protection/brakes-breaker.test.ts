/** The daily loss breaker: trips on equity against the previous close, alerts, lets closes through, resets next session. */
import { API_TOKEN, shiftedClock, startGuarded, type GuardedStack } from '../../support/guarded-stack';
import { startHttpCapture, type HttpCapture } from '../../support/http-capture';

let stack: GuardedStack;
let slack: HttpCapture;
beforeEach(async () => {
  slack = await startHttpCapture();
});
afterEach(async () => {
  await stack?.stop();
  await slack.close();
});

const BUY = (id: string) => ({ action: 'BUY', symbol: 'AAPL', timeframe: '15', id });

describe('daily loss breaker', () => {
  it('when equity falls past MAX_DAILY_LOSS_USD, then entries are HALTED, nothing is sent, and one alert goes out', async () => {
    stack = await startGuarded({ env: { MAX_DAILY_LOSS_USD: '2000', SLACK_WEBHOOK_URL: `${slack.origin}/hook` } });
    stack.alpaca.setAccount({ cash: 97_500, lastEquity: 100_000 });
    const first = await stack.signal(BUY('a'));
    expect(first.body).toMatchObject({ status: 'halted', reason: expect.stringMatching(/daily loss breaker: down \$2,500\.00 \(2\.5%\)/) });
    expect((await stack.signal({ action: 'SELL', symbol: 'MSFT', timeframe: '15' })).body.status).toBe('halted');
    expect(stack.alpaca.orders).toHaveLength(0);
    await stack.waitStatus('AAPL', '15 Min', 'HALTED');
    await stack.until(() => slack.requests.length > 0, 'the Slack alert');
    await new Promise((r) => setTimeout(r, 200));
    expect(slack.requests).toHaveLength(1);
    expect(slack.requests[0].body).toContain('Daily loss breaker tripped');
    expect((await stack.call('/halt', { token: API_TOKEN })).body).toMatchObject({ halted: false, breaker: { tripped: true, loss: 2500 } });
  });

  it('when tripped, then a CLOSE still goes through', async () => {
    stack = await startGuarded({ env: { MAX_DAILY_LOSS_PCT: '1' } });
    stack.alpaca.setPosition('AAPL', 10, 300); // bought at 300, now 190: equity is below the previous close
    stack.alpaca.setAccount({ cash: 98_000, lastEquity: 101_000 });
    expect((await stack.signal({ action: 'BUY', symbol: 'MSFT', timeframe: '15' })).body.status).toBe('halted');
    expect((await stack.signal({ action: 'CLOSE', symbol: 'AAPL', timeframe: '15' })).body.status).toBe('ORDER SUBMITTED');
    expect(stack.alpaca.orders).toEqual([expect.objectContaining({ symbol: 'AAPL', side: 'sell', qty: '10' })]);
  });

  it('when the loss is within the limits, then it trades', async () => {
    stack = await startGuarded({ env: { MAX_DAILY_LOSS_USD: '2000', MAX_DAILY_LOSS_PCT: '3' } });
    stack.alpaca.setAccount({ cash: 98_100, lastEquity: 100_000 });
    expect((await stack.signal(BUY('b'))).body.status).toBe('ORDER SUBMITTED');
  });

  it('when the server restarts, then the trip holds; when the next session opens, it resets against the new close', async () => {
    const clock = shiftedClock();
    stack = await startGuarded({ clock, env: { MAX_DAILY_LOSS_PCT: '2' } });
    stack.alpaca.setAccount({ cash: 97_000, lastEquity: 100_000 });
    expect((await stack.signal(BUY('c'))).body.status).toBe('halted');
    await stack.restart();
    stack.alpaca.setAccount({ cash: 99_000 }); // partly recovered; the trip still holds for the session
    expect((await stack.signal(BUY('d'))).body.status).toBe('halted');
    const { until } = (await stack.call('/halt', { token: API_TOKEN })).body.breaker;
    clock.shift(Date.parse(until) - Date.now() + 60_000);
    stack.alpaca.setAccount({ lastEquity: 99_000 }); // the next session measures from the new close
    expect((await stack.signal(BUY('e'))).body.status).toBe('ORDER SUBMITTED');
    expect(stack.alpaca.orders).toHaveLength(1);
  });
});
