import type { Clock } from '../core/clock.js';
import { Emitter } from '../core/events.js';
import type { Outcome } from '../core/outcome.js';
import { reportError } from '../core/report-error.js';
import { checkOneOf, MAX_DELAY } from '../core/validate.js';
import type { BreakReason, Window } from './breakers/breaker.js';
import type { BreakEvent, CircuitMetrics, CircuitState, StateChangeEvent } from './events.js';
import { type CircuitBreakerMode, type CircuitBreakerSettings, MODES } from './options.js';
import { type CircuitBreakerSnapshot, checkSnapshot } from './snapshot.js';

export const CLOSED = 0;
export const OPEN = 1;
export const HALF_OPEN = 2;
export const ISOLATED = 3;
type Phase = typeof CLOSED | typeof OPEN | typeof HALF_OPEN | typeof ISOLATED;
const NAMES: readonly CircuitState[] = ['closed', 'open', 'half-open', 'isolated'];

/** A frozen `{ error }` or `{ value }`, for events. */
export const outcomeOf = (result: unknown, isError: boolean): Outcome =>
  Object.freeze(isError ? { error: result } : { value: result });

/**
 * A handle on an isolation: `dispose()` releases it (once; later calls do nothing).
 *
 * @example
 * ```ts
 * const handle: IsolationHandle = breaker.isolate(); // calls reject with IsolatedCircuitError
 * await runMigration();
 * handle.dispose(); // closes again once no other isolation is held
 * ```
 */
export interface IsolationHandle {
  /** Releases this isolation; the breaker closes when the last one is released. */
  dispose(): void;
}

/**
 * The breaker's state machine: closed → open → half-open → closed or open again, plus manual
 * isolation and modes. Transitions happen when a call, `state`, `metrics()` or `snapshot()`
 * looks at it, so no timer runs while it is open. @internal
 */
export class BreakerMachine {
  phase: Phase = CLOSED;
  mode: CircuitBreakerMode;
  /** True when a call may take the closed fast path: closed and mode 'normal'. */
  fast = true;
  /** Bumped at every transition; a probe's outcome counts only in its own epoch. */
  epoch = 0;
  probesRunning = 0;
  private probesPassed = 0;
  /** Clock time when an open breaker half-opens. */
  private openUntil = 0;
  private breaks = 0;
  private previousDelay: number | undefined;
  private isolations = 0;
  private isolationEpoch = 0;
  readonly window: Window;
  private readonly clock: Clock;

  readonly breakEmitter = new Emitter<BreakEvent>();
  readonly halfOpenEmitter = new Emitter<void>();
  readonly resetEmitter = new Emitter<void>();
  readonly stateEmitter = new Emitter<StateChangeEvent>();

  constructor(private readonly s: CircuitBreakerSettings) {
    this.window = s.breaker.create(s.slowRatio);
    this.clock = s.clock;
    this.mode = s.mode;
    if (s.restore !== undefined) this.restore(s.restore);
    if (this.mode === 'disabled' || this.mode === 'metrics-only') {
      // A restored break means nothing in modes that never reject (as when the mode is set later).
      if (this.phase === OPEN || this.phase === HALF_OPEN) this.close();
    }
    this.fast = this.phase === CLOSED && this.mode === 'normal';
  }

  /** What `breaker.state` reports, after any due transition. */
  state(): CircuitState {
    this.refresh();
    return this.reported();
  }

  private reported(): CircuitState {
    return this.mode === 'forced-open' ? 'isolated' : NAMES[this.phase]!;
  }

  /** Half-opens an open breaker whose time is up. */
  refresh(now: number = this.clock.now()): void {
    if (this.phase === OPEN && now >= this.openUntil) {
      this.go(HALF_OPEN);
      if (this.halfOpenEmitter.has) this.halfOpenEmitter.emit(undefined);
    }
  }

  /** Ms until an open breaker half-opens. */
  retryAfter(now: number): number {
    return this.phase === OPEN ? Math.max(0, this.openUntil - now) : 0;
  }

  /** Moves to `phase` in a new epoch; `from` is the state reported before the change. */
  private go(phase: Phase, from: CircuitState = this.reported()): void {
    this.phase = phase;
    this.epoch++;
    this.probesRunning = this.probesPassed = 0;
    this.fast = phase === CLOSED && this.mode === 'normal';
    const to = this.reported();
    if (from !== to && this.stateEmitter.has) this.stateEmitter.emit({ from, to });
  }

  /** Opens: `reason` says why, `outcome` is the call that tipped it. */
  trip(reason: BreakReason, outcome: Outcome): void {
    this.breaks++;
    const delay = this.nextDelay();
    this.previousDelay = delay;
    this.openUntil = this.clock.now() + delay;
    this.go(OPEN);
    if (this.breakEmitter.has) this.breakEmitter.emit({ reason, outcome, retryAfter: delay });
  }

