/**
 * The fake Alpaca in a worker thread, for benchmarks: its CPU (paging and
 * filtering thousands of fills on every request) stands in for Alpaca's own
 * servers and must not sit on the event loop being measured. The setup is
 * plain data, applied in the worker before it answers its first request.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { startFakeAlpaca, type FillInput } from '../tests/fakes/fake-alpaca';

/** What the fake holds when it starts. */
export interface RemoteFakeSetup {
  latencyMs: number;
  portfolioHistory?: Parameters<Awaited<ReturnType<typeof startFakeAlpaca>>['setPortfolioHistory']>[0];
  bars?: { symbol: string; bars: Parameters<Awaited<ReturnType<typeof startFakeAlpaca>>['setBars']>[1] }[];
  fills?: FillInput[];
  /** [symbol, price, position qty (negative = short), average entry]. */
  positions?: [string, number, number, number][];
}

/** The running fake, seen from the benchmark's thread. */
export interface RemoteFake {
  url: string;
  dataUrl: string;
  keyId: string;
  secretKey: string;
  /** Requests the fake has answered so far. */
  requestCount(): Promise<number>;
  close(): Promise<void>;
}

/** Starts the fake in a worker thread and resolves once it listens with its data loaded. */
export function startRemoteFakeAlpaca(setup: RemoteFakeSetup): Promise<RemoteFake> {
  const worker = new Worker(__filename, { workerData: { remoteFakeAlpaca: setup } });
  const ask = (question: string) =>
    new Promise<unknown>((resolve) => {
      worker.once('message', resolve);
      worker.postMessage(question);
    });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (m: { url: string; dataUrl: string; keyId: string; secretKey: string }) =>
      resolve({
        ...m,
        requestCount: () => ask('requests') as Promise<number>,
        close: async () => {
          await ask('close');
          await worker.terminate();
        },
      }),
    );
  });
}

/** The worker's side: start, load, then answer the benchmark's questions. */
async function serve(setup: RemoteFakeSetup): Promise<void> {
  const fake = await startFakeAlpaca({ latencyMs: setup.latencyMs });
  if (setup.portfolioHistory) fake.setPortfolioHistory(setup.portfolioHistory);
  for (const b of setup.bars ?? []) fake.setBars(b.symbol, b.bars);
  for (const [symbol, price, qty, avg] of setup.positions ?? []) {
    fake.setPrice(symbol, price);
    fake.setPosition(symbol, qty, avg);
  }
  if (setup.fills?.length) fake.addFills(setup.fills);
  parentPort!.on('message', async (question: string) => {
    if (question === 'requests') parentPort!.postMessage(fake.requests.length);
    if (question === 'close') {
      await fake.close();
      parentPort!.postMessage('closed');
    }
  });
  parentPort!.postMessage({ url: fake.url, dataUrl: fake.dataUrl, keyId: fake.keyId, secretKey: fake.secretKey });
}

if (!isMainThread && workerData?.remoteFakeAlpaca) void serve(workerData.remoteFakeAlpaca as RemoteFakeSetup);
