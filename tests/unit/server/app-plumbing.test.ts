/** The signal path's plumbing: shared Config reads, per-symbol ordering, and the status outbox. */
import Database from 'better-sqlite3';
import { ConfigSource, ConfigUnavailableError } from '../../../src/app/sheet/config-source';
import { StatusOutbox } from '../../../src/app/sheet/status-outbox';
import { SymbolLocks } from '../../../src/app/orders/symbol-locks';
import { SqliteJournal } from '../../../src/adapters/sqlite-journal/sqlite-journal';
import { systemClock } from '../../../src/shared/clock';
import { memoryLogger } from '../../../src/logger';
import type { Clock } from '../../../src/ports';
import { MemorySheet } from '../../support/memory-sheet';

const CONFIG = [
  ['symbol', 'position_size', 'active', 'Time Frame', 'Order Status', 'Last Updated'],
  ['AAPL', '5000', 'TRUE', '15 Min', '', ''],
  ['MSFT', '5000', 'TRUE', '15 Min', '', ''],
];

/** A clock whose `now` is set by the test; sleeps are real but short. */
function testClock(start = Date.parse('2025-10-10T17:00:00Z')): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => new Date(now), sleep: (ms) => systemClock.sleep(Math.min(ms, 5)), advance: (ms) => void (now += ms) };
}

describe('ConfigSource', () => {
  it('when signals arrive while a read is in flight that started after them, then they share it', async () => {
    const sheet = new MemorySheet({ Config: CONFIG });
    const clock = testClock();
    const source = new ConfigSource(sheet, 'Config', 300_000, clock, memoryLogger());
    sheet.holdReads = true;
    const t = clock.now().getTime();
    const all = Promise.all(Array.from({ length: 50 }, () => source.readFor(t)));
    sheet.release();
    await all;
    expect(sheet.reads).toBe(1);
  });

  it(
    'when signals arrive after the in-flight read started, then they ' + 'share one new read that starts after it and see a later edit',
    async () => {
      const sheet = new MemorySheet({ Config: CONFIG });
      const clock = testClock();
      const source = new ConfigSource(sheet, 'Config', 300_000, clock, memoryLogger());
      sheet.holdReads = true;
      const first = source.readFor(clock.now().getTime());
      clock.advance(10);
      sheet.tabs.get('Config')![1][2] = 'FALSE';
      const late = [source.readFor(clock.now().getTime()), source.readFor(clock.now().getTime() + 1)];
      sheet.release();
      await first;
      const [a, b] = await Promise.all(late);
      expect(sheet.reads).toBe(2);
      expect(a.table.rows[0].active).toBe(false);
      expect(b).toBe(a);
    },
  );

  it('when a read fails, then a copy younger than the limit serves, and an older one does not', async () => {
    const sheet = new MemorySheet({ Config: CONFIG });
    const clock = testClock();
    const source = new ConfigSource(sheet, 'Config', 300_000, clock, memoryLogger());
    await source.readFor(clock.now().getTime());
    clock.advance(299_000);
    sheet.failNext = 5;
    expect((await source.readFor(clock.now().getTime())).table.rows).toHaveLength(2);
    clock.advance(2_000);
    await expect(source.readFor(clock.now().getTime())).rejects.toBeInstanceOf(ConfigUnavailableError);
  });
});

describe('SymbolLocks', () => {
  it('when tasks for one symbol overlap, then they run one after another in order; other symbols run alongside', async () => {
    const locks = new SymbolLocks();
    const log: string[] = [];
    const task = (name: string, ms: number) => async () => {
      log.push(`start ${name}`);
      await new Promise((r) => setTimeout(r, ms));
      log.push(`end ${name}`);
    };
    await Promise.all([locks.run('AAPL', task('a1', 30)), locks.run('AAPL', task('a2', 1)), locks.run('MSFT', task('m1', 5))]);
    expect(log.indexOf('end a1')).toBeLessThan(log.indexOf('start a2'));
    expect(log.indexOf('start m1')).toBeLessThan(log.indexOf('end a1'));
    expect(locks.busy).toBe(0);
  });

  it('when a task fails, then the next one for that symbol still runs', async () => {
    const locks = new SymbolLocks();
    await expect(locks.run('A', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(locks.run('A', async () => 'ok')).resolves.toBe('ok');
  });
});

describe('StatusOutbox', () => {
  const setup = () => {
    const sheet = new MemorySheet({ Config: CONFIG });
    const clock = testClock();
    const logger = memoryLogger();
    const journal = new SqliteJournal(new Database(':memory:'), () => clock.now().getTime());
    const source = new ConfigSource(sheet, 'Config', 300_000, clock, logger);
    const outbox = new StatusOutbox(journal, sheet, source, clock, logger, {
      tab: 'Config',
      timezone: 'America/Los_Angeles',
      debounceMs: 1,
      minWriteIntervalMs: 1,
      baseBackoffMs: 5,
      maxBackoffMs: 20,
    });
    return { sheet, journal, outbox };
  };

  it('when several statuses pile up for one row, then one batch writes only the latest, with a Pacific stamp', async () => {
    const { sheet, journal, outbox } = setup();
    outbox.post('AAPL', '15m', 'ORDER SUBMITTED');
    outbox.post('MSFT', '15m', 'WAITING');
    outbox.post('AAPL', '15m', 'FILLED');
    expect(await outbox.drain(1000)).toBe(true);
    expect(sheet.writes).toHaveLength(1);
    expect(sheet.tabs.get('Config')![1].slice(4)).toEqual(['FILLED', '2025-10-10 10:00:00 PDT']);
    expect(sheet.tabs.get('Config')![2][4]).toBe('WAITING');
    expect(journal.pendingStatuses(10)).toEqual([]);
    outbox.stop();
  });

  it('when the sheet fails, then statuses stay queued and are written once it recovers', async () => {
    const { sheet, journal, outbox } = setup();
    sheet.failNext = 3;
    outbox.post('AAPL', '15m', 'FILLED');
    await new Promise((r) => setTimeout(r, 10));
    expect(journal.pendingStatuses(10)).toHaveLength(1);
    expect(await outbox.drain(2000)).toBe(true);
    expect(sheet.tabs.get('Config')![1][4]).toBe('FILLED');
    outbox.stop();
  });

  it('when a row is gone from the sheet, then its status is dropped with a log line instead of blocking the rest', async () => {
    const { sheet, outbox } = setup();
    outbox.post('NVDA', '15m', 'FILLED');
    outbox.post('MSFT', '15m', 'FILLED');
    expect(await outbox.drain(1000)).toBe(true);
    expect(sheet.tabs.get('Config')![2][4]).toBe('FILLED');
    outbox.stop();
  });
});
