/** The fake Sheets server's own contract: it answers like the Sheets API, as the real googleapis client sees it. */
import { TemporaryError } from '../../../src/domain/errors';
import { HEADER, SHEET_ID, useFakeSheets } from '../../support/sheets-fixture';

const fx = useFakeSheets();

describe('the fake Sheets server', () => {
  const status = (p: Promise<unknown>) =>
    p.then(
      () => 200,
      (e: { status?: number }) => e.status,
    );

  it('when a range is open-ended or names no tab, then it is read like the API does', async () => {
    fx.fake.setTab('Config', [HEADER, ['AAPL', 5000, true], ['MSFT']]);
    const api = fx.rawApi();
    const a = await api.spreadsheets.values.get({ spreadsheetId: SHEET_ID, range: 'Config!A2:F' });
    expect(a.data).toEqual({ range: 'Config!A2:F1000', majorDimension: 'ROWS', values: [['AAPL', '5000', 'TRUE'], ['MSFT']] });
    const b = await api.spreadsheets.values.get({ spreadsheetId: SHEET_ID, range: 'B2', valueRenderOption: 'UNFORMATTED_VALUE' });
    expect(b.data).toEqual({ range: 'Config!B2', majorDimension: 'ROWS', values: [[5000]] });
    const c = await api.spreadsheets.values.batchGet({ spreadsheetId: SHEET_ID, ranges: ["'Config'!C:C", 'Config!A10:B'] });
    expect(c.data.valueRanges).toEqual([
      { range: 'Config!C1:C1000', majorDimension: 'ROWS', values: [['active'], ['TRUE']] },
      { range: 'Config!A10:B1000', majorDimension: 'ROWS' },
    ]);
    expect(fx.fake.readCount).toBe(3);
  });

  it('when a write omits valueInputOption or overflows its range, then 400 like the API', async () => {
    const api = fx.rawApi();
    expect(
      await status(api.spreadsheets.values.update({ spreadsheetId: SHEET_ID, range: 'Config!A1', requestBody: { values: [['x']] } })),
    ).toBe(400);
    expect(
      await status(
        api.spreadsheets.values.batchUpdate({ spreadsheetId: SHEET_ID, requestBody: { data: [{ range: 'Config!A1', values: [['x']] }] } }),
      ),
    ).toBe(400);
    expect(
      await status(
        api.spreadsheets.values.update({
          spreadsheetId: SHEET_ID,
          range: 'Config!A1:B1',
          valueInputOption: 'RAW',
          requestBody: { values: [['a', 'b', 'c']] },
        }),
      ),
    ).toBe(400);
    expect(fx.fake.writeCount).toBe(0);
    expect(fx.fake.tab('Config')[0]).toEqual(HEADER);
  });

  it('when tabs are listed, added and cleared, then the answers have the real shapes', async () => {
    const api = fx.rawApi();
    const listed = await api.spreadsheets.get({ spreadsheetId: SHEET_ID, fields: 'sheets.properties' });
    expect(listed.data).toEqual({
      sheets: [
        { properties: { sheetId: 0, title: 'Config', index: 0, sheetType: 'GRID', gridProperties: { rowCount: 1000, columnCount: 26 } } },
      ],
    });
    const added = await api.spreadsheets.batchUpdate({
      spreadsheetId: SHEET_ID,
      requestBody: { requests: [{ addSheet: { properties: { title: 'Log' } } }] },
    });
    expect(added.data.replies?.[0].addSheet?.properties).toMatchObject({ title: 'Log', index: 1 });
    expect(
      await status(
        api.spreadsheets.batchUpdate({
          spreadsheetId: SHEET_ID,
          requestBody: { requests: [{ addSheet: { properties: { title: 'log' } } }] },
        }),
      ),
    ).toBe(400);
    await api.spreadsheets.values.update({
      spreadsheetId: SHEET_ID,
      range: 'Log!A1',
      valueInputOption: 'RAW',
      requestBody: {
        values: [
          ['a', 'b'],
          ['c', 'd'],
        ],
      },
    });
    await api.spreadsheets.values.clear({ spreadsheetId: SHEET_ID, range: 'Log!B1:B2' });
    expect(fx.fake.tab('Log')).toEqual([['a'], ['c']]);
    await api.spreadsheets.values.batchClear({ spreadsheetId: SHEET_ID, requestBody: { ranges: ['Log'] } });
    expect(fx.fake.tab('Log')).toEqual([]);
    expect(fx.fake.history('Log')).toEqual([
      [],
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
      [['a'], ['c']],
      [],
    ]);
  });

  it("when a request has no bearer JWT, then 401 in Google's error shape", async () => {
    const res = await fetch(`${fx.fake.url}/v4/spreadsheets/${SHEET_ID}/values/Config`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      error: { code: 401, message: expect.stringContaining('invalid authentication credentials'), status: 'UNAUTHENTICATED' },
    });
  });

  it('when writes exceed the per-minute quota, then 429 RESOURCE_EXHAUSTED and reads still pass', async () => {
    await fx.restartFake();
    for (let i = 0; i < 60; i++) await fx.store.writeCells([{ tab: 'Config', row: 2, column: 1, value: String(i) }]);
    const err = await fx.store.writeCells([{ tab: 'Config', row: 2, column: 1, value: 'late' }]).catch((e) => e);
    expect(err).toBeInstanceOf(TemporaryError);
    expect(fx.fake.requests.at(-1)?.status).toBe(429);
    expect(await fx.store.readTab('Config')).toEqual([HEADER, ['59']]);
  });
});
