import { isAbortSignal, sleep } from '../../core/abort.js';
import { signalContext } from '../../core/context.js';
import { describe } from '../../core/validate.js';
import type { TriggerContext } from '../trigger.js';
import { resetError, stalledBody } from './faults.js';
import { type ChaosFetchSettings, chaosFetchSettings, type Fault } from './options.js';
import type { ChaosFetchOptions, FetchFunction } from './types.js';

/**
 * What a chaosFetch has done.
 *
 * @example
 * ```ts
 * const flaky = chaosFetch(fetch, { fault: { status: 503 }, when: rate(0.3), seed: 2 });
 * // ... run the code under test ...
 * const { calls, injected }: ChaosFetchStats = flaky.stats;
 * ```
 */
export interface ChaosFetchStats {
  /** Calls made while enabled (a call with an already-aborted signal is not counted). */
  readonly calls: number;
  /** Calls that got a fault (any kind, `delay` included). */
  readonly injected: number;
}

/**
 * A fetch-compatible function that injects faults, see {@link chaosFetch}.
 *
 * @example
 * ```ts
 * const flaky: ChaosFetch = chaosFetch(fetch, { fault: { reset: true }, when: every(3) });
 * const client = new ApiClient({ fetch: flaky });
 * flaky.enabled = false; // the real fetch from now on
 * ```
 */
export interface ChaosFetch extends FetchFunction {
  /** A snapshot of the counts so far. */
  readonly stats: ChaosFetchStats;
  /**
   * When false, calls go straight to the real fetch, uncounted, with no trigger consulted;
   * the call count and random stream carry on where they were when set back to true.
   * @throws TypeError when set to anything but a boolean.
   */
  enabled: boolean;
  /** Sets both counts back to 0; the call number triggers see restarts with them. */
  resetStats(): void;
}

/**
 * The signal of a fetch call: `init.signal` when given (an explicit `null` means none, as in
 * fetch), else the Request's own.
 */
function signalOf(input: unknown, init: RequestInit | undefined): AbortSignal | undefined {
  if (init !== undefined && init.signal !== undefined) return init.signal ?? undefined;
  const own = typeof input === 'object' && input !== null ? (input as Request).signal : undefined;
  return isAbortSignal(own) ? own : undefined;
}

/** Gives an injected Response the request's URL, as fetch does (`res.url` is '' otherwise). */
function withUrl(response: Response, input: string | URL | Request): Response {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  return Object.defineProperty(response, 'url', { value: String(url), enumerable: true });
}

function call(
  fetch: FetchFunction,
  input: string | URL | Request,
  init: RequestInit | undefined,
): Promise<Response> {
  try {
    return fetch(input, init);
  } catch (error) {
    return Promise.reject(error);
  }
}

/** The fault of the first rule whose trigger fires, or undefined. */
function pick(settings: ChaosFetchSettings, ctx: TriggerContext): Fault | undefined {
  for (const rule of settings.rules) {
    if (rule.when === undefined || rule.when(ctx)) return rule.fault;
  }
  return undefined;
}

/**
 * Wraps `fetch` so that it fails on purpose, for integration tests of code that calls HTTP
 * services. Each call made while enabled is numbered (1, 2...) and the triggers are asked
 * in order with `{ call, now, random, attempt: 1 }`; the first that fires (a rule without
 * `when` always does) picks the fault, else the real fetch runs. The request's signal
 * (`init.signal`, else the Request's) is honoured: already aborted, the call rejects at once
 * with its reason without calling fetch; aborted during a `delay`, the wait ends with the
 * reason and its timer is cancelled; a `stallBody` body errors with it.
 *
 * @param fetch - the real fetch (or any function with its signature) to call through.
 * @throws TypeError/RangeError at once for a bad option or fault, naming it
 *   (``chaosFetch: `fault.status` must be an integer >= 200 and <= 599, got 600``).
 * @example
 * ```ts
 * const flaky = chaosFetch(fetch, { when: ({ call }) => call <= 2, fault: { status: 503 } });
 * const res = await flaky('https://example.test/'); // 503, 503, then the real answer
 * ```
 */
export function chaosFetch(fetch: FetchFunction, options: ChaosFetchOptions): ChaosFetch {
  const settings = chaosFetchSettings(fetch, options);
  const { name, clock, random } = settings;
  let calls = 0;
  let injected = 0;
  let enabled = settings.enabled;

  const chaos = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    if (!enabled) return call(fetch, input, init);
    const signal = signalOf(input, init);
    if (signal?.aborted) return Promise.reject(signal.reason);
    const ctx: TriggerContext = { call: ++calls, now: clock.now(), random, attempt: 1 };
    let fault: Fault | undefined;
    try {
      fault = pick(settings, ctx);
    } catch (error) {
      return Promise.reject(error);
    }
    if (fault === undefined) return call(fetch, input, init);
    injected++;
    switch (fault.kind) {
      case 'status':
        return Promise.resolve(withUrl(new Response(fault.body, fault.init), input));
      case 'reset':
        return Promise.reject(resetError(name));
      case 'delay':
        return sleep(clock, fault.ms, signalContext(signal)).then(() => call(fetch, input, init));
      case 'stallBody':
        return Promise.resolve(withUrl(new Response(stalledBody(signal), { status: 200 }), input));
    }
  };

  const resetStats = (): void => {
    calls = 0;
    injected = 0;
  };
  return Object.defineProperties(chaos, {
    resetStats: { value: resetStats },
    stats: { get: (): ChaosFetchStats => Object.freeze({ calls, injected }) },
    enabled: {
      get: () => enabled,
      set: (value: unknown) => {
        if (typeof value !== 'boolean') {
          throw new TypeError(`chaosFetch: \`enabled\` must be a boolean, got ${describe(value)}`);
        }
        enabled = value;
      },
    },
  }) as ChaosFetch;
}
