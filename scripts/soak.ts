/**
 * `npm run soak`: 1,000,000 calls through fallback → bulkhead → retry → circuitBreaker →
 * timeout with chaos on (injected faults and latency), on the real system clock. Reports
 * calls/s, how every call ended, and the heap after GC at the start, at checkpoints and at the
 * end. Fails (exit 1) when the heap grew by 1 MB or more, or when a call did not settle.
 *
 *   npm run soak
 *   npm run soak -- --calls 200000 --concurrency 128 --seed 7
 *
 * Flags: --calls N (default 1000000), --concurrency N calls per batch (default 64),
 * --seed N (default 42), --fault-rate P (default 0.2), --latency-rate P (default 0.002),
 * --latency MS (default 1), --checkpoints N (default 10), --warmup N calls before the
 * baseline heap reading (default 20000, not counted in --calls).
 */
import { getEventListeners, setMaxListeners } from 'node:events';
import { parseArgs } from 'node:util';
import {
  type BulkheadRejectedError,
  bulkhead,
  circuitBreaker,
  consecutive,
  constant,
  type ExecuteContext,
  fallback,
  isBreakwaterError,
  isBulkheadRejectedError,
  pipeline,
  retry,
  timeout,
} from 'breakwater';
import { injectFault, injectLatency, isInjectedFaultError, rate } from 'breakwater/chaos';

const GOAL_BYTES = 1024 * 1024;

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '1000000' },
    concurrency: { type: 'string', default: '64' },
    seed: { type: 'string', default: '42' },
    'fault-rate': { type: 'string', default: '0.2' },
    'latency-rate': { type: 'string', default: '0.002' },
    latency: { type: 'string', default: '1' },
    checkpoints: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '20000' },
  },
});

function int(name: string, text: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) {
    console.error(`soak: --${name} must be an integer >= ${min}, got ${text}`);
    process.exit(2);
  }
  return n;
}

function share(name: string, text: string): number {
  const p = Number(text);
  if (!(p >= 0 && p <= 1)) {
    console.error(`soak: --${name} must be a number from 0 to 1, got ${text}`);
    process.exit(2);
  }
  return p;
}

const CALLS = int('calls', values.calls, 1);
const CONCURRENCY = int('concurrency', values.concurrency, 1);
const SEED = int('seed', values.seed, 0);
const FAULT_RATE = share('fault-rate', values['fault-rate']);
const LATENCY_RATE = share('latency-rate', values['latency-rate']);
const LATENCY_MS = int('latency', values.latency, 0);
const CHECKPOINTS = int('checkpoints', values.checkpoints, 1);
const WARMUP = int('warmup', values.warmup, 0);

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  console.error('soak: run with node --expose-gc (npm run soak does)');
  process.exit(2);
}

