/**
 * What the circuit breaker counts: `when` and `whenResult`, caller aborts (never counted), and
 * calls let in before a transition that settle after it (not counted).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { circuitBreaker, consecutive } from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { fail, ServiceError } from '../helpers/breaker.js';
import { deferred, track, untilAborted } from '../helpers/common.js';

let clock: VirtualClock;
beforeEach(() => {
  clock = new VirtualClock();
});
afterEach(() => {
  expect(clock.pending()).toBe(0);
});

class NotFound extends Error {}

function openBreaker(threshold = 1, halfOpenAfter = 1_000) {
  return circuitBreaker({ breaker: consecutive(threshold), halfOpenAfter, clock });
}

describe('circuit breaker: what counts as a failure', () => {
  it('errors `when` rejects pass through unchanged and count as successes', async () => {
    const breaker = circuitBreaker({ breaker: consecutive(2), when: ServiceError, clock });
    const notFound = new NotFound('404');
    await fail(breaker, 1);
    await expect(breaker.execute(() => Promise.reject(notFound))).rejects.toBe(notFound);
    expect(breaker.metrics()).toMatchObject({ calls: 0, failures: 0 });
    await fail(breaker, 1);
    expect(breaker.state).toBe('closed');
    await fail(breaker, 1);
    expect(breaker.state).toBe('open');
  });

  it('whenResult(value) === true counts a value as a failure; the call still resolves with it', async () => {
    const breaker = circuitBreaker({
      breaker: consecutive(2),
      whenResult: (v) => v === 503,
      clock,
    });
    await expect(breaker.execute(() => 503)).resolves.toBe(503);
    await expect(breaker.execute(() => 200)).resolves.toBe(200);
    await expect(breaker.execute(() => 503)).resolves.toBe(503);
    expect(breaker.state).toBe('closed');
    await expect(breaker.execute(() => Promise.resolve(503))).resolves.toBe(503);
    expect(breaker.state).toBe('open');
  });

  it('a call its caller aborts is not counted (task honours the signal)', async () => {
    const breaker = openBreaker(1);
    const caller = new AbortController();
    const call = track(
      breaker.execute(({ signal }) => untilAborted(signal), { signal: caller.signal }),
    );
    caller.abort('gone');
    await clock.flush();
    expect(call.result).toEqual({ state: 'rejected', reason: 'gone' });
    expect(breaker.metrics()).toMatchObject({ state: 'closed', calls: 0, failures: 0 });
  });

  it('a call its caller aborts is not counted, even when its task ignores the signal and succeeds later', async () => {
    const breaker = openBreaker(2);
    await fail(breaker, 1);
    const caller = new AbortController();
    const task = deferred<string>();
    const call = track(breaker.execute(() => task.promise, { signal: caller.signal }));
    caller.abort('gone');
    await clock.flush();
    expect(call.result).toEqual({ state: 'rejected', reason: 'gone' });
    task.resolve('late');
    await clock.flush();
    // The aborted call must not break the failure run: one more failure makes two in a row.
    expect(breaker.metrics()).toMatchObject({ calls: 1, failures: 1 });
    await fail(breaker, 1);
    expect(breaker.state).toBe('open');
  });
});

describe('circuit breaker: outcomes of calls let in before a transition', () => {
  it('a call let in while closed that settles while open or half-open is not counted', async () => {
    const breaker = openBreaker(1, 1_000);
    const straggler = deferred<string>();
    const late = track(breaker.execute(() => straggler.promise));
    await fail(breaker, 1);
    straggler.reject(new ServiceError('late'));
    await clock.flush();
    expect(late.state).toBe('rejected');
    expect(breaker.metrics()).toMatchObject({ state: 'open', retryAfter: 1_000 });
    await clock.advance(1_000);
    const straggler2 = deferred<string>();
    // Let in while closed again: a second straggler from before a second break.
    await expect(breaker.execute(() => 'probe')).resolves.toBe('probe');
    const late2 = track(breaker.execute(() => straggler2.promise));
    await fail(breaker, 1);
    await clock.advance(1_000);
    const probe = deferred<string>();
    const p = track(breaker.execute(() => probe.promise));
    straggler2.reject(new ServiceError('late'));
    await clock.flush();
    expect(late2.state).toBe('rejected');
    expect(breaker.state).toBe('half-open'); // the straggler's failure did not reopen it
    probe.resolve('ok');
    await clock.flush();
    expect(p.state).toBe('resolved');
    expect(breaker.state).toBe('closed');
  });

  it('a straggler from before a break is not counted after the breaker has closed again', async () => {
    const breaker = openBreaker(1, 1_000);
    const straggler = deferred<string>();
    const late = track(breaker.execute(() => straggler.promise));
    await fail(breaker, 1);
    await clock.advance(1_000);
    await expect(breaker.execute(() => 'probe')).resolves.toBe('probe');
    expect(breaker.state).toBe('closed');
    straggler.reject(new ServiceError('late'));
    await clock.flush();
    expect(late.state).toBe('rejected');
    expect(breaker.metrics()).toMatchObject({ state: 'closed', calls: 0, failures: 0 });
  });

  it('a straggler is not counted even when calls of the new period are in flight beside it', async () => {
    const breaker = openBreaker(2, 1_000);
    const straggler = deferred<string>();
    const late = track(breaker.execute(() => straggler.promise)); // period 1, no signal
    await fail(breaker, 2); // opens
    await clock.advance(1_000);
    await expect(breaker.execute(() => 'probe')).resolves.toBe('probe'); // closed again
    const fresh = deferred<string>();
    const now = track(breaker.execute(() => fresh.promise)); // the new period, no signal
    straggler.reject(new ServiceError('late'));
    fresh.reject(new ServiceError('now'));
    await clock.flush();
    expect([late.state, now.state]).toEqual(['rejected', 'rejected']);
    // Only the new period's failure counts: one in a row, still closed.
    expect(breaker.metrics()).toMatchObject({ state: 'closed', calls: 1, failures: 1 });
  });

  it('a straggler from before reset() is not counted in the cleared window', async () => {
    const breaker = openBreaker(1, 1_000);
    const straggler = deferred<string>();
    const late = track(breaker.execute(() => straggler.promise));
    breaker.reset();
    straggler.reject(new ServiceError('late'));
    await clock.flush();
    expect(late.state).toBe('rejected');
    expect(breaker.metrics()).toMatchObject({ state: 'closed', calls: 0, failures: 0 });
  });
});
