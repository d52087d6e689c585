/**
 * POSITION_MODE=per-row over two rows of one symbol: each row keeps its own
 * book, the broker holds the net. After every step the broker's net equals
 * the sum of the rows, and no single order crosses zero.
 */
import { API_TOKEN, startStack, type Stack } from '../support/stack';

let stack: Stack;
afterEach(async () => stack?.stop());

const HEADER = ['symbol', 'position_size', 'active', 'Time Frame', 'Order Status', 'Reason', 'Position'];
// At $100 a share: 15 Min = 50 shares, 30 Min = 30 shares.
const CONFIG = [HEADER, ['AAPL', '$5,000', 'TRUE', '15 Min', '', '', ''], ['AAPL', '$3,000', 'TRUE', '30 Min', '', '', '']];

async function start(env: Record<string, string> = {}, fill: 'immediate' | 'manual' = 'immediate'): Promise<void> {
  stack = await startStack({ config: CONFIG, env: { POSITION_MODE: 'per-row', ...env }, alpaca: { fill } });
  stack.alpaca.setPrice('AAPL', 100);
}

const row = (tf: string) => stack.row('AAPL', tf);
const brokerNet = () => Number(stack.alpaca.positions().find((p) => p.symbol === 'AAPL')?.qty ?? 0);
const books = () => Object.fromEntries(stack.server.ctx.journal.rowBooks('AAPL').map((b) => [b.timeframe, b.qty]));
const rowsNet = () => Object.values(books()).reduce((a, b) => a + b, 0);
const orderText = (o: Record<string, unknown>) => `${o.side} ${o.qty}`;

/** Every order sent so far, replayed from flat (and from outside changes noted by `outside`): none crosses zero. */
let steps = 0;
let replayed = 0;
let replayNet = 0;
function expectNoOrderCrossesZero(): void {
  for (const o of stack.alpaca.orders.slice(replayed)) {
    if (o.status !== 'filled') continue;
    const qty = Number(o.filled_qty) * (o.side === 'buy' ? 1 : -1);
    const after = replayNet + qty;
    expect(Math.sign(replayNet) * Math.sign(after)).not.toBe(-1);
    replayNet = after;
  }
  replayed = stack.alpaca.orders.length;
}
function outside(qty: number): void {
  stack.alpaca.setPosition('AAPL', qty);
  replayNet = qty;
}

/** Sends one alert and waits until the row shows `status` and every order has settled; then checks the invariants. */
async function step(body: Record<string, unknown>, tf: string, status: string, position: number): Promise<void> {
  // A distinct id per step: the same payload twice within DEDUPE_WINDOW_SECONDS would be a duplicate.
  const answer = await stack.signal({ symbol: 'AAPL', id: `step-${++steps}`, ...body });
  expect(answer.status).toBeLessThan(300);
  await stack.until(() => row(tf)['Order Status'] === status && row(tf).Position === String(position), `AAPL ${tf} ${status} ${position} (shows ${row(tf)['Order Status']} ${row(tf).Position})`);
  await stack.until(() => stack.server.ctx.journal.unfinishedOrders().length === 0, 'orders settled');
  expectNoOrderCrossesZero();
  expect(brokerNet()).toBe(rowsNet());
}

beforeEach(() => {
  replayed = 0;
  replayNet = 0;
});

