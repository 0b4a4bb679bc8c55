/**
 * Model-based test of the circuit breaker (fc.commands): random calls (succeeding, failing,
 * returning a bad value, failing with an error `when` skips; at once, on a timer, or hanging),
 * settlements, caller aborts, clock advances, isolate/dispose, reset and mode switches run
 * against the real breaker and the reference model (circuit-breaker-reference.ts), one command
 * (circuit-breaker-commands.ts) at a time. After every step both must agree on the state, the
 * window figures, who was let in, every outcome and the state events in order.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { circuitBreaker, consecutive, countWindow, timeWindow } from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { countingClock, fcParams } from './arbitraries.js';
import {
  agree,
  commandsArb,
  IgnoredError,
  modeArb,
  type Real,
} from './circuit-breaker-commands.js';
import {
  BreakerModel,
  type BreakerSpec,
  type Mode,
  type ModelConfig,
  stepBackoff,
} from './circuit-breaker-reference.js';

const ratioArb = fc.constantFrom(0.25, 0.5, 1);
const breakerArbs: Record<BreakerSpec['kind'], fc.Arbitrary<BreakerSpec>> = {
  consecutive: fc.record({
    kind: fc.constant('consecutive' as const),
    threshold: fc.integer({ min: 1, max: 3 }),
  }),
  count: fc.integer({ min: 1, max: 4 }).chain((size) =>
    fc.record({
      kind: fc.constant('count' as const),
      size: fc.constant(size),
      failureRatio: ratioArb,
      minThroughput: fc.integer({ min: 1, max: size }),
    }),
  ),
  time: fc.record({
    kind: fc.constant('time' as const),
    duration: fc.constantFrom(60, 100),
    buckets: fc.constantFrom(1, 2, 5),
    failureRatio: ratioArb,
    minThroughput: fc.integer({ min: 1, max: 3 }),
  }),
};

const configArb = (kind: BreakerSpec['kind']): fc.Arbitrary<ModelConfig> =>
  fc.record({
    breaker: breakerArbs[kind],
    slow:
      kind === 'consecutive'
        ? fc.constant(undefined)
        : fc.option(
            fc.record({ threshold: fc.constantFrom(10, 25), ratio: fc.constantFrom(0.5, 1) }),
            { nil: undefined },
          ),
    halfOpenAfter: fc.constantFrom<number | 'backoff'>(0, 15, 40, 'backoff'),
    halfOpenProbes: fc.integer({ min: 1, max: 3 }),
    mode: fc.oneof(
      { arbitrary: fc.constant<Mode>('normal'), weight: 6 },
      { arbitrary: modeArb, weight: 1 },
    ),
    whenResult: fc.boolean(),
  });

function build(cfg: ModelConfig): Real {
  const clock = new VirtualClock();
  const breakerClock = countingClock(clock);
  const b = cfg.breaker;
  const breaker = circuitBreaker({
    breaker:
      b.kind === 'consecutive'
        ? consecutive(b.threshold)
        : b.kind === 'count'
          ? countWindow({
              size: b.size,
              failureRatio: b.failureRatio,
              minThroughput: b.minThroughput,
            })
          : timeWindow({
              duration: b.duration,
              buckets: b.buckets,
              failureRatio: b.failureRatio,
              minThroughput: b.minThroughput,
            }),
    ...(cfg.slow === undefined ? {} : { slowCall: cfg.slow }),
    halfOpenAfter: cfg.halfOpenAfter === 'backoff' ? stepBackoff : cfg.halfOpenAfter,
    halfOpenProbes: cfg.halfOpenProbes,
    mode: cfg.mode,
    when: (error) => !(error instanceof IgnoredError),
    ...(cfg.whenResult ? { whenResult: (value: unknown) => String(value).startsWith('bad') } : {}),
    clock: breakerClock,
  });
  const real: Real = {
    clock,
    breaker,
    breakerTimers: breakerClock.live,
    calls: [],
    handles: [],
    events: [],
    problems: [],
    probePeriod: 0,
  };
  breaker.onStateChange(({ from, to }) => real.events.push(`${from}>${to}`));
  breaker.onBreak(({ reason }) => real.events.push(`break ${reason}`));
  breaker.onHalfOpen(() => {
    real.probePeriod++;
    real.events.push('half-open');
  });
  breaker.onReset(() => real.events.push('reset'));
  return real;
}

describe('circuit breaker model', () => {
  for (const kind of ['consecutive', 'count', 'time'] as const) {
    test.prop([configArb(kind), commandsArb], fcParams)(
      `${kind}: state, window figures, admissions, outcomes and the onStateChange/onBreak/onHalfOpen/onReset sequence agree with the reference model after every step; an open breaker never calls fn; half-open never has more than halfOpenProbes probes of its epoch running; every execute settles exactly once; the breaker sets no timer and leaves no listener`,
      async (cfg, commands) => {
        const m = new BreakerModel(cfg);
        const r = build(cfg);
        await fc.asyncModelRun(() => ({ model: m, real: r }), commands);
        // Let every task finish; then each call has settled exactly once and left nothing.
        for (const c of m.calls.filter((c) => c.hangs && !c.taskDone)) {
          r.calls[c.id]!.settle!('ok');
          m.settled(c.id, 'ok');
        }
        await r.clock.runAll();
        m.advance(Math.max(0, r.clock.now() - m.now));
        await agree({ m, r });
        expect(r.calls.map((c) => c.observed.count)).toEqual(r.calls.map(() => 1));
        expect(r.calls.map((c) => c.caller.listeners())).toEqual(r.calls.map(() => 0));
        expect(r.clock.pending()).toBe(0);
      },
    );
  }
});
