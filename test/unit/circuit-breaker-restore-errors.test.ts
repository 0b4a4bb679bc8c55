/**
 * circuitBreaker({ restore }) with a malformed snapshot: a TypeError naming the bad field, for
 * every field, and for a window of another kind, size or duration.
 */
import { describe, expect, it } from 'vitest';
import {
  type CircuitBreakerOptions,
  type CircuitBreakerSnapshot,
  circuitBreaker,
  countWindow,
  timeWindow,
} from '../../src/index.js';

const W = 1_700_000_000_000;

describe('malformed snapshots', () => {
  const base = {
    version: 1,
    state: 'closed',
    openUntil: null,
    breaks: 0,
    previousDelay: null,
    takenAt: W,
    window: { kind: 'consecutive', failures: 0 },
  };
  const bad =
    (restore: unknown, options: CircuitBreakerOptions = {}) =>
    () =>
      circuitBreaker({ ...options, restore: restore as CircuitBreakerSnapshot });
  const message = (why: string) =>
    new TypeError(`circuitBreaker: \`restore\` is not a valid snapshot: ${why}`);

  it('the base snapshot is valid', () => {
    expect(bad(base)).not.toThrow();
  });

  it('a snapshot of another window kind names the kind this breaker needs (the default countWindow)', () => {
    const snap = { ...base, window: { kind: 'time', duration: 1_000, buckets: [] } };
    expect(bad(snap, { breaker: countWindow() })).toThrow(
      message(`window.kind must be 'count' (this breaker is countWindow(size 100)), got "time"`),
    );
    expect(bad(snap, {})).toThrow(
      message(`window.kind must be 'consecutive' (this breaker is consecutive(5)), got "time"`),
    );
  });

  it.each([
    [null, 'expected an object from breaker.snapshot(), got null'],
    ['{}', 'expected an object from breaker.snapshot(), got "{}"'],
    [[], 'expected an object from breaker.snapshot(), got an array of length 0'],
    [{ ...base, version: 2 }, 'version must be 1, got 2'],
    [{ ...base, version: undefined }, 'version must be 1, got undefined'],
    [
      { ...base, state: 'isolated' },
      `state must be 'closed', 'open' or 'half-open', got "isolated"`,
    ],
    [{ ...base, state: 'open' }, 'openUntil must be a finite number when open, got null'],
    [{ ...base, openUntil: W }, `openUntil must be null unless open, got ${W}`],
    [{ ...base, breaks: -1 }, 'breaks must be an integer >= 0, got -1'],
    [{ ...base, breaks: 1.5 }, 'breaks must be an integer >= 0, got 1.5'],
    [{ ...base, breaks: '1' }, 'breaks must be an integer >= 0, got "1"'],
    [{ ...base, previousDelay: -1 }, 'previousDelay must be a number >= 0 or null, got -1'],
    [{ ...base, previousDelay: '5' }, 'previousDelay must be a number >= 0 or null, got "5"'],
    [{ ...base, takenAt: 'now' }, 'takenAt must be a finite number, got "now"'],
    [{ ...base, window: null }, 'window must be an object, got null'],
    [{ ...base, window: 5 }, 'window must be an object, got 5'],
    [
      { ...base, window: { kind: 'count', size: 100, outcomes: [] } },
      `window.kind must be 'consecutive' (this breaker is consecutive(5)), got "count"`,
    ],
    [
      { ...base, window: { failures: 0 } },
      `window.kind must be 'consecutive' (this breaker is consecutive(5)), got undefined`,
    ],
    [
      { ...base, window: { kind: 'Consecutive', failures: 0 } },
      `window.kind must be 'consecutive' (this breaker is consecutive(5)), got "Consecutive"`,
    ],
    [
      { ...base, window: { kind: 'consecutive', failures: -1 } },
      'window.failures must be an integer >= 0 and <= 2147483648, got -1',
    ],
    [
      { ...base, window: { kind: 'consecutive', failures: 'x' } },
      'window.failures must be an integer >= 0 and <= 2147483648, got "x"',
    ],
  ])('%j → TypeError', (snap, why) => {
    expect(bad(snap)).toThrow(message(why));
  });

  const count = { breaker: countWindow({ size: 4 }) };
  it.each([
    [{ kind: 'count', size: 5, outcomes: [] }, "window.size must be 4 (this breaker's), got 5"],
    [
      { kind: 'count', size: 4, outcomes: 'x' },
      'window.outcomes must be an array of at most 4 codes',
    ],
    [
      { kind: 'count', size: 4, outcomes: [0, 0, 0, 0, 0] },
      'window.outcomes must be an array of at most 4 codes',
    ],
    [{ kind: 'count', size: 4, outcomes: [0, 4] }, 'window.outcomes[1] must be 0, 1, 2 or 3'],
    [
      { kind: 'time', duration: 1, buckets: [] },
      `window.kind must be 'count' (this breaker is countWindow(size 4)), got "time"`,
    ],
  ])('countWindow: window %j → TypeError', (window, why) => {
    expect(bad({ ...base, window }, count)).toThrow(message(why));
  });

  const time = { breaker: timeWindow({ duration: 1_000, buckets: 2 }) };
  const ok = [0, 0, 0];
  it.each([
    [
      { kind: 'time', duration: 2_000, buckets: [ok, ok] },
      "window.duration must be 1000 (this breaker's), got 2000",
    ],
    [
      { kind: 'time', duration: 1_000, buckets: [ok, ok, ok] },
      'window.buckets must be an array of 2 [calls, failures, slow] triples',
    ],
    [
      { kind: 'time', duration: 1_000, buckets: {} },
      'window.buckets must be an array of 2 [calls, failures, slow] triples',
    ],
    [
      { kind: 'time', duration: 1_000, buckets: [ok, [1, 2, 0]] },
      'window.buckets[1] must be [calls, failures, slow], integers with failures and slow <= calls',
    ],
    [
      { kind: 'time', duration: 1_000, buckets: [[1, 0, 2], ok] },
      'window.buckets[0] must be [calls, failures, slow], integers with failures and slow <= calls',
    ],
    [
      { kind: 'time', duration: 1_000, buckets: [[1, 0], ok] },
      'window.buckets[0] must be [calls, failures, slow], integers with failures and slow <= calls',
    ],
    [
      { kind: 'time', duration: 1_000, buckets: [ok, [1.5, 0, 0]] },
      'window.buckets[1] must be [calls, failures, slow], integers with failures and slow <= calls',
    ],
    [
      { kind: 'time', duration: 1_000, buckets: [ok, [-1, 0, 0]] },
      'window.buckets[1] must be [calls, failures, slow], integers with failures and slow <= calls',
    ],
    [
      { kind: 'time', duration: 1_000, buckets: ['x', ok] },
      'window.buckets[0] must be [calls, failures, slow], integers with failures and slow <= calls',
    ],
    [
      { kind: 'consecutive', failures: 0 },
      `window.kind must be 'time' (this breaker is timeWindow(duration 1000, buckets 2)), got "consecutive"`,
    ],
    [
      { kind: 7, duration: 1_000, buckets: [ok, ok] },
      `window.kind must be 'time' (this breaker is timeWindow(duration 1000, buckets 2)), got 7`,
    ],
  ])('timeWindow: window %j → TypeError', (window, why) => {
    expect(bad({ ...base, window }, time)).toThrow(message(why));
  });

  it('restoring leaves the snapshot given unchanged', () => {
    const snap = {
      ...base,
      state: 'open',
      openUntil: W + 5,
      window: { kind: 'consecutive', failures: 7 },
    };
    const copy = structuredClone(snap);
    const breaker = circuitBreaker({ restore: snap as CircuitBreakerSnapshot });
    expect(breaker.metrics()).toMatchObject({ calls: 7, failures: 7 });
    expect(snap).toEqual(copy);
  });
});
