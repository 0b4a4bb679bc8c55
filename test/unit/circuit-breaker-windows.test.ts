/**
 * Window breakers: countWindow (ring roll-over, exact ratio, one under minThroughput) and
 * timeWindow (bucket roll-over with 1, 10 and 1,000 buckets).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type BreakEvent,
  type CircuitBreakerPolicy,
  circuitBreaker,
  countWindow,
  timeWindow,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';

let clock: VirtualClock;
beforeEach(() => {
  clock = new VirtualClock();
});
afterEach(() => {
  expect(clock.pending()).toBe(0);
});

/** Plays `pattern` through the breaker: `F` a failing call, `S` a successful one. */
async function play(breaker: CircuitBreakerPolicy, pattern: string): Promise<void> {
  for (const c of pattern) {
    if (c === 'F') {
      await expect(breaker.execute(() => Promise.reject(new Error('F')))).rejects.toThrow('F');
    } else {
      await expect(breaker.execute(() => 'S')).resolves.toBe('S');
    }
  }
}

const counts = (b: CircuitBreakerPolicy) => {
  const { state, calls, failures } = b.metrics();
  return [state, calls, failures];
};

describe('countWindow', () => {
  it('defaults: size 100, failureRatio 0.5, minThroughput 100; the ratio is checked after a success too', async () => {
    const breaker = circuitBreaker({ breaker: countWindow(), clock });
    const breaks: BreakEvent[] = [];
    breaker.onBreak((e) => breaks.push(e));
    await play(breaker, 'F'.repeat(99));
    expect(counts(breaker)).toEqual(['closed', 99, 99]);
    await play(breaker, 'S'); // 100 calls, 99 failures: the success tips it
    expect(counts(breaker)).toEqual(['open', 100, 99]);
    expect(breaks).toEqual([
      { reason: 'failure-ratio', outcome: { value: 'S' }, retryAfter: 10_000 },
    ]);
  });

  it('opens exactly at failureRatio and not one failure under it', async () => {
    const under = circuitBreaker({ breaker: countWindow({ size: 4, failureRatio: 0.5 }), clock });
    await play(under, 'SSSF');
    expect(counts(under)).toEqual(['closed', 4, 1]);
    expect(under.metrics().failureRatio).toBe(0.25);
    const at = circuitBreaker({ breaker: countWindow({ size: 4, failureRatio: 0.5 }), clock });
    await play(at, 'SSF');
    expect(counts(at)).toEqual(['closed', 3, 1]);
    await play(at, 'F');
    expect(counts(at)).toEqual(['open', 4, 2]);
  });

  it('no judgement one call under minThroughput; opens on the call that reaches it', async () => {
    const breaker = circuitBreaker({
      breaker: countWindow({ size: 10, failureRatio: 0.5, minThroughput: 5 }),
      clock,
    });
    await play(breaker, 'FFFF');
    expect(breaker.metrics()).toMatchObject({ state: 'closed', calls: 4, failureRatio: 1 });
    await play(breaker, 'F');
    expect(counts(breaker)).toEqual(['open', 5, 5]);
  });

  it('the ring rolls over: the oldest call leaves as a new one enters', async () => {
    const breaker = circuitBreaker({ breaker: countWindow({ size: 3, failureRatio: 0.6 }), clock });
    await play(breaker, 'FSS');
    expect(counts(breaker)).toEqual(['closed', 3, 1]);
    await play(breaker, 'S'); // the F leaves
    expect(counts(breaker)).toEqual(['closed', 3, 0]);
    await play(breaker, 'F'); // S S F
    expect(counts(breaker)).toEqual(['closed', 3, 1]);
    await play(breaker, 'S'); // S F S
    expect(counts(breaker)).toEqual(['closed', 3, 1]);
    await play(breaker, 'F'); // F S F: 2/3 >= 0.6
    expect(counts(breaker)).toEqual(['open', 3, 2]);
  });

  it('a large ring rolls over exactly: 1,000 successes pushed out one failure at a time', async () => {
    const breaker = circuitBreaker({ breaker: countWindow({ size: 1_000 }), clock });
    await play(breaker, 'S'.repeat(1_000));
    await play(breaker, 'F'.repeat(499));
    expect(counts(breaker)).toEqual(['closed', 1_000, 499]);
    await play(breaker, 'F');
    expect(counts(breaker)).toEqual(['open', 1_000, 500]);
  });

  it('size 1: every failure opens it; failureRatio 1 needs every call to fail', async () => {
    const one = circuitBreaker({ breaker: countWindow({ size: 1 }), clock });
    await play(one, 'SSF');
    expect(counts(one)).toEqual(['open', 1, 1]);
    const all = circuitBreaker({ breaker: countWindow({ size: 3, failureRatio: 1 }), clock });
    await play(all, 'FFSFF');
    expect(counts(all)).toEqual(['closed', 3, 2]);
    await play(all, 'F');
    expect(counts(all)).toEqual(['open', 3, 3]);
  });
});

