/**
 * The window-start problem: fills from before a report window can leave
 * positions open when it starts. Matching only the window's fills would then
 * read a sell that closed a pre-window long as a new short (phantom P&L).
 *
 * The fix: for each symbol, the position held at the window start is
 * reconstructed as `current position qty − net signed qty of the window's
 * fills`, and seeded as ONE lot dated at the window start. Its price:
 * - when part of that lot is still held now (FIFO keeps the oldest lot
 *   longest), the price that makes the seeded book reproduce the broker's
 *   current `avg_entry_price` exactly; with no window fills, or only
 *   reductions, that is simply `avg_entry_price`;
 * - when the window's fills closed all of it (the position is gone, flipped,
 *   or was closed and reopened), its entry is older than the window and
 *   unknown: the price is NaN, so the lot still absorbs the closing fills
 *   (no phantom short) but its round trips have NaN P&L, which the
 *   Performance stats leave out rather than invent.
 */
import { matchFifo, QTY_EPSILON, type OpenLot } from './fifo';
import { roundQty } from './money';
import type { Fill, Position } from '../types';

/** The priced (or NaN-priced) lot a symbol held when the window opened, if any. */
function openingLotFor(symbol: string, fills: Fill[], position: Position | undefined, time: string): OpenLot | null {
  const net = fills.reduce((sum, f) => sum + (f.side === 'buy' ? f.qty : -f.qty), 0);
  const qty = roundQty((position?.qty ?? 0) - net);
  if (Math.abs(qty) <= QTY_EPSILON) return null;
  const seed: OpenLot = { symbol, qty, price: NaN, time };
  // Replay the window over the seed: the seed is the first lot left open iff part of it survives.
  const [first, ...later] = matchFifo(fills, [seed]).openLots;
  const survives = first !== undefined && Number.isNaN(first.price);
  if (!survives || !position || Math.sign(position.qty) !== Math.sign(qty)) return seed;
  const laterCost = later.reduce((sum, lot) => sum + lot.qty * lot.price, 0);
  const solved = (position.avgEntryPrice * position.qty - laterCost) / first.qty;
  // A broker that averages cost differently could make the solve absurd; its average is then the best guess.
  const price = Number.isFinite(solved) && solved > 0 ? solved : position.avgEntryPrice;
  return { ...seed, price };
}

/**
 * Seeds for `matchFifo(fills, seeds)`: one lot per symbol whose position at
 * `windowStart` was not flat, from the window's fills and the current positions.
 */
export function reconstructOpeningLots(fills: Fill[], positions: Position[], windowStart: Date): OpenLot[] {
  const time = windowStart.toISOString();
  const bySymbol = new Map<string, Fill[]>();
  for (const f of fills) {
    const list = bySymbol.get(f.symbol);
    if (list) list.push(f);
    else bySymbol.set(f.symbol, [f]);
  }
  const symbols = new Set([...bySymbol.keys(), ...positions.map((p) => p.symbol)]);
  const lots: OpenLot[] = [];
  for (const symbol of [...symbols].sort()) {
    const position = positions.find((p) => p.symbol === symbol);
    const lot = openingLotFor(symbol, bySymbol.get(symbol) ?? [], position, time);
    if (lot) lots.push(lot);
  }
  return lots;
}
