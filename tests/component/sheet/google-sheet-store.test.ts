/**
 * The real GoogleSheetStore, through the real googleapis client, over HTTP
 * to the wire-level fake Sheets server.
 */
import { NotFoundError, RejectedError, TemporaryError } from '../../../src/domain/errors';
import { createServiceAccount } from '../../support/service-account';
import { FORMULA, HEADER, SHEET_ID, useFakeSheets } from '../../support/sheets-fixture';

const fx = useFakeSheets();

describe('reading a tab', () => {
  it('when rows are short or blank, then they come back as displayed text without trailing empties', async () => {
    fx.fake.setTab('Config', [HEADER, ['AAPL', 5000, true, '15 Min'], [], ['MSFT', '', false, '1 Hour', '', '']]);
    expect(await fx.store.readTab('Config')).toEqual([HEADER, ['AAPL', '5000', 'TRUE', '15 Min'], [], ['MSFT', '', 'FALSE', '1 Hour']]);
    expect(fx.fake.requests).toHaveLength(1);
    expect(fx.fake.requests[0]).toMatchObject({ method: 'GET', path: `/v4/spreadsheets/${SHEET_ID}/values/'Config'`, status: 200 });
    expect(fx.fake.requests[0].query.get('valueRenderOption')).toBe('FORMATTED_VALUE');
  });

  it('when the tab is empty (the API omits "values"), then it reads as no rows', async () => {
    fx.fake.setTab('Empty', []);
    expect(await fx.store.readTab('Empty')).toEqual([]);
  });

  it('when the tab name has a space and a quote, then it is quoted properly', async () => {
    fx.fake.setTab("Bob's P&L 2", [['x', 'y']]);
    expect(await fx.store.readTab("Bob's P&L 2")).toEqual([['x', 'y']]);
  });

  it('when the tab does not exist, then NotFoundError', async () => {
    await expect(fx.store.readTab('Nope')).rejects.toBeInstanceOf(NotFoundError);
    await expect(fx.store.readTab('Nope')).rejects.toThrow('Tab "Nope" does not exist');
  });
});

describe('writing cells', () => {
  it('when several cells are written, then it is one RAW batchUpdate and formula text stays text', async () => {
    await fx.store.writeCells([
      { tab: 'Config', row: 2, column: 5, value: 'FILLED' },
      { tab: 'Config', row: 2, column: 6, value: '2025-10-10 07:15:02 PDT' },
      { tab: 'Config', row: 3, column: 1, value: FORMULA },
      { tab: 'Config', row: 3, column: 28, value: 'far right' },
    ]);
    expect(fx.writes()).toHaveLength(1);
    expect(fx.writes()[0]).toMatchObject({ method: 'POST', path: `/v4/spreadsheets/${SHEET_ID}/values:batchUpdate` });
    expect(fx.writes()[0].body).toMatchObject({
      valueInputOption: 'RAW',
      data: [
        { range: "'Config'!E2", values: [['FILLED']] },
        { range: "'Config'!F2", values: [['2025-10-10 07:15:02 PDT']] },
        { range: "'Config'!A3", values: [[FORMULA]] },
        { range: "'Config'!AB3", values: [['far right']] },
      ],
    });
    const tab = fx.fake.tab('Config');
    expect(tab[1]).toEqual(['AAPL', '$5,000', 'TRUE', '15 Min', 'FILLED', '2025-10-10 07:15:02 PDT']);
    expect(tab[2][0]).toBe(FORMULA);
    expect(tab[2][27]).toBe('far right');
    expect(fx.fake.formulasWritten()).toEqual([]);
  });

  it('when the same text is written with USER_ENTERED, then the fake records a formula (the tripwire works)', async () => {
    await fx.rawApi().spreadsheets.values.update({
      spreadsheetId: SHEET_ID,
      range: 'Config!A3',
      valueInputOption: 'USER_ENTERED',
      requestBody: { values: [[FORMULA]] },
    });
    expect(fx.fake.formulasWritten()).toEqual([{ tab: 'Config', cell: 'A3', formula: FORMULA }]);
  });

  it('when there is nothing to write, then no request is sent', async () => {
    await fx.store.writeCells([]);
    expect(fx.fake.requests).toHaveLength(0);
  });

  it('when a write names a missing tab, then NotFoundError and no cell changes', async () => {
    const before = fx.fake.tab('Config');
    const err = await fx.store
      .writeCells([
        { tab: 'Config', row: 2, column: 5, value: 'FILLED' },
        { tab: 'Nope', row: 1, column: 1, value: 'x' },
      ])
      .catch((e) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err.message).toContain('Tab "Nope" does not exist');
    expect(fx.fake.tab('Config')).toEqual(before);
  });
});

