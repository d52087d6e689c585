/**
 * Use case: the Controls tab, the trader's console in the sheet. Every poll
 * reads the tab once, acts on what the trader did (Halt ticked or unticked,
 * FLATTEN typed) and writes back, in one request, only the cells whose text
 * changed: the Halt box and its reason when the bot halted by itself, the
 * Flatten result, Bot alive, Mode, Order events and Halted since.
 */
import {
  CONTROL_HINTS,
  CONTROL_NAMES,
  CONTROLS_HEADER,
  flattenCommand,
  isTicked,
  notACommandNote,
  readControls,
  type ControlName,
  type ControlsLayout,
} from '../../domain/sheet/controls';
import { describeError, NotFoundError } from '../../domain/errors';
import { formatStatusTime } from '../../domain/sheet/status-time';
import type { CellWrite, Clock, Logger, SheetStore, StateStore } from '../../ports';
import type { HaltState } from '../guards/kill-switch';
import { SingleFlight } from './single-flight';

/** What a flatten reported, as far as the Controls tab tells it. */
export interface FlattenOutcome {
  status: string;
  cancelled_orders: number;
  closed: unknown[];
  /** Closes still queued at the broker (the market is closed), by symbol. */
  pending: { symbol: string }[];
  failed: { symbol: string; reason: string }[];
  remaining: string[];
}

/** The kill switch, as the Controls tab uses it (the same one POST /halt and /resume use). */
export interface HaltControl {
  state(): HaltState;
  halt(reason: string): HaltState;
  resume(): HaltState;
}

/** What the Controls tab needs. */
export interface ControlsDeps {
  sheet: SheetStore;
  tab: string;
  clock: Clock;
  logger: Logger;
  /** STATUS_TIMEZONE: the zone of Bot alive, Halted since and the Flatten result. */
  timezone: string;
  killSwitch: HaltControl;
  /** The loss breaker's halt in force now, if any: it ticks the box too, with its reason. */
  breakerHalt: () => { reason: string; since: string } | undefined;
  /** Where the last Halt value the bot and the sheet agreed on is kept, so a restart tells the trader's change from its own. */
  state: StateStore;
  mode: 'local' | 'paper' | 'live';
  /** Where order events come from: the broker's stream, or polling. */
  orderEvents: () => 'stream' | 'polling';
  /** Runs POST /flatten's use case. */
  flatten: () => Promise<FlattenOutcome>;
}

/** How the Controls tab is doing, for /health. */
export interface ControlsStatus {
  tab: string;
  /** When the tab was last read (ISO), null before the first read. */
  read_at: string | null;
  /** Why the last read or write failed; absent when it worked. */
  problem?: string;
}

/** Halt's value as the bot and the sheet last agreed on it. */
const SYNCED_KEY = 'controls.halt_synced';

/** The Controls tab's poller. */
export class ControlsTab {
  private timer?: NodeJS.Timeout;
  private readonly polls = new SingleFlight(() => this.pollOnce().catch((err) => this.failed('controls.poll_failed', err)));
  private readAt?: Date;
  private problem?: string;

  constructor(private readonly d: ControlsDeps) {}

  /** Polls now and then every `intervalMs` until stopped. */
  start(intervalMs: number): void {
    if (this.timer) return;
    void this.poll();
    // unref: the schedule alone must not keep the process (or a test run) alive.
    this.timer = setInterval(() => void this.poll(), intervalMs);
    this.timer.unref();
  }

