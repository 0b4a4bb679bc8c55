import type { CallContext } from '../core/context.js';
import { hasBrand } from '../core/errors/breakwater-error.js';
import { Emitter, type Event } from '../core/events.js';
import type { Outcome } from '../core/outcome.js';
import { type Chain, callNext, PolicyBase, type Task } from '../core/policy.js';
import { BrokenCircuitError } from './broken-circuit-error.js';
import type {
  BreakEvent,
  CircuitFailureEvent,
  CircuitMetrics,
  CircuitState,
  CircuitSuccessEvent,
  RejectEvent,
  StateChangeEvent,
} from './events.js';
import { IsolatedCircuitError } from './isolated-circuit-error.js';
import { BreakerMachine, CLOSED, ISOLATED, type IsolationHandle, OPEN } from './machine.js';
import {
  type CircuitBreakerMode,
  type CircuitBreakerOptions,
  type CircuitBreakerSettings,
  circuitBreakerSettings,
} from './options.js';
import type { CircuitBreakerSnapshot } from './snapshot.js';

/** Not a probe: the epoch argument of `run` for calls admitted while closed. */
const NO_PROBE = -1;

const outcomeOf = (result: unknown, isError: boolean): Outcome =>
  Object.freeze(isError ? { error: result } : { value: result });

/**
 * Cancelled by the caller's own signal: not the service's fault, so not counted. A timeout
 * (an enclosing timeout policy aborting the call) is the service's fault and counts.
 */
const cancelled = (ctx: CallContext): boolean =>
  ctx.aborted && !hasBrand(ctx.reason, 'ERR_TIMEOUT');

/** A circuit breaker policy. Build it with {@link circuitBreaker}. */
export class CircuitBreakerPolicy extends PolicyBase {
  private readonly m: BreakerMachine;
  /** True when no option needs the general path (no `whenResult`, no `slowCall`). */
  private readonly lean: boolean;
  private readonly successEmitter = new Emitter<CircuitSuccessEvent>();
  private readonly failureEmitter = new Emitter<CircuitFailureEvent>();
  private readonly rejectEmitter = new Emitter<RejectEvent>();

  /** The breaker opened. */
  readonly onBreak: Event<BreakEvent>;
  /** An open breaker's time is up: it admits probes now. */
  readonly onHalfOpen: Event<void>;
  /** It closed again: the probes succeeded, `reset()` was called or the last isolation ended. */
  readonly onReset: Event<void>;
  /** `state` changed. */
  readonly onStateChange: Event<StateChangeEvent>;
  /** A call was refused without running. */
  readonly onReject: Event<RejectEvent> = this.rejectEmitter.event;
  /** A call it ran succeeded. */
  readonly onSuccess: Event<CircuitSuccessEvent> = this.successEmitter.event;
  /** A call it ran failed. */
  readonly onFailure: Event<CircuitFailureEvent> = this.failureEmitter.event;

  /** @internal Use {@link circuitBreaker}. */
  constructor(private readonly s: CircuitBreakerSettings) {
    super();
    this.m = new BreakerMachine(s);
    this.lean = s.whenResult === undefined && s.slowThreshold === undefined;
    this.onBreak = this.m.breakEmitter.event;
    this.onHalfOpen = this.m.halfOpenEmitter.event;
    this.onReset = this.m.resetEmitter.event;
    this.onStateChange = this.m.stateEmitter.event;
  }

  /** The state now, true to the clock even when no call has come since the break ended. */
  get state(): CircuitState {
    return this.m.state();
  }

  /** How calls are treated; settable at run time (see {@link CircuitBreakerMode}). */
  get mode(): CircuitBreakerMode {
    return this.m.mode;
  }
  set mode(mode: CircuitBreakerMode) {
    this.m.setMode(mode);
  }

  /**
   * Holds the breaker open (calls reject with `IsolatedCircuitError`) until every handle
   * returned so far is disposed; then it closes with a clear window.
   */
  isolate(): IsolationHandle {
    return this.m.isolate();
  }

  /** Closes the breaker, clears its window and ends every isolation. */
  reset(): void {
    this.m.reset();
  }

  /** The window's figures now, in O(1). */
  metrics(): CircuitMetrics {
    return this.m.metrics();
  }

  /** The state as plain JSON, to resume with `circuitBreaker({ restore })`. */
  snapshot(): CircuitBreakerSnapshot {
    return this.m.snapshot();
  }

  invoke<T>(task: Task<T>, ctx: CallContext, next: Chain | undefined): Promise<T> {
    if (this.m.fast && this.lean && !this.successEmitter.has && !this.failureEmitter.has) {
      // Closed, nothing to time or inspect: one derived promise, one closure on failure.
      return callNext(task, ctx, next).then(this.leanSuccess, (error: unknown) =>
        this.leanFailure(error, ctx),
      );
    }
    return this.gate(task, ctx, next);
  }

  private readonly leanSuccess = <T>(value: T): T => {
    this.count(false, false, value, false, undefined);
    return value;
  };

  private leanFailure(error: unknown, ctx: CallContext): never {
    if (!cancelled(ctx)) this.count(this.s.when(error), false, error, true, undefined);
    throw error;
  }

