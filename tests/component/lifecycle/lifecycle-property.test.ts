/**
 * The order life cycle, property-based over HTTP against the fakes
 * (POSITION_MODE=shared; per-row is lifecycle-property-per-row.test.ts):
 * random sequences of alerts (BUY, SELL, CLOSE and strategy alerts), price
 * moves that may fill a stop or a target, the market closing and opening
 * (orders queue and fill late), queued orders filled at once, partial fills,
 * delayed fills, a rejection of the next order and a refusal at submission,
 * cancels that lose their race, duplicate stream events, the stream going
 * down and up, restarts, and POST /flatten + /resume; with a random set of
 * limit rows (order_type=limit): limits that wait, time out, fill part-way
 * or race their timeout's cancel, exits sent again at market. At rest (the market
 * open, everything settled), and again after reconcile: a position whose
 * latest entry's row asks for protection has exactly one protection group
 * for its whole shares, and nothing rests otherwise; nothing of the bot's is
 * queued or held that the last alert (or /flatten) did not ask for, but
 * for an exit that gave up after its tries (its row FAILED); a limit entry
 * cancelled at its timeout leaves its row WAITING or FILLED with the part filled.
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
