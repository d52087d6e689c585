/** A SheetStore kept in memory, with failures on demand: for unit tests of the app layer. */
import { NotFoundError, TemporaryError } from '../../src/domain/errors';
import { cellText, toCells } from '../../src/adapters/sheet-writes';
import type { CellWrite, SheetStore, SheetWrite } from '../../src/ports';

export class MemorySheet implements SheetStore {
  readonly kind = 'local' as const;
  readonly location = 'memory';
  tabs = new Map<string, string[][]>();
  reads = 0;
  writes: CellWrite[][] = [];
  /** While > 0, each read or write fails with a TemporaryError and counts down. */
  failNext = 0;
  /** Resolves each read only when released (to hold reads in flight). */
  holdReads = false;
  private held: (() => void)[] = [];

  constructor(tabs: Record<string, string[][]> = {}) {
    for (const [k, v] of Object.entries(tabs))
      this.tabs.set(
        k,
        v.map((r) => [...r]),
      );
  }

  async readTab(tab: string): Promise<string[][]> {
    this.reads++;
    if (this.holdReads) await new Promise<void>((r) => this.held.push(r));
    this.maybeFail();
    const rows = this.tabs.get(tab);
    if (!rows) throw new NotFoundError(tab);
    return rows.map((r) => [...r]);
  }

  /** Text only, like the CSV sheet. */
  async readValues(tab: string): Promise<string[][]> {
    return this.readTab(tab);
  }

  /** Lets every held read go on. */
  release(): void {
    this.holdReads = false;
    this.held.splice(0).forEach((r) => r());
  }

  async writeCells(batch: SheetWrite[]): Promise<void> {
    this.maybeFail();
    const writes = toCells(batch);
    for (const w of writes) if (!this.tabs.has(w.tab)) throw new NotFoundError(w.tab);
    this.writes.push(writes);
    for (const w of writes) {
      const rows = this.tabs.get(w.tab) ?? [];
      while (rows.length < w.row) rows.push([]);
      const row = rows[w.row - 1];
      while (row.length < w.column) row.push('');
      row[w.column - 1] = cellText(w.value);
      this.tabs.set(w.tab, rows);
    }
  }

  async ensureTab(tab: string): Promise<boolean> {
    if (this.tabs.has(tab)) return false;
    this.tabs.set(tab, []);
    return true;
  }

  async replaceTab(tab: string, rows: string[][]): Promise<void> {
    this.maybeFail();
    this.tabs.set(
      tab,
      rows.map((r) => [...r]),
    );
  }

  private maybeFail(): void {
    if (this.failNext > 0) {
      this.failNext--;
      throw new TemporaryError('sheet unavailable (429)');
    }
  }
}
