import { booksLeft, EXIT_TRIES, nextExitTry, type OrderMeaning, withLimit } from '../../../src/domain/trading/order-meaning';

const timeout = { deadline: '2025-01-02T15:00:00.000Z', seconds: 60 };

describe('nextExitTry', () => {
  it('after a limit exit in regular hours, the next try goes at market, numbered, its timeout set again when it is sent', () => {
    const first: OrderMeaning = { role: 'exit', limit: { offsetPct: 0.1 }, timeout, next: { side: 'buy', qty: 5, exposure: 'entry' } };
    expect(nextExitTry(first, 0)).toEqual({
      role: 'exit',
      attempt: 2,
      next: first.next,
      limit: undefined,
      timeout: undefined,
      books: undefined,
    });
  });

  it('after an extended-hours limit exit, the next try is a limit again, to be re-priced', () => {
    const first: OrderMeaning = { role: 'exit', limit: { offsetPct: 0.2, extendedHours: true }, timeout };
    expect(nextExitTry(first, 0)).toMatchObject({ attempt: 2, limit: { offsetPct: 0.2, extendedHours: true } });
  });

  it(`stops after ${EXIT_TRIES} tries`, () => {
    expect(nextExitTry({ role: 'exit', attempt: EXIT_TRIES - 1 }, 0)).toMatchObject({ attempt: EXIT_TRIES });
    expect(nextExitTry({ role: 'exit', attempt: EXIT_TRIES }, 0)).toBeUndefined();
  });

  it('carries the books the earlier try left (per-row mode)', () => {
    const first: OrderMeaning = {
      role: 'exit',
      books: [
        { timeframe: '15m', qty: -30 },
        { timeframe: '30m', qty: -20 },
      ],
    };
    expect(nextExitTry(first, 40)?.books).toEqual([{ timeframe: '30m', qty: -10 }]);
  });
});

describe('booksLeft', () => {
  it('is every book when nothing filled, and none when all filled', () => {
    const books = [{ timeframe: '15m', qty: 30 }];
    expect(booksLeft(books, 0)).toEqual(books);
    expect(booksLeft(books, 30)).toEqual([]);
  });
});

describe('withLimit', () => {
  it("sets the row's limit terms on the leg and on the leg its fill sets off", () => {
    const meaning: OrderMeaning = { role: 'exit', next: { side: 'buy', qty: 5, exposure: 'entry' } };
    expect(withLimit(meaning, { offsetPct: 0.1 })).toEqual({
      role: 'exit',
      limit: { offsetPct: 0.1 },
      next: { side: 'buy', qty: 5, exposure: 'entry', limit: { offsetPct: 0.1 } },
    });
    expect(withLimit(meaning, undefined)).toBe(meaning);
  });
});
