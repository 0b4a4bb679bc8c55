/**
 * The commands of the circuit breaker model test (circuit-breaker-model.test.ts): each runs one
 * step against the real breaker and the reference model, then checks that they agree.
 */
import { fc } from '@fast-check/vitest';
import { expect } from 'vitest';
import {
  BrokenCircuitError,
  type CircuitBreakerPolicy,
  type ExecuteContext,
  IsolatedCircuitError,
  type IsolationHandle,
} from '../../src/index.js';
import type { VirtualClock } from '../../src/testing/index.js';
import { type CountingSignal, countingSignal } from '../helpers/common.js';
import { type Observed, observe } from './arbitraries.js';
import type { BreakerModel, Mode, Outcome } from './circuit-breaker-reference.js';

class ServiceError extends Error {}
/** An error the breaker's `when` does not accept: it counts as a success. */
export class IgnoredError extends Error {}

export interface RealCall {
  readonly caller: CountingSignal;
  observed: Observed;
  started: boolean;
  /** The probe period ({@link Real.probePeriod}) it probed in, if it was a probe. */
  probeEpoch: number | undefined;
  /** Settles a hanging task. */
  settle: ((outcome: Outcome) => void) | undefined;
}

export interface Real {
  readonly clock: VirtualClock;
  readonly breaker: CircuitBreakerPolicy;
  /** Timers the breaker itself has set and not yet fired or cancelled. */
  readonly breakerTimers: () => number;
  readonly calls: RealCall[];
  readonly handles: IsolationHandle[];
  /** onStateChange, onBreak, onHalfOpen and onReset in order, as the model writes them. */
  readonly events: string[];
  readonly problems: string[];
  /**
   * Counts the probe periods, as seen from outside: a new one starts at each onHalfOpen and at
   * each change of mode (which makes the probes in flight inert and frees their slots).
   */
  probePeriod: number;
}

type Sys = { m: BreakerModel; r: Real };

function text(o: Observed): string {
  if (o.count === 0) return 'pending';
  const v = o.value;
  if (v instanceof BrokenCircuitError) return `broken ${v.state} ${v.retryAfter}`;
  if (v instanceof IsolatedCircuitError) return 'isolated';
  return `${o.status} ${v instanceof Error ? v.message : String(v)}`;
}

/** Probes of the current half-open period whose execute has not settled. */
const runningProbes = (r: Real): number =>
  r.calls.filter((c) => c.probeEpoch === r.probePeriod && c.observed.count === 0).length;

export async function agree({ m, r }: Sys): Promise<void> {
  await r.clock.flush();
  m.refresh();
  expect(r.problems).toEqual([]);
  expect(r.breaker.state).toBe(m.state());
  const { calls, failures, slowCalls, retryAfter } = r.breaker.metrics();
  expect([calls, failures, slowCalls, retryAfter]).toEqual([...m.figures(), m.retryAfter()]);
  expect(r.calls.map((c) => text(c.observed))).toEqual(m.calls.map((c) => c.expected));
  expect(r.calls.map((c) => c.started)).toEqual(m.calls.map((c) => c.admission !== 'rejected'));
  expect(r.calls.every((c) => c.observed.count <= 1)).toBe(true);
  expect(r.events).toEqual(m.events);
  expect(runningProbes(r)).toBeLessThanOrEqual(m.cfg.halfOpenProbes);
  expect(r.breakerTimers()).toBe(0);
}

function produce(outcome: Outcome, id: number): { value: string } | { error: Error } {
  if (outcome === 'fail') return { error: new ServiceError(`fail ${id}`) };
  if (outcome === 'ignored') return { error: new IgnoredError(`ignored ${id}`) };
  return { value: `${outcome} ${id}` };
}

type Timing = { kind: 'now' } | { kind: 'later'; ms: number } | { kind: 'hang' };

