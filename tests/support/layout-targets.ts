/** The tab names sheet:init's plan is asked for in the unit tests, formatting on. */
import type { LayoutTargets } from '../../src/domain/sheet/sheet-layout';

export const LAYOUT_TARGETS: LayoutTargets = {
  configTab: 'Config',
  performanceTab: 'Performance',
  signalsTab: 'Signals',
  controlsTab: 'Controls',
  positionsTab: 'Positions',
  formatting: true,
};
