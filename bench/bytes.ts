/**
 * Bytes allocated per call: `gc()`, read the heap, run calls one after the other, read the
 * heap again. A sample during which any GC ran (seen by `v8.GCProfiler`) is thrown away and
 * retried with fewer calls, so the delta is what the calls allocated, not what survived.
 * Needs `node --expose-gc` (npm run bench passes it).
 */
import { GCProfiler } from 'node:v8';

const gc = (globalThis as { gc?: () => void }).gc;

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** One sample: bytes per call over `calls` awaited calls, or undefined when a GC ran. */
async function sample(run: () => Promise<unknown>, calls: number): Promise<number | undefined> {
  gc!();
  const profiler = new GCProfiler();
  profiler.start();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < calls; i++) await run();
  const after = process.memoryUsage().heapUsed;
  const gcs = profiler.stop().statistics.length;
  return gcs === 0 ? (after - before) / calls : undefined;
}

/**
 * Median bytes allocated per call of `run` (already warm) over `samples` GC-free samples, or undefined when
 * no sample could be taken without a GC (one call allocates more than the young generation).
 * Returns NaN when the process was started without --expose-gc.
 */
export async function bytesPerCall(
  run: () => Promise<unknown>,
  options: { calls?: number; samples?: number } = {},
): Promise<number | undefined> {
  if (gc === undefined) return Number.NaN;
  const wanted = options.samples ?? 7;
  const results: number[] = [];
  let calls = options.calls ?? 1_000;
  for (let tries = 0; results.length < wanted && tries < wanted * 4; tries++) {
    const bytes = await sample(run, calls);
    if (bytes === undefined) calls = Math.max(1, calls >> 1);
    else results.push(bytes);
  }
  return results.length === 0 ? undefined : median(results);
}