/** Heap used after full collections (twice: finalizers and weak refs may free more). */
function heapAfterGc(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
const signedMb = (bytes: number): string => `${bytes >= 0 ? '+' : '-'}${mb(Math.abs(bytes))}`;

const FALLBACK = 'fallback';
const OK = 'ok';

const fault = injectFault({ when: rate(FAULT_RATE), seed: SEED });
const latency = injectLatency({ delay: LATENCY_MS, when: rate(LATENCY_RATE), seed: SEED });
/** Each batch starts CONCURRENCY calls at once: half run, a quarter wait, a quarter are rejected. */
const LIMIT = Math.max(1, Math.floor(CONCURRENCY / 2));
const QUEUE = Math.floor(CONCURRENCY / 4);
const policy = pipeline(
  fallback({ to: FALLBACK, when: isInjectedFaultError }),
  bulkhead({ limit: LIMIT, queue: QUEUE }),
  retry({ maxAttempts: 3, backoff: constant(0), when: isInjectedFaultError }),
  circuitBreaker({ breaker: consecutive(5), halfOpenAfter: 1 }),
  timeout({ after: 5_000 }),
  latency,
  fault,
);

/** One signal for the whole run, as a server's shutdown signal: listeners must not pile up. */
const shutdown = new AbortController();
// Calls in flight listen on it (up to two listeners each) and remove their listeners when they
// settle: raise Node's warning threshold (10) above what a batch may hold at once.
setMaxListeners(2 * CONCURRENCY + 10, shutdown.signal);
const abortListeners = (): number => getEventListeners(shutdown.signal, 'abort').length;

/** Most listeners seen on the caller's signal while calls ran (sampled in one task in 1,000). */
let peakListeners = 0;
let taskCalls = 0;

/** Reads the signal as a real task would (so each call has its AbortController and listeners). */
function task(ctx: ExecuteContext): string {
  if (++taskCalls % 1000 === 0) peakListeners = Math.max(peakListeners, abortListeners());
  return ctx.signal.aborted ? 'aborted' : OK;
}
const options = { signal: shutdown.signal };

const counts = {
  ok: 0,
  fallback: 0,
  'bulkhead full': 0,
  'bulkhead queue-timeout': 0,
  'circuit open': 0,
  'circuit isolated': 0,
  timeout: 0,
  'injected fault (not caught)': 0,
  other: 0,
};
type Kind = keyof typeof counts;
let settled = 0;
let otherExample: unknown;

function rejectionKind(error: unknown): Kind {
  if (isBulkheadRejectedError(error)) {
    return (error as BulkheadRejectedError).reason === 'full'
      ? 'bulkhead full'
      : 'bulkhead queue-timeout';
  }
  if (isInjectedFaultError(error)) return 'injected fault (not caught)';
  if (isBreakwaterError(error)) {
    switch ((error as { code?: string }).code) {
      case 'ERR_CIRCUIT_OPEN':
        return 'circuit open';
      case 'ERR_CIRCUIT_ISOLATED':
        return 'circuit isolated';
      case 'ERR_TIMEOUT':
        return 'timeout';
    }
  }
  otherExample ??= error;
  return 'other';
}

const onValue = (value: string): void => {
  settled++;
  if (value === OK) counts.ok++;
  else if (value === FALLBACK) counts.fallback++;
  else {
    otherExample ??= value;
    counts.other++;
  }
};
const onError = (error: unknown): void => {
  settled++;
  counts[rejectionKind(error)]++;
};

/**
 * A call that never settles would leave `await Promise.all` pending: if nothing else keeps the
 * process alive Node exits (the 'exit' hook reports it); otherwise the watchdog sees no progress.
 */
let finished = false;
let lastSettled = -1;
const STALL_MS = 30_000;
const watchdog = setInterval(() => {
  if (settled === lastSettled) {
    console.log(`FAIL: no call settled for ${STALL_MS / 1000} s; ${settled} settled in this phase`);
    process.exit(1);
  }
  lastSettled = settled;
}, STALL_MS);
watchdog.unref();
process.on('exit', () => {
  if (!finished) {
    console.log(
      `FAIL: the event loop emptied with calls unsettled (${settled} settled in this phase)`,
    );
    process.exitCode = 1;
  }
});

const batch: Promise<void>[] = new Array(CONCURRENCY);

/** Runs `n` calls, `CONCURRENCY` at a time; returns the ms spent. */
async function run(n: number): Promise<number> {
  const start = performance.now();
  for (let done = 0; done < n; ) {
    const size = Math.min(CONCURRENCY, n - done);
    batch.length = size;
    for (let i = 0; i < size; i++) batch[i] = policy.execute(task, options).then(onValue, onError);
    await Promise.all(batch);
    done += size;
  }
  batch.length = 0;
  return performance.now() - start;
}

function resetCounts(): void {
  for (const key of Object.keys(counts) as Kind[]) counts[key] = 0;
  settled = 0;
  otherExample = undefined;
}

console.log(
  `soak: ${CALLS.toLocaleString('en-US')} calls, ${CONCURRENCY} per batch, seed ${SEED}; ` +
    `Node ${process.version}`,
);
console.log(
  `  pipeline: fallback(injected faults) → bulkhead(limit ${LIMIT}, queue ${QUEUE}) → ` +
    'retry(3 attempts, constant(0), injected faults) → circuitBreaker(consecutive(5), halfOpenAfter 1 ms) → ' +
    `timeout(5 s) → injectLatency(${LATENCY_MS} ms at rate ${LATENCY_RATE}) → injectFault(rate ${FAULT_RATE})`,
);
console.log('  every call passes the same long-lived caller AbortSignal and reads ctx.signal');

const beforeWarmup = heapAfterGc();
await run(WARMUP);
resetCounts();
const start = heapAfterGc();
console.log(
  `heap after gc: ${mb(beforeWarmup)} before a ${WARMUP.toLocaleString('en-US')}-call warm-up, ${mb(start)} after it (baseline)`,
);

let elapsed = 0;
let done = 0;
let peak = start;
/** Listeners on the caller's signal between batches, when no call is in flight: must be 0. */
let leftListeners = abortListeners();
for (let k = 1; k <= CHECKPOINTS; k++) {
  const target = Math.round((CALLS * k) / CHECKPOINTS);
  elapsed += await run(target - done);
  done = target;
  const heap = heapAfterGc();
  peak = Math.max(peak, heap);
  leftListeners = Math.max(leftListeners, abortListeners());
  console.log(
    `  ${done.toLocaleString('en-US').padStart(11)} calls  heap ${mb(heap)} (${signedMb(heap - start)})  ` +
      `${Math.round(done / (elapsed / 1000)).toLocaleString('en-US')} calls/s  ` +
      `${abortListeners()} listeners left on the caller's signal`,
  );
}
const end = heapAfterGc();
const growth = end - start;

console.log(
  `throughput: ${Math.round(CALLS / (elapsed / 1000)).toLocaleString('en-US')} calls/s (${(elapsed / 1000).toFixed(1)} s in calls, GC pauses excluded)`,
);
console.log('outcomes:');
for (const [kind, n] of Object.entries(counts)) {
  if (n > 0 || kind === 'ok' || kind === 'fallback') {
    console.log(`  ${kind.padEnd(28)} ${n.toLocaleString('en-US').padStart(11)}`);
  }
}
if (otherExample !== undefined) console.log('  first "other" outcome:', otherExample);
const { calls: faultCalls, injected: faults } = fault.stats;
const { injected: delays } = latency.stats;
console.log(
  `chaos: ${faults.toLocaleString('en-US')} faults injected in ${faultCalls.toLocaleString('en-US')} attempts ` +
    `(${((100 * faults) / Math.max(1, faultCalls)).toFixed(2)}%), ${delays.toLocaleString('en-US')} delays`,
);
console.log(
  `heap after gc: start ${mb(start)}, peak checkpoint ${mb(peak)}, end ${mb(end)}, growth ${signedMb(growth)}`,
);

finished = true;
clearInterval(watchdog);
const lost = CALLS - settled;
const heapOk = growth < GOAL_BYTES;
console.log(
  `caller's signal: at most ${peakListeners} abort listeners while ${CONCURRENCY} calls ran, ` +
    `${leftListeners} left at checkpoints`,
);
console.log(
  `settled: ${settled.toLocaleString('en-US')} of ${CALLS.toLocaleString('en-US')} calls${lost === 0 ? ' (none lost)' : ` (${lost} LOST)`}`,
);
console.log(
  `${heapOk && lost === 0 && leftListeners === 0 ? 'PASS' : 'FAIL'}: heap growth ${signedMb(growth)} (goal < ${mb(GOAL_BYTES)})` +
    `${lost === 0 ? '' : `; ${lost} calls never settled`}` +
    `${leftListeners === 0 ? '' : `; ${leftListeners} listeners left behind`}`,
);
process.exitCode = heapOk && lost === 0 && leftListeners === 0 ? 0 : 1;