describe('timeWindow', () => {
  it('defaults: 30_000 ms in 10 buckets, failureRatio 0.5, minThroughput 100', async () => {
    const breaker = circuitBreaker({ breaker: timeWindow(), clock });
    await play(breaker, 'F'.repeat(99));
    expect(counts(breaker)).toEqual(['closed', 99, 99]);
    await clock.advance(29_999);
    expect(counts(breaker)).toEqual(['closed', 99, 99]);
    await clock.advance(1); // all 99 were in bucket 0, which leaves at 30_000
    expect(counts(breaker)).toEqual(['closed', 0, 0]);
    await play(breaker, 'F'.repeat(99));
    await play(breaker, 'S');
    expect(counts(breaker)).toEqual(['open', 100, 99]);
  });

  it('10 buckets: a call leaves when its bucket does, sliding one bucket (100 ms) at a time', async () => {
    const breaker = circuitBreaker({
      breaker: timeWindow({ duration: 1_000, buckets: 10, minThroughput: 10 }),
      clock,
    });
    await play(breaker, 'F'); // t=0, bucket 0
    await clock.advance(150);
    await play(breaker, 'FS'); // t=150, bucket 1
    await clock.advance(849); // t=999
    expect(counts(breaker)).toEqual(['closed', 3, 2]);
    await clock.advance(1); // t=1000: bucket 0 leaves
    expect(counts(breaker)).toEqual(['closed', 2, 1]);
    await clock.advance(99); // t=1099
    expect(counts(breaker)).toEqual(['closed', 2, 1]);
    await clock.advance(1); // t=1100: bucket 1 leaves
    expect(counts(breaker)).toEqual(['closed', 0, 0]);
  });

  it('1 bucket: a tumbling window, emptied at each multiple of duration', async () => {
    const breaker = circuitBreaker({
      breaker: timeWindow({ duration: 1_000, buckets: 1, minThroughput: 3 }),
      clock,
    });
    await clock.advance(998);
    await play(breaker, 'FF');
    await clock.advance(1); // t=999
    expect(counts(breaker)).toEqual(['closed', 2, 2]);
    await clock.advance(1); // t=1000
    expect(counts(breaker)).toEqual(['closed', 0, 0]);
    await play(breaker, 'F');
    await clock.advance(999);
    await play(breaker, 'FF');
    expect(counts(breaker)).toEqual(['open', 3, 3]);
  });

  it('1,000 buckets of 1 ms: each call leaves exactly `duration` after its millisecond', async () => {
    const breaker = circuitBreaker({
      breaker: timeWindow({ duration: 1_000, buckets: 1_000, minThroughput: 1_000 }),
      clock,
    });
    await clock.advance(5.5);
    await play(breaker, 'F'); // bucket 5
    await clock.advance(1);
    await play(breaker, 'SS'); // bucket 6
    await clock.advance(998); // t=1004.5
    expect(counts(breaker)).toEqual(['closed', 3, 1]);
    await clock.advance(0.5); // t=1005
    expect(counts(breaker)).toEqual(['closed', 2, 0]);
    await clock.advance(1); // t=1006
    expect(counts(breaker)).toEqual(['closed', 0, 0]);
  });

  it('opens exactly at failureRatio, counting only calls still in the window', async () => {
    const breaker = circuitBreaker({
      breaker: timeWindow({ duration: 1_000, buckets: 10, failureRatio: 0.5, minThroughput: 4 }),
      clock,
    });
    await play(breaker, 'FFF'); // t=0
    await clock.advance(1_000); // they leave
    await play(breaker, 'SSF');
    expect(counts(breaker)).toEqual(['closed', 3, 1]); // one under minThroughput
    await play(breaker, 'S');
    expect(counts(breaker)).toEqual(['closed', 4, 1]);
    await play(breaker, 'F');
    expect(counts(breaker)).toEqual(['closed', 5, 2]); // 0.4
    await play(breaker, 'F');
    expect(counts(breaker)).toEqual(['open', 6, 3]); // 0.5
  });

  it('a gap longer than the window empties it', async () => {
    const breaker = circuitBreaker({ breaker: timeWindow({ duration: 100 }), clock });
    await play(breaker, 'FFS');
    await clock.advance(50);
    await play(breaker, 'F');
    await clock.advance(5_000);
    expect(counts(breaker)).toEqual(['closed', 0, 0]);
    await play(breaker, 'S');
    expect(counts(breaker)).toEqual(['closed', 1, 0]);
  });

  it('closing again empties the window', async () => {
    const breaker = circuitBreaker({
      breaker: timeWindow({ duration: 10_000, minThroughput: 2 }),
      halfOpenAfter: 100,
      clock,
    });
    await play(breaker, 'SF');
    expect(counts(breaker)).toEqual(['open', 2, 1]);
    await clock.advance(100);
    await play(breaker, 'S');
    expect(counts(breaker)).toEqual(['closed', 0, 0]);
  });
});

describe('window breakers are specs', () => {
  it('one spec configures many breakers, each counting on its own', async () => {
    const spec = countWindow({ size: 2, failureRatio: 1 });
    const a = circuitBreaker({ breaker: spec, clock });
    const b = circuitBreaker({ breaker: spec, clock });
    await play(a, 'FF');
    expect(counts(a)).toEqual(['open', 2, 2]);
    expect(counts(b)).toEqual(['closed', 0, 0]);
    expect(Object.isFrozen(spec)).toBe(true);
  });
});
