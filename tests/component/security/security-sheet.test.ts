/** The sheet door: outside text never becomes a formula, and only Config symbols ever trade. */
import { startGuarded, type GuardedStack } from '../../support/guarded-stack';
import { CONFIG_HEADER } from '../../support/stack';

const FORMULA = '=IMPORTXML("http://x","//a")';
const CONFIG = [
  [...CONFIG_HEADER, 'Reason'],
  ['AAPL', '$5,000', 'TRUE', '15 Min', 'READY', '', ''],
];

let stack: GuardedStack;
afterEach(async () => stack?.stop());

/** Writes that touch the Config tab (the Performance tab is rewritten on its own schedule). */
const writes = () => stack.sheets.requests.filter((r) => r.kind === 'write' && (r.path + JSON.stringify(r.body ?? '')).includes('Config'));

describe('no formula from outside', () => {
  it('when an alert names a formula as its symbol, then 400, nothing is sent and nothing is written', async () => {
    stack = await startGuarded({ config: CONFIG });
    for (const body of [
      { symbol: FORMULA },
      { ticker: FORMULA },
      { symbol: `NASDAQ:${FORMULA}` },
      { symbol: '+SUM(A1)' },
      { symbol: '@A1' },
    ]) {
      const res = await stack.signal({ action: 'BUY', timeframe: '15', ...body });
      expect(res.status).toBe(400);
    }
    await new Promise((r) => setTimeout(r, 300)); // give any status write its chance
    expect(writes()).toHaveLength(0);
    expect(stack.sheets.formulasWritten()).toEqual([]);
    expect(stack.alpaca.orders).toHaveLength(0);
  });

  it('when the broker answers with formula text, then the Reason cell holds it as plain text, written RAW', async () => {
    stack = await startGuarded({ config: CONFIG });
    stack.alpaca.inject({ method: 'POST', path: /^\/v2\/orders$/, status: 403, body: { code: 40310000, message: FORMULA } });
    const res = await stack.signal({ action: 'BUY', symbol: 'AAPL', timeframe: '15' });
    expect(res.body).toMatchObject({ status: 'FAILED', reason: FORMULA });
    await stack.waitStatus('AAPL', '15 Min', 'FAILED');
    expect(stack.row('AAPL', '15 Min').Reason).toBe(FORMULA);
    expect(stack.sheets.formulasWritten()).toEqual([]);
    for (const w of writes()) expect(JSON.stringify(w.body ?? '') + w.query.toString()).not.toContain('USER_ENTERED');
  });
});

describe('symbol guard', () => {
  it('when a valid symbol has no Config row, then it is ignored: nothing is sent', async () => {
    stack = await startGuarded({ config: CONFIG });
    stack.alpaca.setPrice('NVDA', 120);
    const res = await stack.signal({ action: 'BUY', symbol: 'NVDA', timeframe: '15' });
    expect(res).toMatchObject({ status: 200, body: { status: 'ignored' } });
    expect(stack.alpaca.orders).toHaveLength(0);
  });

  it.each(['ABCDEFGHIJK', 'AAPL;DROP', '../etc', 'AA PL', 'AAPL\u0000', 'ÄPFEL', ''])(
    'when the symbol is %p, then 400 and nothing is sent',
    async (symbol) => {
      stack = await startGuarded({ config: CONFIG });
      expect((await stack.signal({ action: 'BUY', symbol, timeframe: '15' })).status).toBe(400);
      expect(stack.alpaca.orders).toHaveLength(0);
    },
  );

  it('when the symbol is valid at its limits (BRK.B, 10 characters), then it is accepted as a symbol', async () => {
    stack = await startGuarded({ config: [...CONFIG, ['BRK.B', '$1,000', 'TRUE', '15 Min', 'READY', '', '']] });
    stack.alpaca.setPrice('BRK.B', 400);
    expect((await stack.signal({ action: 'BUY', symbol: 'BRK.B', timeframe: '15' })).body.status).toBe('ORDER SUBMITTED');
    expect((await stack.signal({ action: 'BUY', symbol: 'ABCDEFGH-J', timeframe: '15' })).body.status).toBe('ignored');
  });
});
