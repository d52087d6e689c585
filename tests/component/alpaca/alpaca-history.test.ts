/**
 * AccountHistory over real HTTP: fills across many pages, portfolio history,
 * and daily bars with `next_page_token` and the configured data feed.
 */
import { RejectedError } from '../../../src/domain/errors';
import { brokerFor } from '../../support/alpaca-broker';
import { alpacaFixture } from '../../support/alpaca-fixture';

const { fake, broker } = alpacaFixture();

const YEAR_START = new Date('2024-01-01T00:00:00Z');
const YEAR_END = new Date('2024-12-31T23:59:59Z');

describe('listFills', () => {
  test('when there are 250 fills, then all come back oldest first over three pages of 100', async () => {
    const generated = fake.generateFills(250);
    const fills = await broker.listFills(YEAR_START, YEAR_END);
    expect(fills).toHaveLength(250);
    expect(fills.map((f) => f.id)).toEqual(generated.map((g) => g.id));
    const pages = fake.requests.filter((r) => r.path === '/v2/account/activities');
    expect(pages).toHaveLength(3);
    expect(pages.map((p) => p.query.page_token)).toEqual([undefined, generated[99].id, generated[199].id]);
    for (const p of pages) expect(p.query).toMatchObject({ activity_types: 'FILL', page_size: '100' });
  });

  test('when exactly 100 fills exist, then the empty second page ends the paging', async () => {
    fake.generateFills(100);
    expect(await broker.listFills(YEAR_START, YEAR_END)).toHaveLength(100);
  });

  test('when a fill is read, then its strings become numbers and sell_short becomes a sell', async () => {
    fake.addFills([
      { symbol: 'AAPL', side: 'buy', qty: 1.5, price: 187.25, time: '2024-03-01T15:00:00.123Z', orderId: 'o-1' },
      { symbol: 'TSLA', side: 'sell_short', qty: 3, price: 201, time: '2024-03-01T15:01:00.000Z', orderId: 'o-2' },
    ]);
    const [buy, short] = await broker.listFills(YEAR_START, YEAR_END);
    expect(buy).toEqual({
      id: expect.stringMatching(/^20240301150000123::/),
      symbol: 'AAPL',
      side: 'buy',
      qty: 1.5,
      price: 187.25,
      time: '2024-03-01T15:00:00.123Z',
      orderId: 'o-1',
    });
    expect(short).toMatchObject({ symbol: 'TSLA', side: 'sell', qty: 3, price: 201, orderId: 'o-2' });
  });

  test('when fills lie outside the window, then only those inside it (ends included) come back', async () => {
    fake.addFills(
      ['2024-02-29T23:59:59.999Z', '2024-03-01T00:00:00.000Z', '2024-03-31T00:00:00.000Z', '2024-03-31T00:00:00.001Z'].map((time, i) => ({
        symbol: 'SPY',
        side: 'buy' as const,
        qty: 1,
        price: 500 + i,
        time,
      })),
    );
    const fills = await broker.listFills(new Date('2024-03-01T00:00:00Z'), new Date('2024-03-31T00:00:00Z'));
    expect(fills.map((f) => f.price)).toEqual([501, 502]);
  });

  test('when an order fills on the fake, then its fill is listed', async () => {
    const before = new Date(Date.now() - 1000);
    const order = await broker.submitOrder({ symbol: 'MSFT', side: 'buy', qty: 2, clientOrderId: 'h-1' });
    await broker.findOrderByClientId('h-1');
    const fills = await broker.listFills(before, new Date(Date.now() + 1000));
    expect(fills).toEqual([expect.objectContaining({ symbol: 'MSFT', side: 'buy', qty: 2, price: 420, orderId: order.id })]);
  });
});

