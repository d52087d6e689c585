/**
 * AlpacaBroker fed Alpaca's own documentation payloads (alpaca-samples),
 * served verbatim by the fake: the mapping must hold for the real shapes,
 * including their flaws (a symbol with a trailing space, millisecond
 * timestamps in the portfolio-history example).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { alpacaFixture } from '../../support/alpaca-fixture';

const sample = (file: string) => JSON.parse(readFileSync(join(__dirname, '../../fixtures/alpaca-samples', file), 'utf8'));

const { fake, broker } = alpacaFixture();

const serve = (path: RegExp, body: unknown) => fake.inject({ path, status: 200, body });

test('when Alpaca sends its sample position, then it maps with the symbol trimmed', async () => {
  serve(/^\/v2\/positions\/AAPL$/, sample('position.json'));
  expect(await broker.getPosition('AAPL')).toEqual({
    symbol: 'AAPL',
    qty: 5,
    side: 'long',
    avgEntryPrice: 100,
    marketValue: 600,
    unrealizedPl: 100,
    currentPrice: 120,
  });
});

test('when Alpaca sends its sample order, then it is an open notional buy', async () => {
  serve(/^\/v2\/orders:by_client_order_id$/, sample('order-v2.json'));
  expect(await broker.findOrderByClientId('eb9e2aaa-f71a-4f51-b5b4-52a6c565dad4')).toEqual({
    id: '61e69015-8549-4bfd-b9c3-01e75843f47d',
    clientOrderId: 'eb9e2aaa-f71a-4f51-b5b4-52a6c565dad4',
    symbol: 'AAPL',
    side: 'buy',
    notional: 500,
    status: 'accepted',
    state: 'open',
    filledQty: 0,
    type: 'market',
  });
});

test('when Alpaca sends its sample account, then the money strings become numbers, negative cash included', async () => {
  serve(/^\/v2\/account$/, sample('account-v2.json'));
  expect(await broker.getAccount()).toEqual({
    equity: 103820.56,
    lastEquity: 103529.24,
    cash: -23140.2,
    buyingPower: 262113.632,
    shortingEnabled: true,
    status: 'ACTIVE',
  });
});

test('when Alpaca sends its sample clock with nanoseconds and an offset, then the times are ISO UTC', async () => {
  serve(/^\/v2\/clock$/, sample('clock.json'));
  expect(await broker.getClock()).toEqual({
    isOpen: true,
    timestamp: '2022-04-28T18:07:04.451Z',
    nextOpen: '2022-04-29T13:30:00.000Z',
    nextClose: '2022-04-28T20:00:00.000Z',
  });
});

test('when Alpaca sends its sample fill activity, then it maps to a Fill', async () => {
  serve(/^\/v2\/account\/activities$/, [sample('account-trade-activity-v2.json')]);
  expect(await broker.listFills(new Date('2019-05-24T00:00:00Z'), new Date('2019-05-25T00:00:00Z'))).toEqual([
    {
      id: '20190524113406977::8efc7b9a-8b2b-4000-9955-d36e7db0df74',
      symbol: 'LPCN',
      side: 'buy',
      qty: 1,
      price: 1.63,
      time: '2019-05-24T15:34:06.977Z',
      orderId: '904837e3-3b76-47ec-b432-046db621571b',
    },
  ]);
});

test('when Alpaca sends its sample portfolio history (milliseconds), then timestamps are unix seconds', async () => {
  serve(/^\/v2\/account\/portfolio\/history$/, sample('portfolio-history-v2.json'));
  expect(await broker.getPortfolioHistory(new Date('2020-02-01'), new Date('2020-02-29'))).toEqual({
    timestamp: [1580826600, 1580827500, 1580828400],
    equity: [27423.73, 27408.19, 27515.97],
    profitLoss: [11.8, -3.74, 104.04],
    baseValue: 27411.93,
  });
});

test('when Alpaca sends its sample latest trade, then the price is its p', async () => {
  serve(/^\/v2\/stocks\/AAPL\/trades\/latest$/, { symbol: 'AAPL', trade: sample('latest-trade-v2.json') });
  expect(await broker.getLatestPrice('AAPL')).toBe(387.62);
});

test('when Alpaca sends its sample bars (in the multi-symbol envelope), then they map oldest first', async () => {
  serve(/^\/v2\/stocks\/bars$/, { bars: { AAPL: sample('bars-v2.json').bars }, next_page_token: null });
  expect(await broker.getDailyBars('AAPL', new Date('2021-02-01'), new Date('2021-02-02'))).toEqual([
    { t: '2021-02-01T16:01:00.000Z', o: 133.32, h: 133.74, l: 133.31, c: 133.5, v: 9876 },
    { t: '2021-02-01T16:02:00.000Z', o: 133.5, h: 133.58, l: 133.44, c: 133.58, v: 3567 },
  ]);
});
