import type { LayoutChange, TabFacts } from '../domain/sheet/sheet-layout';

/** The sheet's structure, read and changed by `npm run sheet:init`. */
export interface SheetLayout {
  /** Whether the sheet keeps formats, validation and colours (the Google Sheet does, CSV files don't). */
  readonly formatting: boolean;
  /** What the named tabs that exist hold (top rows, frozen rows, colour rules); missing tabs are left out. */
  inspect(tabs: string[]): Promise<TabFacts[]>;
  /** Makes the changes: tabs and formats in one structural request, then the header cells as RAW values. */
  apply(changes: LayoutChange[]): Promise<void>;
}
