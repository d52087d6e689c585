/**
 * The analytics use case end to end, for a test file: a fake Alpaca holding
 * 60 weekdays of portfolio history (with a $10,000 deposit), SPY bars over
 * several pages, 348 fills and a TSLA long 10% down, and the real notifiers
 * delivering to an SMTP sink and local HTTP servers.
 *
 *   const run = analyticsFixture();
 *
 * registers the hooks: all start in beforeAll and close in afterAll; before
 * each test `run.dir` is a fresh folder (removed after it), `run.now` is
 * 2024-03-26 12:00 UTC and the sinks are emptied. `run.deps()` builds the
 * use case's dependencies on them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnalyticsDeps } from '../../analytics/run-analytics';
import { EmailNotifier } from '../../src/adapters/notify/email';
import { SlackNotifier } from '../../src/adapters/notify/slack';
import { SmsNotifier } from '../../src/adapters/notify/sms';
import { memoryLogger } from '../../src/logger';
import type { Clock, StateStore } from '../../src/ports';
import { startFakeAlpaca, type FakeAlpaca } from '../fakes/fake-alpaca';
import { brokerFor } from './alpaca-broker';
import { memoryStateStore, nyMidnight, weekdays } from './analytics-data';
import { startHttpCapture, twilioMessageCreated, type HttpCapture } from './http-capture';
import { startSmtpSink, type SmtpSink } from './smtp-sink';
import { standIn } from './stand-in';

export const DAYS = weekdays(60); // 2024-01-02 .. 2024-03-25
export const RETURNS = DAYS.slice(1).map((_, i) => 0.012 * Math.sin(i * 0.9) + 0.001);
export const DEPOSIT_DAY = 20;
export const FILLS = 348; // 58 rounds of buy AAPL/MSFT/SPY then sell the same: flat at the end
export const window = { from: new Date('2024-01-02T05:00:00Z'), to: new Date('2024-03-25T21:00:00Z') };

/** The running fake and sinks, the test's folder and time, and the dependencies built on them. */
export interface AnalyticsFixture {
  readonly fake: FakeAlpaca;
  readonly smtp: SmtpSink;
  readonly slack: HttpCapture;
  readonly twilioApi: HttpCapture;
  /** The test's output folder. */
  dir: string;
  /** What the use case's clock says; a test may move it. */
  now: Date;
  /** SPY's daily closes as the fake serves them. */
  spyCloses: number[];
  /** The real broker on the fake, the three notifiers on the sinks, a one-fill journal, 12 h cool-down, 5% position loss. */
  deps(stateStore?: StateStore): AnalyticsDeps;
}

/** Starts the fake and the sinks for the file's tests; see the module comment. */
export function analyticsFixture(): AnalyticsFixture {
  let fake: FakeAlpaca | undefined;
  let smtp: SmtpSink | undefined;
  let slack: HttpCapture | undefined;
  let twilioApi: HttpCapture | undefined;
  const started = "used before analyticsFixture's beforeAll has started it";
  const clock: Clock = { now: () => run.now, sleep: async () => {} };

  const run: AnalyticsFixture = {
    fake: standIn(() => fake, `the fake Alpaca is ${started}`),
    smtp: standIn(() => smtp, `the SMTP sink is ${started}`),
    slack: standIn(() => slack, `the Slack capture is ${started}`),
    twilioApi: standIn(() => twilioApi, `the Twilio capture is ${started}`),
    dir: '',
    now: new Date('2024-03-26T12:00:00Z'),
    spyCloses: [],
    deps(stateStore = memoryStateStore()): AnalyticsDeps {
      const broker = brokerFor(run.fake);
      return {
        broker,
        mode: 'paper',
        history: broker,
        journal: {
          signalFills: () => [
            { symbol: 'AAPL', side: 'buy', signalPrice: 100, fillPrice: 100.05, qty: 10, time: Date.parse('2024-02-01T15:00:00Z') },
          ],
        },
        notifiers: [
          new EmailNotifier({ smtpUrl: run.smtp.url, from: 'bot@example.com', to: ['trader@example.com'] }),
          new SmsNotifier({
            accountSid: 'AC1',
            authToken: 'tok',
            from: '+15550001111',
            to: ['+15550002222'],
            apiUrl: run.twilioApi.origin,
          }),
          new SlackNotifier({ webhookUrl: `${run.slack.origin}/services/T/B/x` }),
        ],
        stateStore,
        thresholds: { cooldownHours: 12, positionLossPct: 5 },
        clock,
        logger: memoryLogger(),
      };
    },
  };

  beforeAll(async () => {
    const alpaca = await startFakeAlpaca({ barsPageLimit: 25 });
    fake = alpaca;
    [smtp, slack, twilioApi] = await Promise.all([startSmtpSink(), startHttpCapture(), startHttpCapture(twilioMessageCreated)]);

    // Equity with a $10,000 deposit: profit_loss carries only the day's gain.
    const equity = [100_000];
    const pl = [0];
    RETURNS.forEach((r, i) => {
      pl.push(equity[i] * r);
      equity.push(equity[i] * (1 + r) + (i + 1 === DEPOSIT_DAY ? 10_000 : 0));
    });
    alpaca.setPortfolioHistory({ timestamp: DAYS.map(nyMidnight), equity, profit_loss: pl, base_value: 100_000, timeframe: '1D' });
    run.spyCloses = alpaca.generateBars('SPY', 60, { start: '2024-01-02', price: 470 }).map((b) => b.c);
    alpaca.generateFills(FILLS, { symbols: ['AAPL', 'MSFT', 'SPY'], start: '2024-01-03T15:00:00Z', stepMs: 3 * 3_600_000 });
    alpaca.setPrice('TSLA', 180);
    alpaca.setPosition('TSLA', 10, 200); // -10% unrealised
  });

  afterAll(async () => {
    await Promise.all([fake?.close(), smtp?.close(), slack?.close(), twilioApi?.close()]);
  });

  beforeEach(() => {
    run.dir = mkdtempSync(join(tmpdir(), 'analytics-'));
    run.now = new Date('2024-03-26T12:00:00Z');
    run.smtp.messages.length = 0;
    run.slack.requests.length = 0;
    run.twilioApi.requests.length = 0;
  });

  afterEach(() => rmSync(run.dir, { recursive: true, force: true }));

  return run;
}
