/**
 * The boundary lint (`npm run lint:boundaries`, part of `npm test`): the real
 * tree passes, and the project's own .dependency-cruiser.cjs fails on each
 * kind of violation planted in a small fixture tree laid out like the
 * project (so the real sources are never touched while other suites compile them).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const DEPCRUISE = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

/**
 * Runs the project's config over `paths` in `cwd` twice: as `npm run lint:boundaries` does (its exit code and
 * report), and with the JSON reporter (which always exits 0) for each violation found.
 */
function cruise(cwd: string, paths: string[]): { code: number | null; report: string; violations: Violation[] } {
  const run = (extra: string[]) =>
    spawnSync(process.execPath, [DEPCRUISE, ...paths, '--config', CONFIG, ...extra], { cwd, encoding: 'utf8', timeout: 60_000 });
  const lint = run([]);
  const json = run(['--output-type', 'json']);
  if (json.status !== 0) throw new Error(`dependency-cruiser failed: ${json.stderr}`);
  return { code: lint.status, report: lint.stdout + lint.stderr, violations: JSON.parse(json.stdout).summary.violations as Violation[] };
}

/** A fixture tree: each file is a path under the tree and its source. */
function plant(dir: string, files: Record<string, string>): void {
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), source);
  }
}

describe('boundary lint', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'boundaries-'));
    // luxon resolves from the project's own packages, as it does in the real tree.
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    plant(dir, {
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'commonjs', strict: true, esModuleInterop: true } }),
      'src/domain/types.ts': 'export interface Money { usd: number }\n',
    });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('when the real tree is checked, then no rule is broken', () => {
    const { code, report, violations } = cruise(ROOT, ['src', 'analytics', 'bench']);
    expect(violations).toEqual([]);
    expect(report).toMatch(/no dependency violations found/);
    expect(code).toBe(0);
  }, 60_000);

  it('when the domain imports the app, then the lint fails naming the rule and the file', () => {
    plant(dir, {
      'src/app/context.ts': 'export interface TradingContext { name: string }\n',
      'src/domain/zz-planted.ts': "import type { TradingContext } from '../app/context';\nexport type Planted = TradingContext;\n",
    });
    const { code, report, violations } = cruise(dir, ['src']);
    expect(code).not.toBe(0);
    expect(report).toContain('error domain-is-pure: src/domain/zz-planted.ts → src/app/context.ts');
    expect(violations.map((v) => [v.rule.name, v.from])).toEqual([['domain-is-pure', 'src/domain/zz-planted.ts']]);
  });

  it('when each other boundary is crossed, then each is reported, and what the rules allow is not', () => {
    plant(dir, {
      // Allowed: the domain's two outside imports, and the type-only references of TradingContext.
      'src/domain/sheet/status-time.ts': "import { DateTime } from 'luxon';\nexport const year = () => DateTime.now().year;\n",
      'src/domain/signal/identity.ts':
        "import { createHash } from 'node:crypto';\nexport const hash = (s: string) => createHash('sha256').update(s).digest('hex');\n",
      'src/app/context.ts':
        "import type { Strategy } from './strategies/strategy';\nexport interface TradingContext { strategy: Strategy }\n",
      'src/app/strategies/strategy.ts':
        "import type { TradingContext } from '../context';\nexport interface Strategy { run(ctx: TradingContext): void }\n",
      // Violations, one per rule.
      'src/domain/trading/plan.ts':
        "import { hash } from '../signal/identity';\nimport { year } from " +
        "'../sheet/status-time';\nexport const plan = () => hash(String(year()));\n",
      'src/ports/broker.ts':
        "import type { Strategy } from '../app/strategies/strategy';\nexport interface Broker { strategy: Strategy }\n",
      'src/shared/retry.ts': "import type { TradingContext } from '../app/context';\nexport type Retried = TradingContext;\n",
      'src/adapters/alpaca/broker.ts': "import { router } from '../../http/app';\nexport const broker = router;\n",
      'src/http/app.ts': 'export const router = 1;\n',
      'src/app/orders/place-order.ts': "import { handle } from '../signal/handle-signal';\nexport const place = () => handle();\n",
      'src/app/signal/handle-signal.ts': "import { broker } from '../../adapters/alpaca/broker';\nexport const handle = () => broker;\n",
      'src/app/outcome.ts': "import { place } from './orders/place-order';\nexport const conclude = () => place();\n",
      'analytics/cli.ts': "import { handle } from '../src/app/signal/handle-signal';\nexport const run = handle;\n",
      'src/app/positions/a.ts': "import { b } from './b';\nexport const a = (): number => b();\n",
      'src/app/positions/b.ts': "import { a } from './a';\nexport const b = (): number => a();\n",
      'src/app/positions/c.ts': "import type { D } from './d';\nexport interface C { d?: D }\n",
      'src/app/positions/d.ts': "import type { C } from './c';\nexport interface D { c?: C }\n",
      'src/app/positions/missing.ts': "import { gone } from './gone';\nexport const m = gone;\n",
      'analytics/report/summary.ts': "export const summary = () => 'ok';\n",
      'analytics/model/compute.ts': "import { summary } from '../report/summary';\nexport const compute = summary;\n",
      'tests/support/stack.ts': 'export const stack = 1;\n',
      'src/app/sheet/outbox.ts': "import { stack } from '../../../tests/support/stack';\nexport const outbox = stack;\n",
    });
    const { code, violations } = cruise(dir, ['src', 'analytics']);
    expect(code).not.toBe(0);
    // A cycle is reported on one of its edges, whichever the tool meets first.
    const cycle = (v: Violation) => v.rule.name === 'no-circular' || v.rule.name === 'no-type-cycle';
    const found = new Set(
      violations.map((v) => `${v.rule.name}: ${cycle(v) ? [v.from, v.to].sort().join(' <-> ') : `${v.from} -> ${v.to}`}`),
    );
    expect([...found].sort()).toEqual(
      [
        'adapters-never-import-use-cases-or-http: src/adapters/alpaca/broker.ts -> src/http/app.ts',
        'analytics-never-imports-app-or-http: analytics/cli.ts -> src/app/signal/handle-signal.ts',
        'analytics-layers-model: analytics/model/compute.ts -> analytics/report/summary.ts',
        'app-layers-orders: src/app/orders/place-order.ts -> src/app/signal/handle-signal.ts',
        'app-reaches-adapters-only-through-ports: src/app/signal/handle-signal.ts -> src/adapters/alpaca/broker.ts',
        'app-top-files-name-folders-by-type-only: src/app/outcome.ts -> src/app/orders/place-order.ts',
        'domain-layers-trading: src/domain/trading/plan.ts -> src/domain/sheet/status-time.ts',
        'no-circular: src/app/positions/a.ts <-> src/app/positions/b.ts',
        'no-type-cycle: src/app/positions/a.ts <-> src/app/positions/b.ts',
        'no-type-cycle: src/app/positions/c.ts <-> src/app/positions/d.ts',
        'no-unresolvable: src/app/positions/missing.ts -> ./gone',
        'ports-import-only-the-domain: src/ports/broker.ts -> src/app/strategies/strategy.ts',
        'shared-is-below-the-app: src/shared/retry.ts -> src/app/context.ts',
        'shipped-code-never-imports-tests: src/app/sheet/outbox.ts -> tests/support/stack.ts',
      ].sort(),
    );
  });
});
