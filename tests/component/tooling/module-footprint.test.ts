/**
 * The server loads only what it uses: each adapter when the settings pick it
 * (no paper broker or CSV code beside Alpaca and Google), googleapis' Sheets
 * module rather than its index of every Google API, and no notification SDK
 * unless that channel is set; the Alpaca adapter loads one
 * bundle of the SDK.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');

/** Packages (by node_modules name) loaded by requiring `module` in a fresh Node process. */
function packagesLoadedBy(module: string): Set<string> {
  const script = `require(${JSON.stringify(module)});
    const names = new Set(Object.keys(require.cache).map((k) => (/node_modules\\/((@[^/]+\\/)?[^/]+)/.exec(k) || [])[1]).filter(Boolean));
    const apis = Object.keys(require.cache).filter((k) => k.includes('googleapis/build/src/apis/'))
      .map((k) => k.split('/build/src/apis/')[1].split('/')[0]);
    const alpaca = Object.keys(require.cache).filter((k) => k.includes('@alpacahq/alpaca-trade-api/dist/'))
      .map((k) => 'alpaca:' + k.split('/dist/')[1]);
    process.stdout.write(JSON.stringify([...names, ...new Set(apis.map((a) => 'api:' + a)), ...alpaca]));`;
  const out = execFileSync(process.execPath, ['-r', join(ROOT, 'tests/support/ts-register.js'), '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return new Set(JSON.parse(out) as string[]);
}

describe('module footprint of the server', () => {
  it('when the server module loads, then no broker or sheet SDK, no CSV code and no notifier SDK is loaded: the settings pick them', () => {
    const loaded = packagesLoadedBy(join(ROOT, 'src/server.ts'));
    for (const pkg of ['googleapis', '@alpacahq/alpaca-trade-api', 'csv-parse', 'csv-stringify', 'twilio', 'nodemailer'])
      expect([pkg, loaded.has(pkg)]).toEqual([pkg, false]);
  });

  it('when the Google Sheets adapter loads, then only the Sheets API of googleapis is loaded', () => {
    const loaded = packagesLoadedBy(join(ROOT, 'src/adapters/google-sheets/index.ts'));
    expect([...loaded].filter((p) => p.startsWith('api:'))).toEqual(['api:sheets']);
  });

  it(
    'when the Alpaca adapter loads, then the SDK is loaded once, from ' +
      'its main entry (REST and the trading stream), never also from /rest',
    () => {
      const loaded = packagesLoadedBy(join(ROOT, 'src/adapters/alpaca/index.ts'));
      // dist/index.js and dist/rest.js are separate bundles of the same code: loading both would hold it twice.
      expect([...loaded].filter((p) => p.startsWith('alpaca:'))).toEqual(['alpaca:index.js']);
    },
  );
});
