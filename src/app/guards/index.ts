import { isCryptoSymbol } from '../../domain/signal/symbol';
import type { Broker, Clock, Logger, Notifier, StateStore } from '../../ports';
import type { SafetySettings } from '../../settings/safety';
import type { GuardVerdict, SignalGuards } from '../context';
import { entryFilterGuard } from './entry-filters';
import { KillSwitch, killSwitchGuard } from './kill-switch';
import { LossBreaker } from './loss-breaker';
import { MarketClockCache } from './market-clock';
import { marketHoursGuard } from './market-hours';
import { MarketSessions } from './market-session';
import { sizeCapGuard } from './size-cap';
import { staleGuard } from './stale';

/** A clock reading that expires within this long of a signal's arrival is replaced beside its Config read. */
const CLOCK_READ_AHEAD_MS = 3_000;

/** The brakes, and the parts the control endpoints and the doctor talk to. */
export interface Brakes {
  guards: SignalGuards;
  killSwitch: KillSwitch;
  breaker: LossBreaker;
  marketClock: MarketClockCache;
  /** The broker's calendar: the session an order goes in (extended-hours rows). */
  sessions: MarketSessions;
  /**
   * With TRADING_ENABLED=false, halts (keeping an earlier halt's reason).
   * Start-up calls it once the port is bound, so a start that fails writes nothing.
   */
  haltIfTradingDisabled(): void;
}

/**
 * Builds the brakes from the settings. On arrival: the kill switch when
 * HALT_BLOCKS_CLOSE (a halt then refuses everything), and a signal let
 * through starts the market clock's read beside its Config read; the
 * signal's age refuses its entries only (a late exit still trades). Before
 * orders: market hours (every order; an unreadable clock blocks only entries; an extended_hours row passes in
 * pre-market and after-hours). Immediately before each leg: the loss
 * breaker (entries), then the kill switch (entries; exits too with
 * HALT_BLOCKS_CLOSE), read last so nothing can slip between it and the send.
 * Before an entry: the entry filters (trade_window, cooldown_min,
 * MAX_OPEN_POSITIONS), then the size cap. The first refusal wins.
 */
export function createBrakes(o: {
  safety: SafetySettings;
  broker: Broker;
  store: StateStore;
  clock: Clock;
  logger: Logger;
  notifiers: readonly Notifier[];
}): Brakes {
  const { safety } = o;
  const killSwitch = new KillSwitch(o.store, o.clock);
  const marketClock = new MarketClockCache(o.broker, o.clock);
  const sessions = new MarketSessions(o.broker, o.clock);
  const breaker = new LossBreaker({
    broker: o.broker,
    store: o.store,
    clock: o.clock,
    logger: o.logger,
    notifiers: o.notifiers,
    marketClock,
    maxLossUsd: safety.maxDailyLossUsd,
    maxLossPct: safety.maxDailyLossPct,
  });
  const halted = killSwitchGuard(killSwitch, safety.haltBlocksClose);
  const stale = staleGuard(safety.maxSignalAgeSeconds);
  const sizeCap = safety.maxPositionUsd === undefined ? undefined : sizeCapGuard(safety.maxPositionUsd);
  const marketHours = marketHoursGuard(safety.offHoursPolicy, marketClock, sessions);
  const filters = entryFilterGuard({ clock: o.clock, broker: o.broker, maxOpenPositions: safety.maxOpenPositions });
  const guards: SignalGuards = {
    async onArrival() {
      const refused = safety.haltBlocksClose ? halted('exit') : undefined;
      // The market-hours check comes after the Config read: the clock read now, beside it, is ready by then.
      if (!refused && safety.offHoursPolicy === 'reject') marketClock.readAhead(CLOCK_READ_AHEAD_MS);
      return refused;
    },
    stale: (signal, receivedAt) => stale(signal, receivedAt),
    // Crypto trades 24/7: no market hours to keep.
    beforeOrders: async (signal, exitOnly, extendedHours = false) =>
      isCryptoSymbol(signal.symbol) ? undefined : marketHours(exitOnly, extendedHours),
    async beforeLeg(exposure): Promise<GuardVerdict | undefined> {
      const tripped = exposure === 'entry' ? await breaker.check() : undefined;
      return tripped ?? halted(exposure);
    },
    filterEntry: (input) => filters(input),
    capEntry: (value) => sizeCap?.(value),
    cutEntryAt: safety.maxPositionUsd,
  };
  const haltIfTradingDisabled = () => {
    if (safety.tradingEnabled || killSwitch.state().halted) return;
    killSwitch.halt('TRADING_ENABLED=false');
    o.logger.warn('trading.halted', { reason: 'TRADING_ENABLED=false' });
  };
  return { guards, killSwitch, breaker, marketClock, sessions, haltIfTradingDisabled };
}

export { KillSwitch, type HaltState } from './kill-switch';
export { LossBreaker, type BreakerTrip } from './loss-breaker';
