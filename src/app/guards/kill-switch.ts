import type { Clock, StateStore } from '../../ports';
import type { Exposure, GuardVerdict } from '../context';

/** Whether trading is halted, since when, and why. */
export interface HaltState {
  halted: boolean;
  reason?: string;
  /** ISO time of the halt. */
  since?: string;
}

const KEY = 'trading.halt';

/**
 * The kill switch. Its state lives in the journal, so a halt survives a
 * restart: only POST /resume (or unticking Halt in the Controls tab) lifts it.
 */
export class KillSwitch {
  private readonly listeners: ((state: HaltState) => void)[] = [];

  constructor(
    private readonly store: StateStore,
    private readonly clock: Clock,
  ) {}

  /**
   * Calls `listener` after every halt and resume that changes the state,
   * whoever asked (POST /halt, /flatten, the Controls tab), so the sheet can follow.
   */
  onChange(listener: (state: HaltState) => void): void {
    this.listeners.push(listener);
  }

  /** The current state. */
  state(): HaltState {
    const saved = this.store.get(KEY);
    if (!saved) return { halted: false };
    try {
      return JSON.parse(saved) as HaltState;
    } catch {
      // An unreadable record errs on the side of not trading.
      return { halted: true, reason: 'halt record unreadable; POST /resume to trade again' };
    }
  }

  /** Halts trading; an existing halt keeps its original reason and time. */
  halt(reason: string): HaltState {
    const current = this.state();
    if (current.halted) return current;
    const state: HaltState = { halted: true, reason: reason.slice(0, 200), since: this.clock.now().toISOString() };
    this.store.set(KEY, JSON.stringify(state));
    this.changed(state);
    return state;
  }

  /** Lifts the halt. */
  resume(): HaltState {
    const was = this.state().halted;
    this.store.set(KEY, JSON.stringify({ halted: false }));
    if (was) this.changed({ halted: false });
    return { halted: false };
  }

  private changed(state: HaltState): void {
    for (const listener of this.listeners) {
      try {
        listener(state);
      } catch {
        // A listener's failure never undoes the halt; listeners log their own.
      }
    }
  }
}

/**
 * While halted, refuses what opens or adds exposure, and exits too when
 * `blocksClose` (HALT_BLOCKS_CLOSE): answered `halted`, row HALTED. It reads
 * the state at the moment it is asked, so it runs immediately before each leg is sent.
 */
export function killSwitchGuard(killSwitch: KillSwitch, blocksClose: boolean): (exposure: Exposure) => GuardVerdict | undefined {
  return (exposure) => {
    const state = killSwitch.state();
    if (!state.halted || (exposure === 'exit' && !blocksClose)) return undefined;
    return { status: 'halted', reason: `trading halted: ${state.reason ?? 'no reason given'}`, sheetStatus: 'HALTED' };
  };
}