describe('per-row positions', () => {
  it('when two rows of AAPL trade opposite sides, cross zero and close in turn, then each row holds its own book and the broker the net', async () => {
    await start();
    await step({ action: 'BUY', timeframe: '15' }, '15 Min', 'FILLED', 50);
    // Opposite rows: the 30 Min SELL shorts its own 30 shares; the 15 Min row keeps its long and its FILLED.
    await step({ action: 'SELL', timeframe: '30' }, '30 Min', 'FILLED', -30);
    expect(books()).toEqual({ '15m': 50, '30m': -30 });
    expect(brokerNet()).toBe(20);
    expect(row('15 Min')['Order Status']).toBe('FILLED');
    expect(row('15 Min').Position).toBe('50');
    // Each row answers for its own side.
    await step({ action: 'BUY', timeframe: '15' }, '15 Min', 'ALREADY LONG', 50);
    await step({ action: 'SELL', timeframe: '30' }, '30 Min', 'ALREADY SHORT', -30);
    // A row closing while the other holds: the net goes from 20 to -30 across zero, in two legs.
    await step({ action: 'CLOSE', timeframe: '15' }, '15 Min', 'WAITING', 0);
    expect(stack.alpaca.orders.map(orderText)).toEqual(['buy 50', 'sell 30', 'sell 20', 'sell 30']);
    expect(brokerNet()).toBe(-30);
    await step({ action: 'SELL', timeframe: '15' }, '15 Min', 'FILLED', -50);
    expect(brokerNet()).toBe(-80);
    // The 30 Min row flips long: its 60 shares cross nothing (-80 to -20), one order.
    await step({ action: 'BUY', timeframe: '30' }, '30 Min', 'FILLED', 30);
    expect(stack.alpaca.orders.map(orderText).slice(-1)).toEqual(['buy 60']);
    // The 15 Min row flips long: -20 to 80 crosses zero, so it closes to flat first, then opens.
    await step({ action: 'BUY', timeframe: '15' }, '15 Min', 'FILLED', 50);
    expect(stack.alpaca.orders.map(orderText).slice(-2)).toEqual(['buy 20', 'buy 80']);
    expect(books()).toEqual({ '15m': 50, '30m': 30 });
    expect(row('30 Min')['Order Status']).toBe('FILLED');
    // 50 shares sold by hand: the most recently changed row (15 Min) gives way.
    outside(30);
    expect(await stack.server.reconcile()).toBe(1);
    expect(books()).toEqual({ '15m': 0, '30m': 30 });
    await stack.until(() => row('15 Min')['Order Status'] === 'WAITING', '15 Min WAITING');
    expect(row('15 Min').Reason).toBe('the broker holds 30 AAPL: row reduced from 50 to 0');
    expect(row('15 Min').Position).toBe('0');
    expect(row('30 Min')['Order Status']).toBe('FILLED');
  });

  it('when both rows\' alerts arrive at the same moment, then they trade one after the other and the net is their sum', async () => {
    await start();
    await Promise.all([
      stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15', id: 'race-1' }),
      stack.signal({ action: 'SELL', symbol: 'AAPL', timeframe: '30', id: 'race-2' }),
      stack.signal({ action: 'SELL', symbol: 'AAPL', timeframe: '15', id: 'race-3' }),
    ]);
    await stack.until(() => stack.server.ctx.journal.workingSignals().length === 0 && stack.server.ctx.journal.unfinishedOrders().length === 0, 'all settled');
    expectNoOrderCrossesZero();
    expect(books()['30m']).toBe(-30);
    expect(brokerNet()).toBe(rowsNet());
  });

  it('when GET /positions is asked in per-row mode, then each row is shown beside the broker net', async () => {
    await start();
    await step({ action: 'BUY', timeframe: '15' }, '15 Min', 'FILLED', 50);
    await step({ action: 'SELL', timeframe: '30' }, '30 Min', 'FILLED', -30);
    const res = await fetch(`${stack.server.url}/positions`, { headers: { authorization: `Bearer ${API_TOKEN}` } });
    const body = (await res.json()) as Record<string, unknown>[];
    expect(body).toEqual([expect.objectContaining({ symbol: 'AAPL', qty: 20, side: 'long', rows: { '15m': 50, '30m': -30 }, rows_net: 20 })]);
  });

  it('when the rows net to zero and the broker holds nothing, then a row closing opens the other row\'s side at the broker', async () => {
    await start();
    await step({ action: 'BUY', timeframe: '15' }, '15 Min', 'FILLED', 50);
    await step({ action: 'SELL', timeframe: '30', market_position: 'short' }, '30 Min', 'FILLED', -30);
    await step({ action: 'CLOSE', timeframe: '15' }, '15 Min', 'WAITING', 0);
    expect(brokerNet()).toBe(-30);
    await step({ action: 'BUY', timeframe: '30', market_position: 'flat' }, '30 Min', 'WAITING', 0);
    expect(brokerNet()).toBe(0);
    expect(stack.alpaca.positions()).toEqual([]);
  });

  it('when a position is closed outside the bot, then reconcile shrinks the rows of the reduced side, newest first, with one log line', async () => {
    await start();
    await step({ action: 'BUY', timeframe: '15' }, '15 Min', 'FILLED', 50);
    await step({ action: 'BUY', timeframe: '30' }, '30 Min', 'FILLED', 30);
    outside(40); // 40 of the 80 shares sold by hand
    expect(await stack.server.reconcile()).toBe(2);
    expect(books()).toEqual({ '15m': 40, '30m': 0 });
    await stack.until(() => row('30 Min')['Order Status'] === 'WAITING' && row('15 Min').Position === '40', 'rows corrected in the sheet');
    expect(row('30 Min').Reason).toBe('the broker holds 40 AAPL: row reduced from 30 to 0');
    expect(row('15 Min')['Order Status']).toBe('ALREADY LONG');
    expect(stack.logs.filter((l) => l.includes('reconcile.rows_corrected'))).toHaveLength(1);
    expect(await stack.server.reconcile()).toBe(0);
    outside(0); // then closed entirely
    expect(await stack.server.reconcile()).toBe(1);
    await stack.until(() => row('15 Min')['Order Status'] === 'WAITING', '15 Min WAITING');
    expect(row('15 Min').Reason).toBe('the broker holds no AAPL: row reduced from 40 to 0');
    expect(brokerNet()).toBe(rowsNet());
    expect(stack.alpaca.orders).toHaveLength(2); // reconcile never trades
    // The next signal plans from the corrected book.
    await step({ action: 'BUY', timeframe: '30' }, '30 Min', 'FILLED', 30);
    expect(stack.alpaca.orders.map(orderText).slice(-1)).toEqual(['buy 30']);
  });

  it('when the same alert arrives twice, then the row moves once and one order is sent', async () => {
    await start();
    const first = await stack.signal({ action: 'SELL', symbol: 'AAPL', timeframe: '30', id: 'alert-1' });
    const again = await stack.signal({ action: 'SELL', symbol: 'AAPL', timeframe: '30', id: 'alert-1' });
    expect(first.body.status).toBe('ORDER SUBMITTED');
    expect(again.body.status).toBe('duplicate');
    await stack.until(() => row('30 Min').Position === '-30', 'Position -30');
    expect(stack.alpaca.orders.map(orderText)).toEqual(['sell 30']);
    expect(books()).toEqual({ '30m': -30 });
    expect(brokerNet()).toBe(-30);
  });

  it('when the bot restarts between the two legs of a net crossing zero, then the opening leg completes and the row owns both fills', async () => {
    await start({ FLIP_FILL_TIMEOUT_SECONDS: '1', SHUTDOWN_TIMEOUT_SECONDS: '1' });
    await step({ action: 'BUY', timeframe: '30' }, '30 Min', 'FILLED', 30);
    stack.alpaca.setFillMode('manual');
    expect((await stack.signal({ action: 'SELL', symbol: 'AAPL', timeframe: '15' })).body.status).toBe('ORDER SUBMITTED');
    await new Promise((r) => setTimeout(r, 1200));
    await stack.restart({}, () => {
      stack.alpaca.fillOpenOrders();
      stack.alpaca.setFillMode('immediate');
    });
    await stack.until(() => row('15 Min')['Order Status'] === 'FILLED' && row('15 Min').Position === '-50', '15 Min FILLED -50', 15_000);
    expect(stack.alpaca.orders.map(orderText)).toEqual(['buy 30', 'sell 30', 'sell 20']);
    expect(books()).toEqual({ '15m': -50, '30m': 30 });
    expect(brokerNet()).toBe(-20);
    expectNoOrderCrossesZero();
  });

  it('when a row is sized under one share, then it is FAILED and nothing is sent', async () => {
    stack = await startStack({ config: [HEADER, ['AAPL', '50', 'TRUE', '15 Min', '', '', '']], env: { POSITION_MODE: 'per-row' } });
    stack.alpaca.setPrice('AAPL', 100);
    await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
    await stack.until(() => row('15 Min')['Order Status'] === 'FAILED', 'FAILED');
    expect(row('15 Min').Reason).toMatch(/less than 1 share/);
    expect(stack.alpaca.orders).toHaveLength(0);
  });
});

