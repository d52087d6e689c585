/** What the webhook accepts and refuses, and the read endpoints. */
import request from 'supertest';
import { API_TOKEN, SECRET, startStack, type Stack } from '../../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.stop());
beforeEach(() => {
  stack.alpaca.reset();
  for (const [symbol, price] of [
    ['AAPL', 190],
    ['MSFT', 410],
  ] as const)
    stack.alpaca.setPrice(symbol, price);
});

/** supertest against the running server, so every request crosses real HTTP. */
const http = () => request(stack.server.url);
const post = (body: string, contentType = 'application/json') => http().post('/webhook').set('content-type', contentType).send(body);

describe('refusals', () => {
  it('when the secret is wrong or missing, then 401 and nothing is sent', async () => {
    for (const body of [
      { action: 'BUY', symbol: 'AAPL', timeframe: '15', secret: 'nope' },
      { action: 'BUY', symbol: 'AAPL', timeframe: '15' },
    ]) {
      const res = await post(JSON.stringify(body));
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'wrong or missing secret' });
    }
    expect(stack.alpaca.orders).toHaveLength(0);
  });

  it.each([
    ['{not json', /not valid JSON/],
    ['', /empty body/],
    ['[1,2]', /JSON object/],
    [JSON.stringify({ action: 'HOLD', symbol: 'AAPL', timeframe: '15', secret: SECRET }), /unknown action "HOLD"/],
    [JSON.stringify({ action: 'BUY', timeframe: '15', secret: SECRET }), /missing symbol/],
    [JSON.stringify({ action: 'BUY', symbol: 'AAPL', secret: SECRET }), /missing timeframe/],
  ])('when the body is %p, then 400 says exactly what is wrong', async (body, error) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(error);
    expect(stack.alpaca.orders).toHaveLength(0);
  });

  it('when the body is larger than the cap, then 413 and nothing is sent', async () => {
    const res = await post(JSON.stringify({ action: 'BUY', symbol: 'AAPL', timeframe: '15', secret: SECRET, pad: 'x'.repeat(20_000) }));
    expect(res.status).toBe(413);
    expect(stack.alpaca.orders).toHaveLength(0);
  });

  /** A BUY whose field `x` nests `levels - 1` arrays or objects, so the body is `levels` deep (the body itself is level 1). */
  const nested = (kind: 'array' | 'object', levels: number, id = 'deep') => {
    const [open, close] = kind === 'array' ? ['[', ']'] : ['{"a":', '}'];
    return (
      `{"action":"BUY","symbol":"AAPL","timeframe":"15","id":"${id}","secret":"${SECRET}",` +
      `"x":${open.repeat(levels - 1)}1${close.repeat(levels - 1)}}`
    );
  };

  it.each([
    ['array', 7_900],
    ['object', 2_600],
    ['object', 33],
  ] as const)(
    'when a signal nests %s %p levels deep, then 400 names the nesting, nothing is sent, and the server still trades',
    async (kind, levels) => {
      const text = nested(kind, levels);
      expect(text.length).toBeLessThan(16 * 1024); // under the size cap: the nesting alone is refused
      const res = await post(text);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('body is nested too deeply (more than 32 levels)');
      expect(stack.alpaca.orders).toHaveLength(0);
      const after = await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15', id: `after-deep-${kind}-${levels}` });
      expect(after.body.status).toBe('ORDER SUBMITTED');
    },
  );

  it('when a signal nests 32 levels deep, the limit, then it is traded', async () => {
    const res = await post(nested('object', 32, 'deep-32'));
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ORDER SUBMITTED');
  });

  it('when a secret is refused, then no log line carries any secret', async () => {
    await post(JSON.stringify({ action: 'BUY', symbol: 'AAPL', timeframe: '15', secret: SECRET + 'x' }));
    await stack.signal({ action: 'CLOSE', symbol: 'AAPL', timeframe: '15' });
    expect(stack.logs.join('\n')).not.toContain(SECRET);
  });
});

describe('accepted forms', () => {
  it('when the alert comes as text/plain, then it is read as JSON and traded', async () => {
    const res = await post(JSON.stringify({ action: 'BUY', symbol: 'AAPL', timeframe: '15', secret: SECRET, id: 'plain-1' }), 'text/plain');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ORDER SUBMITTED');
    expect(stack.alpaca.orders).toHaveLength(1);
  });

  it('when the secret comes in the X-Webhook-Secret header or as passphrase, then it is accepted', async () => {
    const a = await http()
      .post('/webhook')
      .set('x-webhook-secret', SECRET)
      .send(JSON.stringify({ action: 'CLOSE', symbol: 'AAPL', timeframe: '15' }));
    expect(a.status).toBe(200);
    const b = await post(JSON.stringify({ action: 'CLOSE', symbol: 'MSFT', timeframe: '15', passphrase: SECRET }));
    expect(b.status).toBe(200);
  });

  it.each(['15', '15m', '15min', '15 Min', '15 minutes'])(
    'when the timeframe is %p, then it matches the "15 Min" row',
    async (timeframe) => {
      const res = await stack.signal({ action: 'BUY', symbol: 'MSFT', timeframe, id: `tf-${timeframe.replace(/ /g, '_')}` });
      expect(res.body).toMatchObject({ status: 'ORDER SUBMITTED', timeframe: '15 Min' });
    },
  );

  it.each(['60', '1H', '1 hour'])('when the timeframe is %p, then it matches the "1 Hour" row', async (interval) => {
    const res = await stack.signal({ action: 'buy', ticker: 'AAPL', interval, id: `h-${interval.replace(/ /g, '_')}` });
    expect(res.body).toMatchObject({ status: 'ORDER SUBMITTED', timeframe: '1 Hour' });
  });

  it('when Alpaca is slow, then the answer still comes before the deadline and the order goes on', async () => {
    stack.alpaca.inject({ method: 'POST', path: /\/v2\/orders$/, delayMs: 3500 });
    const started = Date.now();
    const res = await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '1H', id: 'slow-1' });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(res.body.status).toBe('accepted');
    await stack.waitStatus('AAPL', '1 Hour', 'FILLED');
  });
});

describe('read endpoints', () => {
  const auth = { authorization: `Bearer ${API_TOKEN}` };
  it('when /health is asked with the token, then it reports mode, uptime and active rows', async () => {
    const res = await http().get('/health').set(auth);
    expect(res.body).toMatchObject({ status: 'ok', mode: 'paper', active_rows: 3, uptime_s: expect.any(Number) });
  });

  it('when /config is asked, then it lists the active rows and their total', async () => {
    const res = await http().get('/config').set(auth);
    expect(res.body).toEqual({ 'AAPL 15 Min': 5000, 'AAPL 1 Hour': 5000, 'MSFT 15 Min': 5000, total: 15000 });
  });

  it('when /positions is asked, then it lists Alpaca positions with qty, side, entry, last price, value, P&L and protection', async () => {
    stack.alpaca.setPosition('MSFT', -3, 400);
    const res = await http().get('/positions').set(auth);
    expect(res.body).toEqual([
      { symbol: 'MSFT', qty: -3, side: 'short', avg_entry: 400, last: 410, market_value: -1230, unrealized_pl: -30, protection: 'none' },
    ]);
  });

  it('when a route is unknown, then 404 JSON', async () => {
    const res = await http().get('/nope');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'no route GET /nope' });
  });
});
