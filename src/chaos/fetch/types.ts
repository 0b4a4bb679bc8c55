import type { Clock } from '../../core/clock.js';
import type { RandomSource } from '../stream.js';
import type { Trigger } from '../trigger.js';

/**
 * A function with the call signature of the global `fetch`.
 *
 * @example
 * ```ts
 * const logged: FetchFunction = (input, init) => {
 *   log.debug('fetch', String(input));
 *   return fetch(input, init);
 * };
 * const flaky = chaosFetch(logged, { fault: { status: 500 }, when: rate(0.1), seed: 1 });
 * ```
 */
export type FetchFunction = (
  input: string | URL | Request,
  init?: RequestInit,
) => Promise<Response>;

/**
 * Headers a `{ status }` fault answers with: a `Headers`, a record or `[name, value]` pairs.
 *
 * @example
 * ```ts
 * const headers: FaultHeaders = { 'retry-after': '2' };
 * chaosFetch(fetch, { fault: { status: 429, headers } });
 * ```
 */
export type FaultHeaders = NonNullable<ConstructorParameters<typeof Headers>[0]>;

/**
 * A body a `{ status }` fault answers with: anything `Response` takes but a one-shot stream.
 *
 * @example
 * ```ts
 * const body: FaultBody = JSON.stringify({ error: 'maintenance' });
 * chaosFetch(fetch, { fault: { status: 503, body, headers: { 'content-type': 'application/json' } } });
 * ```
 */
export type FaultBody = Exclude<
  NonNullable<ConstructorParameters<typeof Response>[0]>,
  ReadableStream
>;

/**
 * Answers with `new Response(body ?? null, { status, headers })`; fetch is not called.
 *
 * @example
 * ```ts
 * const throttled: StatusFault = { status: 429, headers: { 'retry-after': '1' } };
 * const flaky = chaosFetch(fetch, { fault: throttled, when: every(5) });
 * ```
 */
export interface StatusFault {
  /** An integer from 200 to 599 (503, or 429 with a `Retry-After` header...). */
  readonly status: number;
  /** Checked (and copied) when chaosFetch is built. @default none */
  readonly headers?: FaultHeaders;
  /** Must be left out for 204, 205 and 304. @default null (no body) */
  readonly body?: FaultBody | null;
}

/**
 * Rejects like a reset connection, as undici's fetch does: `TypeError('fetch failed')`
 * whose `cause` is `Error('read ECONNRESET')` with `code: 'ECONNRESET'` and `syscall:
 * 'read'`; that error's `cause` is an `InjectedFaultError` naming the chaosFetch.
 *
 * @example
 * ```ts
 * const reset: ResetFault = { reset: true };
 * const flaky = chaosFetch(fetch, { fault: reset, when: firstN(1) });
 * await expect(flaky('https://example.test/')).rejects.toThrow('fetch failed');
 * ```
 */
export interface ResetFault {
  /** Always `true`: selects this fault. */
  readonly reset: true;
}

/**
 * Waits `delay` ms on the clock (ended by an abort), then calls the real fetch.
 *
 * @example
 * ```ts
 * const slow: DelayFault = { delay: 2_500 };
 * const sluggish = chaosFetch(fetch, { fault: slow, when: rate(0.2), seed: 5 });
 * ```
 */
export interface DelayFault {
  /** A finite number of ms from 0 to 2^31-1. */
  readonly delay: number;
}

/**
 * Answers at once with a 200 whose body never delivers a byte until the request's signal
 * aborts; then the body errors with the signal's reason (`await res.text()` rejects with
 * it). Without a signal the body stalls forever.
 *
 * @example
 * ```ts
 * const stall: StallBodyFault = { stallBody: true };
 * const stuck = chaosFetch(fetch, { fault: stall });
 * const res = await stuck(url, { signal: AbortSignal.timeout(1_000) });
 * await res.text(); // rejects with the TimeoutError after 1 s
 * ```
 */
export interface StallBodyFault {
  /** Always `true`: selects this fault. */
  readonly stallBody: true;
}

/**
 * What chaosFetch does instead of (or before) the real fetch.
 *
 * @example
 * ```ts
 * const faults: FetchFault[] = [{ status: 503 }, { reset: true }, { delay: 1_000 }];
 * const rules = faults.map((fault) => ({ when: rate(0.05), fault }));
 * const flaky = chaosFetch(fetch, { rules, seed: 11 });
 * ```
 */
export type FetchFault = StatusFault | ResetFault | DelayFault | StallBodyFault;

/**
 * One rule of `rules`: when `when` fires (always, when left out), inject `fault`.
 *
 * @example
 * ```ts
 * const outage: FetchRule = { when: during({ from: 0, to: 5_000 }), fault: { status: 503 } };
 * const flaky = chaosFetch(fetch, { rules: [outage, { when: rate(0.1), fault: { delay: 300 } }], clock });
 * ```
 */
export interface FetchRule {
  /** Decides for each call whether this rule's fault is injected. @default every call */
  readonly when?: Trigger;
  /** The fault to inject. */
  readonly fault: FetchFault;
}

/**
 * Options chaosFetch takes besides its fault or rules.
 *
 * @example
 * ```ts
 * const common: ChaosFetchCommonOptions = { name: 'billing-api', seed: 3, clock };
 * const billing = chaosFetch(fetch, { ...common, fault: { status: 500 }, when: rate(0.1) });
 * ```
 */
export interface ChaosFetchCommonOptions extends RandomSource {
  /**
   * Selects the random stream (with `seed`) and names the `InjectedFaultError` of a reset.
   * @default 'fetch'
   */
  readonly name?: string;
  /** Runs `delay` faults and gives triggers `now`. @default systemClock */
  readonly clock?: Clock;
  /** When false, every call goes straight to the real fetch. Settable later. @default true */
  readonly enabled?: boolean;
}

/**
 * `{ when?, fault }` for one fault, or `{ rules: [{ when?, fault }, ...] }` where the first
 * rule whose trigger fires wins; plus the common options.
 *
 * @example
 * ```ts
 * const one: ChaosFetchOptions = { fault: { status: 503 }, when: firstN(2) };
 * const many: ChaosFetchOptions = {
 *   rules: [{ when: every(10), fault: { reset: true } }, { when: rate(0.2), fault: { delay: 500 } }],
 *   seed: 4,
 * };
 * ```
 */
export type ChaosFetchOptions = ChaosFetchCommonOptions &
  (
    | {
        /** Decides for each call whether `fault` is injected. @default every call */
        readonly when?: Trigger;
        /** The one fault to inject. */
        readonly fault: FetchFault;
        /** Not with `fault`. */
        readonly rules?: never;
      }
    | {
        /** Tried in order for each call: the first rule whose trigger fires picks the fault. */
        readonly rules: readonly FetchRule[];
        /** Not with `rules`: give each rule its own `when`. */
        readonly when?: never;
        /** Not with `rules`. */
        readonly fault?: never;
      }
  );
