/** Local mode: no Google or Alpaca settings, so the paper broker and CSV sheet stand in. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryLogger } from '../../../src/logger';
import { buildServer, type TradingServer } from '../../../src/server';
import { loadSettings } from '../../../src/settings';
import { callServer } from '../../support/server-call';
import { waitUntil } from '../../support/sheet-row';

let dataDir: string;
let server: TradingServer;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'local-mode-'));
});
afterEach(async () => {
  await server?.shutdown();
  rmSync(dataDir, { recursive: true, force: true });
});

const start = async (env: Record<string, string> = {}) => {
  server = await buildServer(loadSettings({ DATA_DIR: dataDir, ...env }), memoryLogger());
  await server.start(0);
};
const until = (check: () => boolean | Promise<boolean>, what: string, ms = 5000) => waitUntil(check, what, ms);
const configCsv = () => readFileSync(join(dataDir, 'sheet', 'Config.csv'), 'utf8');

/** The JSON body of the banner's curl, so the test sends exactly what a new user pastes. */
async function bannerBody(): Promise<string> {
  const text = await server.banner();
  return /-d '(\{.*\})'/.exec(text)![1];
}

describe('local mode', () => {
  it('when started with no settings, then it seeds an example Config and saves a generated secret', async () => {
    await start();
    expect(server.adapters.brokerMode).toBe('local');
    expect(configCsv()).toMatch(/symbol,position_size,active,Time Frame,Order Status,Last Updated/);
    expect(readFileSync(join(dataDir, 'webhook-secret'), 'utf8').trim()).toBe(server.secret);
    expect(server.secret).toMatch(/^[0-9a-f]{36}$/);
  });

  it("when the banner's curl is sent, then the paper broker buys and the Config row shows FILLED", async () => {
    await start();
    const body = await bannerBody();
    expect(JSON.parse(body)).toMatchObject({ action: 'BUY', symbol: 'AAPL', timeframe: '15 Min' });
    const res = await fetch(`${server.url}/webhook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(200);
    expect((await res.json()) as any).toMatchObject({ status: 'ORDER SUBMITTED', symbol: 'AAPL', amount: 5000 });
    const deadline = Date.now() + 5000;
    while (!/AAPL,"?\$5,000"?,TRUE,15 Min,FILLED,\d{4}-/.test(configCsv()) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(configCsv()).toMatch(/AAPL,"?\$5,000"?,TRUE,15 Min,FILLED,\d{4}-\d\d-\d\d \d\d:\d\d:\d\d P[SD]T/);
    const position = await server.adapters.broker.getPosition('AAPL');
    expect(position?.qty).toBeCloseTo(5000 / Number(JSON.parse(body).price), 6);
  });

  it(
    "when the Config's first active row is NVDA 1 Hour, then the " + "banner's curl trades it; with no active row, it says how to add one",
    async () => {
      const sheet = join(dataDir, 'sheet');
      mkdirSync(sheet, { recursive: true });
      writeFileSync(
        join(sheet, 'Config.csv'),
        'symbol,position_size,active,Time Frame,Order Status\r\nAAPL,5000,FALSE,15 Min,\r\nNVDA,1000,TRUE,1 Hour,\r\n',
      );
      await start();
      expect(JSON.parse(await bannerBody())).toMatchObject({ action: 'BUY', symbol: 'NVDA', timeframe: '1 Hour' });
      await server.shutdown();
      writeFileSync(join(sheet, 'Config.csv'), 'symbol,position_size,active,Time Frame,Order Status\r\nAAPL,5000,FALSE,15 Min,\r\n');
      await start();
      expect(await server.banner()).toMatch(/No active row in the Config tab yet\. Add one to .*Config\.csv/);
    },
  );

  it('when a local signal has no price, then the order fails with advice to add {{close}}', async () => {
    await start();
    const res = await fetch(`${server.url}/webhook`, {
      method: 'POST',
      body: JSON.stringify({ action: 'BUY', symbol: 'MSFT', timeframe: '15', secret: server.secret }),
    });
    expect(((await res.json()) as any).reason).toMatch(/"price": "\{\{close\}\}"/);
  });

  it("when a local SELL carries a price, then the paper broker's short is sized from the alert's price", async () => {
    await start();
    const res = await fetch(`${server.url}/webhook`, {
      method: 'POST',
      body: JSON.stringify({ action: 'SELL', symbol: 'MSFT', timeframe: '15', price: '400', secret: server.secret }),
    });
    expect((await res.json()) as any).toMatchObject({ status: 'ORDER SUBMITTED', qty: 12 }); // floor(5000 / 400)
    expect((await server.adapters.broker.getPosition('MSFT'))?.qty).toBe(-12);
  });

  it('when restarted, then the same secret and the paper book are kept', async () => {
    await start();
    const secret = server.secret;
    await fetch(`${server.url}/webhook`, { method: 'POST', body: await bannerBody() });
    await server.shutdown();
    await start();
    expect(server.secret).toBe(secret);
    expect((await server.adapters.broker.getPosition('AAPL'))?.side).toBe('long');
  });

  it('when the trader adds rows to Config.csv while the server runs, then a status write keeps them and lands in its own row', async () => {
    await start();
    const [header, ...rows] = configCsv()
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    // Saved by a spreadsheet program: a row inserted at the top, one appended.
    writeFileSync(
      join(dataDir, 'sheet', 'Config.csv'),
      [header, 'NVDA,1000,TRUE,1 Hour,READY,,', ...rows, 'AMD,500,FALSE,1 Day,READY,,'].join('\r\n') + '\r\n',
    );
    const res = await fetch(`${server.url}/webhook`, {
      method: 'POST',
      body: JSON.stringify({ action: 'BUY', symbol: 'MSFT', timeframe: '15', price: '400', secret: server.secret }),
    });
    expect(((await res.json()) as any).status).toBe('ORDER SUBMITTED');
    await until(() => /\r\nMSFT,.*,FILLED,\d{4}-/.test(configCsv()), 'MSFT FILLED');
    const lines = configCsv().trim().split('\r\n');
    expect(lines[1]).toBe('NVDA,1000,TRUE,1 Hour,READY,,');
    expect(lines.at(-1)).toBe('AMD,500,FALSE,1 Day,READY,,');
    expect(lines.filter((l) => /FILLED/.test(l))).toEqual([expect.stringMatching(/^MSFT,/)]);
  });

  it("when it starts, then the data folder is the owner's alone and the journal and CSV files are 0600", async () => {
    await start();
    await until(() => {
      try {
        statSync(join(dataDir, 'sheet', 'Controls.csv'));
        return true;
      } catch {
        return false;
      }
    }, 'Controls.csv');
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dataDir, 'sheet')).mode & 0o777).toBe(0o700);
    for (const f of ['trading-bot.db', 'sheet/Config.csv', 'sheet/Controls.csv'])
      expect([f, statSync(join(dataDir, f)).mode & 0o777]).toEqual([f, 0o600]);
  });

  it(
    'when Halt is set TRUE in Controls.csv, then trading halts; the Positions ' +
      'tab is a CSV file too; a reason beside the box is never a formula',
    async () => {
      await start({ CONTROLS_POLL_SECONDS: '5' });
      const controlsCsv = () => readFileSync(join(dataDir, 'sheet', 'Controls.csv'), 'utf8');
      await until(() => {
        try {
          return /^Mode,local,/m.test(controlsCsv());
        } catch {
          return false;
        }
      }, 'Controls.csv written');
      expect(controlsCsv()).toMatch(/^Halt,FALSE,/m);
      writeFileSync(join(dataDir, 'sheet', 'Controls.csv'), controlsCsv().replace(/^Halt,FALSE,/m, 'Halt,TRUE,'));
      const halted = async () => (await callServer(server.url, '/halt', { token: server.apiToken })).body.halted as boolean;
      await until(halted, 'halted from Controls.csv', 15_000);
      await fetch(`${server.url}/webhook`, {
        method: 'POST',
        body: JSON.stringify({ action: 'CLOSE', symbol: 'AAPL', timeframe: '15', secret: server.secret }),
      });
      await until(() => {
        try {
          return readFileSync(join(dataDir, 'sheet', 'Positions.csv'), 'utf8').startsWith('\uFEFFsymbol,side,qty,');
        } catch {
          return false;
        }
      }, 'Positions.csv');
      // A reason from outside, written beside the box, never becomes a formula in a spreadsheet program.
      await callServer(server.url, '/resume', { method: 'POST', token: server.apiToken });
      await until(() => /^Halt,FALSE,/m.test(controlsCsv()), 'Halt unticked by POST /resume');
      await callServer(server.url, '/halt', { token: server.apiToken, body: JSON.stringify({ reason: '=HYPERLINK("http://x")' }) });
      await until(() => /^Halt,TRUE,/m.test(controlsCsv()), 'Halt ticked by POST /halt');
      expect(controlsCsv()).toMatch(/^Halt,TRUE,"'=HYPERLINK\(""http:\/\/x""\)"/m);
    },
    30_000,
  );

  describe('revaluation', () => {
    const post = (body: Record<string, unknown>) =>
      fetch(`${server.url}/webhook`, { method: 'POST', body: JSON.stringify({ secret: server.secret, ...body }) }).then(
        (r) => r.json() as Promise<any>,
      );
    const authed = async (path: string, method = 'GET') => (await callServer(server.url, path, { method, token: server.apiToken })).body;

    it(
      'when a later alert brings a new price, then /positions, the ' +
        'Performance tab and the latest price show it, and a flatten fills there',
      async () => {
        await start();
        expect((await post({ action: 'BUY', symbol: 'AAPL', timeframe: '15', price: '200' })).status).toBe('ORDER SUBMITTED');
        const qty = (await server.adapters.broker.getPosition('AAPL'))!.qty;
        expect(
          (await post({ action: 'BUY', symbol: 'AAPL', timeframe: '15', price: '210', timenow: new Date().toISOString() })).status,
        ).toBe('ALREADY LONG');
        expect(await server.adapters.broker.getLatestPrice('AAPL')).toBe(210);
        const [position] = await authed('/positions');
        expect(position).toMatchObject({ symbol: 'AAPL', unrealized_pl: Math.round(qty * 10 * 100) / 100 });
        expect(position.unrealized_pl).toBeCloseTo(250, 1);
        await authed('/performance'); // may join the refresh that started with the server, before the fill
        const performance = JSON.stringify(await authed('/performance'));
        expect(performance).toContain('$250.00');
        // An alert for another chart of the same symbol moves the mark too, even with no row to trade.
        await post({ action: 'BUY', symbol: 'AAPL', timeframe: '1D', price: '190' });
        expect((await authed('/positions'))[0].unrealized_pl).toBeCloseTo(-250, 1);
        await authed('/flatten', 'POST');
        expect(await server.adapters.broker.getPosition('AAPL')).toBeNull();
        const fills = await server.adapters.history.listFills(new Date(0), new Date(Date.now() + 60_000));
        expect(fills.map((f) => [f.side, f.price])).toEqual([
          ['buy', 200],
          ['sell', 190],
        ]);
      },
    );

    it('when the paper broker writes a status, then Config.csv has every column on every row', async () => {
      await start();
      await post({ action: 'BUY', symbol: 'MSFT', timeframe: '15', price: '400' });
      const deadline = Date.now() + 5000;
      while (!/MSFT,.*FILLED/.test(configCsv()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const lines = configCsv()
        .replace(/^\uFEFF/, '')
        .trim()
        .split(/\r?\n/);
      expect(lines).toHaveLength(5);
      for (const line of lines) expect(line.replace(/"[^"]*"/g, 'x').split(',')).toHaveLength(7);
    });
  });
});
