/**
 * sheet:init on the Google Sheet: reads tabs, top rows, formats, validation
 * and colour rules with `spreadsheets.get`, and makes every structural and
 * format change in one `spreadsheets.batchUpdate`, then writes the headers
 * as RAW values in one `values.batchUpdate`.
 */
import { randomInt } from 'node:crypto';
import type { sheets_v4 } from 'googleapis';
import type { CellFacts, LayoutChange, TabFacts } from '../../domain/sheet/sheet-layout';
import type { SheetLayout } from '../../ports';
import { blockAt, quoteTab } from './a1';
import type { ErrorContext } from './errors';

/** Runs a call with the store's error translation. */
type Call = <T>(ctx: Omit<ErrorContext, 'spreadsheetId' | 'clientEmail' | 'credentialsFile'>, fn: () => Promise<T>) => Promise<T>;

/** Rows read for facts: a header may sit in any of the top ten, and the row under it shows the column's format. */
const TOP_ROWS = 11;

function cellFacts(cell: sheets_v4.Schema$CellData): CellFacts {
  return {
    value: cell.formattedValue ?? '',
    bold: cell.userEnteredFormat?.textFormat?.bold ?? undefined,
    numberFormat: cell.userEnteredFormat?.numberFormat?.type ?? undefined,
    validation: cell.dataValidation?.condition?.type ?? undefined,
  };
}

/** The "text is exactly" texts of a tab's conditional format rules, upper-cased. */
function colouredTexts(rules: sheets_v4.Schema$ConditionalFormatRule[] | undefined): string[] {
  return (rules ?? []).flatMap((r) =>
    r.booleanRule?.condition?.type === 'TEXT_EQ'
      ? (r.booleanRule.condition.values ?? []).map((v) => (v.userEnteredValue ?? '').toUpperCase())
      : [],
  );
}

/** SheetLayout on the Google Sheet. */
export class GoogleSheetLayout implements SheetLayout {
  readonly formatting = true;
  /** Tab title (lower case) → sheetId, from the last inspect and the tabs added since. */
  private ids = new Map<string, number>();

  constructor(
    private readonly api: sheets_v4.Sheets,
    private readonly spreadsheetId: string,
    private readonly call: Call,
  ) {}

  async inspect(tabs: string[]): Promise<TabFacts[]> {
    const meta = await this.call(
      { operation: 'listing tabs' },
      async () =>
        (
          await this.api.spreadsheets.get({
            spreadsheetId: this.spreadsheetId,
            fields: 'sheets(properties(sheetId,title,gridProperties),conditionalFormats)',
          })
        ).data,
    );
    const sheets = meta.sheets ?? [];
    this.ids = new Map(sheets.map((s) => [(s.properties?.title ?? '').toLowerCase(), s.properties?.sheetId ?? 0]));
    const wanted = sheets.filter((s) => tabs.some((t) => t.toLowerCase() === (s.properties?.title ?? '').toLowerCase()));
    if (wanted.length === 0) return [];
    const titles = wanted.map((s) => s.properties?.title ?? '');
    const grid = await this.call(
      { operation: 'reading the top rows', tabs: titles },
      async () =>
        (
          await this.api.spreadsheets.get({
            spreadsheetId: this.spreadsheetId,
            ranges: titles.map((t) => `${quoteTab(t)}!1:${TOP_ROWS}`),
            fields:
              'sheets(properties(title),data(startRow,startColumn,rowData(values(formattedValue,' +
              'userEnteredFormat(numberFormat,textFormat),dataValidation))))',
          })
        ).data,
    );
    return wanted.map((s) => {
      const title = s.properties?.title ?? '';
      const data = grid.sheets?.find((g) => g.properties?.title === title)?.data?.[0];
      const top: CellFacts[][] = [];
      (data?.rowData ?? []).forEach((row, i) => {
        top[(data?.startRow ?? 0) + i] = Array(data?.startColumn ?? 0)
          .fill({ value: '' })
          .concat((row.values ?? []).map(cellFacts));
      });
      for (let i = 0; i < top.length; i++) top[i] ??= [];
      return {
        title,
        top,
        frozenRows: s.properties?.gridProperties?.frozenRowCount ?? 0,
        columnCount: s.properties?.gridProperties?.columnCount ?? 26,
        colouredTexts: colouredTexts(s.conditionalFormats),
      };
    });
  }

