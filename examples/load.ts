/**
 * Fires a fixed number of requests with bounded concurrency and records how each ended and
 * how long its caller waited.
 */
import type { CallKind, CallRecord } from './stats.js';

export interface LoadOptions {
  /** How many requests in all. */
  readonly requests: number;
  /** How many are in flight at once. */
  readonly concurrency: number;
  /** Makes request `index`; resolves to how it ended. A rejection counts as `'failed'`. */
  readonly call: (index: number) => Promise<CallKind>;
  /** Called after each request settles with the number settled so far. */
  readonly onProgress?: (done: number) => void;
}

/** Runs the requests; resolves once all have settled, with one record per request, in order. */
export async function runLoad(options: LoadOptions): Promise<CallRecord[]> {
  const { requests, concurrency, call, onProgress } = options;
  const records = new Array<CallRecord>(requests);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < requests) {
      const index = next++;
      const start = performance.now();
      let kind: CallKind;
      try {
        kind = await call(index);
      } catch {
        kind = 'failed';
      }
      records[index] = { kind, ms: performance.now() - start };
      onProgress?.(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, requests) }, worker));
  return records;
}
