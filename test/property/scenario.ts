/**
 * Runs 1-3 concurrent calls through a pipeline of any policies (policy-specs.ts) on one
 * VirtualClock, each call with its own scripted task, start time and caller signal (which may
 * abort before, during or after the call; some calls have no signal, to cover the paths for
 * calls nothing can abort), and checks the settle, leak and abort invariants
 * while it runs, not only at the end:
 * - at the moment each call settles, its caller's signal holds no abort listener; when the
 *   last one settles, no policy timer (sleep, deadline, queue timeout) is pending;
 * - right after each caller abort (same flush), the call has rejected with `signal.reason`,
 *   and at every step no bulkhead holds more queued calls than there are pending calls;
 * - no task, fallback answer or injected action starts for an aborted call.
 * At the end, once every hung task is let go: each call settled exactly once, nothing is left
 * on the clock, no bulkhead runs or queues anything, and no breaker holds a probe slot (unless
 * a call without a signal met an injected hang: documented to hang for ever).
 */
import { fc } from '@fast-check/vitest';
import { HangInjector } from '../../src/chaos/index.js';
import { type ExecuteContext, isBrokenCircuitError } from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { type CountingSignal, countingSignal } from '../helpers/common.js';
import { anyStepArb, makeError, type Observed, observe, type Step } from './arbitraries.js';
import { type AnySpec, anyPipelineArb, type Built, buildPolicies } from './policy-specs.js';

export class CallerAbort extends Error {
  override readonly name = 'CallerAbort';
}

export interface CallSpec {
  readonly steps: readonly Step[];
  readonly rest: Step;
  /** Virtual ms at which the call starts. */
  readonly startAt: number;
  /** Made with a caller signal; else with none (the paths for calls nothing can abort). */
  readonly signal: boolean;
  /** Ms after its start at which its caller aborts (-1: just before it starts), if it does. */
  readonly abortAfter: number | undefined;
}

export interface Scenario {
  /** The policies, outermost first. */
  readonly specs: readonly AnySpec[];
  readonly calls: readonly CallSpec[];
}

export const callSpecArb: fc.Arbitrary<CallSpec> = fc
  .record({
    steps: fc.array(anyStepArb, { minLength: 1, maxLength: 5 }),
    rest: anyStepArb,
    startAt: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 60 })),
    signal: fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, fc.constant(false)),
    abortAfter: fc.option(
      fc.oneof(fc.integer({ min: -1, max: 40 }), fc.integer({ min: 0, max: 400 })),
      { nil: undefined, freq: 2 },
    ),
  })
  .map((c) => (c.signal ? c : { ...c, abortAfter: undefined }));

export const scenarioArb = (specs = anyPipelineArb): fc.Arbitrary<Scenario> =>
  fc.record({ specs, calls: fc.array(callSpecArb, { minLength: 1, maxLength: 3 }) });

/** A scripted task whose hanging calls can be let go at the end; it notes what it saw. */
interface Task {
  (ctx: ExecuteContext): number | Promise<number>;
  readonly times: number[];
  readonly hung: (() => void)[];
  calledNever: boolean;
}

