/**
 * The order life cycle, property-based over HTTP against the fakes, in
 * POSITION_MODE=per-row (three rows of one symbol; the commands are those of
 * lifecycle-property.test.ts, limit rows included). At rest (the market open, everything
 * settled), and again after reconcile: the broker's net equals the sum of
 * the rows' books, and reconcile never had to correct them; no order rests;
 * every row is where its last alert (or /flatten) sent it.
 */
import { lifecycleProperty, TIME_LIMIT_MS } from '../../support/lifecycle-property/lifecycle-property';

describe('the order life cycle, per-row positions (property, over HTTP)', () => {
  it(
    'when random alerts, late fills, refusals, restarts and /flatten hit 3 rows of one symbol, ' +
      "then at rest the broker net equals the rows' books and each row is where its last alert sent it",
    async () => {
      const covered = await lifecycleProperty('per-row');
      expect(covered.orders).toBeGreaterThan(covered.runs); // it traded, and not only held
    },
    TIME_LIMIT_MS + 60_000,
  );
});
