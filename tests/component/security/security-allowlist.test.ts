/**
 * The address allowlist over real sockets. A request sent to this machine's
 * non-loopback address comes *from* that address, so the server meets a
 * genuine stranger, with and without TRUST_PROXY.
 */
import { externalAddress, startGuarded, type GuardedStack } from '../../support/guarded-stack';

const stranger = externalAddress();
const TV = '52.89.214.238';
const BUY = { action: 'BUY', symbol: 'AAPL', timeframe: '15' };

let stack: GuardedStack;
afterEach(async () => stack?.stop());

(stranger ? describe : describe.skip)(`allowlist (stranger = ${stranger})`, () => {
  it('when a stranger calls /webhook, then 403 with a log line, and no order; loopback is still allowed', async () => {
    stack = await startGuarded({ env: { WEBHOOK_ALLOWED_IPS: 'tradingview' } });
    const res = await stack.signal(BUY, { via: stranger });
    expect(res).toMatchObject({ status: 403, body: { error: 'forbidden' } });
    expect(stack.logs.find((l) => l.includes('http.forbidden_source'))).toContain(stranger);
    expect(stack.alpaca.orders).toHaveLength(0);
    expect((await stack.signal(BUY)).body.status).toBe('ORDER SUBMITTED');
  });

  it('when Alpaca is configured and no allowlist is set, then only TradingView may call', async () => {
    stack = await startGuarded();
    expect((await stack.signal(BUY, { via: stranger })).status).toBe(403);
    expect(stack.alpaca.orders).toHaveLength(0);
  });

  it('when TRUST_PROXY is off, then a spoofed X-Forwarded-For naming TradingView is ignored', async () => {
    stack = await startGuarded({ env: { WEBHOOK_ALLOWED_IPS: 'tradingview' } });
    for (const xff of [TV, `${TV}, ${TV}`, `203.0.113.5, ${TV}`]) {
      expect((await stack.signal(BUY, { via: stranger, headers: { 'x-forwarded-for': xff } })).status).toBe(403);
    }
    expect(stack.alpaca.orders).toHaveLength(0);
  });

  it('when the stranger is a trusted proxy, then the address it forwards decides', async () => {
    stack = await startGuarded({ env: { WEBHOOK_ALLOWED_IPS: 'tradingview', TRUST_PROXY: stranger! } });
    expect((await stack.signal(BUY, { via: stranger, headers: { 'x-forwarded-for': '203.0.113.5' } })).status).toBe(403);
    // The caller wrote the first address; the proxy appended the real one, which is what counts.
    expect((await stack.signal(BUY, { via: stranger, headers: { 'x-forwarded-for': `${TV}, 203.0.113.5` } })).status).toBe(403);
    expect(stack.alpaca.orders).toHaveLength(0);
    const res = await stack.signal(BUY, { via: stranger, headers: { 'x-forwarded-for': `203.0.113.5, ${TV}` } });
    expect(res.body.status).toBe('ORDER SUBMITTED');
  });

  it('when TRUST_PROXY=true, then only a proxy on this machine is believed, not a stranger', async () => {
    stack = await startGuarded({ env: { WEBHOOK_ALLOWED_IPS: 'tradingview', TRUST_PROXY: 'true' } });
    expect((await stack.signal(BUY, { via: stranger, headers: { 'x-forwarded-for': TV } })).status).toBe(403);
    expect((await stack.signal(BUY, { headers: { 'x-forwarded-for': '203.0.113.5' } })).status).toBe(403);
    expect(stack.alpaca.orders).toHaveLength(0);
    expect((await stack.signal(BUY, { headers: { 'x-forwarded-for': TV } })).body.status).toBe('ORDER SUBMITTED');
  });

  it('when the allowlist names the caller by CIDR, then it trades; "any" lets everyone reach the secret check', async () => {
    stack = await startGuarded({ env: { WEBHOOK_ALLOWED_IPS: `tradingview,${stranger}/32` } });
    expect((await stack.signal(BUY, { via: stranger })).body.status).toBe('ORDER SUBMITTED');
    await stack.restart({ WEBHOOK_ALLOWED_IPS: 'any' });
    expect((await stack.signal({ ...BUY, secret: 'wrong' }, { via: stranger, secret: false })).status).toBe(401);
  });

  it('when a stranger is refused at the webhook, then the read endpoints still answer it by token alone', async () => {
    stack = await startGuarded({ env: { WEBHOOK_ALLOWED_IPS: 'tradingview' } });
    expect((await stack.call('/health', { via: stranger })).body).toEqual({ status: 'ok' });
    expect((await stack.call('/positions', { via: stranger })).status).toBe(401);
  });
});
