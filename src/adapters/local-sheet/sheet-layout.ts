/** sheet:init on the CSV files: tabs are files, and only headers apply (CSV keeps no formats). */
import { NotFoundError } from '../../domain/errors';
import type { LayoutChange, TabFacts } from '../../domain/sheet/sheet-layout';
import type { SheetLayout } from '../../ports';
import { cellText } from '../sheet-writes';
import type { LocalSheetStore } from './local-sheet-store';

/** SheetLayout on the local CSV sheet. */
export class LocalSheetLayout implements SheetLayout {
  readonly formatting = false;

  constructor(private readonly store: LocalSheetStore) {}

  async inspect(tabs: string[]): Promise<TabFacts[]> {
    const facts: TabFacts[] = [];
    for (const title of tabs) {
      try {
        const rows = await this.store.readTab(title);
        facts.push({
          title,
          top: rows.slice(0, 11).map((r) => r.map((value) => ({ value }))),
          frozenRows: 0,
          columnCount: Number.MAX_SAFE_INTEGER,
          colouredTexts: [],
        });
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
      }
    }
    return facts;
  }

  async apply(changes: LayoutChange[]): Promise<void> {
    for (const c of changes) {
      if (c.kind === 'addTab') await this.store.ensureTab(c.tab);
      if (c.kind === 'headers') await this.store.writeCells([{ tab: c.tab, row: c.row, column: c.column, rows: [c.names] }]);
      if (c.kind === 'rows')
        await this.store.writeCells([{ tab: c.tab, row: c.row, column: c.column, rows: c.rows.map((r) => r.map(cellText)) }]);
    }
  }
}
