import type { Clock } from '../../core/clock.js';
import type { RandomSource } from '../stream.js';
import type { Trigger } from '../trigger.js';

/** A function with the call signature of the global `fetch`. */
export type FetchFunction = (
  input: string | URL | Request,
  init?: RequestInit,
) => Promise<Response>;

/** Headers a `{ status }` fault answers with: a `Headers`, a record or `[name, value]` pairs. */
export type FaultHeaders = NonNullable<ConstructorParameters<typeof Headers>[0]>;

/** A body a `{ status }` fault answers with: anything `Response` takes but a one-shot stream. */
export type FaultBody = Exclude<
  NonNullable<ConstructorParameters<typeof Response>[0]>,
  ReadableStream
>;

/** Answers with `new Response(body ?? null, { status, headers })`; fetch is not called. */
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
 */
export interface ResetFault {
  readonly reset: true;
}

/** Waits `delay` ms on the clock (ended by an abort), then calls the real fetch. */
export interface DelayFault {
  /** A finite number of ms from 0 to 2^31-1. */
  readonly delay: number;
}

/**
 * Answers at once with a 200 whose body never delivers a byte until the request's signal
 * aborts; then the body errors with the signal's reason (`await res.text()` rejects with
 * it). Without a signal the body stalls forever.
 */
export interface StallBodyFault {
  readonly stallBody: true;
}

/** What chaosFetch does instead of (or before) the real fetch. */
export type FetchFault = StatusFault | ResetFault | DelayFault | StallBodyFault;

/** One rule of `rules`: when `when` fires (always, when left out), inject `fault`. */
export interface FetchRule {
  /** @default every call */
  readonly when?: Trigger;
  readonly fault: FetchFault;
}

/** Options chaosFetch takes besides its fault or rules. */
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
 */
export type ChaosFetchOptions = ChaosFetchCommonOptions &
  (
    | { readonly when?: Trigger; readonly fault: FetchFault; readonly rules?: never }
    | { readonly rules: readonly FetchRule[]; readonly when?: never; readonly fault?: never }
  );
