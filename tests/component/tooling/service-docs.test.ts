/**
 * The service's settings have one source, and the documents agree on it:
 * the systemd units set nothing but read /etc/trading-bot/env, which is
 * .env.example filled in; the README installs every unit; the cheatsheet's
 * test alerts carry what local mode needs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { loadSettings } from '../../../src/settings';

const ROOT = resolve(__dirname, '..', '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const units = readdirSync(join(ROOT, 'systemd')).filter((f) => f.endsWith('.service'));
const example = parseEnv(read('.env.example')) as Record<string, string>;
/** Lines of a unit that are settings (not comments). */
const directives = (unit: string) =>
  read(join('systemd', unit))
    .split('\n')
    .filter((l) => /^[A-Z]\w*=/.test(l));

describe('one source for the service settings', () => {
  it.each(units)('when %s starts, then every setting comes from the env file: no Environment= of its own', (unit) => {
    const lines = directives(unit);
    expect(lines.filter((l) => l.startsWith('Environment='))).toEqual([]);
    expect(lines.filter((l) => l.startsWith('EnvironmentFile='))).toEqual(['EnvironmentFile=/etc/trading-bot/env']);
  });

  it(
    'when .env.example becomes the env file, then its DATA_DIR is the ' +
      'folder the units may write, and it holds what the units once set',
    () => {
      for (const unit of units) {
        const lines = directives(unit);
        expect(lines).toContain(`ReadWritePaths=${example.DATA_DIR}`);
        expect(lines).toContain(`StateDirectory=${example.DATA_DIR.replace('/var/lib/', '')}`);
      }
      expect(example).toMatchObject({
        NODE_ENV: 'production',
        DATA_DIR: '/var/lib/trading-bot',
        PORT: '80',
        NODE_OPTIONS: '--max-old-space-size=256 --max-semi-space-size=2',
      });
      const settings = loadSettings(example);
      expect(settings).toMatchObject({
        dataDir: '/var/lib/trading-bot',
        port: 80,
        controls: { tab: 'Controls', pollMs: 15_000 },
        positionsTab: 'Positions',
      });
    },
  );

  it(
    'when the README installs the service, then it installs both units and the ' +
      'timer, enables the server and the timer, and says which Node.js the units run',
    () => {
      const readme = read('README.md');
      const section = readme.slice(readme.indexOf('## Running as a service'), readme.indexOf('## Development'));
      const install = /```bash\n([\s\S]*?)```/.exec(section)![1];
      expect(install).toContain(
        'sudo cp systemd/trading-bot.service systemd/trading-bot-analytics.service ' +
          'systemd/trading-bot-analytics.timer /etc/systemd/system/',
      );
      expect(install).toMatch(/systemctl enable --now trading-bot trading-bot-analytics\.timer/);
      expect(install).toContain('.env.example /etc/trading-bot/env');
      expect(section).toMatch(/Node\.js 20 or\s+newer/);
      expect(section).toMatch(/Debian 12's own `nodejs` package is 18/);
      expect(section).toContain('ExecStart=\n#   ExecStart=/usr/local/bin/node /opt/trading-bot/dist/src/main.js');
      for (const unit of units) expect(directives(unit).find((l) => l.startsWith('ExecStart='))).toMatch(/^ExecStart=\/usr\/bin\/node /);
    },
  );

  it('when the new settings are documented, then .env.example and the README configuration table both name them', () => {
    const readme = read('README.md');
    for (const name of ['CONTROLS_TAB', 'CONTROLS_POLL_SECONDS', 'POSITIONS_TAB']) {
      expect(Object.keys(example)).toContain(name);
      expect(readme).toMatch(new RegExp(`^\\| \`${name}\` \\|`, 'm'));
    }
  });

  it("when the cheatsheet's test alerts are pasted, then each carries a price and a time", () => {
    const alerts = read('cheatsheet.md')
      .split('\n')
      .filter((l) => l.includes(`-d '{"action"`));
    expect(alerts.length).toBeGreaterThanOrEqual(3);
    for (const alert of alerts) expect([alert, /"price":"[\d.]+"/.test(alert) && /"time":"/.test(alert)]).toEqual([alert, true]);
  });
});
