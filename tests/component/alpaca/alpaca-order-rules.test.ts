/**
 * Alpaca's order rules, enforced by the fake and surfaced by AlpacaBroker as
 * RejectedError carrying Alpaca's own message and status. Each refusal is
 * paired with the nearest order that is allowed, so a fake that refused
 * everything could not pass.
 */
import { RejectedError } from '../../../src/domain/errors';
import type { OrderRequest } from '../../../src/domain/types';
import { alpacaFixture } from '../../support/alpaca-fixture';

const { fake, broker } = alpacaFixture();
let seq = 0;

function order(o: Omit<OrderRequest, 'clientOrderId'> & { clientOrderId?: string }) {
  return broker.submitOrder({ clientOrderId: `rule-${++seq}`, ...o });
}

/** The RejectedError a submission ends in (fails the test if it succeeds or fails otherwise). */
async function refusal(o: Parameters<typeof order>[0]): Promise<RejectedError> {
  const err = await order(o).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RejectedError);
  return err as RejectedError;
}

describe('no flip in one order', () => {
  test('when a sell is larger than the long, then it is refused with the quantities and the position stays', async () => {
    fake.setPosition('AAPL', 5, 100);
    const err = await refusal({ symbol: 'AAPL', side: 'sell', qty: 10 });
    expect(err.message).toBe('insufficient qty available for order (requested: 10, available: 5)');
    expect(err.status).toBe(403);
    expect(await broker.getPosition('AAPL')).toMatchObject({ qty: 5 });
  });

  test('when a sell closes exactly the long, then it fills and the account is flat', async () => {
    fake.setPosition('AAPL', 5, 100);
    await order({ symbol: 'AAPL', side: 'sell', qty: 5, clientOrderId: 'close-1' });
    expect(await broker.findOrderByClientId('close-1')).toMatchObject({ state: 'filled' });
    expect(await broker.getPosition('AAPL')).toBeNull();
  });

  test('when a buy is larger than the short, then it is refused', async () => {
    fake.setPosition('TSLA', -3, 100);
    const err = await refusal({ symbol: 'TSLA', side: 'buy', qty: 4 });
    expect(err.message).toBe('insufficient qty available for order (requested: 4, available: 3)');
  });

  test('when a closing sell is still open, then the quantity it holds is not available to another sell', async () => {
    fake.setFillMode('manual');
    fake.setPosition('AAPL', 5, 100);
    await order({ symbol: 'AAPL', side: 'sell', qty: 5 });
    const err = await refusal({ symbol: 'AAPL', side: 'sell', qty: 1 });
    expect(err.message).toBe('insufficient qty available for order (requested: 1, available: 0)');
  });

  test('when the close has filled, then the opposite side can be opened', async () => {
    fake.setPosition('AAPL', 5, 100);
    await order({ symbol: 'AAPL', side: 'sell', qty: 5 });
    await order({ symbol: 'AAPL', side: 'sell', qty: 2, clientOrderId: 'open-short' });
    expect(await broker.getPosition('AAPL')).toMatchObject({ qty: -2, side: 'short' });
  });
});