class Start implements fc.AsyncCommand<BreakerModel, Real> {
  constructor(
    readonly outcome: Outcome,
    readonly timing: Timing,
    readonly honours: boolean,
  ) {}
  check = (): boolean => true;
  async run(m: BreakerModel, r: Real): Promise<void> {
    const id = r.calls.length;
    const call: RealCall = {
      caller: countingSignal(),
      // Replaced by the real observer below; the task runs inside execute, before that.
      observed: { count: 0, status: 'pending', value: undefined, at: undefined },
      started: false,
      probeEpoch: undefined,
      settle: undefined,
    };
    r.calls.push(call);
    const { outcome, timing, honours } = this;
    const task = (ctx: ExecuteContext): string | Promise<string> => {
      call.started = true;
      if (r.breaker.mode === 'normal') {
        const state = r.breaker.state;
        if (state === 'open' || state === 'isolated') r.problems.push(`call ${id} ran ${state}`);
        if (state === 'half-open') call.probeEpoch = r.probePeriod;
        if (runningProbes(r) > m.cfg.halfOpenProbes) r.problems.push(`probe ${id}: too many`);
      }
      if (timing.kind === 'now') {
        const p = produce(outcome, id);
        if ('error' in p) throw p.error;
        return p.value;
      }
      return new Promise<string>((resolve, reject) => {
        const signal = honours ? ctx.signal : undefined;
        let timer: { cancel(): void } | undefined;
        const onAbort = (): void => {
          timer?.cancel();
          call.settle = undefined;
          reject(signal!.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        const finish = (o: Outcome): void => {
          signal?.removeEventListener('abort', onAbort);
          call.settle = undefined;
          const p = produce(o, id);
          if ('error' in p) reject(p.error);
          else resolve(p.value);
        };
        if (timing.kind === 'later') timer = r.clock.setTimer(() => finish(outcome), timing.ms);
        else call.settle = finish;
      });
    };
    call.observed = observe(r.breaker.execute(task, { signal: call.caller.signal }), r.clock);
    const after = timing.kind === 'later' ? timing.ms : timing.kind;
    m.admit({ outcome, honours, after });
    await agree({ m, r });
  }
  toString = (): string =>
    `start(${this.outcome}, ${this.timing.kind === 'later' ? `after ${this.timing.ms}` : this.timing.kind}, ${this.honours ? 'honours' : 'ignores'} its signal)`;
}

class Settle implements fc.AsyncCommand<BreakerModel, Real> {
  constructor(
    readonly pick: number,
    readonly outcome: Outcome,
  ) {}
  check = (m: Readonly<BreakerModel>): boolean => m.calls.some((c) => c.hangs && !c.taskDone);
  async run(m: BreakerModel, r: Real): Promise<void> {
    const hanging = m.calls.filter((c) => c.hangs && !c.taskDone);
    const id = hanging[this.pick % hanging.length]!.id;
    r.calls[id]!.settle!(this.outcome);
    m.settled(id, this.outcome);
    await agree({ m, r });
  }
  toString = (): string => `settle(${this.pick}, ${this.outcome})`;
}

class Abort implements fc.AsyncCommand<BreakerModel, Real> {
  constructor(readonly pick: number) {}
  check = (m: Readonly<BreakerModel>): boolean => m.calls.some((c) => c.expected === 'pending');
  async run(m: BreakerModel, r: Real): Promise<void> {
    const pending = m.calls.filter((c) => c.expected === 'pending');
    const id = pending[this.pick % pending.length]!.id;
    r.calls[id]!.caller.abort(`abort ${id}`);
    m.abort(id);
    await agree({ m, r });
  }
  toString = (): string => `abort(${this.pick})`;
}

class Advance implements fc.AsyncCommand<BreakerModel, Real> {
  constructor(readonly ms: number) {}
  check = (): boolean => true;
  async run(m: BreakerModel, r: Real): Promise<void> {
    await r.clock.advance(this.ms);
    m.advance(this.ms);
    await agree({ m, r });
  }
  toString = (): string => `advance(${this.ms})`;
}

class Manual implements fc.AsyncCommand<BreakerModel, Real> {
  constructor(
    readonly action: 'isolate' | 'dispose' | 'reset',
    readonly pick: number,
  ) {}
  check = (m: Readonly<BreakerModel>): boolean => this.action !== 'dispose' || m.handles.length > 0;
  async run(m: BreakerModel, r: Real): Promise<void> {
    if (this.action === 'isolate') {
      r.handles.push(r.breaker.isolate());
      m.isolate();
    } else if (this.action === 'dispose') {
      const index = this.pick % m.handles.length;
      r.handles[index]!.dispose();
      m.dispose(index);
    } else {
      r.breaker.reset();
      m.reset();
    }
    await agree({ m, r });
  }
  toString = (): string => (this.action === 'dispose' ? `dispose(${this.pick})` : this.action);
}

class SetMode implements fc.AsyncCommand<BreakerModel, Real> {
  constructor(readonly mode: Mode) {}
  check = (): boolean => true;
  async run(m: BreakerModel, r: Real): Promise<void> {
    if (r.breaker.mode !== this.mode) r.probePeriod++;
    r.breaker.mode = this.mode;
    m.setMode(this.mode);
    await agree({ m, r });
  }
  toString = (): string => `mode = ${this.mode}`;
}

const outcomeArb = fc.constantFrom<Outcome>('ok', 'ok', 'fail', 'fail', 'bad', 'ignored');
const timingArb: fc.Arbitrary<Timing> = fc.oneof(
  fc.constant({ kind: 'now' as const }),
  fc.record({ kind: fc.constant('later' as const), ms: fc.integer({ min: 0, max: 40 }) }),
  fc.constant({ kind: 'hang' as const }),
);
export const modeArb = fc.constantFrom<Mode>('normal', 'disabled', 'metrics-only', 'forced-open');

const startArb = fc
  .tuple(outcomeArb, timingArb, fc.boolean())
  .map(([outcome, timing, honours]) => new Start(outcome, timing, honours));
const advanceArb = fc.integer({ min: 1, max: 50 }).map((ms) => new Advance(ms));
const manualArb = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('isolate' as const, 'dispose' as const, 'dispose' as const, 'reset' as const),
      fc.nat(),
    )
    .map(([action, pick]): fc.AsyncCommand<BreakerModel, Real> => new Manual(action, pick)),
  fc
    .constantFrom<Mode>('normal', 'normal', 'normal', 'disabled', 'metrics-only', 'forced-open')
    .map((mode): fc.AsyncCommand<BreakerModel, Real> => new SetMode(mode)),
);

/** Calls and time most of the time; a manual action about one step in nine. */
export const commandsArb = fc.commands<BreakerModel, Real, false>(
  [
    startArb,
    startArb,
    startArb,
    fc.tuple(fc.nat(), outcomeArb).map(([pick, o]) => new Settle(pick, o)),
    fc.nat().map((pick) => new Abort(pick)),
    advanceArb,
    advanceArb,
    advanceArb,
    manualArb,
  ],
  { maxCommands: 60, size: 'medium' },
);
