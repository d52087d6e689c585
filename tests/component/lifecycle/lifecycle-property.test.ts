/**
 * The order life cycle, property-based over HTTP against the fakes
 * (POSITION_MODE=shared; per-row is lifecycle-property-per-row.test.ts):
 * random sequences of alerts (BUY, SELL, CLOSE and strategy alerts), price
 * moves that may fill a stop or a target, the market closing and opening
 * (orders queue and fill late), queued orders filled at once, partial fills,
 * delayed fills, a rejection of the next order and a refusal at submission,
 * cancels that lose their race, duplicate stream events, the stream going
 * down and up, restarts, and POST /flatten + /resume. At rest (the market
 * open, everything settled), and again after reconcile: a position whose
 * latest entry's row asks for protection has exactly one protection group
 * for its whole shares, and nothing rests otherwise; nothing of the bot's is
 * queued or held that the last alert (or /flatten) did not ask for.
 */
import { lifecycleProperty, TIME_LIMIT_MS } from '../../support/lifecycle-property/lifecycle-property';

describe('the order life cycle, shared positions (property, over HTTP)', () => {
  it(
    'when random alerts, late fills, refusals, stop fills, restarts ' +
      'and /flatten hit a symbol with protected and unprotected rows, then ' +
      'at rest its protection and its position agree with the last word',
    async () => {
      const covered = await lifecycleProperty('shared');
      expect(covered.orders).toBeGreaterThan(covered.runs); // it traded, and not only held
      expect(covered.protective).toBeGreaterThan(0); // and protection was in play
    },
    TIME_LIMIT_MS + 60_000,
  );
});
