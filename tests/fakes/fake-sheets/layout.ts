/**
 * The structural side of the fake: `spreadsheets.batchUpdate` requests that
 * sheet:init and the store use (addSheet, deleteSheet, updateSheetProperties,
 * appendDimension, repeatCell, setDataValidation, addConditionalFormatRule),
 * checked as the API checks them, and the grid data `spreadsheets.get`
 * returns for `ranges` with a `fields` mask (formattedValue, userEnteredFormat,
 * dataValidation).
 */
import { columnLetters } from './a1';
import { ApiError, type Book } from './book';
import { formatted, type Sheet } from './workbook';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The condition types the API knows (BooleanCondition.type), for validation and conditional formats. */
const CONDITION_TYPES = new Set([
  'NUMBER_GREATER',
  'NUMBER_GREATER_THAN_EQ',
  'NUMBER_LESS',
  'NUMBER_LESS_THAN_EQ',
  'NUMBER_EQ',
  'NUMBER_NOT_EQ',
  'NUMBER_BETWEEN',
  'NUMBER_NOT_BETWEEN',
  'TEXT_CONTAINS',
  'TEXT_NOT_CONTAINS',
  'TEXT_STARTS_WITH',
  'TEXT_ENDS_WITH',
  'TEXT_EQ',
  'TEXT_IS_EMAIL',
  'TEXT_IS_URL',
  'DATE_EQ',
  'DATE_BEFORE',
  'DATE_AFTER',
  'DATE_ON_OR_BEFORE',
  'DATE_ON_OR_AFTER',
  'DATE_BETWEEN',
  'DATE_NOT_BETWEEN',
  'DATE_IS_VALID',
  'ONE_OF_RANGE',
  'ONE_OF_LIST',
  'BLANK',
  'NOT_BLANK',
  'CUSTOM_FORMULA',
  'BOOLEAN',
  'TEXT_NOT_EQ',
  'DATE_NOT_EQ',
  'FILTER_EXPRESSION',
]);

/** Inclusive 1-based bounds of a GridRange on its sheet. */
interface Bounds {
  sheet: Sheet;
  r1: number;
  r2: number;
  c1: number;
  c2: number;
}

/** Checks a GridRange (0-based, end exclusive, open ends run to the grid's edge). */
function gridRange(book: Book, value: unknown, where: string): Bounds {
  if (!isObject(value)) throw new ApiError(400, `${where}: range is required`);
  const sheet = book.byId(Number(value.sheetId ?? 0));
  if (!sheet) throw new ApiError(400, `${where}: No grid with id: ${String(value.sheetId ?? 0)}`);
  const index = (k: string, fallback: number) => {
    const v = value[k];
    if (v === undefined) return fallback;
    if (!Number.isInteger(v) || (v as number) < 0) throw new ApiError(400, `${where}: ${k} must be a non-negative integer`);
    return v as number;
  };
  const r0 = index('startRowIndex', 0);
  const r1 = index('endRowIndex', sheet.rowCount);
  const c0 = index('startColumnIndex', 0);
  const c1 = index('endColumnIndex', sheet.columnCount);
  if (r1 <= r0 || c1 <= c0) throw new ApiError(400, `${where}: the range is empty (start must be below end)`);
  if (r1 > sheet.rowCount || c1 > sheet.columnCount) {
    throw new ApiError(
      400,
      `${where}: Range ('${sheet.title}'!${columnLetters(c0 + 1)}${r0 + 1}:${columnLetters(c1)}${r1}) exceeds grid limits. ` +
        `Max rows: ${sheet.rowCount}, max columns: ${sheet.columnCount}`,
    );
  }
  return { sheet, r1: r0 + 1, r2: r1, c1: c0 + 1, c2: c1 };
}

function eachCell(b: Bounds, fn: (key: string) => void): void {
  for (let r = b.r1; r <= b.r2; r++) for (let c = b.c1; c <= b.c2; c++) fn(`${r},${c}`);
}

/** A BooleanCondition as the API checks it. */
function condition(value: unknown, where: string): void {
  if (!isObject(value) || typeof value.type !== 'string' || !CONDITION_TYPES.has(value.type)) {
    throw new ApiError(400, `${where}.condition: Invalid value at 'type' (${String(isObject(value) ? value.type : value)})`);
  }
  const values = value.values ?? [];
  if (!Array.isArray(values) || values.some((v) => !isObject(v)))
    throw new ApiError(400, `${where}.condition: values must be a list of ConditionValue`);
  if (value.type === 'ONE_OF_LIST' && values.length === 0)
    throw new ApiError(400, `${where}: ONE_OF_LIST condition requires at least one value`);
  if (value.type === 'TEXT_EQ' && values.length !== 1) throw new ApiError(400, `${where}: TEXT_EQ condition requires exactly one value`);
  if (value.type === 'BOOLEAN' && values.length > 2) throw new ApiError(400, `${where}: BOOLEAN condition takes at most two values`);
}

