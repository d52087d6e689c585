/**
 * The Controls tab as the trader uses it from a phone: the real server, the
 * real googleapis client and the real Alpaca SDK against the fakes. The
 * trader's edits are made in the fake sheet; the bot finds them on its poll.
 */
import { API_TOKEN, startStack, type Stack } from '../../support/stack';

jest.setTimeout(60_000);

let stack: Stack;
afterEach(async () => stack?.stop());

const TIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d P[SD]T$/;
const controls = () => (stack.sheets.tabs().includes('Controls') ? stack.sheets.tab('Controls') : []);
/** A control's value (B) and note (C), found by its name in column A. */
const control = (name: string) => {
  const row = controls().find((r) => r[0] === name);
  return { value: row?.[1] ?? '', note: row?.[2] ?? '' };
};
/** The trader edits one control's value; Halt stays a boolean, as a checkbox holds it. */
const setControl = (name: string, value: string | boolean) => {
  const rows: (string | boolean)[][] = stack.sheets.tab('Controls').map((r) => [...r]);
  for (const row of rows) {
    if (row[0] === name) row[1] = value;
    else if (row[0] === 'Halt') row[1] = row[1] === 'TRUE';
  }
  stack.sheets.setTab('Controls', rows);
};
const call = async (path: string, method = 'GET', body?: unknown, token: string | null = API_TOKEN) =>
  (await stack.call(path, { method, token: token ?? undefined, body: body ? JSON.stringify(body) : undefined })).body;
const halted = async () => (await call('/halt')).halted as boolean;
const written = () =>
  stack.until(() => control('Mode').value === 'paper' && TIME.test(control('Bot alive').value), 'the Controls tab written by the bot');
const BUY = (id: string) => ({ action: 'BUY', symbol: 'AAPL', timeframe: '15', id });

