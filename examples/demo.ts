/**
 * breakwater demo: the same 300 requests against a flaky local price service, first with a
 * bare `fetch`, then through `pipeline(fallback, retry, timeout)`, compared side by side.
 *
 *   npm run demo                 # seed 42
 *   npm run demo -- --seed 7     # another fault sequence
 */
import { parseArgs } from 'node:util';
import { exponential, fallback, isTimeoutError, pipeline, retry, timeout } from '../src/index.js';
import { seededRandom } from '../src/testing/index.js';
import { defaultMix, describeMix, type FlakyService, startFlakyService } from './flaky-service.js';
import { runLoad } from './load.js';
import { narrate, type RunReport, reportTable } from './report.js';
import { type CallKind, summarize } from './stats.js';

const REQUESTS = 300;
const CONCURRENCY = 20;
/** Bare fetch has no deadline of its own; this cap only makes stalled calls end. */
const CAP_MS = 3_000;
const TIMEOUT_MS = 250;
/** If anything ever hangs, say so and fail instead of keeping a newcomer waiting. */
const WATCHDOG_MS = 60_000;

class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

interface Quote {
  readonly price: number;
  readonly stale?: boolean;
}

/** GET a quote; any non-2xx answer becomes a thrown HttpError so policies see it as a failure. */
async function getQuote(url: string, signal: AbortSignal): Promise<Quote> {
  const res = await fetch(url, { signal });
  const body = await res.text();
  if (!res.ok) throw new HttpError(res.status);
  return JSON.parse(body) as Quote;
}

/** Worth another attempt: a 5xx, a timeout, or a network failure (undici's "fetch failed"). */
function isTransient(error: unknown): boolean {
  return (
    (error instanceof HttpError && error.status >= 500) ||
    isTimeoutError(error) ||
    (error instanceof TypeError && error.message === 'fetch failed')
  );
}

function progress(label: string): (done: number) => void {
  const start = performance.now();
  return (done) => {
    const line = `  ${label}: ${done}/${REQUESTS} requests, ${((performance.now() - start) / 1000).toFixed(1)} s`;
    if (process.stderr.isTTY) {
      process.stderr.write(`\r${line}${done === REQUESTS ? '\n' : ''}`);
    } else if (done % 100 === 0 || done === REQUESTS) {
      process.stderr.write(`${line}\n`);
    }
  };
}

/** (a) No policy: wait for whatever comes, up to the safety cap. */
async function runBare(service: FlakyService, label: string): Promise<RunReport> {
  let capped = 0;
  const records = await runLoad({
    requests: REQUESTS,
    concurrency: CONCURRENCY,
    onProgress: progress(label),
    call: async (): Promise<CallKind> => {
      try {
        await getQuote(service.url, AbortSignal.timeout(CAP_MS));
        return 'ok';
      } catch (error) {
        if (error instanceof DOMException && error.name === 'TimeoutError') capped++;
        return 'failed';
      }
    },
  });
  const reached = service.counts.received;
  return {
    label,
    ...summarize(records),
    reached,
    retries: undefined,
    timeouts: capped,
    deadlineMs: CAP_MS,
  };
}

/** (b) The breakwater pipeline: fallback outermost, retry, a per-attempt timeout innermost. */
async function runGuarded(service: FlakyService, label: string, seed: string): Promise<RunReport> {
  const cached: Quote = { price: 100, stale: true };
  const retryPolicy = retry({
    maxAttempts: 3,
    backoff: exponential({ initial: 20, max: 200 }),
    when: isTransient,
    random: seededRandom(`${seed}/jitter`),
  });
  const timeoutPolicy = timeout({ after: TIMEOUT_MS, mode: 'aggressive' });
  const policy = pipeline(fallback({ to: cached }), retryPolicy, timeoutPolicy);
  let retries = 0;
  let timeouts = 0;
  retryPolicy.onRetry(() => retries++);
  timeoutPolicy.onTimeout(() => timeouts++);

  const records = await runLoad({
    requests: REQUESTS,
    concurrency: CONCURRENCY,
    onProgress: progress(label),
    call: async (): Promise<CallKind> => {
      const quote = await policy.execute(({ signal }) => getQuote(service.url, signal));
      return quote === cached ? 'fallback' : 'ok';
    },
  });
  const reached = service.counts.received;
  return { label, ...summarize(records), reached, retries, timeouts, deadlineMs: TIMEOUT_MS };
}

function parseSeed(): string {
  const { values } = parseArgs({ options: { seed: { type: 'string', default: '42' } } });
  return values.seed;
}

function serviceLine(label: string, service: FlakyService): string {
  const c = service.counts;
  return `  ${label}: received ${c.received} calls; drew ${c.answered} to answer 200, ${c.failed} to answer 503, ${c.stalled} to stall`;
}

async function main(): Promise<void> {
  let seed: string;
  try {
    seed = parseSeed();
  } catch (error) {
    console.error(`${(error as Error).message}\nusage: npm run demo -- [--seed <number|text>]`);
    process.exitCode = 2;
    return;
  }
  // A numeric seed and its text give different sequences; use the number when it is one.
  const serviceSeed = Number.isFinite(Number(seed)) && seed.trim() !== '' ? Number(seed) : seed;
  const service = await startFlakyService(serviceSeed, defaultMix);
  try {
    console.log(`breakwater demo, seed ${seed}`);
    console.log(`Flaky price service at ${service.url}`);
    console.log(`  fault mix: ${describeMix(defaultMix)}`);
    console.log(
      `  ${REQUESTS} requests per configuration, ${CONCURRENCY} at a time; the service is re-seeded before each, so both meet the same fault sequence\n`,
    );
    console.log(`(a) bare fetch: no policy; a ${CAP_MS} ms safety cap ends stalled calls`);
    console.log(
      `(b) breakwater: pipeline(fallback(cached price), retry(3 attempts, exponential 20-200 ms, on 5xx/timeout/network), timeout(${TIMEOUT_MS} ms, aggressive))`,
    );
    // Warm up the HTTP client so its one-time start-up cost does not land on run (a).
    await (await fetch(service.healthUrl)).text();

    service.reset(serviceSeed);
    const bare = await runBare(service, 'bare fetch');
    const bareService = serviceLine(bare.label, service);
    service.reset(serviceSeed);
    const guarded = await runGuarded(service, 'breakwater', seed);
    const guardedService = serviceLine(guarded.label, service);

    console.log(`\n${reportTable([bare, guarded])}`);
    console.log('(latency = what the caller waited, fallback answers included)\n');
    for (const line of narrate(bare, guarded)) console.log(line);
    console.log(`\nThe service's side:\n${bareService}\n${guardedService}`);
  } finally {
    await service.close();
  }
}

setTimeout(() => {
  console.error(`demo: still running after ${WATCHDOG_MS / 1000} s; giving up`);
  process.exit(1);
}, WATCHDOG_MS).unref();

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
