import { type CallContext, UNSIGNALLED } from '../core/context.js';
import { Emitter, type Event } from '../core/events.js';
import type { Fusable, FusedCall } from '../core/fused.js';
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
import {
  BreakerMachine,
  CLOSED,
  ISOLATED,
  type IsolationHandle,
  OPEN,
  outcomeOf,
} from './machine.js';
import {
  type CircuitBreakerMode,
  type CircuitBreakerOptions,
  type CircuitBreakerSettings,
  circuitBreakerSettings,
} from './options.js';
import type { CircuitBreakerSnapshot } from './snapshot.js';
import { FAILURE, judge, Probe, SUCCESS, UNCOUNTED, type Verdict } from './verdict.js';

/**
 * A circuit breaker policy. Build it with {@link circuitBreaker}.
 *
 * @example
 * ```ts
 * const breaker: CircuitBreakerPolicy = circuitBreaker({ breaker: consecutive(5) });
 * breaker.onStateChange(({ from, to }) => log.info(`payments breaker ${from} -> ${to}`));
 * await breaker.execute(() => payments.charge(order));
 * if (breaker.state === 'open') log.warn('payments unavailable', breaker.metrics());
 * ```
 */
export class CircuitBreakerPolicy extends PolicyBase implements Fusable {
  private readonly m: BreakerMachine;
  /** True when no option needs the general path (no `whenResult`, no `slowCall`). */
  private readonly lean: boolean;
  /**
   * Lean calls without a signal share two bound handlers instead of two closures each. They
   * all belong to `sharedEpoch`: while some are in flight, a call of a later period takes the
   * closure path, so a settling shared call always knows its period.
   */
  private sharedInflight = 0;
  private sharedEpoch = 0;
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
  /** Changes how calls are treated from the next call on. @throws TypeError/RangeError for an unknown mode. */
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
    if (this.fuseReady()) {
      const m = this.m;
      // Closed, nothing to time or inspect: one derived promise and its two handlers...
      const epoch = m.epoch;
      if (ctx === UNSIGNALLED && (this.sharedInflight === 0 || this.sharedEpoch === epoch)) {
        // ...bound once per policy when nothing can abort the call.
        this.sharedEpoch = epoch;
        this.sharedInflight++;
        return callNext(task, ctx, next).then(this.sharedValue, this.sharedError) as Promise<T>;
      }
      return callNext(task, ctx, next).then(
        (value) => {
          this.leanSettled(ctx, epoch, value, false);
          return value;
        },
        (error: unknown) => {
          this.leanSettled(ctx, epoch, error, true);
          throw error;
        },
      );
    }
    return this.gate(task, ctx, next);
  }

  /** @internal Fused lane (core/fused.ts): `invoke`'s lean case; the call's period is its token. */
  fuseReady(): boolean {
    return this.m.fast && this.lean && !this.successEmitter.has && !this.failureEmitter.has;
  }

  /** @internal */
  fuseEnter(ctx: CallContext, call: FusedCall, layer: number): CallContext {
    call.setToken(layer, this.m.epoch);
    return ctx;
  }

  /** @internal */
  fuseOk(call: FusedCall, layer: number, value: unknown): unknown {
    this.leanSettled(call.ctx(layer), call.token(layer) as number, value, false);
    return value;
  }

  /** @internal */
  fuseFail(call: FusedCall, layer: number, error: unknown): never {
    this.leanSettled(call.ctx(layer), call.token(layer) as number, error, true);
    throw error;
  }

  private readonly sharedValue = (value: unknown): unknown => {
    this.sharedInflight--;
    // A value of a call nothing could abort, with no `whenResult`: always a success.
    if (this.sharedEpoch === this.m.epoch) this.m.count(false, false, value, false);
    return value;
  };

  private readonly sharedError = (error: unknown): never => {
    this.sharedInflight--;
    this.leanSettled(UNSIGNALLED, this.sharedEpoch, error, true);
    throw error;
  };

  private leanSettled(ctx: CallContext, epoch: number, result: unknown, isError: boolean): void {
    if (epoch !== this.m.epoch) return;
    const verdict = judge(ctx, result, isError, this.s);
    if (verdict !== UNCOUNTED) this.m.count(verdict === FAILURE, false, result, isError);
  }

  /** Admits, rejects or probes: every case but the lean closed one. */
  private gate<T>(task: Task<T>, ctx: CallContext, next: Chain | undefined): Promise<T> {
    const m = this.m;
    if (m.mode === 'disabled') return callNext(task, ctx, next);
    if (m.mode === 'forced-open' || m.phase === ISOLATED) {
      return this.reject(new IsolatedCircuitError(), 'isolated');
    }
    if (m.mode === 'metrics-only' || m.phase === CLOSED) return this.run(task, ctx, next, false);
    if (m.phase === OPEN) {
      const now = this.s.clock.now();
      m.refresh(now);
      if (m.phase === OPEN) return this.reject(new BrokenCircuitError(m.retryAfter(now)), 'open');
    }
    if (!m.takeProbe()) return this.reject(new BrokenCircuitError(0, 'half-open'), 'half-open');
    return this.run(task, ctx, next, true);
  }

  private reject<T>(
    error: BrokenCircuitError | IsolatedCircuitError,
    reason: RejectEvent['reason'],
  ): Promise<T> {
    if (this.rejectEmitter.has) this.rejectEmitter.emit({ reason, error });
    return Promise.reject(error);
  }

  /** Runs a call, timing it when needed; a probe also watches for its call's abort. */
  private run<T>(task: Task<T>, ctx: CallContext, next: Chain | undefined, isProbe: boolean) {
    const timed =
      this.s.slowThreshold !== undefined || this.successEmitter.has || this.failureEmitter.has;
    const start = timed ? this.s.clock.now() : Number.NaN;
    const epoch = this.m.epoch;
    let probe: Probe | undefined;
    if (isProbe) {
      probe = new Probe(this.m, epoch, ctx);
      ctx.watch(probe);
    }
    return callNext(task, ctx, next).then(
      (value) => {
        this.settle(ctx, epoch, probe, start, value, false);
        return value;
      },
      (error: unknown) => {
        this.settle(ctx, epoch, probe, start, error, true);
        throw error;
      },
    );
  }

  private settle(
    ctx: CallContext,
    epoch: number,
    probe: Probe | undefined,
    start: number,
    result: unknown,
    isError: boolean,
  ): void {
    if (probe !== undefined) {
      if (probe.done) return; // decided when its call was aborted
      probe.done = true;
      ctx.unwatch(probe);
    }
    const m = this.m;
    let verdict: Verdict;
    try {
      verdict = judge(ctx, result, isError, this.s);
    } catch (filterError) {
      // The call rejects with the filter's error; a probe must still give its slot back.
      if (probe !== undefined) m.probeSettled(epoch, false, false, result);
      throw filterError;
    }
    const timed = !Number.isNaN(start);
    const now = timed || m.window.timed ? this.s.clock.now() : 0;
    const slow = this.s.slowThreshold !== undefined && now - start >= this.s.slowThreshold;
    if (timed) this.emitOutcome(now - start, result, isError, verdict);
    if (probe !== undefined) {
      m.probeSettled(epoch, verdict !== UNCOUNTED, verdict === FAILURE || slow, result, isError);
    } else if (verdict !== UNCOUNTED && epoch === m.epoch) {
      this.m.count(verdict === FAILURE, slow, result, isError, now);
    }
  }

  private emitOutcome(duration: number, result: unknown, isError: boolean, verdict: Verdict) {
    if (verdict === SUCCESS && !isError) {
      if (this.successEmitter.has) {
        this.successEmitter.emit({ duration, outcome: outcomeOf(result, false) });
      }
    } else if (this.failureEmitter.has) {
      const outcome = outcomeOf(result, isError);
      this.failureEmitter.emit({ duration, outcome, handled: verdict === FAILURE });
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