describe('replacing a tab', () => {
  const TABLE = [
    ['symbol', 'total_pnl'],
    ['AAPL', '-$12.00'],
    ['TOTAL', '-$12.00'],
  ];

  it('when the tab is missing, then it is created and filled in one values write', async () => {
    expect(fx.fake.tabs()).not.toContain('Performance');
    await fx.store.replaceTab('Performance', TABLE);
    expect(fx.fake.tab('Performance')).toEqual(TABLE);
    const w = fx.writes();
    expect(w.map((r) => r.path)).toEqual([
      `/v4/spreadsheets/${SHEET_ID}:batchUpdate`,
      `/v4/spreadsheets/${SHEET_ID}/values/'Performance'!A1:B3`,
    ]);
    expect(w[0].body).toEqual({ requests: [{ addSheet: { properties: { title: 'Performance' } } }] });
    expect(w[1].query.get('valueInputOption')).toBe('RAW');
    expect(fx.fake.history('Performance')).toEqual([[], TABLE]);
  });

  it('when the old content was larger, then stale rows and cells are blanked in the same single write', async () => {
    const old = [
      ['symbol', 'total_pnl', 'note'],
      ['AAPL', '$1.00', 'x'],
      ['MSFT', '$2.00'],
      ['TSLA', '$3.00'],
      ['TOTAL', '$6.00', '', '', 'stray'],
    ];
    old[1][27] = 'beyond Z';
    fx.fake.setTab('Performance', old);
    await fx.store.replaceTab('Performance', TABLE);
    expect(fx.fake.tab('Performance')).toEqual(TABLE);
    expect(fx.writes()).toHaveLength(1);
    expect(fx.writes()[0]).toMatchObject({ method: 'PUT', path: `/v4/spreadsheets/${SHEET_ID}/values/'Performance'!A1:AB5` });
    // Every state a reader could ever have seen: the old table, then the new one. Nothing in between.
    expect(fx.fake.history('Performance')).toEqual([TABLE]);
  });

  it('when refreshes overlap, then they run one after the other and the last one wins whole', async () => {
    const big = [['h'], ...Array.from({ length: 30 }, (_, i) => [`row ${i}`])];
    await Promise.all([fx.store.replaceTab('Performance', big), fx.store.replaceTab('Performance', TABLE)]);
    expect(fx.fake.tab('Performance')).toEqual(TABLE);
    const valueWrites = fx.writes().filter((r) => r.method === 'PUT');
    expect(valueWrites).toHaveLength(2);
    expect(fx.fake.history('Performance').slice(-2)).toEqual([big, TABLE]);
  });

  it('when it is replaced with nothing, then the tab is emptied', async () => {
    fx.fake.setTab('Performance', TABLE);
    await fx.store.replaceTab('Performance', []);
    expect(fx.fake.tab('Performance')).toEqual([]);
  });
});

