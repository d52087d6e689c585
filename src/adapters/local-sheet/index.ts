/** The CSV-file SheetStore for local mode. */
export { LocalSheetStore } from './local-sheet-store';
