/**
 * The Sheets v4 endpoints the googleapis client calls, answered from a Book
 * in the real response shapes. Paths are matched on the raw (still encoded)
 * path so a range's own `:` (sent as %3A) never looks like `:clear`.
 */
import { columnLetters, formatRange } from './a1';
import { ApiError, type Book } from './book';
import { gridData, runRequest } from './layout';
import type { Sheet, InputOption, ValueRender } from './workbook';

/** One parsed request, after auth. */
export interface RouteRequest {
  method: string;
  /** Path after `/v4/spreadsheets/{id}`, still percent-encoded: `''`, `:batchUpdate`, `/values/…`. */
  rest: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
}

/** A handler's answer and which tabs it wrote (for history). */
export interface RouteResult {
  json: unknown;
  touched: Sheet[];
}

type Handler = (book: Book, req: RouteRequest, id: string, range?: string) => RouteResult;

/** `read` or `write` for quota and counters; undefined when no such endpoint. */
export function routeKind(method: string, rest: string): 'read' | 'write' | undefined {
  return find(method, rest) ? (method === 'GET' ? 'read' : 'write') : undefined;
}

/** Runs the endpoint; throws ApiError for the API's refusals. */
export function route(book: Book, id: string, req: RouteRequest): RouteResult {
  const hit = find(req.method, req.rest);
  if (!hit) throw new ApiError(404, 'Method not found.');
  return hit.handler(book, req, id, hit.range);
}

function find(method: string, rest: string): { handler: Handler; range?: string } | undefined {
  const fixed: Record<string, Handler> = {
    'GET ': getSpreadsheet,
    'POST :batchUpdate': batchUpdateSpreadsheet,
    'GET /values:batchGet': batchGet,
    'POST /values:batchUpdate': batchUpdateValues,
    'POST /values:batchClear': batchClear,
  };
  const key = `${method} ${rest}`;
  if (fixed[key]) return { handler: fixed[key] };
  const m = /^\/values\/([^/]+?)(:clear)?$/.exec(rest);
  if (!m) return undefined;
  const range = decodeURIComponent(m[1]);
  if (m[2]) return method === 'POST' ? { handler: clear, range } : undefined;
  if (method === 'GET') return { handler: getValues, range };
  if (method === 'PUT') return { handler: updateValues, range };
  return undefined;
}

const transpose = (rows: unknown[][]): unknown[][] => {
  const width = Math.max(0, ...rows.map((r) => r.length));
  return Array.from({ length: width }, (_, c) => rows.map((r) => r[c] ?? ''));
};

function readRange(book: Book, range: string, query: URLSearchParams) {
  const { sheet, box } = book.resolve(range);
  const render = (query.get('valueRenderOption') ?? 'FORMATTED_VALUE') as ValueRender;
  if (!['FORMATTED_VALUE', 'UNFORMATTED_VALUE', 'FORMULA'].includes(render)) {
    throw new ApiError(400, `Invalid value at 'value_render_option' (${render})`);
  }
  const major = query.get('majorDimension') ?? 'ROWS';
  let values: unknown[][] = sheet.read(box, render);
  if (major === 'COLUMNS') values = transpose(values).map(trimEnd);
  const c = sheet.clip(box);
  const out: Record<string, unknown> = { range: formatRange(sheet.title, c.r1, c.c1, c.r2, c.c2), majorDimension: major };
  if (values.length) out.values = values;
  return out;
}

function trimEnd(row: unknown[]): unknown[] {
  const r = [...row];
  while (r.length && r[r.length - 1] === '') r.pop();
  return r;
}

function getValues(book: Book, req: RouteRequest, _id: string, range = ''): RouteResult {
  return { json: readRange(book, range, req.query), touched: [] };
}

function batchGet(book: Book, req: RouteRequest, id: string): RouteResult {
  const valueRanges = req.query.getAll('ranges').map((r) => readRange(book, r, req.query));
  return { json: { spreadsheetId: id, valueRanges }, touched: [] };
}

function inputOption(value: unknown): InputOption {
  if (value === undefined || value === null || value === '') {
    throw new ApiError(400, "'valueInputOption' is required but not specified");
  }
  if (value !== 'RAW' && value !== 'USER_ENTERED') throw new ApiError(400, `Invalid valueInputOption: ${String(value)}`);
  return value;
}

/** Checks and applies one `{range, values}`; returns the UpdateValuesResponse. */
function plan(book: Book, range: string, data: Record<string, unknown>) {
  const { sheet, box } = book.resolve(range);
  const raw = data.values ?? [];
  if (!Array.isArray(raw)) throw new ApiError(400, "Invalid JSON payload: 'values' must be a list");
  const values = (data.majorDimension === 'COLUMNS' ? transpose(raw as unknown[][]) : raw) as unknown[][];
  // A single cell is only the starting corner (as in the API); a larger range bounds the write.
  const single = box.r1 === box.r2 && box.c1 === box.c2;
  values.forEach((row, i) => {
    if (single) return;
    if (box.r1 + i > box.r2) throw new ApiError(400, `Requested writing within range [${range}], but tried writing to row [${box.r1 + i}]`);
    if (Array.isArray(row) && box.c1 + row.length - 1 > box.c2) {
      throw new ApiError(
        400,
        `Requested writing within range [${range}], but tried writing to column [${columnLetters(box.c1 + row.length - 1)}]`,
      );
    }
  });
  return { sheet, box, values };
}

