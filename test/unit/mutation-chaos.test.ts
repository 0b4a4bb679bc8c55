/**
 * Tests that kill surviving Stryker mutants of src/chaos (npm run mutate): boundaries and
 * branches no other test pinned down.
 */
import { describe, expect, it } from 'vitest';
import {
  chaosFetch,
  createFailpoints,
  injectBehavior,
  injectLatency,
} from '../../src/chaos/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { track } from '../helpers/common.js';

const MAX_DELAY = 2_147_483_647;

describe('failpoint grammar', () => {
  it('reads a count of more than one digit', () => {
    const points = createFailpoints();
    points.set('p', '12*return(x)->off');
    const answers = Array.from({ length: 13 }, () => points.failpoint('p'));
    expect(answers.slice(0, 12).every((a) => a !== undefined)).toBe(true);
    expect(answers[12]).toBeUndefined();
    expect(points.stats('p')).toEqual({ calls: 13, injected: 12 });
  });
});

describe('failpoint options', () => {
  it('takes { signal: undefined } and {} as no signal', async () => {
    const points = createFailpoints();
    points.set('p', 'return(ok)');
    await expect(points.failpoint('p', { signal: undefined })).resolves.toBe('ok');
    await expect(points.failpoint('p', {})).resolves.toBe('ok');
  });
});

describe('injectLatency', () => {
  it('a delay function may return exactly 2^31-1 ms, the largest timer delay', async () => {
    const clock = new VirtualClock();
    const latency = injectLatency({ delay: () => MAX_DELAY, clock });
    const call = track(latency.execute(() => 'late'));
    await clock.advance(MAX_DELAY - 1);
    expect(call.state).toBe('pending');
    await clock.advance(1);
    expect(call.result).toEqual({ state: 'resolved', value: 'late' });
  });
});

describe('injectBehavior', () => {
  it('does not start the task when the call aborted while the side effect ran', async () => {
    const clock = new VirtualClock();
    let release!: () => void;
    const behavior = injectBehavior({
      run: () =>
        new Promise<void>((resolve) => {
          release = resolve;
        }),
      clock,
    });
    const controller = new AbortController();
    let started = false;
    const call = track(
      behavior.execute(
        () => {
          started = true;
          return 'ran';
        },
        { signal: controller.signal },
      ),
    );
    await clock.flush();
    controller.abort('caller left');
    release();
    await clock.flush();
    expect(call.result).toEqual({ state: 'rejected', reason: 'caller left' });
    expect(started).toBe(false);
  });
});

describe('chaosFetch', () => {
  it("follows a Request's own signal when init is given without one", async () => {
    const clock = new VirtualClock();
    const chaos = chaosFetch(async () => new Response('real'), { fault: { delay: 300 }, clock });
    const controller = new AbortController();
    const request = new Request('https://service.test/items', { signal: controller.signal });
    const call = track(chaos(request, { headers: { accept: 'text/plain' } }));
    controller.abort('stop');
    await clock.flush();
    expect(call.result).toEqual({ state: 'rejected', reason: 'stop' });
    expect(clock.pending()).toBe(0);
  });
});
