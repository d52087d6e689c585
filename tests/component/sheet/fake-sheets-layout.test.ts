/** The fake Sheets server's formatting side: spreadsheets.batchUpdate requests and grid data, as the real client sees them. */
import { SHEET_ID, useFakeSheets } from '../../support/sheets-fixture';

const fx = useFakeSheets();
const status = (p: Promise<unknown>) =>
  p.then(
    () => 200,
    (e: { status?: number }) => e.status,
  );
const message = (p: Promise<unknown>) =>
  p.then(
    () => '',
    (e: { message?: string }) => e.message ?? '',
  );
const batch = (requests: object[]) => fx.rawApi().spreadsheets.batchUpdate({ spreadsheetId: SHEET_ID, requestBody: { requests } });

describe('the fake Sheets server, formatting', () => {
  it(
    'when a batchUpdate adds a tab with a checkbox, a bold header, a frozen ' +
      'row and a colour rule, then spreadsheets.get reports them per cell',
    async () => {
      await batch([
        { addSheet: { properties: { sheetId: 42, title: 'Fresh' } } },
        {
          updateSheetProperties: {
            properties: { sheetId: 42, gridProperties: { frozenRowCount: 1 } },
            fields: 'gridProperties.frozenRowCount',
          },
        },
        {
          setDataValidation: {
            range: { sheetId: 42, startRowIndex: 1, startColumnIndex: 0, endColumnIndex: 1 },
            rule: { condition: { type: 'BOOLEAN' } },
          },
        },
        {
          repeatCell: {
            range: { sheetId: 42, startRowIndex: 0, endRowIndex: 1 },
            cell: { userEnteredFormat: { textFormat: { bold: true }, numberFormat: { type: 'TEXT' } } },
            fields: 'userEnteredFormat.textFormat.bold',
          },
        },
        {
          addConditionalFormatRule: {
            rule: {
              ranges: [{ sheetId: 42, startColumnIndex: 1, endColumnIndex: 2 }],
              booleanRule: {
                condition: { type: 'TEXT_EQ', values: [{ userEnteredValue: 'FILLED' }] },
                format: { backgroundColor: { green: 1 } },
              },
            },
          },
        },
      ]);
      const res = await fx.rawApi().spreadsheets.get({
        spreadsheetId: SHEET_ID,
        ranges: ["'Fresh'!1:2"],
        fields:
          'sheets(properties(title,gridProperties),conditionalFormats,data(startRow,' +
          'rowData(values(formattedValue,userEnteredFormat,dataValidation))))',
      });
      expect(res.data.sheets).toHaveLength(1);
      const [sheet] = res.data.sheets!;
      expect(sheet.properties).toMatchObject({ title: 'Fresh', sheetId: 42, gridProperties: { frozenRowCount: 1 } });
      expect(sheet.conditionalFormats).toHaveLength(1);
      const rows = sheet.data![0].rowData!;
      // Only the masked field was copied: bold, not the number format.
      expect(rows[0].values![0]).toEqual({ userEnteredFormat: { textFormat: { bold: true } } });
      expect(rows[1].values![0]).toEqual({ dataValidation: { condition: { type: 'BOOLEAN' } } });
    },
  );

  it('when one request of a batch is wrong, then 400 names it and nothing of the batch is applied', async () => {
    const before = fx.fake.tabs();
    const msg = await message(
      batch([
        { addSheet: { properties: { title: 'Half' } } },
        { setDataValidation: { range: { sheetId: 0, startRowIndex: 1 }, rule: { condition: { type: 'ONE_OF_LIST', values: [] } } } },
      ]),
    );
    expect(msg).toMatch(/requests\[1\]\.setDataValidation/);
    expect(fx.fake.tabs()).toEqual(before);
    expect(fx.fake.layout('Config').validations.size).toBe(0);
  });

  it('when a request is unknown, lacks its field mask, names no grid or passes the grid, then 400', async () => {
    expect(await status(batch([{ mergeCells: { range: { sheetId: 0 } } }]))).toBe(400);
    expect(await status(batch([{ updateSheetProperties: { properties: { sheetId: 0, gridProperties: { frozenRowCount: 1 } } } }]))).toBe(
      400,
    );
    expect(await status(batch([{ repeatCell: { range: { sheetId: 0 }, cell: { userEnteredFormat: {} } } }]))).toBe(400);
    expect(await status(batch([{ setDataValidation: { range: { sheetId: 999 }, rule: { condition: { type: 'BOOLEAN' } } } }]))).toBe(400);
    expect(
      await status(batch([{ setDataValidation: { range: { sheetId: 0, endColumnIndex: 27 }, rule: { condition: { type: 'BOOLEAN' } } } }])),
    ).toBe(400);
    expect(
      await status(
        batch([
          {
            addConditionalFormatRule: {
              rule: { ranges: [{ sheetId: 0 }], booleanRule: { condition: { type: 'TEXT_EQ', values: [] }, format: {} } },
            },
          },
        ]),
      ),
    ).toBe(400);
    expect(await status(batch([{ addSheet: { properties: { sheetId: 0, title: 'Dup id' } } }]))).toBe(400);
    expect(await status(batch([]))).toBe(400);
  });
});