function apply(book: Book, id: string, p: ReturnType<typeof plan>, option: InputOption) {
  const result = p.sheet.write(p.box.r1, p.box.c1, p.values, option);
  book.recordFormulas(p.sheet, result.formulas);
  const width = Math.max(1, ...p.values.map((r) => (Array.isArray(r) ? r.length : 0)));
  const height = Math.max(1, p.values.length);
  const updatedRange = formatRange(p.sheet.title, p.box.r1, p.box.c1, p.box.r1 + height - 1, p.box.c1 + width - 1);
  const { updatedRows, updatedColumns, updatedCells } = result;
  return { spreadsheetId: id, updatedRange, updatedRows, updatedColumns, updatedCells };
}

function updateValues(book: Book, req: RouteRequest, id: string, range = ''): RouteResult {
  const option = inputOption(req.query.get('valueInputOption'));
  if (typeof req.body.range === 'string' && req.body.range !== range) {
    throw new ApiError(400, `Invalid ValueRange: the range [${req.body.range}] does not match the URL range [${range}]`);
  }
  const p = plan(book, range, req.body);
  return { json: apply(book, id, p, option), touched: [p.sheet] };
}

function batchUpdateValues(book: Book, req: RouteRequest, id: string): RouteResult {
  const option = inputOption(req.body.valueInputOption);
  const data = (Array.isArray(req.body.data) ? req.body.data : []) as Record<string, unknown>[];
  // Check every range before writing any, so a bad one leaves the sheet untouched (the API is atomic).
  const plans = data.map((d) => plan(book, String(d.range ?? ''), d));
  const responses = plans.map((p) => apply(book, id, p, option));
  const touched = [...new Set(plans.map((p) => p.sheet))];
  const sum = (k: 'updatedRows' | 'updatedColumns' | 'updatedCells') => responses.reduce((n, r) => n + r[k], 0);
  return {
    json: {
      spreadsheetId: id,
      totalUpdatedRows: sum('updatedRows'),
      totalUpdatedColumns: sum('updatedColumns'),
      totalUpdatedCells: sum('updatedCells'),
      totalUpdatedSheets: touched.length,
      responses,
    },
    touched,
  };
}

function clearOne(book: Book, range: string) {
  const { sheet, box } = book.resolve(range);
  sheet.clear(box);
  const c = sheet.clip(box);
  return { sheet, clearedRange: formatRange(sheet.title, c.r1, c.c1, c.r2, c.c2) };
}

function clear(book: Book, _req: RouteRequest, id: string, range = ''): RouteResult {
  const { sheet, clearedRange } = clearOne(book, range);
  return { json: { spreadsheetId: id, clearedRange }, touched: [sheet] };
}

function batchClear(book: Book, req: RouteRequest, id: string): RouteResult {
  const ranges = (Array.isArray(req.body.ranges) ? req.body.ranges : []).map(String);
  ranges.forEach((r) => book.resolve(r));
  const done = ranges.map((r) => clearOne(book, r));
  return { json: { spreadsheetId: id, clearedRanges: done.map((d) => d.clearedRange) }, touched: done.map((d) => d.sheet) };
}

function getSpreadsheet(book: Book, req: RouteRequest, id: string): RouteResult {
  const fields = req.query.get('fields') ?? '';
  const ranges = req.query.getAll('ranges').map((r) => book.resolve(r));
  // With a field mask, includeGridData is ignored (as the API says); without one, it decides.
  const wantsData = fields ? /\bdata\b/.test(fields) : req.query.get('includeGridData') === 'true';
  const wantsRules = !fields || fields.includes('conditionalFormats');
  const wantsProperties = !fields || fields.includes('properties');
  // `ranges` limit the answer to the parts of the spreadsheet they intersect.
  const shown = ranges.length ? book.sheets.filter((s) => ranges.some((r) => r.sheet === s)) : book.sheets;
  const sheets = shown.map((s) => {
    const out: Record<string, unknown> = {};
    if (wantsProperties) out.properties = s.properties();
    if (wantsRules && s.layout.conditionalFormats.length) out.conditionalFormats = structuredClone(s.layout.conditionalFormats);
    if (wantsData) {
      const boxes = ranges.filter((r) => r.sheet === s).map((r) => r.box);
      out.data = (boxes.length ? boxes : [{ r1: 1, c1: 1, r2: Infinity, c2: Infinity }]).map((b) => gridData(s, b.r1, b.r2, b.c1, b.c2));
    }
    return out;
  });
  // A `fields` mask starting with `sheets` (e.g. `sheets.properties`) returns just that part.
  if (fields.startsWith('sheets')) return { json: { sheets }, touched: [] };
  const properties = { title: book.title, locale: book.locale, autoRecalc: 'ON_CHANGE', timeZone: 'America/Los_Angeles' };
  const spreadsheetUrl = `https://docs.google.com/spreadsheets/d/${id}/edit`;
  return { json: { spreadsheetId: id, properties, sheets, spreadsheetUrl }, touched: [] };
}

function batchUpdateSpreadsheet(book: Book, req: RouteRequest, id: string): RouteResult {
  const requests = req.body.requests;
  if (!Array.isArray(requests) || requests.length === 0) throw new ApiError(400, 'Invalid requests: at least one request is required');
  const before = [...book.sheets];
  const restore = book.sheets.map((s) => s.saveLayout());
  const touched: Sheet[] = [];
  try {
    const replies = requests.map((r, i) => {
      const { reply, added } = runRequest(book, r, i);
      if (added) touched.push(added);
      return reply;
    });
    return { json: { spreadsheetId: id, replies }, touched };
  } catch (err) {
    book.sheets = before; // all-or-nothing, like the API
    book.sheets.forEach((s, k) => (s.index = k));
    restore.forEach((undo) => undo());
    throw err;
  }
}
