/**
 * Entry filters over HTTP: trade_window, cooldown_min and MAX_OPEN_POSITIONS
 * make an entry WAITING with the reason in its row, while exits (and the
 * close of a flip) still go; a bad cell is FAILED naming the column; a bad
 * MAX_OPEN_POSITIONS stops start-up. The server's clock is set to a New York
 * time of day and moved forward.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { Clock } from '../../../src/ports';
import { systemClock } from '../../../src/shared/clock';
import { failedStart } from '../../support/child-server';
import { PER_ROW_HEADER, startPerRow } from '../../support/per-row';
import { startStack, type Stack } from '../../support/stack';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

/** A clock set to today's `hhmm` in New York, running with real time from there; `shift` moves it on. */
function newYorkClock(hhmm: string): Clock & { shift(ms: number): void } {
  const [hour, minute] = hhmm.split(':').map(Number);
  const base = DateTime.now().setZone('America/New_York').set({ hour, minute, second: 0, millisecond: 0 }).toMillis();
  const started = Date.now();
  let offset = 0;
  return { now: () => new Date(base + (Date.now() - started) + offset), sleep: systemClock.sleep, shift: (ms) => void (offset += ms) };
}

const HEADER = ['symbol', 'position_size', 'active', 'Time Frame', 'Order Status', 'Reason', 'trade_window', 'cooldown_min'];
const CONFIG = [
  HEADER,
  ['AAPL', '$5,000', 'TRUE', '15 Min', '', '', '9:45-11:30; 13:30 - 15:30', ''],
  ['MSFT', '5000', 'TRUE', '15 Min', '', '', '', '30'],
  ['TSLA', '2000', 'TRUE', '15 Min', '', '', '', ''],
];
const MINUTE = 60_000;
const scaleTo = (symbol: string, size: number, prev: number) => ({
  action: 'buy',
  symbol,
  timeframe: '15',
  market_position: 'long',
  market_position_size: String(size),
  prev_market_position: 'long',
  prev_market_position_size: String(prev),
});

