/** The fake Google Sheets server for tests; see README.md. */
export { startFakeSheets } from './server';
export type { FakeSheets, FakeSheetsOptions, RequestRecord } from './server';
export type { FaultSpec, QuotaOptions } from './faults';
export type { FormulaWrite } from './book';
export type { CellInput, FormattedNumber, Layout, Scalar } from './workbook';
