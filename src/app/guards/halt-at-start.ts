import type { Logger, Notifier } from '../../ports';
import { sendAll } from '../../shared/send-all';
import type { HaltState, KillSwitch } from './kill-switch';

/** A halt in force when the server started, as the banner shows it. */
export interface HaltAtStart {
  reason?: string;
  since?: string;
  /** HALT_BLOCKS_CLOSE: exits are refused too. */
  blocksClose: boolean;
}

/** What a halt refuses, in the trader's words. */
export function haltEffect(blocksClose: boolean): string {
  return blocksClose
    ? 'Every order is refused, exits too (HALT_BLOCKS_CLOSE).'
    : 'New entries are refused; CLOSE signals and POST /flatten still trade.';
}

/**
 * A halt carried over a restart is easy to forget: the server looks healthy
 * and every alert is refused. So when start-up completes while halted, it
 * says so once in the log (`halt.active_at_start`, with reason and since) and
 * on every notification channel, and returns the halt for the banner.
 */
export function announceHaltAtStart(o: {
  killSwitch: KillSwitch;
  notifiers: readonly Notifier[];
  logger: Logger;
  blocksClose: boolean;
}): HaltAtStart | undefined {
  const state: HaltState = o.killSwitch.state();
  if (!state.halted) return undefined;
  o.logger.warn('halt.active_at_start', { reason: state.reason, since: state.since, blocks_close: o.blocksClose });
  void sendAll(
    o.notifiers,
    {
      kind: 'alert',
      title: 'trading-bot started while trading is halted',
      text: [
        `Halted since ${state.since ?? 'an unknown time'}: ${state.reason ?? 'no reason given'}.`,
        haltEffect(o.blocksClose),
        'POST /resume (with the API token) lifts the halt.',
      ].join('\n'),
    },
    o.logger,
  );
  return { reason: state.reason, since: state.since, blocksClose: o.blocksClose };
}