describe('errors from Google', () => {
  it('when the write quota is exhausted (429), then TemporaryError at once, without retrying', async () => {
    fx.fake.inject({ method: 'POST', path: /values:batchUpdate/, status: 429, forMs: 20_000 });
    const started = Date.now();
    const err = await fx.store.writeCells([{ tab: 'Config', row: 2, column: 5, value: 'FILLED' }]).catch((e) => e);
    expect(err).toBeInstanceOf(TemporaryError);
    expect(err.message).toMatch(/quota/i);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(fx.fake.requests).toHaveLength(1);
  });

  it('when reads hit the real per-minute quota, then the overflow read is a TemporaryError', async () => {
    await fx.restartFake({ quota: { readsPerMinute: 3 } });
    for (let i = 0; i < 3; i++) await fx.store.readTab('Config');
    await expect(fx.store.readTab('Config')).rejects.toBeInstanceOf(TemporaryError);
    expect(fx.fake.requests.at(-1)?.status).toBe(429);
  });

  it('when Google sends Retry-After, then TemporaryError carries it', async () => {
    fx.fake.inject({ status: 429, retryAfterSeconds: 7 });
    const err = await fx.store.readTab('Config').catch((e) => e);
    expect(err).toBeInstanceOf(TemporaryError);
    expect(err.retryAfterMs).toBe(7000);
  });

  it('when one read meets a 500, then the client retries it once and it succeeds', async () => {
    fx.fake.inject({ method: 'GET', status: 500, times: 1 });
    expect((await fx.store.readTab('Config'))[0]).toEqual(HEADER);
    expect(fx.fake.requests.map((r) => r.status)).toEqual([500, 200]);
  });

  it('when Sheets keeps failing with 5xx, then TemporaryError after at most one retry', async () => {
    fx.fake.inject({ status: 503, forMs: 10_000 });
    await expect(fx.store.readTab('Config')).rejects.toBeInstanceOf(TemporaryError);
    expect(fx.fake.requests).toHaveLength(2);
    await expect(fx.store.writeCells([{ tab: 'Config', row: 2, column: 5, value: 'x' }])).rejects.toBeInstanceOf(TemporaryError);
    expect(fx.fake.requests).toHaveLength(3);
  });

  it('when the connection drops, then TemporaryError', async () => {
    fx.fake.inject({ drop: true, times: 5 });
    await expect(fx.store.writeCells([{ tab: 'Config', row: 2, column: 5, value: 'x' }])).rejects.toBeInstanceOf(TemporaryError);
  });

  it('when Sheets is slower than the timeout, then TemporaryError', async () => {
    fx.store = fx.makeStore({ timeoutMs: 150 });
    fx.fake.inject({ delayMs: 1000, times: 5 });
    await expect(fx.store.writeCells([{ tab: 'Config', row: 2, column: 5, value: 'x' }])).rejects.toBeInstanceOf(TemporaryError);
  });

  it('when the sheet is not shared (403), then RejectedError telling whom to share it with, and no secret', async () => {
    fx.fake.setShared(false);
    const err = await fx.store.readTab('Config').catch((e) => e);
    expect(err).toBeInstanceOf(RejectedError);
    expect(err.status).toBe(403);
    expect(err.message).toContain(`Share the sheet with the service account ${fx.account.email}`);
    expect(err.message).not.toContain('PRIVATE KEY');
    expect(err.message).not.toContain(fx.account.privateKeyPem.split('\n')[1]);
  });

  it('when the spreadsheet id is wrong (404), then RejectedError naming GOOGLE_SHEET_ID', async () => {
    fx.store = fx.makeStore({ spreadsheetId: 'no-such-sheet' });
    const err = await fx.store.readTab('Config').catch((e) => e);
    expect(err).toBeInstanceOf(RejectedError);
    expect(err.status).toBe(404);
    expect(err.message).toContain('GOOGLE_SHEET_ID');
  });

  it('when the key file holds another key for the same account (401), then RejectedError about the key', async () => {
    const impostor = createServiceAccount({ email: fx.account.email });
    try {
      const err = await fx
        .makeStore({ credentialsFile: impostor.keyFile })
        .readTab('Config')
        .catch((e) => e);
      expect(err).toBeInstanceOf(RejectedError);
      expect(err.status).toBe(401);
      expect(err.message).toContain(impostor.keyFile);
      expect(fx.fake.requests[0]).toMatchObject({ status: 401, authError: expect.stringContaining('signature') });
    } finally {
      impostor.cleanup();
    }
  });
});
