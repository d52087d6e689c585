/** The Google Sheets SheetStore. */
export { GoogleSheetStore, type GoogleSheetStoreOptions } from './google-sheet-store';