describe('per-row brakes', () => {
  it('when halted and a row\'s SELL would flip its long, then only that row\'s long is closed, the other row keeps its own, and the row is HALTED', async () => {
    await start();
    await step({ action: 'BUY', timeframe: '15' }, '15 Min', 'FILLED', 50);
    await step({ action: 'BUY', timeframe: '30' }, '30 Min', 'FILLED', 30);
    const halted = await fetch(`${stack.server.url}/halt`, { method: 'POST', headers: { authorization: `Bearer ${API_TOKEN}` } });
    expect(halted.status).toBe(200);
    await step({ action: 'SELL', timeframe: '30' }, '30 Min', 'HALTED', 0);
    expect(stack.alpaca.orders.map(orderText)).toEqual(['buy 50', 'buy 30', 'sell 30']);
    expect(books()).toEqual({ '15m': 50, '30m': 0 });
    expect(row('15 Min')['Order Status']).toBe('FILLED');
    // While halted, a row that would open is refused and nothing is sent.
    await step({ action: 'SELL', timeframe: '30' }, '30 Min', 'HALTED', 0);
    expect(stack.alpaca.orders).toHaveLength(3);
  });

  it('when halted and a row\'s exit takes the net across zero, then both legs of that exit go and the row is HALTED, flat', async () => {
    await start();
    await step({ action: 'BUY', timeframe: '15' }, '15 Min', 'FILLED', 50);
    await step({ action: 'SELL', timeframe: '30' }, '30 Min', 'FILLED', -30);
    await fetch(`${stack.server.url}/halt`, { method: 'POST', headers: { authorization: `Bearer ${API_TOKEN}` } });
    // The 15 Min SELL would flip its long to short: its exit (50) crosses the net from 20 to -30; its entry is halted.
    await step({ action: 'SELL', timeframe: '15' }, '15 Min', 'HALTED', 0);
    expect(stack.alpaca.orders.map(orderText).slice(-2)).toEqual(['sell 20', 'sell 30']);
    expect(books()).toEqual({ '15m': 0, '30m': -30 });
    expect(row('15 Min').Reason).toMatch(/^closed 50; not opened: trading halted/);
  });

  it('when halted, then a row that would open from flat is refused and nothing is sent', async () => {
    await start();
    await fetch(`${stack.server.url}/halt`, { method: 'POST', headers: { authorization: `Bearer ${API_TOKEN}` } });
    await step({ action: 'SELL', timeframe: '30' }, '30 Min', 'HALTED', 0);
    expect(stack.alpaca.orders).toHaveLength(0);
  });
});

