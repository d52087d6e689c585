/** The brakes as pure decisions: kill switch, stale signals, size cap, market clock, loss breaker. */
import type { Account, MarketClock, Signal } from '../../../src/domain/types';
import { KillSwitch, killSwitchGuard } from '../../../src/app/guards/kill-switch';
import { LossBreaker } from '../../../src/app/guards/loss-breaker';
import { MarketClockCache } from '../../../src/app/guards/market-clock';
import { sizeCapGuard } from '../../../src/app/guards/size-cap';
import { staleGuard } from '../../../src/app/guards/stale';
import { memoryLogger } from '../../../src/logger';
import type { Broker, Notification, Notifier, StateStore } from '../../../src/ports';

const T0 = Date.parse('2025-10-06T15:00:00Z');
function manualClock(start = T0) {
  let now = start;
  return { now: () => new Date(now), sleep: async () => undefined, advance: (ms: number) => (now += ms) };
}
const memoryStore = (): StateStore => {
  const m = new Map<string, string>();
  return { get: (k) => m.get(k), set: (k, v) => void m.set(k, v) };
};
const signal = (action: Signal['action'], extra: Partial<Signal> = {}): Signal => ({
  action,
  symbol: 'AAPL',
  timeframe: '15m',
  timeframeLabel: '15',
  ...extra,
});

/** A broker that only answers the account and the clock, counting calls. */
function accountBroker(account: Account, clock: MarketClock) {
  const calls = { account: 0, clock: 0 };
  const broker = {
    mode: 'paper',
    getAccount: async () => (calls.account++, { ...account }),
    getClock: async () => (calls.clock++, { ...clock }),
  } as unknown as Broker;
  return { broker, calls, account, clock };
}

describe('kill switch', () => {
  it('when halted, then entries are refused as HALTED, closes pass unless HALT_BLOCKS_CLOSE; resume lifts it', () => {
    const store = memoryStore();
    const ks = new KillSwitch(store, manualClock());
    ks.halt('POST /halt');
    expect(killSwitchGuard(ks, false)('entry')).toEqual({ status: 'halted', reason: 'trading halted: POST /halt', sheetStatus: 'HALTED' });
    expect(killSwitchGuard(ks, false)('exit')).toBeUndefined();
    expect(killSwitchGuard(ks, true)('exit')?.status).toBe('halted');
    expect(new KillSwitch(store, manualClock()).state()).toMatchObject({ halted: true, reason: 'POST /halt' });
    ks.resume();
    expect(killSwitchGuard(ks, true)('entry')).toBeUndefined();
  });

  it('when halted twice, then the first reason and time are kept; an unreadable record means halted', () => {
    const store = memoryStore();
    const clock = manualClock();
    const ks = new KillSwitch(store, clock);
    const first = ks.halt('TRADING_ENABLED=false');
    clock.advance(1000);
    expect(ks.halt('flatten')).toEqual(first);
    store.set('trading.halt', '{oops');
    expect(ks.state().halted).toBe(true);
  });
});

describe('stale signals', () => {
  const guard = staleGuard(120);
  it('when timenow is older than the limit, then it is refused as stale; within it, it passes', () => {
    expect(guard(signal('long', { firedAt: new Date(T0 - 121_000).toISOString() }), T0)).toMatchObject({
      status: 'stale',
      sheetStatus: 'FAILED',
    });
    expect(guard(signal('long', { firedAt: new Date(T0 - 119_000).toISOString() }), T0)).toBeUndefined();
    expect(guard(signal('long', { firedAt: new Date(T0 + 600_000).toISOString() }), T0)?.reason).toMatch(/in the future/);
  });

  it('when only the bar time is old (a 15-minute bar fires 15 minutes after it opened), then it is not stale', () => {
    expect(guard(signal('long', { barTime: new Date(T0 - 15 * 60_000).toISOString() }), T0)).toBeUndefined();
  });

  it('when the limit is 0, then the check is off', () => {
    expect(staleGuard(0)(signal('long', { firedAt: new Date(T0 - 86_400_000).toISOString() }), T0)).toBeUndefined();
  });
});

describe('size cap', () => {
  const cap = sizeCapGuard(5000);
  it('when an entry order is worth more than the cap, then it is FAILED with both figures', () => {
    expect(cap({ orderValue: 5000.02, resultingValue: 5000.02 })).toEqual({
      status: 'FAILED',
      sheetStatus: 'FAILED',
      reason: 'order of $5,000.02 is over MAX_POSITION_USD $5,000',
    });
    expect(cap({ orderValue: 5000, resultingValue: 5000 })).toBeUndefined();
  });
  it('when a small add would leave the position over the cap, then it is FAILED too', () => {
    expect(cap({ orderValue: 1000, resultingValue: 9000 })).toMatchObject({
      status: 'FAILED',
      reason: 'the position would be worth $9,000, over MAX_POSITION_USD $5,000',
    });
  });
});