  async apply(changes: LayoutChange[]): Promise<void> {
    const requests: sheets_v4.Schema$Request[] = [];
    const headers: { range: string; values: (string | boolean)[][] }[] = [];
    for (const c of changes) {
      if (c.kind === 'headers') headers.push({ range: blockAt(c.tab, c.row, c.column, 1, c.names.length), values: [c.names] });
      else if (c.kind === 'rows')
        headers.push({ range: blockAt(c.tab, c.row, c.column, c.rows.length, Math.max(...c.rows.map((r) => r.length))), values: c.rows });
      else requests.push(this.request(c));
    }
    if (requests.length > 0) {
      await this.call({ operation: 'formatting the sheet' }, () =>
        this.api.spreadsheets.batchUpdate({ spreadsheetId: this.spreadsheetId, requestBody: { requests } }),
      );
    }
    if (headers.length > 0) {
      // RAW, like every write of ours: a header is text, never a formula.
      await this.call({ operation: 'writing headers' }, () =>
        this.api.spreadsheets.values.batchUpdate({
          spreadsheetId: this.spreadsheetId,
          requestBody: { valueInputOption: 'RAW', data: headers },
        }),
      );
    }
  }

  private idOf(tab: string): number {
    const id = this.ids.get(tab.toLowerCase());
    if (id === undefined) throw new Error(`sheet:init planned a change to "${tab}", which neither exists nor is being added`);
    return id;
  }

  /** The column from `fromRow` down to `toRow`, or to the end of the grid. */
  private column(tab: string, column: number, fromRow: number, toRow?: number): sheets_v4.Schema$GridRange {
    return {
      sheetId: this.idOf(tab),
      startRowIndex: fromRow - 1,
      ...(toRow ? { endRowIndex: toRow } : {}),
      startColumnIndex: column - 1,
      endColumnIndex: column,
    };
  }

  private request(c: Exclude<LayoutChange, { kind: 'headers' | 'rows' }>): sheets_v4.Schema$Request {
    switch (c.kind) {
      case 'addTab': {
        const used = new Set(this.ids.values());
        let sheetId = randomInt(1, 2 ** 31 - 1);
        while (used.has(sheetId)) sheetId = randomInt(1, 2 ** 31 - 1);
        this.ids.set(c.tab.toLowerCase(), sheetId);
        // Our own id, so the formats in the same request can refer to the new tab.
        return { addSheet: { properties: { sheetId, title: c.tab } } };
      }
      case 'widen':
        return { appendDimension: { sheetId: this.idOf(c.tab), dimension: 'COLUMNS', length: c.columns } };
      case 'checkbox':
        return { setDataValidation: { range: this.column(c.tab, c.column, c.fromRow, c.toRow), rule: { condition: { type: 'BOOLEAN' } } } };
      case 'dropdown':
        return {
          setDataValidation: {
            range: this.column(c.tab, c.column, c.fromRow),
            // strict false: other input gets a warning, not a refusal (the bot understands more spellings).
            rule: {
              condition: { type: 'ONE_OF_LIST', values: c.values.map((v) => ({ userEnteredValue: v })) },
              strict: false,
              showCustomUi: true,
            },
          },
        };
      case 'dollars':
        return {
          repeatCell: {
            range: this.column(c.tab, c.column, c.fromRow),
            cell: { userEnteredFormat: { numberFormat: { type: 'CURRENCY', pattern: '"$"#,##0.00' } } },
            fields: 'userEnteredFormat.numberFormat',
          },
        };
      case 'freeze':
        return {
          updateSheetProperties: {
            properties: { sheetId: this.idOf(c.tab), gridProperties: { frozenRowCount: c.rows } },
            fields: 'gridProperties.frozenRowCount',
          },
        };
      case 'bold':
        return {
          repeatCell: {
            range: {
              sheetId: this.idOf(c.tab),
              startRowIndex: c.row - 1,
              endRowIndex: c.row,
              startColumnIndex: 0,
              endColumnIndex: c.columns,
            },
            cell: { userEnteredFormat: { textFormat: { bold: true } } },
            fields: 'userEnteredFormat.textFormat.bold',
          },
        };
      case 'colour':
        return {
          addConditionalFormatRule: {
            index: 0,
            rule: {
              ranges: [this.column(c.tab, c.column, c.fromRow)],
              booleanRule: {
                condition: { type: 'TEXT_EQ', values: [{ userEnteredValue: c.text }] },
                format: { backgroundColor: c.colour },
              },
            },
          },
        };
    }
  }
}
