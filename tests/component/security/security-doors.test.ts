/** The doors: webhook secret and lock-out, bearer token, /health, request hygiene. */
import { API_TOKEN, SECRET, startGuarded, type GuardedStack } from '../../support/guarded-stack';

let stack: GuardedStack;
afterEach(async () => stack?.stop());

const BUY = { action: 'BUY', symbol: 'AAPL', timeframe: '15' };
const leaked = () => stack.logs.filter((l) => l.includes(SECRET) || l.includes(API_TOKEN));

describe('webhook secret', () => {
  it('when the secret comes as X-Webhook-Secret or as passphrase, then the alert trades', async () => {
    stack = await startGuarded();
    expect((await stack.signal({ ...BUY, id: 'h1' }, { secret: false, headers: { 'x-webhook-secret': SECRET } })).body.status).toBe(
      'ORDER SUBMITTED',
    );
    stack.alpaca.reset();
    stack.alpaca.setPrice('MSFT', 410);
    expect(
      (await stack.signal({ action: 'BUY', symbol: 'MSFT', timeframe: '15', passphrase: SECRET }, { secret: false })).body.status,
    ).toBe('ORDER SUBMITTED');
    expect(stack.alpaca.orders).toHaveLength(1);
    expect(leaked()).toEqual([]);
  });

  it(
    'when one address keeps sending wrong secrets, then its wrong attempts ' +
      'get 429 saying when the lock-out ends, and the right secret still trades',
    async () => {
      stack = await startGuarded({ env: { BAD_SECRET_LIMIT: '3' } });
      for (let i = 0; i < 3; i++) expect((await stack.signal({ ...BUY, secret: `guess-${i}` }, { secret: false })).status).toBe(401);
      const locked = await stack.signal({ ...BUY, secret: 'guess-again' }, { secret: false });
      expect(locked.status).toBe(429);
      expect(Date.parse(locked.body.locked_until)).toBeGreaterThan(Date.now() + 14 * 60_000);
      expect(locked.body.error).toContain(locked.body.locked_until);
      expect((await stack.signal(BUY, { secret: false })).status).toBe(429); // no secret at all is no better
      expect(stack.alpaca.orders).toHaveLength(0);
      expect((await stack.signal(BUY)).body.status).toBe('ORDER SUBMITTED');
      expect(stack.alpaca.orders).toHaveLength(1);
      expect(stack.logs.some((l) => l.includes('http.locked_out'))).toBe(true);
      expect(leaked()).toEqual([]);
    },
  );

  it(
    'when ten requests without the token come from this machine, ' + 'then the right token and the right secret are still answered',
    async () => {
      stack = await startGuarded();
      for (let i = 0; i < 10; i++) expect((await stack.call('/positions')).status).toBe(401);
      expect((await stack.call('/positions')).status).toBe(429);
      expect((await stack.call('/positions', { token: API_TOKEN })).status).toBe(200);
      expect((await stack.call('/halt', { method: 'GET', token: API_TOKEN })).status).toBe(200);
      expect((await stack.signal(BUY)).body.status).toBe('ORDER SUBMITTED');
    },
  );

  it(
    'when a flood of junk from one address passes the rate limit, ' + 'then the token holder and the right secret still get through',
    async () => {
      stack = await startGuarded({ env: { RATE_LIMIT_PER_MINUTE: '5', BAD_SECRET_LIMIT: '1000' } });
      const junk = await Promise.all(Array.from({ length: 12 }, () => stack.call('/nope')));
      expect(junk.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(7);
      expect((await stack.call('/health')).status).toBe(429);
      expect((await stack.signal({ ...BUY, secret: 'wrong-wrong-wrong' }, { secret: false })).status).toBe(429);
      expect((await stack.call('/positions', { token: API_TOKEN })).status).toBe(200);
      expect((await stack.call('/health', { token: API_TOKEN })).body).toMatchObject({ status: 'ok', mode: 'paper' });
      for (let i = 0; i < 8; i++) expect((await stack.signal({ ...BUY, id: `flood-${i}` })).status).toBe(200);
      expect(stack.alpaca.orders).toHaveLength(1);
    },
  );

  it(
    "when strangers send wrong secrets through TradingView's address, then they " +
      "get 401 then 429, and the trader's alerts from that address still trade",
    async () => {
      const TV = { 'x-forwarded-for': '52.89.214.238' };
      stack = await startGuarded({ env: { TRUST_PROXY: 'true', BAD_SECRET_LIMIT: '10' } });
      for (let i = 0; i < 10; i++)
        expect((await stack.signal({ ...BUY, secret: `not-it-${i}` }, { secret: false, headers: TV })).status).toBe(401);
      expect((await stack.signal({ ...BUY, secret: 'not-it-again' }, { secret: false, headers: TV })).status).toBe(429);
      expect((await stack.signal(BUY, { headers: TV })).body.status).toBe('ORDER SUBMITTED');
      expect((await stack.signal({ action: 'CLOSE', symbol: 'AAPL', timeframe: '15' }, { headers: TV })).status).toBe(200);
      expect(stack.alpaca.orders.length).toBeGreaterThanOrEqual(1);
    },
  );
});

describe('bearer token', () => {
  const paths: [string, string][] = [
    ['GET', '/config'],
    ['GET', '/positions'],
    ['GET', '/performance'],
    ['GET', '/halt'],
    ['POST', '/halt'],
    ['POST', '/resume'],
    ['POST', '/flatten'],
    ['GET', '/CONFIG'],
    ['GET', '/positions/'],
    ['GET', '/%70ositions'],
  ];

  it.each(paths)('when %s %s comes without the token or with a wrong one, then 401 and nothing is read or done', async (method, path) => {
    stack = await startGuarded();
    stack.alpaca.setPosition('AAPL', 10, 180);
    for (const token of [undefined, 'wrong-token-wrong-token', API_TOKEN + 'x']) {
      const res = await stack.call(path, { method, token });
      expect(res.status).toBe(401);
      expect(JSON.stringify(res.body)).not.toMatch(/AAPL|5000|halted/);
    }
    expect(stack.alpaca.positions()).toHaveLength(1);
    expect(stack.alpaca.requests.filter((r) => r.method === 'DELETE')).toHaveLength(0);
    expect((await stack.signal(BUY)).body.status).toBe('ALREADY LONG'); // not halted
  });

  it('when the token is right, then the read endpoints answer', async () => {
    stack = await startGuarded();
    stack.alpaca.setPosition('AAPL', 10, 180);
    expect((await stack.call('/positions', { token: API_TOKEN })).body).toEqual([expect.objectContaining({ symbol: 'AAPL', qty: 10 })]);
    expect((await stack.call('/config', { token: API_TOKEN })).body).toMatchObject({ 'AAPL 15 Min': 5000 });
  });

  it('when /health is asked anonymously, then it tells only ok or degraded; with the token, the details', async () => {
    stack = await startGuarded();
    expect((await stack.call('/health')).body).toEqual({ status: 'ok' });
    expect((await stack.call('/health', { token: 'not-the-token-at-all' })).body).toEqual({ status: 'ok' });
    expect((await stack.call('/health', { token: API_TOKEN })).body).toMatchObject({
      status: 'ok',
      mode: 'paper',
      sheet: 'google',
      active_rows: 3,
    });
  });

  it('when /health is used to guess tokens, then the guesses count toward the lock-out, and the right token still reads', async () => {
    stack = await startGuarded({ env: { BAD_SECRET_LIMIT: '2' } });
    expect((await stack.call('/health', { token: 'guess-number-one-xx' })).body).toEqual({ status: 'ok' });
    await stack.call('/health', { token: 'guess-number-two-xx' });
    expect((await stack.call('/positions', { token: 'guess-number-three' })).status).toBe(429);
    expect((await stack.call('/health', { token: API_TOKEN })).body).toMatchObject({ status: 'ok', mode: 'paper' });
    expect((await stack.call('/positions', { token: API_TOKEN })).status).toBe(200);
  });
});

describe('request hygiene', () => {
  it('when any answer goes out, then it has security headers and no X-Powered-By', async () => {
    stack = await startGuarded();
    for (const res of [await stack.call('/health'), await stack.call('/nope'), await stack.call('/positions')]) {
      expect(res.headers.get('x-powered-by')).toBeNull();
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('when a route is unknown, then 404 JSON', async () => {
    stack = await startGuarded();
    const res = await stack.call('/admin', { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'no route POST /admin' });
  });

  it('when a body is over 16 kB, then 413 and no order', async () => {
    stack = await startGuarded();
    const res = await stack.signal({ ...BUY, pad: 'x'.repeat(17_000) });
    expect(res.status).toBe(413);
    expect(stack.alpaca.orders).toHaveLength(0);
  });

  it('when a request breaks the parser, then the error is a short JSON message without a stack trace', async () => {
    stack = await startGuarded();
    const answers = [
      await stack.call('/webhook', { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain; charset=klingon' } }),
      await stack.call('/webhook', { method: 'POST', body: 'garbage', headers: { 'content-encoding': 'gzip' } }),
      await stack.call('/%E0%A4%A', { method: 'GET' }),
    ];
    for (const res of answers) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(JSON.stringify(res.body)).not.toMatch(/\bat .*\(|node_modules|\.ts:\d+|Error:/);
    }
    expect(stack.alpaca.orders).toHaveLength(0);
  });

  it('when one address floods the server, then the general limit answers 429', async () => {
    stack = await startGuarded({ env: { RATE_LIMIT_PER_MINUTE: '5' } });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await stack.call('/health')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect((await stack.signal(BUY, { secret: false })).status).toBe(429);
    expect(stack.alpaca.orders).toHaveLength(0);
    expect((await stack.signal(BUY)).body.status).toBe('ORDER SUBMITTED'); // the right secret is never limited
  });
});
