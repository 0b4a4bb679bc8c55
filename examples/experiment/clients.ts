/**
 * The four client configurations the experiment compares, from no protection to the full
 * pipeline, and how a failed call is named in the report.
 */
import {
  bulkhead,
  type Clock,
  circuitBreaker,
  consecutive,
  exponential,
  fallback,
  isBrokenCircuitError,
  isBulkheadRejectedError,
  isIsolatedCircuitError,
  isTimeoutError,
  type Policy,
  pipeline,
  retry,
  timeout,
} from '../../src/index.js';
import { seededRandom } from '../../src/testing/index.js';
import { HttpError, type Send } from './service.js';

/** How one request ended for its caller. `cause` is set for fallback and error. */
export interface CallResult {
  readonly outcome: 'ok' | 'fallback' | 'error';
  readonly cause?: unknown;
  /** How many times the request was sent to the service (0: rejected before sending). */
  readonly attempts: number;
}

export interface ClientConfig {
  /** Short name, used as the column header and the chart legend. */
  readonly name: string;
  /** One line saying what it does. */
  readonly description: string;
  /** Makes one request through this configuration; never rejects. */
  call(send: Send): Promise<CallResult>;
}

export interface ClientSettings {
  /** The clock the policies use; `undefined` leaves the default (system) clock. */
  readonly clock: Clock | undefined;
  readonly seed: string;
}

export const TIMEOUT_MS = 250;
export const RETRY_ATTEMPTS = 3;
export const BULKHEAD = { limit: 32, queue: 32 };
export const BREAKER = { consecutive: 5, halfOpenAfter: 1_000 };

/** Worth another attempt: a 5xx, a timeout or a network failure. */
export function isTransient(error: unknown): boolean {
  return (
    (error instanceof HttpError && error.status >= 500) ||
    isTimeoutError(error) ||
    (error instanceof TypeError && error.message === 'fetch failed')
  );
}

/** The name a failure gets in "rejections by reason". */
export function reasonOf(error: unknown): string {
  if (isBrokenCircuitError(error)) return 'circuit open';
  if (isIsolatedCircuitError(error)) return 'circuit isolated';
  if (isBulkheadRejectedError(error)) return `bulkhead ${error.reason}`;
  if (isTimeoutError(error)) return 'timeout';
  if (error instanceof HttpError) return `HTTP ${error.status}`;
  if (error instanceof TypeError && error.message === 'fetch failed') return 'network';
  return error instanceof Error ? error.name : 'non-error thrown';
}

/** Runs `send` through `policy`, counting attempts; the fallback marks its answer. */
async function through(policy: Policy<unknown>, send: Send): Promise<CallResult> {
  let attempts = 0;
  try {
    const answer: unknown = await policy.execute(({ signal }) => {
      attempts++;
      return send(signal);
    });
    if (answer instanceof Stale) return { outcome: 'fallback', cause: answer.cause, attempts };
    return { outcome: 'ok', attempts };
  } catch (cause) {
    return { outcome: 'error', cause, attempts };
  }
}

/** The fallback's answer: a cached value, marked so that it is counted apart. */
class Stale {
  constructor(readonly cause: unknown) {}
}

/** Builds the four configurations, each with its own policy instances. */
export function clientConfigs(settings: ClientSettings): ClientConfig[] {
  const { seed } = settings;
  const clock = settings.clock === undefined ? {} : { clock: settings.clock };
  const retryPolicy = (name: string) =>
    retry({
      maxAttempts: RETRY_ATTEMPTS,
      backoff: exponential({ initial: 20, max: 200 }),
      when: isTransient,
      random: seededRandom(`${seed}/${name}/retry`),
      ...clock,
    });
  const deadline = () => timeout({ after: TIMEOUT_MS, mode: 'aggressive', ...clock });

  const bare: ClientConfig = {
    name: 'bare',
    description: 'plain fetch: no deadline, no retry',
    async call(send) {
      try {
        await send(undefined);
        return { outcome: 'ok', attempts: 1 };
      } catch (cause) {
        return { outcome: 'error', cause, attempts: 1 };
      }
    },
  };
  const retryOnly = pipeline(retryPolicy('retry'));
  const timeoutRetry = pipeline(retryPolicy('timeout+retry'), deadline());
  const full = pipeline(
    fallback({ to: (error: unknown) => new Stale(error) }),
    bulkhead({ ...BULKHEAD, ...clock }),
    retryPolicy('pipeline'),
    circuitBreaker({
      breaker: consecutive(BREAKER.consecutive),
      halfOpenAfter: BREAKER.halfOpenAfter,
      random: seededRandom(`${seed}/pipeline/breaker`),
      ...(settings.clock === undefined
        ? {}
        : { clock: settings.clock, wallClock: () => settings.clock!.now() }),
    }),
    deadline(),
  );
  return [
    bare,
    {
      name: 'retry',
      description: `retry: ${RETRY_ATTEMPTS} attempts, exponential backoff 20-200 ms, on 5xx/timeout/network`,
      call: (send) => through(retryOnly, send),
    },
    {
      name: 'timeout+retry',
      description: `the same retry around a ${TIMEOUT_MS} ms aggressive timeout per attempt`,
      call: (send) => through(timeoutRetry, send),
    },
    {
      name: 'pipeline',
      description: `fallback(cached) → bulkhead(${BULKHEAD.limit} running, ${BULKHEAD.queue} queued) → the same retry → circuitBreaker(${BREAKER.consecutive} consecutive failures, half-open after ${BREAKER.halfOpenAfter} ms) → timeout(${TIMEOUT_MS} ms)`,
      call: (send) => through(full, send),
    },
  ];
}