describe('market clock cache', () => {
  it('when a burst asks at once, then one request serves it; a reading is dropped near the announced close', async () => {
    const clock = manualClock();
    const { broker, calls } = accountBroker({} as Account, {
      isOpen: true,
      timestamp: new Date(T0).toISOString(),
      nextOpen: '2025-10-07T13:30:00Z',
      nextClose: new Date(T0 + 8_000).toISOString(),
    });
    const cache = new MarketClockCache(broker, clock);
    await Promise.all([cache.read(), cache.read(), cache.read()]);
    expect(calls.clock).toBe(1);
    clock.advance(2_000);
    await cache.read();
    expect(calls.clock).toBe(1);
    clock.advance(2_000); // within 5 s of the close: read again
    await cache.read();
    expect(calls.clock).toBe(2);
  });
});

describe('market clock read ahead', () => {
  const far: MarketClock = {
    isOpen: true,
    timestamp: new Date(T0).toISOString(),
    nextOpen: '2025-10-07T13:30:00Z',
    nextClose: '2025-10-06T20:00:00Z',
  };

  it('when there is no reading, then reading ahead starts one that the next read shares', async () => {
    const { broker, calls } = accountBroker({} as Account, far);
    const cache = new MarketClockCache(broker, manualClock());
    cache.readAhead(3_000);
    expect(calls.clock).toBe(1);
    await cache.read();
    expect(calls.clock).toBe(1);
  });

  it('when the reading in hand outlasts the horizon, then nothing is read; when it expires within it, then a new one is read', async () => {
    const clock = manualClock();
    const { broker, calls } = accountBroker({} as Account, far);
    const cache = new MarketClockCache(broker, clock);
    await cache.read();
    clock.advance(6_000); // good for 4 s more
    cache.readAhead(3_000);
    expect(calls.clock).toBe(1);
    clock.advance(2_000); // good for 2 s more: expires within the horizon
    cache.readAhead(3_000);
    expect(calls.clock).toBe(2);
  });

  it('when the read ahead fails, then nothing is thrown and the next read asks again and reports it', async () => {
    let fail = true;
    const broker = {
      getClock: async () => {
        if (fail) throw new Error('clock down');
        return far;
      },
    } as unknown as Broker;
    const cache = new MarketClockCache(broker, manualClock());
    cache.readAhead(3_000);
    await new Promise((r) => setImmediate(r));
    await expect(cache.read()).rejects.toThrow('clock down');
    fail = false;
    await expect(cache.read()).resolves.toEqual(far);
  });
});

describe('loss breaker', () => {
  const open: MarketClock = {
    isOpen: true,
    timestamp: new Date(T0).toISOString(),
    nextOpen: '2025-10-07T13:30:00Z',
    nextClose: '2025-10-06T20:00:00Z',
  };
  const setup = (account: Partial<Account>, limits: { maxLossUsd?: number; maxLossPct?: number }) => {
    const clock = manualClock();
    const sent: Notification[] = [];
    const notifier: Notifier = { channel: 'slack', send: async (n) => void sent.push(n) };
    const b = accountBroker(
      { equity: 100_000, lastEquity: 100_000, cash: 0, buyingPower: 0, shortingEnabled: true, status: 'ACTIVE', ...account },
      open,
    );
    const store = memoryStore();
    const make = () =>
      new LossBreaker({
        broker: b.broker,
        store,
        clock,
        logger: memoryLogger(),
        notifiers: [notifier],
        marketClock: new MarketClockCache(b.broker, clock),
        ...limits,
      });
    return { clock, sent, b, make };
  };

  it('when the loss reaches the dollar limit, then entries are HALTED until the next open and one alert is sent', async () => {
    const { sent, make } = setup({ equity: 98_999, lastEquity: 100_000 }, { maxLossUsd: 1000 });
    const breaker = make();
    const [a, b] = await Promise.all([breaker.check(), breaker.check()]);
    expect(a).toMatchObject({ status: 'halted', sheetStatus: 'HALTED' });
    expect(a!.reason).toMatch(/down \$1,001\.00 \(1%\).*until 2025-10-07T13:30:00\.000Z/);
    expect(b).toEqual(a);
    await new Promise((r) => setImmediate(r));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ kind: 'alert', title: 'Daily loss breaker tripped: down $1,001.00 (1%)' });
  });

  it('when the percentage limit is not reached, then entries pass', async () => {
    const { make } = setup({ equity: 98_000, lastEquity: 100_000 }, { maxLossPct: 2.5 });
    expect(await make().check()).toBeUndefined();
  });

  it('when the next session opens, then the breaker re-arms and measures against the new previous close', async () => {
    const { clock, b, make } = setup({ equity: 97_000, lastEquity: 100_000 }, { maxLossPct: 2 });
    expect((await make().check())?.status).toBe('halted');
    expect((await make().check())?.status).toBe('halted'); // a restart keeps it
    clock.advance(Date.parse('2025-10-07T13:30:00Z') - T0);
    b.account.lastEquity = 97_000;
    expect(await make().check()).toBeUndefined();
  });

  it('when the account cannot be read, then the entry is refused rather than risked', async () => {
    const { make, b } = setup({}, { maxLossUsd: 10 });
    (b.broker as { getAccount: () => Promise<Account> }).getAccount = async () => {
      throw new Error('alpaca down');
    };
    expect(await make().check()).toMatchObject({ status: 'FAILED', reason: expect.stringMatching(/account unavailable/) });
  });
});