/** Copies the `fields` paths (e.g. `userEnteredFormat.textFormat.bold`) from `cell` into the stored format. */
function applyFields(target: Json, cell: Json, fields: string): Json {
  const out = structuredClone(target);
  for (const path of fields.split(',').map((f) => f.trim())) {
    const parts = path.split('.');
    if (parts[0] !== 'userEnteredFormat') throw new ApiError(400, `fake-sheets models userEnteredFormat fields only, not "${path}"`);
    let from: unknown = cell;
    for (const p of parts) from = isObject(from) ? from[p] : undefined;
    let to = out;
    for (const p of parts.slice(1, -1)) to = (isObject(to[p]) ? to[p] : (to[p] = {})) as Json;
    const last = parts[parts.length - 1];
    if (parts.length === 1) return isObject(from) ? structuredClone(from) : {};
    if (from === undefined) delete to[last];
    else to[last] = structuredClone(from);
  }
  return out;
}

const KINDS = [
  'addSheet',
  'deleteSheet',
  'updateSheetProperties',
  'appendDimension',
  'repeatCell',
  'setDataValidation',
  'addConditionalFormatRule',
];

/** Runs one request of a batchUpdate; returns its reply and the tab it added, if any. */
export function runRequest(book: Book, request: unknown, i: number): { reply: Json; added?: Sheet } {
  const kinds = isObject(request) ? Object.keys(request) : [];
  if (kinds.length !== 1) throw new ApiError(400, `Invalid requests[${i}]: exactly one kind of request must be set, got ${kinds.length}`);
  const kind = kinds[0];
  const where = `Invalid requests[${i}].${kind}`;
  if (!KINDS.includes(kind))
    throw new ApiError(400, `Invalid JSON payload received. Unknown name "${kind}" at 'requests[${i}]': fake-sheets does not model it`);
  const body = (request as Json)[kind];
  if (!isObject(body)) throw new ApiError(400, `${where}: must be an object`);
  try {
    return run(book, kind, body, where);
  } catch (err) {
    if (err instanceof ApiError && !err.message.startsWith('Invalid')) throw new ApiError(err.code, `${where}: ${err.message}`);
    throw err;
  }
}

