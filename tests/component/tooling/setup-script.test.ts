/**
 * `npm run setup` (scripts/setup.sh) and the working tree: set-up must never
 * change a tracked file, and a second run with nothing to do must be quick
 * and say so. One test runs the real script here; one runs it in a throw-away
 * copy of the checkout with a stand-in `npm` that, like npm 11, rewrites
 * package-lock.json unless told not to save.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..');
const isGitCheckout = spawnSync('git', ['-C', ROOT, 'rev-parse', '--is-inside-work-tree'], { encoding: 'utf8' }).stdout.trim() === 'true';

/** Tracked files that differ from the last commit. */
const trackedChanges = (dir: string) =>
  execFileSync('git', ['-C', dir, 'status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' });

function setup(dir: string, env: NodeJS.ProcessEnv = process.env): { out: string; code: number | null; ms: number } {
  const started = Date.now();
  const run = spawnSync('bash', ['scripts/setup.sh'], { cwd: dir, env, encoding: 'utf8', timeout: 280_000 });
  return { out: `${run.stdout}${run.stderr}`, code: run.status, ms: Date.now() - started };
}

(isGitCheckout ? describe : describe.skip)('npm run setup', () => {
  it(
    'when run twice on this checkout, then no tracked file changes, ' + 'and the second run finishes in seconds saying nothing is to do',
    () => {
      const before = trackedChanges(ROOT);
      const first = setup(ROOT);
      expect(first.code).toBe(0);
      const second = setup(ROOT);
      expect(second.code).toBe(0);
      expect(second.out).toMatch(/setup: nothing to do/);
      expect(second.out).not.toMatch(/compiling|installing/);
      expect(second.ms).toBeLessThan(10_000);
      expect(trackedChanges(ROOT)).toBe(before);
    },
    300_000,
  );

  it('when npm would rewrite package-lock.json on install, then set-up still leaves the checkout clean', () => {
    const dir = mkdtempSync(join(tmpdir(), 'setup-copy-'));
    try {
      for (const part of [
        'package.json',
        'package-lock.json',
        'tsconfig.json',
        'tsconfig.build.json',
        'scripts',
        'src',
        'analytics',
        'bench',
      ]) {
        cpSync(join(ROOT, part), join(dir, part), { recursive: true });
      }
      mkdirSync(join(dir, 'tests'));
      writeFileSync(join(dir, '.gitignore'), 'node_modules/\ndist/\nbin/\n');
      const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' });
      git('init', '-q');
      git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'add', '-A');
      git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'checkout');
      // A stand-in npm: `install` adds platform entries to the lockfile as npm 11 does, unless --no-save;
      // `run build` writes the compiled entry point.
      mkdirSync(join(dir, 'bin'));
      writeFileSync(
        join(dir, 'bin', 'npm'),
        [
          '#!/usr/bin/env bash',
          'if [ "$1" = install ]; then',
          '  mkdir -p node_modules',
          '  case " $* " in *" --no-save "*) ;; *) echo \'{"added": "android-arm64 binding"}\' >> package-lock.json ;; esac',
          'elif [ "$1" = run ]; then mkdir -p dist/src && echo "// built" > dist/src/main.js',
          'fi',
        ].join('\n'),
        { mode: 0o755 },
      );
      chmodSync(join(dir, 'bin', 'npm'), 0o755);
      const env = { ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH}` };
      const first = setup(dir, env);
      expect(first.out).toMatch(/installing npm packages[\s\S]*compiling[\s\S]*setup: done/);
      expect(first.code).toBe(0);
      expect(trackedChanges(dir)).toBe('');
      const second = setup(dir, env);
      expect(second.out).toMatch(/setup: nothing to do/);
      expect(trackedChanges(dir)).toBe('');
      writeFileSync(join(dir, 'src', 'extra.ts'), 'export const x = 1;\n');
      expect(setup(dir, env).out).toMatch(/compiling/); // a changed source is rebuilt
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