describe('shorting', () => {
  test('when a fractional quantity would open a short, then it is refused', async () => {
    const err = await refusal({ symbol: 'AAPL', side: 'sell', qty: 1.5 });
    expect(err.message).toBe('fractional orders cannot be sold short');
    expect(err.status).toBe(403);
  });

  test('when a dollar amount would open a short, then it is refused', async () => {
    expect((await refusal({ symbol: 'AAPL', side: 'sell', notional: 500 })).message).toBe('fractional orders cannot be sold short');
  });

  test('when whole shares open a short on a shortable asset, then it fills', async () => {
    await order({ symbol: 'AAPL', side: 'sell', qty: 2 });
    expect(await broker.getPosition('AAPL')).toMatchObject({ qty: -2 });
  });

  test('when the asset is not shortable, then the short is refused', async () => {
    fake.setAsset('XYZ', { shortable: false });
    fake.setPrice('XYZ', 10);
    expect((await refusal({ symbol: 'XYZ', side: 'sell', qty: 1 })).message).toBe('asset XYZ is not shortable');
  });

  test('when the asset is hard to borrow, then the short is refused', async () => {
    fake.setAsset('HTB', { easy_to_borrow: false });
    fake.setPrice('HTB', 10);
    expect((await refusal({ symbol: 'HTB', side: 'sell', qty: 1 })).message).toBe('asset HTB is not easy to borrow');
  });

  test('when the account may not short, then the short is refused', async () => {
    fake.setAccount({ shortingEnabled: false });
    expect((await refusal({ symbol: 'AAPL', side: 'sell', qty: 1 })).message).toBe('account is not allowed to short');
  });

  test('when equity is under $2,000, then shorting is disabled', async () => {
    fake.setAccount({ cash: 1500 });
    expect((await broker.getAccount()).shortingEnabled).toBe(false);
    expect((await refusal({ symbol: 'SPY', side: 'sell', qty: 1 })).message).toBe('account is not allowed to short');
  });
});

describe('dollar (notional) orders', () => {
  test('when the asset is not fractionable, then a notional order is refused with 422', async () => {
    fake.setAsset('BRK', { fractionable: false });
    fake.setPrice('BRK', 50);
    const err = await refusal({ symbol: 'BRK', side: 'buy', notional: 100 });
    expect(err.message).toBe('asset BRK is not fractionable');
    expect(err.status).toBe(422);
  });

  test('when the asset is not fractionable, then whole shares are still accepted', async () => {
    fake.setAsset('BRK', { fractionable: false });
    fake.setPrice('BRK', 50);
    await order({ symbol: 'BRK', side: 'buy', qty: 2 });
    expect(await broker.getPosition('BRK')).toMatchObject({ qty: 2 });
  });
});

describe('money and bookkeeping', () => {
  test('when the order costs more than the buying power, then it is refused', async () => {
    fake.setAccount({ cash: 3000 });
    const err = await refusal({ symbol: 'SPY', side: 'buy', notional: 5000 });
    expect(err.message).toBe('insufficient buying power');
    expect(err.status).toBe(403);
  });

  test('when the order fits the buying power, then it fills and the cash goes down', async () => {
    fake.setAccount({ cash: 3000 });
    fake.setPrice('SPY', 500);
    await order({ symbol: 'SPY', side: 'buy', notional: 2500 });
    expect(await broker.getAccount()).toMatchObject({ cash: 500, equity: 3000, buyingPower: 500 });
  });

  test('when an opposite-side order is still open, then a new order is refused as a potential wash trade', async () => {
    fake.setFillMode('manual');
    await order({ symbol: 'AAPL', side: 'buy', qty: 1 });
    const err = await refusal({ symbol: 'AAPL', side: 'sell', qty: 1 });
    expect(err.message).toBe('potential wash trade detected. use complex orders');
    expect(err.status).toBe(403);
  });

  test('when a same-side order is open, then another one is accepted', async () => {
    fake.setFillMode('manual');
    await order({ symbol: 'AAPL', side: 'buy', qty: 1 });
    await order({ symbol: 'AAPL', side: 'buy', qty: 1 });
    expect(await broker.listOpenOrders()).toHaveLength(2);
  });

  test('when a client order id is reused, then it is refused as not unique and the first order is still found', async () => {
    await order({ symbol: 'SPY', side: 'buy', qty: 1, clientOrderId: 'dup' });
    const err = await refusal({ symbol: 'SPY', side: 'buy', qty: 1, clientOrderId: 'dup' });
    expect(err.message).toBe('client_order_id must be unique');
    expect(err.status).toBe(422);
    expect(await broker.findOrderByClientId('dup')).toMatchObject({ state: 'filled', qty: 1 });
    expect(fake.orders).toHaveLength(1);
  });

  test('when the symbol is unknown, then the order is refused with 422', async () => {
    const err = await refusal({ symbol: 'ZZZZ', side: 'buy', qty: 1 });
    expect(err.message).toBe('asset "ZZZZ" not found');
    expect(err.status).toBe(422);
  });
});
