import { banner, type BannerFacts } from '../../../src/banner';

const SECRET = 'secret-0123456789abcdef';
const TOKEN = 'token-0123456789abcdef0123';
const facts = (o: Partial<BannerFacts>): BannerFacts => ({
  mode: 'local',
  broker: 'Alpaca',
  sheet: { kind: 'local', location: '/srv/bot/data/sheet' },
  port: 8080,
  dataDir: '/srv/bot/data',
  secret: SECRET,
  apiToken: TOKEN,
  secretFromSettings: false,
  tokenFromSettings: false,
  firstRow: { symbol: 'AAPL', timeframe: '15 Min', positionSize: 5000, price: 190.12, action: 'BUY' },
  ...o,
});

describe('start-up banner', () => {
  it(
    'when the broker is the local paper broker with the CSV sheet, ' + 'then it says local and no real money, with the secret and a curl',
    () => {
      const text = banner(facts({}));
      expect(text).toMatch(/LOCAL mode/);
      expect(text).toMatch(/No real money/);
      expect(text).toContain(SECRET);
      expect(text).toContain('/srv/bot/data/sheet/Config.csv');
      expect(text).toMatch(/curl -s -X POST http:\/\/localhost:8080\/webhook/);
    },
  );

  it('when the broker is the local paper broker with the Google Sheet, then it names the sheet, not a CSV path', () => {
    const text = banner(facts({ sheet: { kind: 'google', location: '1AbCdEf' } }));
    expect(text).toContain('https://docs.google.com/spreadsheets/d/1AbCdEf');
    expect(text).not.toMatch(/\.csv|CSV/);
    expect(text).toMatch(/No real money/);
  });

  it.each(['paper', 'live'] as const)(
    'when the broker is Alpaca %s with the CSV sheet, then it never says local or ' +
      'no real money, never prints the secret or token, and offers no trading curl',
    (mode) => {
      const text = banner(facts({ mode, secretFromSettings: true, tokenFromSettings: true }));
      expect(text).not.toMatch(/local mode|no real money/i);
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain('/webhook');
      expect(text).toMatch(/WEBHOOK_SECRET.*not shown/);
      expect(text).toMatch(/API_TOKEN.*not shown/);
      expect(text).toContain('/srv/bot/data/sheet/Config.csv');
      if (mode === 'live') expect(text).toMatch(/REAL MONEY/);
      else expect(text).toMatch(/PAPER/);
    },
  );

  it.each(['local', 'paper', 'live'] as const)(
    'when trading is halted at start-up (%s), then the banner says since when, why, and how to lift it',
    (mode) => {
      const text = banner(facts({ mode, halt: { reason: 'earnings', since: '2025-03-03T14:00:00.000Z', blocksClose: false } }));
      expect(text).toContain('HALTED:   since 2025-03-03T14:00:00.000Z: earnings');
      expect(text).toContain('New entries are refused; CLOSE signals and POST /flatten still trade. POST /resume lifts the halt.');
    },
  );

  it('when trading is not halted, then the banner has no HALTED line', () => {
    expect(banner(facts({}))).not.toContain('HALTED');
  });
});

describe("the banner's trial curl", () => {
  it('when the first active row is MSFT 1 Hour, then the curl and the words name that row', () => {
    const text = banner(facts({ firstRow: { symbol: 'MSFT', timeframe: '1 Hour', positionSize: 2500, price: 412.5, action: 'BUY' } }));
    const body = JSON.parse(/-d '(\{.*\})'/.exec(text)![1]);
    expect(body).toEqual({ action: 'BUY', symbol: 'MSFT', timeframe: '1 Hour', price: '412.50', secret: SECRET });
    expect(text).toContain('buys $2,500 of MSFT at $412.50; the MSFT 1 Hour row shows FILLED');
    expect(text).not.toContain('AAPL');
  });

  it('when the first active row is short only, then the curl sells', () => {
    const text = banner(facts({ firstRow: { symbol: 'TSLA', timeframe: '15 Min', positionSize: 2000, price: 250, action: 'SELL' } }));
    expect(JSON.parse(/-d '(\{.*\})'/.exec(text)![1]).action).toBe('SELL');
    expect(text).toContain('sells short $2,000 of TSLA');
  });

  it('when the Config tab has no active row, then it says how to add one and the curl has placeholders', () => {
    const text = banner(facts({ firstRow: null }));
    expect(text).toContain('No active row in the Config tab yet. Add one to /srv/bot/data/sheet/Config.csv');
    expect(text).toMatch(/"symbol":"<symbol>","timeframe":"<Time Frame>","price":"<price>"/);
    expect(text).not.toMatch(/AAPL","timeframe/);
  });

  it("when a Time Frame typed in the sheet holds a quote, then it can't end the curl's quoted body", () => {
    const text = banner(facts({ firstRow: { symbol: 'AAPL', timeframe: "15 Min'", positionSize: 5000, price: 190, action: 'BUY' } }));
    expect(text).toContain(`"timeframe":"15 Min'\\''"`);
  });
});
