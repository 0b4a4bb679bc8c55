/**
 * Invariant 12 of issue 7 for every policy's events: retry (onRetry, onGiveUp, onSuccess,
 * onFailure), timeout (onTimeout), fallback (onFallback), circuitBreaker (onBreak,
 * onHalfOpen, onReset, onStateChange, onReject, onSuccess, onFailure), bulkhead (onReject,
 * onSuccess, onFailure) and the injectors (onInject).
 */
import { test } from '@fast-check/vitest';
import { describe, expect, vi } from 'vitest';
import { fcParams } from './arbitraries.js';
import { describeThing, runScenario, type Scenario, scenarioArb } from './scenario.js';

/** One run of `s` with a listener on every event, which throws after logging when `throwing`. */
async function observeRun(s: Scenario, throwing: boolean) {
  const log: string[] = [];
  let thrown = 0;
  const r = await runScenario(s, (name, payload) => {
    log.push(`${name} ${describeThing(payload)}`);
    if (throwing) {
      thrown++;
      throw new Error(`listener of ${name} threw`);
    }
  });
  const outcomes = r.runs.map((c) => {
    const o = c.observed;
    return `${o?.status} ${describeThing(o?.value)} at ${o?.at} (${o?.count}x)`;
  });
  const taskTimes = r.runs.map((c) => c.task.times);
  const state = r.built.breakers.map((b) => JSON.stringify(b.metrics()));
  const stats = r.built.injectors.map((i) => JSON.stringify(i.stats));
  return { outcomes, taskTimes, state, stats, log, thrown, checks: r.checks, now: r.clock.now() };
}

describe('listener properties', () => {
  test.prop([scenarioArb()], fcParams)(
    'listener exceptions never change a call outcome, its timing, the task calls, breaker and injector state, or the events of any policy',
    async (s) => {
      const report = vi.fn();
      vi.stubGlobal('reportError', report);
      try {
        const quiet = await observeRun(s, false);
        expect(report).not.toHaveBeenCalled();
        const noisy = await observeRun(s, true);
        const { thrown, ...noisyRun } = noisy;
        const { thrown: _none, ...quietRun } = quiet;
        expect(noisyRun).toEqual(quietRun);
        expect(noisy.checks).toEqual([]);
        // Every listener error was reported, once, and nothing else was.
        expect(report).toHaveBeenCalledTimes(thrown);
        for (const [error] of report.mock.calls) {
          expect((error as Error).message).toMatch(/^listener of \d+\.on\w+ threw$/);
        }
      } finally {
        vi.unstubAllGlobals();
      }
    },
  );
});