  /**
   * The `halfOpenAfter` wait for this break. A backoff that throws or returns something that is
   * not a delay is reported (`reportError`) and the breaker half-opens at once: the break still
   * happens, and a broken backoff cannot hold the breaker open for ever.
   */
  private nextDelay(): number {
    let delay: unknown;
    try {
      delay = this.s.halfOpenAfter({
        attempt: this.breaks,
        previous: this.previousDelay,
        random: this.s.random,
      });
    } catch (error) {
      reportError(error);
      return 0;
    }
    if (delay === undefined) return this.previousDelay ?? 0;
    if (typeof delay === 'number' && delay >= 0 && delay <= MAX_DELAY) return delay;
    reportError(
      new RangeError(
        `circuitBreaker: \`halfOpenAfter\` returned ${String(delay)}; expected ms from 0 to ${MAX_DELAY}, so it half-opens at once`,
      ),
    );
    return 0;
  }

  /**
   * A probe settled with `result`: `counted` false for a cancelled one (its slot is freed),
   * `failed` includes slow. Ignored when the breaker has moved on since it was let in.
   */
  probeSettled(
    epoch: number,
    counted: boolean,
    failed: boolean,
    result: unknown,
    isError = true,
  ): void {
    if (epoch !== this.epoch) return;
    this.probesRunning--;
    if (!counted) return;
    if (failed) this.trip('half-open-failure', outcomeOf(result, isError));
    else if (++this.probesPassed >= this.s.halfOpenProbes) this.close();
  }

  /** True when half-open has a free probe slot (and takes it). */
  takeProbe(): boolean {
    if (this.probesRunning + this.probesPassed >= this.s.halfOpenProbes) return false;
    this.probesRunning++;
    return true;
  }

  /** Closes and forgets the window and the break count. */
  close(from: CircuitState = this.reported()): void {
    const wasClosed = this.phase === CLOSED;
    this.window.reset();
    this.breaks = 0;
    this.previousDelay = undefined;
    this.go(CLOSED, from);
    if (!wasClosed && this.resetEmitter.has) this.resetEmitter.emit(undefined);
  }

  isolate(): IsolationHandle {
    if (this.isolations++ === 0) this.go(ISOLATED);
    const epoch = this.isolationEpoch;
    let released = false;
    return {
      dispose: () => {
        if (released || epoch !== this.isolationEpoch) return;
        released = true;
        if (--this.isolations === 0) this.close();
      },
    };
  }

  reset(): void {
    this.isolations = 0;
    this.isolationEpoch++;
    this.close();
  }

  setMode(mode: unknown): void {
    const next = checkOneOf('circuitBreaker', 'mode', mode, MODES);
    if (next === this.mode) return;
    const from = this.reported();
    this.mode = next;
    if (
      (next === 'disabled' || next === 'metrics-only') &&
      (this.phase === OPEN || this.phase === HALF_OPEN)
    ) {
      // Modes that never reject leave no break behind, as resilience4j's states of those names.
      this.close(from);
    } else {
      // Same phase, new epoch: calls and probes let in under the old mode no longer count.
      this.go(this.phase, from);
    }
  }

  metrics(): CircuitMetrics {
    const now = this.clock.now();
    this.refresh(now);
    const { calls, failures, slowCalls } = this.window.counts(now);
    return Object.freeze({
      state: this.reported(),
      calls,
      failures,
      slowCalls,
      failureRatio: calls === 0 ? 0 : failures / calls,
      slowCallRatio: calls === 0 ? 0 : slowCalls / calls,
      retryAfter: this.retryAfter(now),
    });
  }

  snapshot(): CircuitBreakerSnapshot {
    const now = this.clock.now();
    this.refresh(now);
    const wall = this.s.wallClock();
    const phase = this.phase === ISOLATED ? 'closed' : NAMES[this.phase]!;
    return {
      version: 1,
      state: phase as CircuitBreakerSnapshot['state'],
      openUntil: this.phase === OPEN ? wall + (this.openUntil - now) : null,
      breaks: this.breaks,
      previousDelay: this.previousDelay ?? null,
      takenAt: wall,
      window: this.window.snapshot(now),
    };
  }

  private restore(value: unknown): void {
    const invalid = (why: string): TypeError =>
      new TypeError(`circuitBreaker: \`restore\` is not a valid snapshot: ${why}`);
    const snap = checkSnapshot(value);
    if (typeof snap === 'string') throw invalid(snap);
    const window = snap.window as unknown as Record<string, unknown>;
    if (window.kind !== this.s.breaker.kind) {
      throw invalid(
        `window.kind must be '${this.s.breaker.kind}' (this breaker is ${this.s.breaker.description}), got ${JSON.stringify(window.kind)}`,
      );
    }
    const now = this.clock.now();
    const wall = this.s.wallClock();
    const bad = this.window.restore(window, Math.max(0, wall - snap.takenAt), now);
    if (bad !== undefined) throw invalid(bad);
    this.breaks = snap.breaks;
    this.previousDelay = snap.previousDelay ?? undefined;
    this.phase = snap.state === 'open' ? OPEN : snap.state === 'half-open' ? HALF_OPEN : CLOSED;
    if (snap.openUntil !== null) this.openUntil = now + Math.max(0, snap.openUntil - wall);
  }

  /** Counts a call of the current closed (or metrics-only) period; may open the breaker. */
  count(failed: boolean, slow: boolean, result: unknown, isError: boolean, now?: number): void {
    const window = this.window;
    const reason = window.record(failed, slow, window.timed ? (now ?? this.clock.now()) : 0);
    if (reason !== undefined && this.mode === 'normal' && this.phase === CLOSED) {
      this.trip(reason, outcomeOf(result, isError));
    }
  }
}
