/**
 * snapshot() / circuitBreaker({ restore }): plain JSON, round trips for each breaker kind, time
 * elapsed between snapshot and restore (fake wallClock). Malformed snapshots:
 * circuit-breaker-restore-errors.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type BackoffInput,
  type CircuitBreakerOptions,
  type CircuitBreakerPolicy,
  type CircuitBreakerSnapshot,
  circuitBreaker,
  consecutive,
  countWindow,
  timeWindow,
} from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';

const W = 1_700_000_000_000;
let clock: VirtualClock;
/** Wall-clock ms the breakers see: W plus the virtual time plus a jump set by a test. */
let jump: number;
const wallClock = () => W + clock.now() + jump;

beforeEach(() => {
  clock = new VirtualClock();
  jump = 0;
});
afterEach(() => {
  expect(clock.pending()).toBe(0);
});

const json = (s: CircuitBreakerSnapshot): CircuitBreakerSnapshot => JSON.parse(JSON.stringify(s));

/** A breaker on `clock` and the fake wall clock. */
const build = (options: CircuitBreakerOptions) => circuitBreaker({ clock, wallClock, ...options });

/** Plays `F` (failure), `S` (success) or `L` (a success taking 10 ms, slow at threshold 10). */
async function play(breaker: CircuitBreakerPolicy, pattern: string): Promise<void> {
  for (const c of pattern) {
    const task =
      c === 'F'
        ? () => Promise.reject(new Error('F'))
        : c === 'L'
          ? () => new Promise<string>((r) => clock.setTimer(() => r('L'), 10))
          : () => 'S';
    const done = breaker.execute(task).catch(() => {});
    if (c === 'L') await clock.advance(10);
    await done;
  }
}

/** A new process: a fresh clock starting at `start`, the wall clock `elapsed` ms later. */
function restart(start: number, elapsed: number, snapshotWall: number): void {
  clock = new VirtualClock(start);
  jump = snapshotWall + elapsed - W - start;
}

describe('snapshot()', () => {
  it('is plain JSON: a new breaker', () => {
    const snap = build({}).snapshot();
    expect(snap).toEqual({
      version: 1,
      state: 'closed',
      openUntil: null,
      breaks: 0,
      previousDelay: null,
      takenAt: W,
      window: { kind: 'consecutive', failures: 0 },
    });
    expect(json(snap)).toEqual(snap);
  });

  it('an isolated breaker snapshots as closed, and restores closed', async () => {
    const breaker = build({ breaker: consecutive(3) });
    await play(breaker, 'F');
    breaker.isolate();
    const snap = breaker.snapshot();
    expect(snap).toMatchObject({ state: 'closed', openUntil: null });
    expect(build({ breaker: consecutive(3), restore: json(snap) }).state).toBe('closed');
  });
});