describe('per-row flatten', () => {
  it('when POST /flatten closes the symbol, then every row\'s book is closed at the flatten fill and shows WAITING 0', async () => {
    await start();
    await step({ action: 'BUY', timeframe: '15' }, '15 Min', 'FILLED', 50);
    await step({ action: 'SELL', timeframe: '30' }, '30 Min', 'FILLED', -30);
    const res = await fetch(`${stack.server.url}/flatten`, { method: 'POST', headers: { authorization: `Bearer ${API_TOKEN}` } });
    expect(((await res.json()) as { status: string }).status).toBe('flattened');
    expect(books()).toEqual({ '15m': 0, '30m': 0 });
    expect(brokerNet()).toBe(0);
    await stack.until(() => row('15 Min').Position === '0' && row('30 Min').Position === '0', 'Position 0 on both rows');
    expect(row('15 Min')['Order Status']).toBe('WAITING');
    expect(row('30 Min')['Order Status']).toBe('WAITING');
    expect(await stack.server.reconcile()).toBe(0);
  });
});

describe('switching position modes', () => {
  it('when shared positions are switched to per-row, then each symbol\'s position goes to the row of its latest trade, and the log says so', async () => {
    stack = await startStack({ config: CONFIG });
    stack.alpaca.setPrice('AAPL', 100);
    await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '30', id: 'shared-buy' });
    await stack.until(() => row('30 Min')['Order Status'] === 'FILLED', '30 Min FILLED in shared mode');
    stack.alpaca.setAsset('AAPL', { fractionable: false }); // whole shares from here, as per-row books are
    const held = brokerNet();
    await stack.restart({ POSITION_MODE: 'per-row' });
    expect(books()).toEqual({ '30m': held });
    expect(stack.logs.join('\n')).toMatch(/"event":"positions.mode_switched","from":"shared","to":"per-row","assigned":\[\{"symbol":"AAPL","timeframe":"30m","qty":/);
    // The 15 Min row now trades its own book beside it.
    await step({ action: 'SELL', timeframe: '15' }, '15 Min', 'FILLED', -50);
    expect(brokerNet()).toBeCloseTo(held - 50, 6);
    expect(brokerNet()).toBeCloseTo(rowsNet(), 6);
  });

  it('when per-row is switched back to shared, then the broker position is kept and the books are ignored', async () => {
    await start();
    await step({ action: 'BUY', timeframe: '15' }, '15 Min', 'FILLED', 50);
    await step({ action: 'SELL', timeframe: '30' }, '30 Min', 'FILLED', -30);
    await stack.restart({ POSITION_MODE: 'shared' });
    expect(stack.logs.join('\n')).toMatch(/"event":"positions.mode_switched","from":"per-row","to":"shared"/);
    expect(brokerNet()).toBe(20);
    // Shared rules again: a BUY on the 30 Min row sees the symbol long and answers ALREADY LONG.
    await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '30', id: 'back-to-shared' });
    await stack.until(() => row('30 Min')['Order Status'] === 'ALREADY LONG', '30 Min ALREADY LONG');
    expect(stack.alpaca.orders).toHaveLength(2);
  });
});