function scriptedTask(k: number, call: CallSpec, clock: VirtualClock, problems: string[]): Task {
  const times: number[] = [];
  const hung: (() => void)[] = [];
  const task = ((ctx: ExecuteContext) => {
    const n = times.push(clock.now());
    const step = call.steps[n - 1] ?? call.rest;
    const tag = `call ${k}.${n}`;
    if (step.kind === 'return') return step.value;
    if (step.kind === 'resolve') return Promise.resolve(step.value);
    if (step.kind === 'throw') throw makeError(step.error, tag);
    if (step.kind === 'reject') return Promise.reject(makeError(step.error, tag));
    if (step.kind === 'never') task.calledNever = true;
    const signal = step.honours ? ctx.signal : undefined;
    if (signal?.aborted) problems.push(`${tag} started though its signal had aborted`);
    return new Promise<number>((resolve, reject) => {
      const stop = (): void => {
        timer?.cancel();
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = (): void => {
        stop();
        reject(signal?.reason);
      };
      const timer =
        step.kind === 'later'
          ? clock.setTimer(() => {
              stop();
              if (step.value === undefined) reject(makeError(step.error, tag));
              else resolve(step.value);
            }, step.ms)
          : undefined;
      if (step.kind === 'never') {
        hung.push(() => {
          stop();
          resolve(7);
        });
      }
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }) as Task;
  return Object.assign(task, { times, hung, calledNever: false });
}

export interface CallRun {
  readonly spec: CallSpec;
  readonly caller: CountingSignal;
  readonly reason: CallerAbort;
  readonly task: Task;
  observed: Observed | undefined;
  /** Task calls made when the caller aborted (undefined: it never aborted). */
  callsAtAbort: number | undefined;
}

export interface ScenarioResult {
  readonly clock: VirtualClock;
  readonly built: Built;
  readonly runs: CallRun[];
  /** Everything that went wrong, as sentences (must be empty). */
  readonly checks: string[];
  /** Calls without a signal that met an injected hang: they never settle (documented). */
  readonly forever: CallRun[];
}

/** Runs `s` to the end; `onEvent` listens to every event of every policy. */
export async function runScenario(
  s: Scenario,
  onEvent?: (name: string, payload: unknown) => void,
): Promise<ScenarioResult> {
  const clock = new VirtualClock();
  const built = buildPolicies(s.specs, clock);
  const checks: string[] = [];
  if (onEvent !== undefined) {
    for (const [name, event] of built.events) event((payload) => onEvent(name, payload));
  }
  const runs: CallRun[] = s.calls.map((spec, k) => ({
    spec,
    caller: countingSignal(),
    reason: new CallerAbort(`caller ${k} aborted`),
    task: scriptedTask(k, spec, clock, checks),
    observed: undefined,
    callsAtAbort: undefined,
  }));
  const pending = (): number => runs.filter((r) => r.observed?.count !== 1).length;
  const later: (() => void)[] = []; // checks to make once the current step has flushed
  let settled = 0;

  const start = (k: number): void => {
    const r = runs[k]!;
    const call = r.task;
    if (r.caller.signal.aborted) {
      later.push(() => {
        const o = r.observed!;
        if (o.status !== 'rejected' || o.value !== r.reason) {
          checks.push(`call ${k}: made with an aborted signal, it is ${o.status}, not its reason`);
        }
      });
    }
    const options = r.spec.signal ? { signal: r.caller.signal } : undefined;
    r.observed = observe(built.policy.execute(call, options), clock, () => {
      settled++;
      const left = r.caller.listeners();
      if (left !== 0) checks.push(`call ${k} settled leaving ${left} listener(s) on its signal`);
      if (settled === runs.length && built.policyTimers() !== 0) {
        checks.push(`every call settled, ${built.policyTimers()} policy timer(s) still pending`);
      }
    });
  };
  const abort = (k: number): void => {
    const r = runs[k]!;
    const wasPending = r.observed === undefined || r.observed.count === 0;
    r.callsAtAbort = r.task.times.length;
    r.caller.abort(r.reason);
    later.push(() => {
      const o = r.observed;
      if (wasPending && o !== undefined && (o.status !== 'rejected' || o.value !== r.reason)) {
        checks.push(`call ${k}: after its abort and a flush it is ${o.status}, not its reason`);
      }
    });
  };
  for (const [k, spec] of s.calls.entries()) {
    if (spec.abortAfter === -1) clock.setTimer(() => abort(k), spec.startAt);
    clock.setTimer(() => start(k), spec.startAt);
    if (spec.abortAfter !== undefined && spec.abortAfter >= 0) {
      clock.setTimer(() => abort(k), spec.startAt + spec.abortAfter);
    }
  }
  const step = (): void => {
    for (const check of later.splice(0)) check();
    for (const [i, b] of built.bulkheads.entries()) {
      if (b.queued > pending())
        checks.push(`bulkhead ${i}: ${b.queued} queued, ${pending()} pending`);
    }
  };
  const drive = async (): Promise<void> => {
    await clock.flush();
    step();
    for (let fired = 0; await clock.next(); fired++) {
      step();
      if (fired > 5_000) throw new Error('the clock never runs out of timers');
    }
  };

  await drive();
  // Time has run out. Only a hang (a task that never settles, an injected hang) may keep a
  // call pending now; its caller gives up on it.
  const stuck = runs.flatMap((r, k) => (r.observed?.count === 0 ? [k] : []));
  const hangs =
    runs.some((r) => r.task.calledNever) ||
    built.injectors.some((i) => i instanceof HangInjector && i.stats.injected > 0);
  if (stuck.length > 0 && !hangs) checks.push(`calls ${stuck} never settled, and nothing hangs`);
  for (const k of stuck) if (s.calls[k]!.signal && !runs[k]!.caller.signal.aborted) abort(k);
  await drive();
  // Let every hung task go, so every slot it holds is released (a retry may call the task
  // again, and that call may hang too: let those go as well).
  for (let round = 0; runs.some((r) => r.task.hung.length > 0); round++) {
    if (round === 20) throw new Error('hung tasks keep coming');
    for (const r of runs) for (const release of r.task.hung.splice(0)) release();
    await drive();
  }

  // A call nothing can abort that met an injected hang hangs for ever (documented).
  const forever = runs.filter((r) => r.observed?.count === 0 && !r.spec.signal);
  if (forever.length > 0 && !built.injectors.some((i) => i instanceof HangInjector)) {
    checks.push(`${forever.length} call(s) without a signal never settled, with no injected hang`);
  }
  for (const [k, r] of runs.entries()) {
    const count = r.observed?.count;
    if (count !== 1 && !forever.includes(r)) checks.push(`call ${k} settled ${count} times`);
    if (r.caller.listeners() !== 0) checks.push(`call ${k}: listeners left on its signal`);
    if (r.callsAtAbort !== undefined && r.task.times.length !== r.callsAtAbort) {
      checks.push(`call ${k}: ${r.task.times.length - r.callsAtAbort} task call(s) after abort`);
    }
  }
  for (const [i, b] of built.bulkheads.entries()) {
    if (forever.length === 0 && (b.executing !== 0 || b.queued !== 0)) {
      checks.push(`bulkhead ${i}: ${b.executing} executing, ${b.queued} queued at the end`);
    }
  }
  if (clock.pending() !== 0) checks.push(`${clock.pending()} timer(s) left on the clock`);
  checks.push(...built.problems);
  if (forever.length === 0) checks.push(...(await probeSlotsFree(built, clock)));
  return { clock, built, runs, checks, forever };
}

/**
 * No breaker holds a probe slot once every call has settled: one that is (or, once its wait
 * is over, becomes) half-open admits the next call.
 */
async function probeSlotsFree(built: Built, clock: VirtualClock): Promise<string[]> {
  const problems: string[] = [];
  for (const [i, breaker] of built.breakers.entries()) {
    if (breaker.state === 'open') await clock.advance(breaker.metrics().retryAfter);
    if (breaker.state !== 'half-open') continue;
    const outcome = await breaker.execute(() => 'probe').catch((error: unknown) => error);
    if (outcome !== 'probe') {
      const held = isBrokenCircuitError(outcome) ? 'every probe slot held' : String(outcome);
      problems.push(`breaker ${i}: half-open with no call running refused a probe (${held})`);
    }
  }
  return problems;
}

/** A stable text for a value or thrown thing, comparable across two runs of one scenario. */
export function describeThing(thing: unknown): string {
  if (thing instanceof Error) return `${thing.name}(${thing.message})`;
  if (typeof thing === 'string') return JSON.stringify(thing);
  if (typeof thing !== 'object' || thing === null) return String(thing);
  const entries = Object.entries(thing).map(([key, v]) => `${key}=${describeThing(v)}`);
  return `{${entries.join(' ')}}`;
}
