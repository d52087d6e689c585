/**
 * Thousands of malformed, oversized, wrongly typed or hostile payloads and
 * headers against /webhook. Each must get a 4xx, the server must stay up, no
 * order may reach the fake broker, and no secret may appear in the logs
 * (the logger here masks nothing, so a leak would show).
 */
import fc from 'fast-check';
import { normaliseSymbol } from '../../../src/domain/signal/symbol';
import { normaliseTimeframe } from '../../../src/domain/signal/timeframe';
import { API_TOKEN, SECRET, startGuarded, type GuardedStack } from '../../support/guarded-stack';

let stack: GuardedStack;
beforeAll(async () => {
  // Limits raised so that every payload reaches the parser instead of a 429.
  stack = await startGuarded({ env: { RATE_LIMIT_PER_MINUTE: '1000000', BAD_SECRET_LIMIT: '1000000' } });
});
afterAll(async () => stack?.stop());

const ACTIONS = ['buy', 'long', 'sell', 'short', 'close', 'exit', 'flat'];
const headerValue = fc.stringMatching(/^[\x21-\x7e][\x20-\x7e]{0,60}$/);
const headers = fc.record(
  {
    'content-type': fc.oneof(
      fc.constantFrom(
        'application/json',
        'text/plain',
        'text/plain; charset=utf-16',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/json; charset=ebcdic',
      ),
      headerValue,
    ),
    'x-webhook-secret': fc.option(
      headerValue.filter((v) => v !== SECRET),
      { nil: undefined },
    ),
    authorization: fc.option(
      fc.oneof(
        headerValue,
        headerValue.map((v) => `Bearer ${v}`),
      ),
      { nil: undefined },
    ),
    'content-encoding': fc.option(fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-zip'), { nil: undefined }),
    'x-forwarded-for': fc.option(fc.constantFrom('52.89.214.238', '127.0.0.1', 'garbage', '::1, 10.0.0.1'), { nil: undefined }),
  },
  { requiredKeys: ['content-type'] },
);

/** A value of a wrong type for any field. */
const wrongType = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.array(fc.jsonValue(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue(), { maxKeys: 3 }),
);
/** Text that no parser rule accepts for the named field. */
const bad = {
  action: fc.oneof(
    wrongType,
    fc.constantFrom('constructor', '__proto__', 'Constructor', 'toString'),
    fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !ACTIONS.includes(s.trim().toLowerCase())),
  ),
  symbol: fc.oneof(
    wrongType,
    fc.constantFrom('=IMPORTXML("http://x","//a")', 'ABCDEFGHIJK', '../../etc', 'A B'),
    fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => s.trim() !== '' && normaliseSymbol(s) === null),
  ),
  timeframe: fc.oneof(
    wrongType,
    fc.string({ unit: 'binary', maxLength: 30 }).filter((s) => s.trim() !== '' && normaliseTimeframe(s.trim()) === null),
  ),
  price: fc.constantFrom('-1', '0', 'NaN', 'Infinity', 'abc', '1e999', '$-5'),
  timenow: fc.constantFrom('yesterday', 'not a time', '2024-13-45T99:99:99Z', '99999999999999999'),
  id: fc.constantFrom('has space', 'x'.repeat(65), 'semi;colon', '<script>'),
};
/** A valid alert with the right secret, except one field broken: each reaches deep into the parser. */
const almostValid = fc
  .constantFrom(...(Object.keys(bad) as (keyof typeof bad)[]))
  .chain((field) => bad[field].map((value) => ({ action: 'BUY', symbol: 'AAPL', timeframe: '15', [field]: value, secret: SECRET })));

async function send(body: string, h: Record<string, string | undefined>): Promise<number> {
  const clean = Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined)) as Record<string, string>;
  return (await stack.call('/webhook', { method: 'POST', body, headers: clean })).status;
}
const is4xx = (status: number) => status >= 400 && status < 500;

describe('fuzzing /webhook', () => {
  it('when the body is arbitrary text or JSON with arbitrary headers, then every answer is 4xx', async () => {
    const body = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 400 }),
      fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? ''),
      fc
        .dictionary(
          fc.constantFrom(
            'action',
            'symbol',
            'ticker',
            'timeframe',
            'interval',
            'secret',
            'passphrase',
            '__proto__',
            'constructor',
            'price',
          ),
          wrongType,
        )
        .map((o) => JSON.stringify(o)),
    );
    await fc.assert(
      fc.asyncProperty(body, headers, async (b, h) => {
        expect(is4xx(await send(b, h))).toBe(true);
      }),
      { numRuns: 1200 },
    );
  }, 120_000);

  it('when the secret is right but one field is wrong, missing or of the wrong type, then 400', async () => {
    await fc.assert(
      fc.asyncProperty(almostValid, fc.boolean(), async (payload, inHeader) => {
        const { secret, ...rest } = payload;
        const status = inHeader
          ? await send(JSON.stringify(rest), { 'content-type': 'application/json', 'x-webhook-secret': secret as string })
          : await send(JSON.stringify(payload), { 'content-type': 'text/plain' });
        expect(status).toBe(400);
      }),
      { numRuns: 1500 },
    );
  }, 120_000);

  it('when a well-formed alert carries a wrong secret anywhere, or a prototype trick, then 401 or 400', async () => {
    const wrong = fc.string({ unit: 'binary', minLength: 0, maxLength: 2000 }).filter((s) => s !== SECRET);
    await fc.assert(
      fc.asyncProperty(wrong, fc.constantFrom('secret', 'passphrase', '__proto__'), async (guess, key) => {
        const payload =
          key === '__proto__'
            ? `{"__proto__":{"secret":${JSON.stringify(SECRET)}},"action":"BUY","symbol":"AAPL","timeframe":"15"}`
            : JSON.stringify({ action: 'BUY', symbol: 'AAPL', timeframe: '15', [key]: guess });
        expect([400, 401]).toContain(await send(payload, { 'content-type': 'application/json' }));
      }),
      { numRuns: 500 },
    );
  }, 120_000);

  it('when the body is oversized, then 413 whatever it holds', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 16_385, max: 200_000 }), fc.constantFrom('x', '{', 'é'), async (size, ch) => {
        expect(
          await send(JSON.stringify({ action: 'BUY', symbol: 'AAPL', timeframe: '15', secret: SECRET, pad: ch.repeat(size) }), {
            'content-type': 'application/json',
          }),
        ).toBe(413);
      }),
      { numRuns: 40 },
    );
  }, 120_000);

  it('when the fuzzing is over, then the server is up, no order reached the broker and no secret reached a log line', async () => {
    expect((await stack.call('/health')).status).toBe(200);
    expect(stack.alpaca.orders).toHaveLength(0);
    expect(stack.alpaca.requests.filter((r) => r.method !== 'GET')).toHaveLength(0);
    expect(stack.logs.length).toBeGreaterThan(3000);
    expect(stack.logs.filter((l) => l.includes(SECRET) || l.includes(API_TOKEN))).toEqual([]);
  });
});