  /** Admits, rejects or probes: every case but the lean closed one. */
  private gate<T>(task: Task<T>, ctx: CallContext, next: Chain | undefined): Promise<T> {
    const m = this.m;
    if (m.mode === 'disabled') return callNext(task, ctx, next);
    if (m.mode === 'forced-open' || m.phase === ISOLATED) {
      return this.reject(new IsolatedCircuitError(), 'isolated');
    }
    if (m.mode === 'metrics-only' || m.phase === CLOSED) return this.run(task, ctx, next, NO_PROBE);
    if (m.phase === OPEN) {
      const now = this.s.clock.now();
      m.refresh(now);
      if (m.phase === OPEN) return this.reject(new BrokenCircuitError(m.retryAfter(now)), 'open');
    }
    if (!m.takeProbe()) return this.reject(new BrokenCircuitError(0, 'half-open'), 'half-open');
    return this.run(task, ctx, next, m.epoch);
  }

  private reject<T>(
    error: BrokenCircuitError | IsolatedCircuitError,
    reason: RejectEvent['reason'],
  ): Promise<T> {
    if (this.rejectEmitter.has) this.rejectEmitter.emit({ reason, error });
    return Promise.reject(error);
  }

  /** Runs a call, timing it when needed; `probe` is its epoch when it is a half-open probe. */
  private run<T>(
    task: Task<T>,
    ctx: CallContext,
    next: Chain | undefined,
    probe: number,
  ): Promise<T> {
    const timed =
      this.s.slowThreshold !== undefined || this.successEmitter.has || this.failureEmitter.has;
    const start = timed ? this.s.clock.now() : Number.NaN;
    return callNext(task, ctx, next).then(
      (value) => {
        this.settle(ctx, probe, start, value, false);
        return value;
      },
      (error: unknown) => {
        this.settle(ctx, probe, start, error, true);
        throw error;
      },
    );
  }

  private settle(
    ctx: CallContext,
    probe: number,
    start: number,
    result: unknown,
    isError: boolean,
  ): void {
    const s = this.s;
    const counted = !isError || !cancelled(ctx);
    let failed: boolean;
    try {
      failed = counted && (isError ? s.when(result) : s.whenResult?.(result) === true);
    } catch (filterError) {
      // The call rejects with the filter's error; a probe must still give its slot back.
      if (probe !== NO_PROBE)
        this.m.probeSettled(probe, false, false, () => outcomeOf(result, isError));
      throw filterError;
    }
    const timed = !Number.isNaN(start);
    const now = timed || this.m.window.timed ? s.clock.now() : 0;
    const duration = now - start;
    const slow = s.slowThreshold !== undefined && duration >= s.slowThreshold;
    if (timed) this.emitOutcome(duration, result, isError, failed, counted);
    if (probe !== NO_PROBE) {
      this.m.probeSettled(probe, counted, failed || slow, () => outcomeOf(result, isError));
    } else if (counted) {
      this.count(failed, slow, result, isError, now);
    }
  }

  private emitOutcome(
    duration: number,
    result: unknown,
    isError: boolean,
    failed: boolean,
    counted: boolean,
  ): void {
    if (!isError && !failed) {
      if (this.successEmitter.has)
        this.successEmitter.emit({ duration, outcome: outcomeOf(result, false) });
    } else if (this.failureEmitter.has) {
      this.failureEmitter.emit({
        duration,
        outcome: outcomeOf(result, isError),
        handled: counted && failed,
      });
    }
  }

  /** Counts a call admitted while closed (or any call in metrics-only mode); may open. */
  private count(
    failed: boolean,
    slow: boolean,
    result: unknown,
    isError: boolean,
    now: number | undefined,
  ): void {
    const m = this.m;
    if (m.mode === 'disabled' || (m.phase !== CLOSED && m.mode !== 'metrics-only')) return;
    const window = m.window;
    const reason = window.record(failed, slow, window.timed ? (now ?? this.s.clock.now()) : 0);
    if (reason !== undefined && m.mode === 'normal' && m.phase === CLOSED) {
      m.trip(reason, outcomeOf(result, isError));
    }
  }
}

/**
 * Stops calling a failing service for a while: closed, it counts failures with its `breaker`
 * and opens when they are too many; open, it rejects at once with `BrokenCircuitError`; after
 * `halfOpenAfter` it half-opens and lets `halfOpenProbes` calls through, closing if they all
 * succeed and opening again if one fails.
 *
 * @throws TypeError/RangeError at build time for a bad option or snapshot, naming it.
 * @example
 * ```ts
 * const breaker = circuitBreaker({ breaker: consecutive(5), halfOpenAfter: 10_000 });
 * breaker.onBreak(({ reason }) => log.warn(`payments breaker open: ${reason}`));
 * const charge = await breaker.execute(() => payments.charge(order));
 * ```
 */
export function circuitBreaker(options: CircuitBreakerOptions = {}): CircuitBreakerPolicy {
  return new CircuitBreakerPolicy(circuitBreakerSettings(options));
}