describe('getPortfolioHistory', () => {
  test('when a daily series is set, then it comes back in unix seconds for the window, asked with timeframe 1D', async () => {
    const day = (d: string) => Date.parse(`${d}T00:00:00Z`) / 1000;
    fake.setPortfolioHistory({
      timestamp: [day('2024-01-02'), day('2024-01-03'), day('2024-01-04'), day('2025-01-02')],
      equity: [null, 100_000, 101_500, 90_000],
      base_value: 100_000,
    });
    const history = await broker.getPortfolioHistory(YEAR_START, YEAR_END);
    expect(history).toEqual({
      timestamp: [day('2024-01-02'), day('2024-01-03'), day('2024-01-04')],
      equity: [null, 100_000, 101_500],
      profitLoss: [null, 0, 1500],
      baseValue: 100_000,
    });
    expect(fake.requests.at(-1)?.query).toMatchObject({ timeframe: '1D', start: YEAR_START.toISOString(), end: YEAR_END.toISOString() });
  });

  test('when Alpaca sends millisecond timestamps (as its docs example does), then they are read as seconds', async () => {
    fake.setPortfolioHistory({ timestamp: [1580826600000], equity: [27423.73], base_value: 27411.93 });
    const history = await broker.getPortfolioHistory(new Date(0), new Date(2e12));
    expect(history.timestamp).toEqual([1580826600]);
  });
});

describe('getDailyBars', () => {
  test('when there are more bars than a page holds, then every page is followed and bars come back oldest first', async () => {
    fake.setBarsPageLimit(100);
    const generated = fake.generateBars('SPY', 250, { start: '2023-01-03' });
    const bars = await broker.getDailyBars('SPY', new Date('2023-01-01'), new Date('2024-12-31'));
    expect(bars).toHaveLength(250);
    expect(bars[0]).toEqual({
      t: '2023-01-03T04:00:00.000Z',
      o: generated[0].o,
      h: generated[0].h,
      l: generated[0].l,
      c: generated[0].c,
      v: generated[0].v,
    });
    expect(bars.map((b) => b.c)).toEqual(generated.map((g) => g.c));
    const pages = fake.requests.filter((r) => r.path === '/v2/stocks/bars');
    expect(pages).toHaveLength(3);
    expect(
      pages.every((p) => p.host === 'data' && p.query.timeframe === '1Day' && p.query.feed === 'iex' && p.query.symbols === 'SPY'),
    ).toBe(true);
    expect(pages[1].query.page_token).toBeTruthy();
  });

  test('when the window is narrower than the data, then only its bars come back', async () => {
    fake.generateBars('QQQ', 30, { start: '2024-01-02' });
    const bars = await broker.getDailyBars('QQQ', new Date('2024-01-08T00:00:00Z'), new Date('2024-01-12T23:59:59Z'));
    expect(bars.map((b) => b.t.slice(0, 10))).toEqual(['2024-01-08', '2024-01-09', '2024-01-10', '2024-01-11', '2024-01-12']);
  });

  test('when the symbol has no bars, then the answer is an empty list', async () => {
    expect(await broker.getDailyBars('NOPE', YEAR_START, YEAR_END)).toEqual([]);
  });

  test('when the feed is SIP on a free plan and the window reaches now, then Alpaca refuses it', async () => {
    const err = await brokerFor(fake, { dataFeed: 'sip' })
      .getDailyBars('SPY', YEAR_START, new Date())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RejectedError);
    expect((err as Error).message).toMatch(/subscription does not permit querying recent SIP data/);
  });

  test('when the feed is delayed_sip, then history asks SIP for data at least 15 minutes old, which a free plan may read', async () => {
    fake.generateBars('SPY', 5, { start: '2024-06-03' });
    const bars = await brokerFor(fake, { dataFeed: 'delayed_sip' }).getDailyBars('SPY', YEAR_START, new Date());
    expect(bars).toHaveLength(5);
    const query = fake.requests.at(-1)!.query;
    expect(query.feed).toBe('sip');
    expect(Date.now() - Date.parse(query.end)).toBeGreaterThanOrEqual(15 * 60_000);
  });
});