function run(book: Book, kind: string, body: Json, where: string): { reply: Json; added?: Sheet } {
  switch (kind) {
    case 'addSheet': {
      const props = isObject(body.properties) ? body.properties : {};
      const sheet = book.add(
        typeof props.title === 'string' ? props.title : `Sheet${book.sheets.length + 1}`,
        props.index as number | undefined,
        props.sheetId as number | undefined,
      );
      return { reply: { addSheet: { properties: sheet.properties() } }, added: sheet };
    }
    case 'deleteSheet':
      book.remove(Number(body.sheetId));
      return { reply: {} };
    case 'updateSheetProperties': {
      const props = isObject(body.properties) ? body.properties : {};
      if (typeof body.fields !== 'string' || body.fields.trim() === '')
        throw new ApiError(400, `${where}: 'fields' is required (a field mask such as gridProperties.frozenRowCount)`);
      const sheet = book.byId(Number(props.sheetId ?? 0));
      if (!sheet) throw new ApiError(400, `${where}: No grid with id: ${String(props.sheetId)}`);
      for (const field of body.fields.split(',').map((f) => f.trim())) {
        if (field === 'gridProperties.frozenRowCount') {
          const n = (props.gridProperties as Json | undefined)?.frozenRowCount ?? 0;
          if (!Number.isInteger(n) || (n as number) < 0 || (n as number) >= sheet.rowCount)
            throw new ApiError(400, `${where}: frozenRowCount ${String(n)} is out of range`);
          sheet.layout.frozenRowCount = n as number;
        } else if (field === 'title') {
          if (typeof props.title !== 'string' || (book.find(props.title) && book.find(props.title) !== sheet))
            throw new ApiError(400, `${where}: bad or taken title`);
          sheet.title = props.title;
        } else {
          throw new ApiError(400, `${where}: fake-sheets does not model the field "${field}"`);
        }
      }
      return { reply: {} };
    }
    case 'appendDimension': {
      const sheet = book.byId(Number(body.sheetId ?? 0));
      if (!sheet) throw new ApiError(400, `${where}: No grid with id: ${String(body.sheetId)}`);
      if (!Number.isInteger(body.length) || (body.length as number) < 1) throw new ApiError(400, `${where}: length must be at least 1`);
      if (body.dimension === 'ROWS') sheet.rowCount += body.length as number;
      else if (body.dimension === 'COLUMNS') sheet.columnCount += body.length as number;
      else throw new ApiError(400, `${where}: dimension must be ROWS or COLUMNS`);
      return { reply: {} };
    }
    case 'repeatCell': {
      const bounds = gridRange(book, body.range, where);
      if (!isObject(body.cell)) throw new ApiError(400, `${where}: cell is required`);
      if (typeof body.fields !== 'string' || body.fields.trim() === '') throw new ApiError(400, `${where}: 'fields' is required`);
      const formats = bounds.sheet.layout.formats;
      eachCell(bounds, (key) => formats.set(key, applyFields(formats.get(key) ?? {}, body.cell as Json, body.fields as string)));
      return { reply: {} };
    }
    case 'setDataValidation': {
      const bounds = gridRange(book, body.range, where);
      const { validations } = bounds.sheet.layout;
      if (body.rule === undefined) {
        eachCell(bounds, (key) => validations.delete(key));
        return { reply: {} };
      }
      if (!isObject(body.rule)) throw new ApiError(400, `${where}.rule: must be a DataValidationRule`);
      condition(body.rule.condition, `${where}.rule`);
      for (const k of ['strict', 'showCustomUi']) {
        if (body.rule[k] !== undefined && typeof body.rule[k] !== 'boolean')
          throw new ApiError(400, `${where}.rule: ${k} must be true or false`);
      }
      eachCell(bounds, (key) => validations.set(key, structuredClone(body.rule as Json)));
      return { reply: {} };
    }
    case 'addConditionalFormatRule': {
      const rule = body.rule;
      if (!isObject(rule) || !Array.isArray(rule.ranges) || rule.ranges.length === 0)
        throw new ApiError(400, `${where}: rule.ranges must hold at least one range`);
      const ranges = rule.ranges.map((r) => gridRange(book, r, where));
      if (new Set(ranges.map((r) => r.sheet)).size > 1) throw new ApiError(400, `${where}: All ranges must be on the same sheet`);
      const boolean = rule.booleanRule;
      if (!isObject(boolean) && !isObject(rule.gradientRule))
        throw new ApiError(400, `${where}: rule needs a booleanRule or a gradientRule`);
      if (isObject(boolean)) {
        condition(boolean.condition, `${where}.rule.booleanRule`);
        if (!isObject(boolean.format)) throw new ApiError(400, `${where}.rule.booleanRule: format is required`);
      }
      const list = ranges[0].sheet.layout.conditionalFormats;
      const index = body.index ?? list.length;
      if (!Number.isInteger(index) || (index as number) < 0 || (index as number) > list.length)
        throw new ApiError(400, `${where}: index ${String(index)} is out of range`);
      list.splice(index as number, 0, structuredClone(rule));
      return { reply: {} };
    }
  }
  throw new ApiError(400, `${where}: not modelled`);
}

/** The CellData of one cell: its displayed value, format and validation, as `spreadsheets.get` returns them. */
function cellData(sheet: Sheet, row: number, column: number): Json {
  const out: Json = {};
  const cell = sheet.cellAt(row, column);
  if (cell) out.formattedValue = formatted(cell);
  const format = sheet.layout.formats.get(`${row},${column}`);
  if (format && Object.keys(format).length) out.userEnteredFormat = structuredClone(format);
  const rule = sheet.layout.validations.get(`${row},${column}`);
  if (rule) out.dataValidation = structuredClone(rule);
  return out;
}

/** GridData for rows r1..r2 and columns c1..c2 (inclusive, clipped to the grid); trailing empty cells and rows omitted. */
export function gridData(sheet: Sheet, r1: number, r2: number, c1: number, c2: number): Json {
  const rowData: Json[] = [];
  for (let r = r1; r <= Math.min(r2, sheet.rowCount); r++) {
    const values: Json[] = [];
    for (let c = c1; c <= Math.min(c2, sheet.columnCount); c++) values.push(cellData(sheet, r, c));
    while (values.length && Object.keys(values[values.length - 1]).length === 0) values.pop();
    rowData.push(values.length ? { values } : {});
  }
  while (rowData.length && Object.keys(rowData[rowData.length - 1]).length === 0) rowData.pop();
  return { startRow: r1 - 1, startColumn: c1 - 1, rowData };
}