describe('Controls tab', () => {
  it("when Alpaca's order stream goes down and can't reconnect, then Order events says polling; when it is back, stream", async () => {
    stack = await startStack({ env: { CONTROLS_POLL_SECONDS: '60' } });
    await stack.until(() => control('Order events').value === 'stream', 'Order events: stream');
    stack.alpaca.setStreamAvailable(false);
    stack.alpaca.dropStreamConnections();
    await stack.until(() => control('Order events').value === 'polling', 'Order events: polling while the stream is down', 15_000);
    stack.alpaca.setStreamAvailable(true);
    await stack.until(() => control('Order events').value === 'stream', 'Order events: stream again', 15_000);
  });

  it('when the trader ticks Halt, then trading halts as POST /halt does; when unticked, it resumes', async () => {
    stack = await startStack({ env: { CONTROLS_POLL_SECONDS: '5' } });
    await written();
    expect(controls()[0]).toEqual(['control', 'value', 'note']);
    expect(control('Halt').value).toBe('FALSE');
    await stack.until(() => control('Order events').value === 'stream', 'Order events: stream, once the order stream is up');
    expect(control('Halted since').value).toBe('');

    setControl('Halt', true);
    await stack.until(halted, 'halted from the sheet', 15_000);
    expect((await call('/halt')).reason).toBe('Halt ticked in the Controls tab');
    expect((await stack.signal(BUY('a'))).body.status).toBe('halted');
    await stack.until(() => TIME.test(control('Halted since').value), 'Halted since written', 15_000);

    setControl('Halt', false);
    await stack.until(async () => !(await halted()), 'resumed from the sheet', 15_000);
    expect((await stack.signal(BUY('b'))).body.status).toBe('ORDER SUBMITTED');
    await stack.until(() => control('Halted since').value === '', 'Halted since cleared', 15_000);
    expect(control('Halt').value).toBe('FALSE');
  });

  it(
    'when FLATTEN is typed in the Flatten cell, then everything is closed as POST /flatten does, ' +
      'the cell is cleared and the result written beside it; another word is left alone with a note',
    async () => {
      stack = await startStack({ env: { CONTROLS_POLL_SECONDS: '5' } });
      expect((await stack.signal(BUY('a'))).body.status).toBe('ORDER SUBMITTED');
      await stack.until(() => stack.alpaca.positions().length === 1, 'the AAPL position');
      await written();

      setControl('Flatten', 'later please');
      await stack.until(
        () => /^"later please" is not a command: type FLATTEN/.test(control('Flatten').note),
        'the note on a word that is not the command',
        15_000,
      );
      expect(control('Flatten').value).toBe('later please');
      expect(stack.alpaca.positions()).toHaveLength(1);
      expect(await halted()).toBe(false);

      setControl('Flatten', 'FLATTEN');
      await stack.until(() => /^flattened at /.test(control('Flatten').note), 'the flatten result', 20_000);
      expect(control('Flatten').value).toBe('');
      expect(control('Flatten').note).toMatch(
        /^flattened at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d P[SD]T: 1 position\(s\) closed, \d+ order\(s\) cancelled$/,
      );
      expect(stack.alpaca.positions()).toHaveLength(0);
      expect(stack.alpaca.orders.filter((o) => o.side === 'sell' && o.symbol === 'AAPL')).toHaveLength(1);
      expect(await call('/halt')).toMatchObject({ halted: true, reason: 'flatten' });
      await stack.until(
        () => control('Halt').value === 'TRUE' && control('Halt').note === 'flatten',
        'Halt ticked with the reason',
        15_000,
      );
      await stack.waitStatus('AAPL', '15 Min', 'WAITING');
    },
  );

  it(
    'when the bot halts by itself (POST /halt, the loss breaker), then ' +
      'it ticks Halt and writes the reason at once, not at the next poll',
    async () => {
      // Polls ten minutes apart: only the kill switch's and the breaker's own hooks can make these writes in time.
      stack = await startStack({ env: { CONTROLS_POLL_SECONDS: '600', MAX_DAILY_LOSS_USD: '2000' } });
      await written();

      await call('/halt', 'POST', { reason: 'lunch' });
      await stack.until(() => control('Halt').value === 'TRUE' && control('Halt').note === 'lunch', 'Halt ticked for POST /halt', 5_000);
      expect(control('Halted since').value).toMatch(TIME);
      await call('/resume', 'POST');
      await stack.until(
        () => control('Halt').value === 'FALSE' && control('Halted since').value === '',
        'Halt unticked for POST /resume',
        5_000,
      );

      stack.alpaca.setAccount({ cash: 97_500, lastEquity: 100_000 });
      expect((await stack.signal(BUY('c'))).body.status).toBe('halted');
      await stack.until(() => control('Halt').value === 'TRUE', 'Halt ticked for the breaker', 5_000);
      expect(control('Halt').note).toMatch(/^daily loss breaker: down \$2,500\.00 \(2\.5%\)/);
      expect(control('Halted since').value).toMatch(TIME);
      expect(stack.sheets.formulasWritten()).toEqual([]);
    },
  );

  it('when the Controls tab cannot be read, then nothing changes, and /health says so to the token holder only', async () => {
    stack = await startStack({ env: { CONTROLS_POLL_SECONDS: '5' } });
    await written();
    const alive = control('Bot alive').value;
    stack.sheets.inject({ method: 'GET', path: /'Controls'/, status: 500, forMs: 60_000 });
    setControl('Halt', true);
    await stack.until(async () => /Controls tab: /.test((await call('/health')).controls?.problem ?? ''), 'the problem in /health', 15_000);
    // One more poll goes by, and still nothing happens.
    await new Promise((r) => setTimeout(r, 6_000));
    expect(await halted()).toBe(false);
    expect(control('Bot alive').value).toBe(alive);
    expect(control('Halt').value).toBe('TRUE');
    expect((await call('/health')).controls).toMatchObject({ tab: 'Controls', problem: expect.stringMatching(/^Controls tab: /) });
    expect(await call('/health', 'GET', undefined, null)).toEqual({ status: 'ok' });
  });
});