describe('per-row performance', () => {
  it('when two rows of AAPL trade, then the Performance tab has one line per (symbol, timeframe), each priced at its own fills', async () => {
    await start();
    await step({ action: 'BUY', timeframe: '15' }, '15 Min', 'FILLED', 50); // 50 @ 100
    stack.alpaca.setPrice('AAPL', 110);
    await step({ action: 'SELL', timeframe: '30' }, '30 Min', 'FILLED', -27); // 27 short @ 110
    await step({ action: 'CLOSE', timeframe: '15' }, '15 Min', 'WAITING', 0); // 50 sold @ 110: +500
    stack.alpaca.setPrice('AAPL', 100);
    const res = await fetch(`${stack.server.url}/performance`, { headers: { authorization: `Bearer ${API_TOKEN}` } });
    const report = (await res.json()) as { rows: { symbol: string; totalTrades: number; totalPnl: number; winRate: number | null; openQty: number | null; unrealizedPl: number }[] };
    expect(report.rows.map((r) => r.symbol)).toEqual(['AAPL 15m', 'AAPL 30m', 'TOTAL']);
    expect(report.rows[0]).toMatchObject({ totalTrades: 1, totalPnl: 500, winRate: 1, openQty: 0 });
    expect(report.rows[1]).toMatchObject({ totalTrades: 0, totalPnl: 0, openQty: -27, unrealizedPl: 270 });
    expect(stack.sheets.tab('Performance')[1][0]).toBe('AAPL 15m');
  });
});

describe('per-row working orders (market closed, OFF_HOURS_POLICY=queue)', () => {
  const queued = { OFF_HOURS_POLICY: 'queue', FLIP_FILL_TIMEOUT_SECONDS: '1' };
  const orderStates = () => stack.alpaca.orders.map((o) => `${o.side} ${o.qty} ${o.status}`);

  it('when a row BUYs then CLOSEs while its buy is queued, then the CLOSE cancels that buy, and at the open nothing is held', async () => {
    stack = await startStack({ config: CONFIG, env: { POSITION_MODE: 'per-row', ...queued }, alpaca: { marketOpen: false } });
    stack.alpaca.setPrice('AAPL', 100);
    expect((await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15', id: 'w1' })).body.status).toBe('ORDER SUBMITTED');
    const close = await stack.signal({ action: 'CLOSE', symbol: 'AAPL', timeframe: '15', id: 'w2' });
    expect(close.body).toMatchObject({ status: 'WAITING', reason: 'cancelled 1 working order; already flat' });
    stack.alpaca.openMarket();
    await new Promise((r) => setTimeout(r, 200));
    expect(stack.alpaca.positions()).toEqual([]);
    expect(orderStates()).toEqual(['buy 50 canceled']);
    expect(rowsNet()).toBe(0);
  });

  it('when one row SELLs against another row\'s queued BUY, then the change nets out inside the symbol at the latest price and only the difference reaches the broker', async () => {
    stack = await startStack({ config: CONFIG, env: { POSITION_MODE: 'per-row', ...queued }, alpaca: { marketOpen: false } });
    stack.alpaca.setPrice('AAPL', 100);
    expect((await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15', id: 'n1' })).body.status).toBe('ORDER SUBMITTED');
    const sell = await stack.signal({ action: 'SELL', symbol: 'AAPL', timeframe: '30', id: 'n2' });
    expect(sell.body).toMatchObject({ status: 'FILLED', reason: 'netted inside AAPL: no order needed' });
    // The queued buy 50 is replaced by a buy 20 for the 15 Min row: no opposite order, so no wash trade.
    expect(orderStates()).toEqual(['buy 50 canceled', 'buy 20 accepted']);
    expect(books()).toEqual({ '15m': 30, '30m': -30 });
    await stack.until(() => row('30 Min').Position === '-30' && row('30 Min')['Order Status'] === 'FILLED', '30 Min FILLED -30');
    stack.alpaca.setPrice('AAPL', 101);
    stack.alpaca.openMarket();
    await stack.until(() => row('15 Min')['Order Status'] === 'FILLED' && row('15 Min').Position === '50', '15 Min FILLED 50');
    expect(books()).toEqual({ '15m': 50, '30m': -30 });
    expect(brokerNet()).toBe(20);
    // The netted shares are priced at the latest price when they netted; the resent 20 at their fill.
    const changes = stack.server.ctx.journal.rowChanges(0).map((c) => `${c.timeframe} ${c.qty} @ ${c.price} ${c.source}`);
    expect(changes).toEqual(['15m 30 @ 100 netted', '30m -30 @ 100 netted', '15m 20 @ 101 fill']);
  });
});