describe('trade_window', () => {
  it('when an entry comes outside the window, then it is WAITING with the window as written, and nothing is sent', async () => {
    stack = await startStack({ config: CONFIG, clock: newYorkClock('12:00') });
    expect((await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' })).body).toMatchObject({
      status: 'WAITING',
      reason: 'outside trading window 09:45-11:30, 13:30-15:30 ET',
    });
    await stack.waitRow('AAPL', '15 Min', { 'Order Status': 'WAITING', Reason: 'outside trading window 09:45-11:30, 13:30-15:30 ET' });
    expect(stack.alpaca.orders).toHaveLength(0);
  });

  it('when an exit comes outside the window, then it still goes', async () => {
    stack = await startStack({ config: CONFIG, clock: newYorkClock('12:00') });
    stack.alpaca.setPosition('AAPL', 10, 190);
    expect((await stack.signal({ action: 'CLOSE', symbol: 'AAPL', timeframe: '15' })).body.status).toBe('ORDER SUBMITTED');
    await stack.waitStatus('AAPL', '15 Min', 'WAITING');
    expect(stack.orderLines()).toEqual(['sell 10']);
    expect(stack.brokerQty('AAPL')).toBe(0);
  });

  it(
    'when a flip comes outside the window, then the close goes and the opening leg is refused: ' + 'the row is WAITING with the reason',
    async () => {
      stack = await startStack({ config: CONFIG, clock: newYorkClock('12:00') });
      stack.alpaca.setPosition('AAPL', 10, 190);
      const answer = await stack.signal({ action: 'SELL', symbol: 'AAPL', timeframe: '15' });
      expect(answer.body).toMatchObject({ status: 'WAITING', reason: expect.stringContaining('outside trading window') });
      await stack.waitRow('AAPL', '15 Min', {
        'Order Status': 'WAITING',
        Reason: /^closed 10; not opened: outside trading window 09:45-11:30/,
      });
      expect(stack.orderLines()).toEqual(['sell 10']);
      expect(stack.brokerQty('AAPL')).toBe(0);
    },
  );

  it('when the clock reaches the next range, then the entry trades', async () => {
    const clock = newYorkClock('13:29');
    stack = await startStack({ config: CONFIG, clock });
    expect((await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15', id: 'a' })).body.status).toBe('WAITING');
    clock.shift(2 * MINUTE);
    expect((await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15', id: 'b' })).body.status).toBe('ORDER SUBMITTED');
    await stack.waitStatus('AAPL', '15 Min', 'FILLED');
  });
});

describe('cooldown_min', () => {
  it('when the row closed its position, then entries wait until the minutes pass ("cooling down until HH:MM ET"), then trade', async () => {
    const clock = newYorkClock('10:00');
    stack = await startStack({ config: CONFIG, clock });
    stack.alpaca.setPosition('MSFT', 10, 410);
    expect((await stack.signal({ action: 'CLOSE', symbol: 'MSFT', timeframe: '15' })).body.status).toBe('ORDER SUBMITTED');
    await stack.waitStatus('MSFT', '15 Min', 'WAITING');
    clock.shift(10 * MINUTE);
    expect((await stack.signal({ action: 'BUY', symbol: 'MSFT', timeframe: '15', id: 'early' })).body).toMatchObject({
      status: 'WAITING',
      reason: 'cooling down until 10:30 ET',
    });
    await stack.waitRow('MSFT', '15 Min', { 'Order Status': 'WAITING', Reason: 'cooling down until 10:30 ET' });
    expect(stack.orderLines()).toEqual(['sell 10']);
    clock.shift(21 * MINUTE);
    expect((await stack.signal({ action: 'BUY', symbol: 'MSFT', timeframe: '15', id: 'later' })).body.status).toBe('ORDER SUBMITTED');
    await stack.waitStatus('MSFT', '15 Min', 'FILLED');
    expect(stack.orderLines()).toEqual(['sell 10', 'buy $5000']);
  });

  it("when a stop of the position's OCO pair filled, then that fill starts the cooldown", async () => {
    const clock = newYorkClock('10:00');
    const header = [
      'symbol',
      'position_size',
      'active',
      'Time Frame',
      'Order Status',
      'Reason',
      'stop_loss_pct',
      'take_profit_pct',
      'cooldown_min',
    ];
    stack = await startStack({ config: [header, ['AAPL', '5000', 'TRUE', '15 Min', '', '', '2', '5', '15']], clock });
    stack.alpaca.setPrice('AAPL', 200);
    expect((await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15', id: 'open' })).body.status).toBe('ORDER SUBMITTED');
    await stack.waitResting(2); // the target and its stop leg
    clock.shift(20 * MINUTE); // past the cooldown counted from anything before the stop
    stack.alpaca.setPrice('AAPL', 195.5);
    await stack.waitRow('AAPL', '15 Min', { 'Order Status': 'WAITING', Reason: /^stop loss filled/ });
    expect(stack.brokerQty('AAPL')).toBe(0);
    expect((await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15', id: 'again' })).body).toMatchObject({
      status: 'WAITING',
      reason: 'cooling down until 10:35 ET',
    });
    expect(stack.alpaca.orders.filter((o) => o.type === 'market')).toHaveLength(1);
  });

  it('when the row never went flat through the bot, then its first entry trades at once', async () => {
    stack = await startStack({ config: CONFIG, clock: newYorkClock('10:00') });
    expect((await stack.signal({ action: 'BUY', symbol: 'MSFT', timeframe: '15' })).body.status).toBe('ORDER SUBMITTED');
  });
});

describe('MAX_OPEN_POSITIONS', () => {
  it('when N symbols are held, then a new symbol waits, while an add to a held one and an exit still go', async () => {
    stack = await startStack({ config: CONFIG, env: { MAX_OPEN_POSITIONS: '2' } });
    stack.alpaca.setPosition('AAPL', 10, 190);
    stack.alpaca.setPosition('MSFT', 10, 410);
    expect((await stack.signal({ action: 'BUY', symbol: 'TSLA', timeframe: '15' })).body).toMatchObject({
      status: 'WAITING',
      reason: 'max open positions (2) reached',
    });
    await stack.waitRow('TSLA', '15 Min', { 'Order Status': 'WAITING', Reason: 'max open positions (2) reached' });
    expect(stack.alpaca.orders).toHaveLength(0);
    expect((await stack.signal(scaleTo('MSFT', 20, 10))).body.status).toBe('ORDER SUBMITTED');
    await stack.until(() => stack!.brokerQty('MSFT') === 20, 'MSFT added to 20');
    expect((await stack.signal({ action: 'CLOSE', symbol: 'AAPL', timeframe: '15' })).body.status).toBe('ORDER SUBMITTED');
    await stack.until(() => stack!.brokerQty('AAPL') === 0, 'AAPL closed');
    // One symbol fewer held: the new one may open now.
    expect((await stack.signal({ action: 'BUY', symbol: 'TSLA', timeframe: '15', id: 'again' })).body.status).toBe('ORDER SUBMITTED');
  });

  it('when MAX_OPEN_POSITIONS is not a whole number, then start-up stops naming it and the fix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'max-open-'));
    try {
      const run = await failedStart({ DATA_DIR: join(dir, 'data'), MAX_OPEN_POSITIONS: 'five' });
      expect(run.started).toBe(false);
      expect(run.code).toBe(1);
      expect(run.out).toMatch(/MAX_OPEN_POSITIONS="five" is not a whole number.*MAX_OPEN_POSITIONS=5/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('cells that cannot be read', () => {
  it(
    'when trade_window or cooldown_min cannot be read, then the row is FAILED naming the column with a good value; ' +
      'its exit still goes',
    async () => {
      const config = [
        HEADER,
        ['AAPL', '$5,000', 'TRUE', '15 Min', '', '', 'mornings', ''],
        ['MSFT', '5000', 'TRUE', '15 Min', '', '', '', 'soon'],
      ];
      stack = await startStack({ config });
      expect((await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' })).body).toMatchObject({
        status: 'FAILED',
        reason: expect.stringMatching(/^trade_window "mornings" is not understood: .*09:45-15:30/),
      });
      await stack.waitRow('AAPL', '15 Min', { 'Order Status': 'FAILED', Reason: /^trade_window "mornings"/ });
      await stack.waitRow('MSFT', '15 Min', { 'Order Status': 'FAILED', Reason: /^cooldown_min "soon" .*e\.g\. 30/ });
      expect(stack.alpaca.orders).toHaveLength(0);
      stack.alpaca.setPosition('MSFT', 10, 410);
      expect((await stack.signal({ action: 'CLOSE', symbol: 'MSFT', timeframe: '15' })).body.status).toBe('ORDER SUBMITTED');
      expect(stack.orderLines()).toEqual(['sell 10']);
    },
  );
});

describe('per-row mode', () => {
  const config = [
    [...PER_ROW_HEADER, 'trade_window', 'cooldown_min'],
    ['AAPL', '$5,000', 'TRUE', '15 Min', '', '', '', '', '20'],
    ['AAPL', '$3,000', 'TRUE', '30 Min', '', '', '', '09:45-15:30', ''],
  ];

  it("when a row closed its own book, then its entries cool down while another row's window is its own", async () => {
    const clock = newYorkClock('10:00');
    stack = await startPerRow({}, { config, clock });
    expect((await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15', id: 'open' })).body.status).toBe('ORDER SUBMITTED');
    await stack.waitRow('AAPL', '15 Min', { 'Order Status': 'FILLED', Position: '50' });
    expect((await stack.signal({ action: 'CLOSE', symbol: 'AAPL', timeframe: '15', id: 'close' })).body.status).toBe('ORDER SUBMITTED');
    await stack.waitRow('AAPL', '15 Min', { 'Order Status': 'WAITING', Position: '0' });
    clock.shift(5 * MINUTE);
    expect((await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15', id: 'early' })).body).toMatchObject({
      status: 'WAITING',
      reason: 'cooling down until 10:20 ET',
    });
    await stack.waitRow('AAPL', '15 Min', { 'Order Status': 'WAITING', Reason: 'cooling down until 10:20 ET' });
    // The 30 Min row never went flat and is inside its window: it enters.
    expect((await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '30', id: 'other' })).body.status).toBe('ORDER SUBMITTED');
    await stack.waitRow('AAPL', '30 Min', { 'Order Status': 'FILLED', Position: '30' });
    clock.shift(16 * MINUTE);
    expect((await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15', id: 'later' })).body.status).toBe('ORDER SUBMITTED');
    await stack.waitRow('AAPL', '15 Min', { 'Order Status': 'FILLED', Position: '50' });
  });

  it('when a row enters outside its window, then it waits and nothing is sent', async () => {
    stack = await startPerRow({}, { config, clock: newYorkClock('16:00') });
    expect((await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '30', id: 'late' })).body).toMatchObject({
      status: 'WAITING',
      reason: 'outside trading window 09:45-15:30 ET',
    });
    expect(stack.alpaca.orders).toHaveLength(0);
  });
});
