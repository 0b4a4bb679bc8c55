import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createFailpoints,
  type FailpointRegistry,
  failpoint,
  failpoints,
} from '../../src/chaos/failpoints/registry.js';
import { systemClock } from '../../src/core/system-clock.js';
import { VirtualClock } from '../../src/testing/index.js';
import { thrownBy, track } from '../helpers/common.js';

afterEach(() => {
  failpoints.clear();
  failpoints.use();
});

/** Which of `n` calls of `name` fired (1) or not (0), as a string like '0110'. */
function fired(points: FailpointRegistry, name: string, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) {
    const result = points.failpoint(name);
    result?.catch(() => {});
    out += result === undefined ? '0' : '1';
  }
  return out;
}

describe('failpoints.set / remove / clear', () => {
  it('set replaces a failpoint: counts and stats start again', () => {
    const points = createFailpoints();
    points.set('a', '1*return(x)');
    expect(fired(points, 'a', 2)).toBe('10');
    expect(points.stats('a')).toEqual({ calls: 2, injected: 1 });
    points.set('a', '1*return(x)');
    expect(points.stats('a')).toEqual({ calls: 0, injected: 0 });
    expect(fired(points, 'a', 2)).toBe('10');
  });

  it('a malformed spec leaves the failpoint as it was', () => {
    const points = createFailpoints();
    points.set('a', 'return(x)');
    expect(thrownBy(() => points.set('a', '3*thro'))).toBeInstanceOf(SyntaxError);
    expect(points.list()).toEqual([{ name: 'a', spec: 'return(x)' }]);
    expect(fired(points, 'a', 1)).toBe('1');
  });

  it.each([
    [['', 'off'], 'failpoints.set: `name` must be a non-empty string, got ""'],
    [[42, 'off'], 'failpoints.set: `name` must be a non-empty string, got 42'],
    [['a', undefined], 'failpoints.set: `spec` must be a string, got undefined'],
  ])('set%j throws a TypeError', (args, message) => {
    const points = createFailpoints();
    const error = thrownBy(() => points.set(...(args as [string, string])));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe(message);
  });

  it('remove unconfigures one failpoint and tells whether it was set', () => {
    const points = createFailpoints();
    points.set('a', 'throw');
    points.set('b', 'throw');
    expect(points.remove('a')).toBe(true);
    expect(points.remove('a')).toBe(false);
    expect(points.failpoint('a')).toBeUndefined();
    expect(points.stats('a')).toEqual({ calls: 0, injected: 0 });
    expect(points.list()).toEqual([{ name: 'b', spec: 'throw' }]);
  });

  it('clear unconfigures everything', () => {
    const points = createFailpoints();
    points.set('a', 'throw');
    points.set('b', 'hang');
    points.clear();
    expect(points.list()).toEqual([]);
    expect(points.failpoint('a')).toBeUndefined();
    expect(points.failpoint('b')).toBeUndefined();
  });

  it('list gives names and trimmed specs in the order they were set', () => {
    const points = createFailpoints();
    points.set('b', ' 10%throw(x) ');
    points.set('a', 'off');
    expect(points.list()).toEqual([
      { name: 'b', spec: '10%throw(x)' },
      { name: 'a', spec: 'off' },
    ]);
  });
});

describe('failpoints.configure', () => {
  it('replaces the whole set with the text', () => {
    const points = createFailpoints();
    points.set('old', 'throw');
    points.configure('db.query=10%throw(connection reset);cache.get=3*delay(200)->off;auth=hang');
    expect(points.list()).toEqual([
      { name: 'db.query', spec: '10%throw(connection reset)' },
      { name: 'cache.get', spec: '3*delay(200)->off' },
      { name: 'auth', spec: 'hang' },
    ]);
    expect(points.failpoint('old')).toBeUndefined();
  });

  it.each([undefined, '', '  ', ';'])('configure(%j) configures nothing (and clears)', (text) => {
    const points = createFailpoints();
    points.set('a', 'throw');
    points.configure(text);
    expect(points.list()).toEqual([]);
  });

  it('changes nothing when the text is malformed', () => {
    const points = createFailpoints();
    points.set('a', 'return(x)');
    expect(thrownBy(() => points.configure('b=off;c=delay')).message).toBe(
      'failpoints: bad spec for `c` at position 5: expected `(ms)` after delay, got end of spec',
    );
    expect(thrownBy(() => points.configure('b=off;b=hang')).message).toBe(
      'failpoints: bad config at position 6: `b` is configured twice',
    );
    expect(points.list()).toEqual([{ name: 'a', spec: 'return(x)' }]);
  });

  it('is the one line a test setup needs to read an environment variable', () => {
    const env: Record<string, string | undefined> = { BREAKWATER_FAILPOINTS: 'x=return(1)' };
    failpoints.configure(env.BREAKWATER_FAILPOINTS);
    return expect(failpoint('x')).resolves.toBe('1');
  });
});

