/**
 * `halfOpenAfter`: a number, or a backoff of the breaks in a row (reset when it closes);
 * `undefined` keeps the previous delay; an invalid delay, or a backoff that throws, is reported
 * and taken as 0.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type Backoff,
  type BackoffInput,
  type BreakEvent,
  circuitBreaker,
  consecutive,
  exponential,
} from '../../src/index.js';
import { seededRandom, VirtualClock } from '../../src/testing/index.js';

let clock: VirtualClock;
beforeEach(() => {
  clock = new VirtualClock();
});
afterEach(() => {
  vi.unstubAllGlobals();
  expect(clock.pending()).toBe(0);
});

/** consecutive(1): each failing call (or failed probe) opens it. */
function build(halfOpenAfter: number | Backoff, random = Math.random) {
  const breaker = circuitBreaker({ breaker: consecutive(1), halfOpenAfter, random, clock });
  const delays: number[] = [];
  breaker.onBreak((e) => delays.push(e.retryAfter));
  const failOnce = () => breaker.execute(() => Promise.reject(new Error('x'))).catch(() => {});
  /** Waits out the break and sends a probe: `ok` closes it, else it opens again. */
  const probe = async (ok: boolean) => {
    await clock.advance(breaker.metrics().retryAfter);
    expect(breaker.state).toBe('half-open');
    await breaker.execute(() => (ok ? 'ok' : Promise.reject(new Error('x')))).catch(() => {});
  };
  return { breaker, delays, failOnce, probe };
}

/** A backoff returning `results` in turn and recording its inputs. */
function script(...results: unknown[]) {
  const inputs: BackoffInput[] = [];
  const backoff = (input: BackoffInput) => {
    inputs.push(input);
    return results[inputs.length - 1] as number | undefined;
  };
  return { inputs, backoff };
}

describe('halfOpenAfter', () => {
  it('a number: every break waits the same', async () => {
    const { breaker, delays, failOnce, probe } = build(250);
    await failOnce();
    expect(breaker.metrics().retryAfter).toBe(250);
    await probe(false);
    await probe(false);
    expect(delays).toEqual([250, 250, 250]);
  });

  it('0: half-open at the next look', async () => {
    const { breaker, failOnce } = build(0);
    await failOnce();
    expect(breaker.state).toBe('half-open');
  });

  it('a backoff gets attempt = breaks in a row, the previous delay and the random option', async () => {
    const random = seededRandom(7);
    const { inputs, backoff } = script(100, 200, 400, 50);
    const { breaker, delays, failOnce, probe } = build(backoff, random);
    await failOnce();
    await probe(false);
    await probe(false);
    expect(delays).toEqual([100, 200, 400]);
    expect(inputs.map(({ attempt, previous }) => [attempt, previous])).toEqual([
      [1, undefined],
      [2, 100],
      [3, 200],
    ]);
    expect(inputs.every((i) => i.random === random)).toBe(true);
    await probe(true); // closes: the count starts again
    expect(breaker.state).toBe('closed');
    await failOnce();
    expect(inputs[3]).toMatchObject({ attempt: 1, previous: undefined });
    expect(delays[3]).toBe(50);
  });

  it('reset() starts the count again', async () => {
    const { inputs, backoff } = script(100, 200, 300);
    const { breaker, failOnce, probe } = build(backoff);
    await failOnce();
    await probe(false);
    breaker.reset();
    await failOnce();
    expect(inputs.map((i) => [i.attempt, i.previous])).toEqual([
      [1, undefined],
      [2, 100],
      [1, undefined],
    ]);
  });

  it('a backoff returning undefined keeps the previous delay (0 on the first break)', async () => {
    const { inputs, backoff } = script(undefined, 300, undefined, 500);
    const { breaker, delays, failOnce, probe } = build(backoff);
    await failOnce();
    expect(breaker.state).toBe('half-open');
    await breaker.execute(() => Promise.reject(new Error('x'))).catch(() => {});
    await probe(false);
    await probe(false);
    expect(delays).toEqual([0, 300, 300, 500]);
    expect(inputs.map((i) => i.previous)).toEqual([undefined, 0, 300, 300]);
  });

  it('exponential() from the retry backoffs works as is', async () => {
    const { delays, failOnce, probe } = build(exponential({ initial: 1_000, jitter: 'none' }));
    await failOnce();
    await probe(false);
    await probe(false);
    expect(delays).toEqual([1_000, 2_000, 4_000]);
  });

  it.each([
    [-1, '-1'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    [2_147_483_648, '2147483648'],
    ['5', '5'],
    [null, 'null'],
  ])('a backoff returning %s is reported and taken as 0', async (bad, shown) => {
    const report = vi.fn();
    vi.stubGlobal('reportError', report);
    const { inputs, backoff } = script(bad, 700);
    const { breaker, delays, failOnce } = build(backoff);
    await failOnce();
    expect(report).toHaveBeenCalledTimes(1);
    const error = report.mock.calls[0]![0] as Error;
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toBe(
      `circuitBreaker: \`halfOpenAfter\` returned ${shown}; expected ms from 0 to 2147483647, so it half-opens at once`,
    );
    expect(delays).toEqual([0]);
    expect(breaker.state).toBe('half-open');
    await breaker.execute(() => Promise.reject(new Error('x'))).catch(() => {});
    expect(inputs[1]).toMatchObject({ attempt: 2, previous: 0 });
    expect(breaker.metrics()).toMatchObject({ state: 'open', retryAfter: 700 });
  });

  it('a backoff that throws is reported and taken as 0; the call that tipped it (closed call or probe) rejects with its own error', async () => {
    const report = vi.fn();
    vi.stubGlobal('reportError', report);
    const thrown = [new Error('backoff 1'), new Error('backoff 2')];
    const inputs: BackoffInput[] = [];
    const backoff = (input: BackoffInput): number => {
      inputs.push(input);
      const error = thrown[inputs.length - 1];
      if (error !== undefined) throw error;
      return 700;
    };
    const breaker = circuitBreaker({ breaker: consecutive(1), halfOpenAfter: backoff, clock });
    const breaks: BreakEvent[] = [];
    breaker.onBreak((e) => breaks.push(e));
    const first = new Error('service down');
    await expect(breaker.execute(() => Promise.reject(first))).rejects.toBe(first);
    expect(report.mock.calls).toEqual([[thrown[0]]]);
    expect(breaks).toEqual([{ reason: 'consecutive', outcome: { error: first }, retryAfter: 0 }]);
    expect(breaker.metrics()).toMatchObject({ state: 'half-open', retryAfter: 0 });
    const second = new Error('probe failed');
    await expect(breaker.execute(() => Promise.reject(second))).rejects.toBe(second);
    expect(report.mock.calls).toEqual([[thrown[0]], [thrown[1]]]);
    expect(breaks[1]).toEqual({
      reason: 'half-open-failure',
      outcome: { error: second },
      retryAfter: 0,
    });
    expect(breaker.state).toBe('half-open');
    await expect(breaker.execute(() => Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(inputs.map((i) => [i.attempt, i.previous])).toEqual([
      [1, undefined],
      [2, 0],
      [3, 0],
    ]);
    expect(breaker.metrics()).toMatchObject({ state: 'open', retryAfter: 700 });
    expect(report).toHaveBeenCalledTimes(2);
  });
});
