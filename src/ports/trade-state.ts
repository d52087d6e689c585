import type { ProtectionSettings } from '../domain/trading/protection';

/** The protection a symbol's position should have (shared mode): the row whose entry set it, and its settings (empty: none). */
export interface PositionProtection {
  signalId: string;
  timeframe: string;
  side: 'long' | 'short';
  settings: ProtectionSettings;
  /** The opening fill's price; absent after an add (the position's average entry price is used then). */
  entryPrice?: number;
}

/** Durable facts about symbols and signals that outlive one order, each typed (no string keys). */
export interface TradeState {
  /** The protection `symbol`'s position should have; undefined when none. */
  protectionOf(symbol: string): PositionProtection | undefined;
  /** Sets (or, with undefined, clears) the protection `symbol`'s position should have. */
  setProtection(symbol: string, protection: PositionProtection | undefined): void;
  /** Symbols whose position wants protection, or that still have a protective order of the bot's working. */
  protectedSymbols(): string[];
  /** Marks the signal's row retold (the position changed under it): it is no longer believed open. */
  markRetold(signalId: string, at: number): void;
  /** What per-row reconcile last could not explain in `symbol` (shares); undefined before the first check. */
  unexplained(symbol: string): number | undefined;
  /** Records what per-row reconcile could not explain in `symbol`. */
  setUnexplained(symbol: string, qty: number): void;
}