describe('failpoints.use: time and randomness', () => {
  it('runs delays on the given clock; use() goes back to the defaults', async () => {
    const clock = new VirtualClock();
    const points = createFailpoints();
    points.use({ clock });
    points.set('a', 'delay(5)');
    const call = track(points.failpoint('a')!);
    await clock.advance(5);
    expect(call.state).toBe('resolved');
    points.use();
    const setTimer = vi.spyOn(systemClock, 'setTimer').mockImplementation(() => ({ cancel() {} }));
    try {
      points.set('a', 'delay(5)');
      const controller = new AbortController();
      const late = track(points.failpoint('a', { signal: controller.signal })!);
      expect(setTimer).toHaveBeenCalledTimes(1);
      expect(setTimer.mock.calls[0]?.[1]).toBe(5);
      controller.abort('done');
      await clock.flush();
      expect(late.result).toEqual({ state: 'rejected', reason: 'done' });
    } finally {
      setTimer.mockRestore();
    }
    expect(clock.pending()).toBe(0);
  });

  it('the same seed and spec give the same decisions; use() restarts the streams', () => {
    const points = createFailpoints();
    points.use({ seed: 7 });
    points.set('a', '50%return(x)');
    const first = fired(points, 'a', 64);
    points.use({ seed: 7 });
    expect(fired(points, 'a', 64)).toBe(first);
    const other = createFailpoints();
    other.use({ seed: 7 });
    other.set('a', '50%return(x)');
    expect(fired(other, 'a', 64)).toBe(first);
    expect(first).toMatch(/^(?=.*0)(?=.*1)[01]{64}$/);
  });

  it('each failpoint has its own stream: adding one does not change the others', () => {
    const alone = createFailpoints();
    alone.use({ seed: 'run-1' });
    alone.set('a', '30%throw');
    const together = createFailpoints();
    together.use({ seed: 'run-1' });
    together.set('b', '50%throw');
    together.set('a', '30%throw');
    let a = '';
    let aTogether = '';
    for (let i = 0; i < 50; i++) {
      a += fired(alone, 'a', 1);
      fired(together, 'b', 1);
      aTogether += fired(together, 'a', 1);
    }
    expect(aTogether).toBe(a);
    const b = createFailpoints();
    b.use({ seed: 'run-1' });
    b.set('b', '30%throw');
    expect(fired(b, 'b', 50)).not.toBe(a);
  });

  it.each([
    [{ clok: 1 }, 'failpoints.use: unknown option `clok`; allowed: `clock`, `seed`, `random`'],
    [
      { clock: {} },
      'failpoints.use: `clock` must be a Clock (an object with now() and setTimer()), got an object',
    ],
    [{ seed: 1, random: Math.random }, 'failpoints.use: give `seed` or `random`, not both'],
    [{ seed: Number.NaN }, 'failpoints.use: `seed` must be a finite number or a string, got NaN'],
    [{ random: 0.5 }, 'failpoints.use: `random` must be a function, got 0.5'],
  ])('use(%j) throws a TypeError and keeps the settings', (options, message) => {
    const points = createFailpoints();
    points.use({ seed: 1 });
    points.set('a', '50%return(x)');
    const expected = fired(points, 'a', 20);
    points.set('a', '50%return(x)');
    const error = thrownBy(() => points.use(options as never));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe(message);
    expect(fired(points, 'a', 20)).toBe(expected);
  });
});

describe('the shared registry', () => {
  it('failpoint is the shared registry’s bound failpoint', async () => {
    expect(failpoint).toBe(failpoints.failpoint);
    failpoints.set('shared', 'return(ok)');
    await expect(failpoint('shared')).resolves.toBe('ok');
    expect(failpoints.stats('shared')).toEqual({ calls: 1, injected: 1 });
  });

  it('registries from createFailpoints are independent of it and of each other', () => {
    const a = createFailpoints();
    const b = createFailpoints();
    a.set('x', 'throw');
    expect(fired(b, 'x', 1)).toBe('0');
    expect(fired(failpoints, 'x', 1)).toBe('0');
    expect(fired(a, 'x', 1)).toBe('1');
  });

  it('stats are frozen snapshots', () => {
    failpoints.set('s', 'off');
    const stats = failpoints.stats('s');
    failpoint('s');
    expect(stats).toEqual({ calls: 0, injected: 0 });
    expect(Object.isFrozen(stats)).toBe(true);
  });
});
