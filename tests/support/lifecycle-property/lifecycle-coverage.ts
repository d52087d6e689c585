/**
 * What one lifecycle run exercised, counted from the fake Alpaca's orders
 * and the server's log, for the property's coverage report and its checks
 * that the runs traded.
 */
import type { Stack } from '../stack';
import { isLimitLeg, isOcoLeg, isResting } from './lifecycle-orders';

/** What the run itself counted as it applied its commands. */
export interface Counted {
  refused: number;
  whileClosed: number;
  partials: number;
}

/** What a run exercised, to see that the generated sequences reach the interesting paths. */
export function runCoverage(stack: Stack, counted: Counted, answers: Record<string, number>): Record<string, number> {
  const orders = stack.alpaca.orders.filter((o) => !isOcoLeg(o));
  const logged = (event: string) => stack.logs.filter((l) => l.includes(`"event":"${event}"`)).length;
  return {
    orders: orders.filter((o) => !isResting(o)).length,
    filled: orders.filter((o) => !isResting(o) && o.status === 'filled').length,
    rejected: orders.filter((o) => o.status === 'rejected').length,
    refused: counted.refused,
    protective: orders.filter(isResting).length,
    protective_filled: stack.alpaca.orders.filter((o) => isResting(o) && o.status === 'filled').length,
    alerts_while_closed: counted.whileClosed,
    partial_fills: counted.partials,
    filled_late: orders.filter(
      (o) => !isResting(o) && o.status === 'filled' && Date.parse(String(o.filled_at)) - Date.parse(String(o.submitted_at)) > 1000,
    ).length,
    restarts: logged('server.started') - 1,
    flattens: logged('flatten.done'),
    polling: logged('order_events.polling'),
    netted: logged('rows.netted'),
    deferred: logged('rows.deferred'),
    resent: logged('rows.resent'),
    unprotected: logged('protection.failed'),
    limit_legs: orders.filter(isLimitLeg).length,
    limit_filled: orders.filter((o) => isLimitLeg(o) && o.status === 'filled').length,
    limit_partly: orders.filter((o) => isLimitLeg(o) && o.status !== 'filled' && Number(o.filled_qty) > 0).length,
    timed_out: logged('order.timed_out'),
    exit_retried: logged('order.exit_retried'),
    exit_failed: logged('order.exit_failed'),
    ...Object.fromEntries(Object.entries(answers).map(([k, v]) => [`answer ${k}`, v])),
  };
}
