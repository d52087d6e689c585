import { describeChange, planLayout, type LayoutTargets } from '../../domain/sheet/sheet-layout';
import type { SheetLayout } from '../../ports';

/** What sheet:init did: one line per change, and what it could not do. */
export interface SheetInitReport {
  done: string[];
  warnings: string[];
}

/**
 * Prepares the sheet (`npm run sheet:init`): reads what the tabs hold, plans
 * only what is missing, and makes it. Safe to re-run: a prepared sheet plans
 * nothing, and the trader's rows are never deleted, moved or rewritten.
 */
export async function initSheet(layout: SheetLayout, tabs: Omit<LayoutTargets, 'formatting'>): Promise<SheetInitReport> {
  const facts = await layout.inspect([tabs.configTab, tabs.performanceTab, tabs.signalsTab, tabs.controlsTab, tabs.positionsTab]);
  const plan = planLayout(facts, { ...tabs, formatting: layout.formatting });
  if (plan.changes.length > 0) await layout.apply(plan.changes);
  return { done: plan.changes.map(describeChange), warnings: plan.warnings };
}
