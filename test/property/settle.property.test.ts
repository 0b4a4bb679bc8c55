import { fc, test } from '@fast-check/vitest';
import { describe, expect, vi } from 'vitest';
import { VirtualClock } from '../../src/testing/index.js';
import { countingSignal } from '../helpers/common.js';
import {
  anyStepArb,
  buildPipeline,
  fcParams,
  observe,
  type PolicySpec,
  pipelineSpecArb,
  type Step,
  scriptedTask,
} from './arbitraries.js';

class CallerAbort extends Error {
  override readonly name = 'CallerAbort';
}

interface Scenario {
  /** The policies, outermost first. */
  readonly specs: readonly PolicySpec[];
  /** What the task does on each call; `rest` once they run out. */
  readonly steps: readonly Step[];
  readonly rest: Step;
  /** When the caller aborts (virtual ms; -1: before the call starts), if it does. */
  readonly abortAt: number | undefined;
}

const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  specs: pipelineSpecArb,
  steps: fc.array(anyStepArb, { minLength: 1, maxLength: 6 }),
  rest: anyStepArb,
  abortAt: fc.option(
    fc.oneof(fc.integer({ min: -1, max: 60 }), fc.integer({ min: 0, max: 600 })), // early or any
    { nil: undefined, freq: 2 },
  ),
});

/** A stable text for a value or thrown thing, comparable across two runs of one scenario. */
function describeThing(thing: unknown): string {
  if (thing instanceof Error) {
    const after = (thing as { after?: unknown }).after;
    return `${thing.name}(${thing.message}${after === undefined ? '' : `, after=${after}`})`;
  }
  return typeof thing === 'string' ? JSON.stringify(thing) : String(thing);
}

/** A payload as text, stable across two runs (errors by name and message). */
function describePayload(payload: unknown): string {
  return Object.entries(payload as Record<string, unknown>)
    .map(([key, v]) => {
      if (key !== 'outcome') return `${key}=${String(v)}`;
      const o = v as { error?: unknown; value?: unknown };
      return 'error' in o ? `error=${describeThing(o.error)}` : `value=${describeThing(o.value)}`;
    })
    .join(' ');
}

/**
 * Runs one scenario to the end: the caller aborts at `abortAt`; the clock runs out; a call
 * still pending then (a hanging task) is aborted by the caller too. `checks` lists what went
 * wrong around the abort: a pending call not rejected at once with the signal's reason, a
 * task call, retry or fallback starting after the abort.
 */
async function run(s: Scenario, listener?: (name: string, payload: unknown) => void) {
  const clock = new VirtualClock();
  const { policy, events, policyTimers } = buildPipeline(s.specs, clock);
  const caller = countingSignal();
  const checks: string[] = [];
  for (const [name, event] of events) {
    const startsWork = /onRetry|onFallback/.test(name);
    if (!startsWork && listener === undefined) continue; // keep the no-listener paths too
    event((payload) => {
      if (startsWork && caller.signal.aborted) checks.push(`${name} after the abort`);
      listener?.(name, payload);
    });
  }
  const script = scriptedTask(s.steps, clock, s.rest);
  const reason = new CallerAbort('caller aborted');
  if (s.abortAt === -1) caller.abort(reason);
  let callsAtAbort = script.calls();
  // Settled without an abort: the caller's signal has no listener left and no policy timer.
  const call = observe(policy.execute(script.task, { signal: caller.signal }), clock, () => {
    const left = `${caller.listeners()} listener(s), ${policyTimers()} policy timer(s)`;
    if (!caller.signal.aborted && left !== '0 listener(s), 0 policy timer(s)') {
      checks.push(`settled leaving ${left}`);
    }
  });
  const abort = async (when: string): Promise<void> => {
    const wasPending = call.count === 0;
    caller.abort(reason);
    callsAtAbort = script.calls();
    await clock.flush();
    if (policyTimers() !== 0)
      checks.push(`${when}: a retry sleep or timeout timer outlived the abort`);
    if (wasPending && (call.status !== 'rejected' || call.value !== reason)) {
      checks.push(`${when}: abort left the call ${call.status} with ${describeThing(call.value)}`);
    }
  };
  if (s.abortAt === -1) {
    await clock.flush();
    if (call.status !== 'rejected' || call.value !== reason) checks.push('pre-aborted call');
  } else if (s.abortAt !== undefined) {
    await clock.advance(s.abortAt);
    await abort(`abort at ${s.abortAt}`);
  }
  await clock.runAll();
  const pendingAfterRunAll = call.count === 0;
  if (pendingAfterRunAll) await abort('final abort');
  await clock.runAll();
  if (caller.signal.aborted && script.calls() !== callsAtAbort) {
    checks.push(`${script.calls() - callsAtAbort} task call(s) after the abort`);
  }
  return { clock, script, call, caller, checks, pendingAfterRunAll };
}

describe('settle properties', () => {
  test.prop([scenarioArb], fcParams)(
    'every call settles exactly once, for every policy and pipeline, and leaves no timer or abort listener behind; an abort settles it at once and starts nothing new',
    async (s) => {
      const { clock, script, call, caller, checks, pendingAfterRunAll } = await run(s);
      expect(checks).toEqual([]);
      expect(call.count).toBe(1);
      if (pendingAfterRunAll) {
        // Only a hanging task keeps a call pending once time has run out, and only when no
        // aggressive timeout bounds it.
        const called = Array.from({ length: script.calls() }, (_, i) => s.steps[i] ?? s.rest);
        expect(called.some((step) => step.kind === 'never')).toBe(true);
        expect(s.specs.some((p) => p.kind === 'timeout' && p.mode === 'aggressive')).toBe(false);
      }
      expect(clock.pending()).toBe(0);
      expect(caller.listeners()).toBe(0);
    },
  );

  test.prop([scenarioArb], fcParams)(
    'listener exceptions never change a call outcome, its timing, the attempts made or the events seen',
    async (s) => {
      const report = vi.fn();
      vi.stubGlobal('reportError', report);
      try {
        const observeRun = async (throwing: boolean) => {
          const log: string[] = [];
          let thrown = 0;
          const r = await run(s, (name, payload) => {
            log.push(`${name} ${describePayload(payload)}`);
            if (throwing) {
              thrown++;
              throw new Error(`listener of ${name} threw`);
            }
          });
          const { call, script } = r;
          const outcome = `${call.status} ${describeThing(call.value)} at ${call.at}`;
          return { outcome, times: script.times, log, thrown, checks: r.checks };
        };
        const quiet = await observeRun(false);
        expect(report).not.toHaveBeenCalled();
        const noisy = await observeRun(true);
        expect(noisy.outcome).toBe(quiet.outcome);
        expect(noisy.times).toEqual(quiet.times);
        expect(noisy.log).toEqual(quiet.log);
        expect(noisy.checks).toEqual(quiet.checks);
        // Every listener error was reported, and nothing else was.
        expect(report).toHaveBeenCalledTimes(noisy.thrown);
        for (const [error] of report.mock.calls) {
          expect(String((error as Error).message)).toMatch(/^listener of \d+\.on\w+ threw$/);
        }
      } finally {
        vi.unstubAllGlobals();
      }
    },
  );
});
