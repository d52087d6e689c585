/**
 * The sizing property: whatever the position_size cell (dollars, shares, a
 * percentage of equity) or risk_pct, equity and price, the order that passes
 * MAX_POSITION_USD (cut, or refused by the cap) is never worth more than it,
 * and a short is never fractional where the rules allow no fractional shorts.
 */
import fc from 'fast-check';
import { sizeCapGuard } from '../../../src/app/guards/size-cap';
import { parseConfigTable } from '../../../src/domain/trading/config-table';
import { rowEntryShares, sizeEntry, typedDollars, wantedSize } from '../../../src/domain/trading/sizing';

const cell = fc.oneof(
  fc.integer({ min: 1, max: 500_000 }).map((n) => `$${n.toLocaleString('en-US')}`),
  fc.double({ min: 1, max: 500_000, noNaN: true }).map((n) => Math.round(n * 100) / 100),
  fc.double({ min: 0.001, max: 5000, noNaN: true }).map((n) => `${Math.round(n * 1000) / 1000} shares`),
  fc.integer({ min: 1, max: 5000 }).map((n) => `${n} sh`),
  fc.double({ min: 0.01, max: 100, noNaN: true }).map((n) => `${Math.round(n * 100) / 100}%`),
);
const risk = fc.option(fc.tuple(fc.double({ min: 0.01, max: 99, noNaN: true }), fc.double({ min: 0.1, max: 49, noNaN: true })), {
  nil: undefined,
});

describe('sizing property', () => {
  it('when any cell, equity and price, then the order sent is never over MAX_POSITION_USD and a short is whole shares', () => {
    fc.assert(
      fc.property(
        cell,
        risk,
        fc.double({ min: 100, max: 5_000_000, noNaN: true }),
        fc.double({ min: 0.5, max: 5000, noNaN: true }),
        fc.integer({ min: 100, max: 100_000 }),
        fc.constantFrom('long' as const, 'short' as const),
        fc.boolean(),
        (size, riskAndStop, equity, price, maxUsd, direction, fractionable) => {
          const [riskPct, stop] = riskAndStop ?? ['', ''];
          const header = ['symbol', 'position_size', 'active', 'Time Frame', 'stop_loss_pct', 'risk_pct'];
          const row = parseConfigTable([header, ['AAPL', size, 'TRUE', '15 Min', String(stop), String(riskPct)]]).rows[0];
          expect(row.problem).toBeUndefined();
          const sizing = { ...row, stopLossPct: row.protection?.stopLossPct };
          const wanted = wantedSize(sizing, equity, price)!;
          const cutAt = typedDollars(sizing) ? undefined : maxUsd;
          const asset = { symbol: 'AAPL', tradable: true, fractionable, shortable: true, easyToBorrow: true };
          const cap = sizeCapGuard(maxUsd);

          const open = sizeEntry({ direction, wanted, asset, price, rules: { fractionalShorts: false }, cutAt });
          if (open.ok) {
            const value = open.notional ?? open.qty! * price;
            const sent = cap({ orderValue: value, resultingValue: value }) === undefined;
            if (sent) expect(value).toBeLessThanOrEqual(maxUsd + 0.005);
            if (direction === 'short') {
              expect(open.notional).toBeUndefined();
              expect(Number.isInteger(open.qty)).toBe(true);
            }
            // A computed size is cut to the cap, never refused by it.
            if (cutAt !== undefined) expect(sent).toBe(true);
          }
          const { shares } = rowEntryShares(wanted, price, cutAt);
          expect(Number.isInteger(shares)).toBe(true);
          if (cap({ orderValue: shares * price, resultingValue: shares * price }) === undefined) {
            expect(shares * price).toBeLessThanOrEqual(maxUsd + 0.005);
          }
          if (cutAt !== undefined) expect(shares * price).toBeLessThanOrEqual(maxUsd + 0.005);
        },
      ),
      { numRuns: 500 },
    );
  });
});