describe('round trips', () => {
  it('consecutive, closed: the failure run carries over', async () => {
    const breaker = build({ breaker: consecutive(5) });
    await play(breaker, 'FFF');
    const snap = json(breaker.snapshot());
    expect(snap.window).toEqual({ kind: 'consecutive', failures: 3 });
    const restored = build({ breaker: consecutive(5), restore: snap });
    expect(restored.metrics()).toMatchObject({ state: 'closed', calls: 3, failures: 3 });
    await play(restored, 'F');
    expect(restored.state).toBe('closed');
    await play(restored, 'F');
    expect(restored.state).toBe('open');
  });

  it('consecutive, open: it stays open for the time left', async () => {
    const breaker = build({ breaker: consecutive(2), halfOpenAfter: 1_000 });
    await play(breaker, 'FF');
    await clock.advance(400);
    const snap = json(breaker.snapshot());
    expect(snap).toMatchObject({ state: 'open', openUntil: W + 1_000, breaks: 1 });
    restart(0, 100, snap.takenAt);
    const restored = build({ breaker: consecutive(2), halfOpenAfter: 1_000, restore: snap });
    expect(restored.metrics()).toMatchObject({ state: 'open', retryAfter: 500 });
  });

  it('consecutive in metrics-only mode, past its threshold, restores into the same config', async () => {
    const breaker = build({ breaker: consecutive(2), mode: 'metrics-only' });
    await play(breaker, 'FFF');
    const snap = json(breaker.snapshot());
    const restored = build({ breaker: consecutive(2), mode: 'metrics-only', restore: snap });
    expect(restored.metrics()).toMatchObject({ calls: 3, failures: 3 });
  });

  // Fails with the src of 54ff25e: restore() sets the open phase whatever the mode, so a breaker
  // built in a mode that never rejects reports 'open', then 'half-open' for as long as the mode
  // lasts (no probe is taken in those modes); entering the mode at run time closes it instead.
  it.each(['metrics-only', 'disabled'] as const)(
    'an open snapshot restored into %s mode gives a closed breaker, as entering that mode does',
    async (mode) => {
      const open = json(build({ breaker: consecutive(1), halfOpenAfter: 500 }).snapshot());
      const snap = { ...open, state: 'open' as const, openUntil: open.takenAt + 500, breaks: 1 };
      const restored = build({ breaker: consecutive(1), mode, restore: snap });
      expect(restored.metrics()).toMatchObject({ state: 'closed', retryAfter: 0 });
      await clock.advance(500);
      await restored.execute(() => 1);
      expect(restored.state).toBe('closed');
    },
  );

  it('countWindow: outcomes oldest first (slow ones too); the restored ring rolls on', async () => {
    const options = {
      breaker: countWindow({ size: 4, failureRatio: 1 }),
      slowCall: { threshold: 10, ratio: 1 },
    };
    const breaker = build(options);
    await play(breaker, 'FLSFF'); // the first F has left the ring of 4
    const snap = json(breaker.snapshot());
    expect(snap.window).toEqual({ kind: 'count', size: 4, outcomes: [2, 0, 1, 1] });
    const restored = build({ ...options, restore: snap });
    expect(restored.metrics()).toMatchObject({ calls: 4, failures: 2, slowCalls: 1 });
    await play(restored, 'S'); // pushes the slow one out
    expect(restored.snapshot().window).toEqual({ kind: 'count', size: 4, outcomes: [0, 1, 1, 0] });
    expect(restored.metrics()).toMatchObject({ calls: 4, failures: 2, slowCalls: 0 });
  });

  it('timeWindow: buckets keep their age across a restart, measured on the wall clock', async () => {
    const options = { breaker: timeWindow({ duration: 1_000, buckets: 10 }) };
    const breaker = build(options);
    await play(breaker, 'F'); // t=0, bucket 0
    await clock.advance(150);
    await play(breaker, 'SS'); // t=150, bucket 1
    await clock.advance(270);
    await play(breaker, 'F'); // t=420, bucket 4
    await clock.advance(30);
    const snap = json(breaker.snapshot()); // t=450
    const zero = [0, 0, 0];
    expect(snap.window).toEqual({
      kind: 'time',
      duration: 1_000,
      buckets: [zero, zero, zero, zero, zero, [1, 1, 0], [2, 0, 0], zero, zero, [1, 1, 0]],
    });
    // 250 ms later, in a process whose clock reads 7_000.
    restart(7_000, 250, snap.takenAt);
    const restored = build({ ...options, restore: snap });
    const figures = () => [restored.metrics().calls, restored.metrics().failures];
    expect(figures()).toEqual([4, 2]);
    await clock.advance(299); // 549 ms after the snapshot, 999 after the first call
    expect(figures()).toEqual([4, 2]);
    await clock.advance(1); // the first call's bucket leaves, as it would have at t=1000
    expect(figures()).toEqual([3, 1]);
    await clock.advance(100);
    expect(figures()).toEqual([1, 1]);
    await clock.advance(300);
    expect(figures()).toEqual([0, 0]);
  });

  it('timeWindow: a snapshot older than the window restores empty', async () => {
    const options = { breaker: timeWindow({ duration: 1_000 }) };
    const breaker = build(options);
    await play(breaker, 'FFS');
    const snap = json(breaker.snapshot());
    restart(0, 1_000, snap.takenAt);
    expect(build({ ...options, restore: snap }).metrics()).toMatchObject({ calls: 0 });
  });

  it('open: resumes with the time left; past its time it half-opens at the first look', async () => {
    const options = { breaker: countWindow({ size: 1 }), halfOpenAfter: 10_000 };
    const breaker = build(options);
    await play(breaker, 'F');
    await clock.advance(1_000);
    const snap = json(breaker.snapshot());
    expect(snap).toMatchObject({
      state: 'open',
      openUntil: W + 10_000,
      breaks: 1,
      previousDelay: 10_000,
      takenAt: W + 1_000,
    });
    restart(500, 3_000, snap.takenAt);
    expect(build({ ...options, restore: snap }).metrics()).toMatchObject({
      state: 'open',
      retryAfter: 6_000,
    });
    restart(0, 9_000, snap.takenAt);
    const late = build({ ...options, restore: snap });
    let halfOpens = 0;
    late.onHalfOpen(() => halfOpens++);
    expect(halfOpens).toBe(0);
    expect(late.state).toBe('half-open');
    expect(halfOpens).toBe(1);
    await play(late, 'S');
    expect(late.state).toBe('closed');
  });

  it('breaks and previousDelay carry over to the halfOpenAfter backoff', async () => {
    const inputs: BackoffInput[] = [];
    const halfOpenAfter = (i: BackoffInput) => {
      inputs.push(i);
      return i.attempt * 100;
    };
    const options = { breaker: countWindow({ size: 1 }), halfOpenAfter };
    const breaker = build(options);
    await play(breaker, 'F');
    await clock.advance(100);
    await play(breaker, 'F'); // failed probe: break 2, 200 ms
    const snap = json(breaker.snapshot());
    expect(snap).toMatchObject({ breaks: 2, previousDelay: 200 });
    restart(0, 200, snap.takenAt);
    const restored = build({ ...options, restore: snap });
    expect(restored.state).toBe('half-open');
    await play(restored, 'F');
    expect(inputs[2]).toMatchObject({ attempt: 3, previous: 200 });
    expect(restored.metrics()).toMatchObject({ state: 'open', retryAfter: 300 });
  });

  it('half-open: restored half-open, it admits a probe', async () => {
    const options = { breaker: countWindow({ size: 1 }), halfOpenAfter: 100 };
    const breaker = build(options);
    await play(breaker, 'F');
    await clock.advance(100);
    const snap = json(breaker.snapshot());
    expect(snap).toMatchObject({ state: 'half-open', openUntil: null });
    const restored = build({ ...options, restore: snap });
    expect(restored.state).toBe('half-open');
    await play(restored, 'S');
    expect(restored.state).toBe('closed');
  });
});