  /** Stops the schedule; resolves when a poll in flight has finished. */
  stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    return this.polls.idle();
  }

  /** The state /health shows. */
  status(): ControlsStatus {
    return { tab: this.d.tab, read_at: this.readAt?.toISOString() ?? null, ...(this.problem ? { problem: this.problem } : {}) };
  }

  /**
   * Reads and acts once; a call while a poll runs makes one more run after it
   * (the bot halted meanwhile, so the box must follow). Never throws.
   */
  poll(): Promise<void> {
    return this.polls.run();
  }

  private async pollOnce(): Promise<void> {
    const rows = await this.read();
    if (rows === undefined) return;
    const layout = readControls(rows);
    this.followTrader(layout);
    const flatten = layout.cells.Flatten;
    const command = flatten ? flattenCommand(flatten.value) : 'none';
    const cells = this.wanted(layout);
    if (command === 'flatten') {
      // Cleared before it runs: a restart mid-flatten must not run it again.
      cells.Flatten = { value: '', note: `flattening, started ${this.time()}` };
    } else if (command === 'other') {
      cells.Flatten = { note: notACommandNote(flatten!.value) };
    }
    await this.write(layout, cells);
    if (command === 'flatten') await this.runFlatten(layout);
  }

  /** The tab's rows; undefined (with the problem kept for /health) when it can't be read. A missing tab is created. */
  private async read(): Promise<(string | number | boolean)[][] | undefined> {
    try {
      const rows = await this.d.sheet.readValues(this.d.tab);
      this.readAt = this.d.clock.now();
      return rows;
    } catch (err) {
      if (!(err instanceof NotFoundError)) {
        this.failed('controls.read_failed', err);
        return undefined;
      }
    }
    if (await this.d.sheet.ensureTab(this.d.tab)) {
      this.d.logger.warn('controls.tab_created', { tab: this.d.tab, hint: 'npm run sheet:init makes Halt a checkbox' });
    }
    this.readAt = this.d.clock.now();
    return [];
  }

  /** A Halt box the trader changed since the bot and the sheet last agreed halts or resumes, like POST /halt and /resume. */
  private followTrader(layout: ControlsLayout): void {
    const cell = layout.cells.Halt;
    const synced = this.d.state.get(SYNCED_KEY);
    if (!cell || synced === undefined) return;
    const ticked = isTicked(cell.value);
    if (ticked === (synced === 'true')) return;
    if (ticked) {
      const state = this.d.killSwitch.halt(`Halt ticked in the ${this.d.tab} tab`);
      this.d.logger.warn('trading.halted', { reason: state.reason, source: 'controls' });
    } else {
      this.d.killSwitch.resume();
      this.d.logger.warn('trading.resumed', { source: 'controls' });
    }
  }

  /** What each control should show now: the value and note the bot stands for. */
  private wanted(layout: ControlsLayout): Partial<Record<ControlName, { value?: string | boolean; note?: string }>> {
    const halt = this.halt();
    const cells: Partial<Record<ControlName, { value?: string | boolean; note?: string }>> = {
      Halt: { value: halt !== undefined, note: halt?.reason ?? CONTROL_HINTS.Halt },
      'Bot alive': { value: formatStatusTime(this.readAt ?? this.d.clock.now(), this.d.timezone) },
      Mode: { value: this.d.mode },
      'Order events': { value: this.d.orderEvents() },
      'Halted since': { value: halt ? formatStatusTime(new Date(halt.since), this.d.timezone) : '' },
    };
    // A control with no row yet gets one, with the hint a new tab has.
    for (const name of layout.missing) cells[name] = { value: cells[name]?.value ?? '', note: cells[name]?.note ?? CONTROL_HINTS[name] };
    return cells;
  }

  /** The halt in force: the kill switch's, else the loss breaker's. */
  private halt(): { reason: string; since: string } | undefined {
    const state = this.d.killSwitch.state();
    if (state.halted) return { reason: state.reason ?? 'halted', since: state.since ?? this.d.clock.now().toISOString() };
    return this.d.breakerHalt();
  }

  /**
   * Writes the cells whose text differs from what was read, in one request:
   * existing rows in place, missing controls (and, on an empty tab, the
   * header) after the last row. Records the Halt value the sheet then holds.
   */
  private async write(layout: ControlsLayout, cells: ReturnType<ControlsTab['wanted']>): Promise<void> {
    const writes: CellWrite[] = [];
    const tab = this.d.tab;
    let next = layout.nextRow;
    if (layout.empty) {
      CONTROLS_HEADER.forEach((value, i) => writes.push({ tab, row: next, column: i + 1, value }));
      next++;
    }
    for (const name of CONTROL_NAMES) {
      const want = cells[name];
      const at = layout.cells[name];
      const row = at?.row ?? next++;
      if (!at) writes.push({ tab, row, column: 1, value: name });
      if (want?.value !== undefined && (!at || !sameValue(at.value, want.value))) writes.push({ tab, row, column: 2, value: want.value });
      if (want?.note !== undefined && (!at || at.note !== want.note)) writes.push({ tab, row, column: 3, value: want.note });
    }
    const halt = cells.Halt?.value === true;
    try {
      if (writes.length > 0) await this.d.sheet.writeCells(writes);
      this.problem = undefined;
      this.d.state.set(SYNCED_KEY, String(halt));
    } catch (err) {
      this.failed('controls.write_failed', err);
    }
  }

  /** Runs POST /flatten's use case and writes its result and time beside the cleared cell. */
  private async runFlatten(layout: ControlsLayout): Promise<void> {
    this.d.logger.warn('flatten.requested', { source: 'controls' });
    let note: string;
    try {
      const r = await this.d.flatten();
      const failed = r.failed.map((f) => `${f.symbol} (${f.reason})`);
      note = [
        `${r.status} at ${this.time()}: ${r.closed.length} position(s) closed, ${r.cancelled_orders} order(s) cancelled`,
        ...(r.pending.length ? [`queued until the open: ${r.pending.map((p) => p.symbol).join(', ')}`] : []),
        ...(failed.length ? [`failed: ${failed.join(', ')}`] : []),
        ...(r.remaining.length ? [`still open: ${r.remaining.join(', ')}`] : []),
      ].join('; ');
    } catch (err) {
      this.d.logger.error('flatten.failed', { error: describeError(err), source: 'controls' });
      note = `failed at ${this.time()}: ${describeError(err)}`;
    }
    const row = layout.cells.Flatten?.row;
    if (row === undefined) return;
    // The flatten halted trading: the next poll, right after this one, ticks the box.
    this.polls.runAgain();
    try {
      await this.d.sheet.writeCells([{ tab: this.d.tab, row, column: 3, value: note }]);
    } catch (err) {
      this.failed('controls.write_failed', err);
    }
  }

  private time(): string {
    return formatStatusTime(this.d.clock.now(), this.d.timezone);
  }

  /** Keeps the problem for /health and logs it once per change. */
  private failed(event: string, err: unknown): void {
    const problem = `${this.d.tab} tab: ${describeError(err)}`;
    if (problem !== this.problem) this.d.logger.warn(event, { tab: this.d.tab, error: describeError(err) });
    this.problem = problem;
  }
}

/** True when a cell already shows `want` (a checkbox's TRUE/FALSE whether boolean or text). */
function sameValue(have: string | number | boolean, want: string | boolean): boolean {
  if (typeof want === 'boolean') return isTicked(have) === want && String(have).trim() !== '';
  return String(have).trim() === want;
}
