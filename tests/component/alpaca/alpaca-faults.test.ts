/**
 * Passing faults (429, 5xx, hang-ups, timeouts) must surface as TemporaryError
 * so the use case retries or reconciles; final refusals as RejectedError. The
 * unknown-outcome case (order placed, answer lost) must be recoverable by a
 * lookup by client order id.
 */
import { createServer, type AddressInfo } from 'node:net';
import { RejectedError, TemporaryError } from '../../../src/domain/errors';
import { startFakeAlpaca } from '../../fakes/fake-alpaca';
import { brokerFor } from '../../support/alpaca-broker';
import { alpacaFixture } from '../../support/alpaca-fixture';

const { fake, broker } = alpacaFixture();

async function failure(p: Promise<unknown>): Promise<Error> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  return err as Error;
}

describe('temporary faults', () => {
  test('when Alpaca answers 429 with Retry-After, then it is a TemporaryError carrying the wait', async () => {
    fake.inject({ path: /^\/v2\/account$/, status: 429, headers: { 'Retry-After': '7' } });
    const err = await failure(broker.getAccount());
    expect(err).toBeInstanceOf(TemporaryError);
    expect((err as TemporaryError).retryAfterMs).toBe(7000);
  });

  test('when Alpaca answers 500, then it is a TemporaryError and the next call succeeds', async () => {
    fake.inject({ path: /^\/v2\/positions\/AAPL$/, status: 500 });
    expect(await failure(broker.getPosition('AAPL'))).toBeInstanceOf(TemporaryError);
    expect(await broker.getPosition('AAPL')).toBeNull();
  });

  test('when the data host answers 503, then getLatestPrice is a TemporaryError', async () => {
    fake.inject({ host: 'data', path: /trades\/latest$/, status: 503 });
    expect(await failure(broker.getLatestPrice('AAPL'))).toBeInstanceOf(TemporaryError);
  });

  test('when the connection is hung up, then it is a TemporaryError', async () => {
    fake.inject({ path: /^\/v2\/clock$/, hangUp: true });
    const err = await failure(broker.getClock());
    expect(err).toBeInstanceOf(TemporaryError);
    expect(err.message).toMatch(/could not be reached while reading the market clock/);
  });

  test('when nothing listens at the base URL, then it is a TemporaryError', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const err = await failure(brokerFor(fake, { baseUrl: `http://127.0.0.1:${port}` }).getAccount());
    expect(err).toBeInstanceOf(TemporaryError);
    expect(err.message).toMatch(/ECONNREFUSED/);
  });

  test('when Alpaca does not answer within timeoutMs, then it is a TemporaryError soon after', async () => {
    fake.inject({ path: /^\/v2\/account$/, hang: true });
    const started = Date.now();
    const err = await failure(brokerFor(fake, { timeoutMs: 200 }).getAccount());
    expect(err).toBeInstanceOf(TemporaryError);
    expect(err.message).toMatch(/did not answer in time/);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  test('when every request is slower than timeoutMs, then it is a TemporaryError', async () => {
    fake.setLatency(300);
    try {
      expect(await failure(brokerFor(fake, { timeoutMs: 100 }).getClock())).toBeInstanceOf(TemporaryError);
    } finally {
      fake.setLatency(0);
    }
  });

  test('when the SDK retry is on, then a GET that failed once with 503 succeeds', async () => {
    const fault = fake.inject({ path: /^\/v2\/account$/, status: 503 });
    expect((await brokerFor(fake, { retry: true }).getAccount()).equity).toBe(100_000);
    expect(fault.hits).toBe(1);
    expect(fake.requests.filter((r) => r.path === '/v2/account')).toHaveLength(2);
  });
});

describe('orders with an unknown outcome', () => {
  test('when the order POST gets a 503, then it is a TemporaryError, it is sent once even with retry on, and no order exists', async () => {
    fake.inject({ method: 'POST', path: /^\/v2\/orders$/, status: 503, times: Infinity });
    const broker = brokerFor(fake, { retry: true });
    expect(await failure(broker.submitOrder({ symbol: 'SPY', side: 'buy', qty: 1, clientOrderId: 'u-1' }))).toBeInstanceOf(TemporaryError);
    expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(await broker.findOrderByClientId('u-1')).toBeNull();
  });

  test('when the order is placed but the answer is a 500, then the lookup by client order id finds it', async () => {
    fake.inject({ method: 'POST', path: /^\/v2\/orders$/, status: 500, afterApplying: true });
    expect(await failure(broker.submitOrder({ symbol: 'SPY', side: 'buy', qty: 2, clientOrderId: 'u-2' }))).toBeInstanceOf(TemporaryError);
    expect(await broker.findOrderByClientId('u-2')).toMatchObject({ clientOrderId: 'u-2', state: 'filled', filledQty: 2 });
  });

  test('when the order is placed but the connection is hung up, then it is a TemporaryError and the order exists', async () => {
    fake.inject({ method: 'POST', path: /^\/v2\/orders$/, hangUp: true, afterApplying: true });
    expect(await failure(broker.submitOrder({ symbol: 'SPY', side: 'buy', qty: 1, clientOrderId: 'u-3' }))).toBeInstanceOf(TemporaryError);
    expect(await broker.findOrderByClientId('u-3')).toMatchObject({ state: 'filled' });
  });

  test(
    'when the order is placed but the answer never comes, then the ' + 'timeout is a TemporaryError and a resend is refused as a duplicate',
    async () => {
      fake.inject({ method: 'POST', path: /^\/v2\/orders$/, hang: true, afterApplying: true });
      const broker = brokerFor(fake, { timeoutMs: 200 });
      expect(await failure(broker.submitOrder({ symbol: 'SPY', side: 'buy', qty: 1, clientOrderId: 'u-4' }))).toBeInstanceOf(
        TemporaryError,
      );
      const resend = await failure(broker.submitOrder({ symbol: 'SPY', side: 'buy', qty: 1, clientOrderId: 'u-4' }));
      expect(resend).toBeInstanceOf(RejectedError);
      expect(resend.message).toBe('client_order_id must be unique');
      expect(fake.orders).toHaveLength(1);
    },
  );
});

describe('final refusals', () => {
  test('when Alpaca answers 403 with its message, then it is a RejectedError with that message', async () => {
    fake.inject({ path: /^\/v2\/account$/, status: 403, body: { code: 40310000, message: 'account is blocked' } });
    const err = await failure(broker.getAccount());
    expect(err).toBeInstanceOf(RejectedError);
    expect(err.message).toBe('account is blocked');
  });

  test('when Alpaca answers 400, then it is a RejectedError', async () => {
    fake.inject({ path: /^\/v2\/orders$/, method: 'GET', status: 400 });
    expect(await failure(broker.listOpenOrders())).toBeInstanceOf(RejectedError);
  });
});

describe('rate limit', () => {
  it('when more than the minute allows is asked, then Alpaca-style 429s surface as TemporaryError', async () => {
    const limited = await startFakeAlpaca({ rateLimitPerMinute: 3 });
    try {
      const broker = brokerFor(limited);
      for (let i = 0; i < 3; i++) await broker.getAccount();
      await expect(broker.getAccount()).rejects.toBeInstanceOf(TemporaryError);
      limited.setRateLimit(false);
      await expect(broker.getAccount()).resolves.toMatchObject({ status: 'ACTIVE' });
    } finally {
      await limited.close();
    }
  });
});
