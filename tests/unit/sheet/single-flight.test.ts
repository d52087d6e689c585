/** SingleFlight: one run at a time, a call during a run making exactly one more run after it. */
import { SingleFlight } from '../../../src/app/sheet/single-flight';

/** A job that counts its runs and waits for the test to let each one finish. */
function gatedJob() {
  const gates: (() => void)[] = [];
  let runs = 0;
  const job = () => {
    runs++;
    return new Promise<void>((resolve) => gates.push(resolve));
  };
  const release = async () => {
    await new Promise((r) => setImmediate(r));
    gates.shift()?.();
  };
  return { job, release, runs: () => runs };
}

describe('SingleFlight', () => {
  it('when called while a run is in flight, then the calls join it and make exactly one more run after it', async () => {
    const { job, release, runs } = gatedJob();
    const flight = new SingleFlight(job);
    const first = flight.run();
    const second = flight.run();
    const third = flight.run();
    expect(second).toBe(first);
    expect(third).toBe(first);
    expect(runs()).toBe(1);
    await release();
    await release();
    await first;
    expect(runs()).toBe(2);
  });

  it('when more() says no, then the extra run is skipped', async () => {
    const { job, release, runs } = gatedJob();
    let wanted = true;
    const flight = new SingleFlight(job, () => wanted);
    const first = flight.run();
    void flight.run();
    wanted = false;
    await release();
    await first;
    expect(runs()).toBe(1);
  });

  it('when the job asks to run again, then one more run follows; once over, idle() resolves and the next call starts afresh', async () => {
    let runs = 0;
    const flight = new SingleFlight(async () => {
      if (++runs === 1) flight.runAgain();
    });
    await flight.run();
    expect(runs).toBe(2);
    await flight.idle();
    await flight.run();
    expect(runs).toBe(3);
  });
});
