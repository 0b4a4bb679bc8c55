/**
 * Tests that kill surviving Stryker mutants of src/timeout (npm run mutate): the watcher list
 * of a TimeoutContext (inner policies waiting on a call under a timeout: a retry's sleep, a
 * queued bulkhead place) and its link to the parent context, which no end-to-end test pins
 * down because a stale watcher is usually harmless there.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AbortWatcher, CallContext } from '../../src/core/context.js';
import { TimeoutError } from '../../src/index.js';
import { TimeoutContext } from '../../src/timeout/timeout-context.js';

/** A parent context that records watch/unwatch and can abort its watchers. */
class FakeParent implements CallContext {
  aborted = false;
  reason: unknown = undefined;
  readonly attempt = 3;
  readonly watchers = new Set<AbortWatcher>();
  watchCalls = 0;
  unwatchCalls = 0;
  get signal(): AbortSignal {
    return new AbortController().signal;
  }
  watch(watcher: AbortWatcher): boolean {
    this.watchCalls++;
    if (this.aborted) return false;
    this.watchers.add(watcher);
    return true;
  }
  unwatch(watcher: AbortWatcher): void {
    this.unwatchCalls++;
    this.watchers.delete(watcher);
  }
  abort(reason: unknown): void {
    this.aborted = true;
    this.reason = reason;
    const all = [...this.watchers];
    this.watchers.clear();
    for (const w of all) w.handleEvent();
  }
}

/** A watcher that logs its name when told. */
const watcher = (log: string[], name: string): AbortWatcher => ({
  handleEvent: () => {
    log.push(name);
  },
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('TimeoutContext watchers', () => {
  it('tells every watcher once, in the order they watched, then forgets them', () => {
    const ctx = new TimeoutContext(new FakeParent());
    const log: string[] = [];
    expect(ctx.watch(watcher(log, 'a'))).toBe(true);
    expect(ctx.watch(watcher(log, 'b'))).toBe(true);
    expect(ctx.watch(watcher(log, 'c'))).toBe(true);
    const error = new TimeoutError(10);
    ctx.expire(error);
    expect(log).toEqual(['a', 'b', 'c']);
    expect([ctx.aborted, ctx.reason, ctx.error]).toEqual([true, error, error]);
    ctx.expire(new TimeoutError(10));
    expect(log).toEqual(['a', 'b', 'c']);
    expect(ctx.reason).toBe(error);
  });

  it('an unwatched watcher is not told, and only that one is removed (first, middle or last)', () => {
    for (const gone of ['a', 'b', 'c']) {
      const ctx = new TimeoutContext(new FakeParent());
      const log: string[] = [];
      const ws = Object.fromEntries(['a', 'b', 'c'].map((n) => [n, watcher(log, n)]));
      for (const n of ['a', 'b', 'c']) ctx.watch(ws[n]!);
      ctx.unwatch(ws[gone]!);
      ctx.expire(new TimeoutError(1));
      expect(log).toEqual(['a', 'b', 'c'].filter((n) => n !== gone));
    }
  });

  it('unwatching a watcher that is not there removes nothing', () => {
    const ctx = new TimeoutContext(new FakeParent());
    const log: string[] = [];
    ctx.unwatch(watcher(log, 'never added')); // no list yet
    ctx.watch(watcher(log, 'a'));
    ctx.watch(watcher(log, 'b'));
    ctx.unwatch(watcher(log, 'stranger'));
    ctx.expire(new TimeoutError(1));
    expect(log).toEqual(['a', 'b']);
  });

  it('a watcher added after the abort is refused and never told', () => {
    const ctx = new TimeoutContext(new FakeParent());
    ctx.expire(new TimeoutError(1));
    const log: string[] = [];
    expect(ctx.watch(watcher(log, 'late'))).toBe(false);
    ctx.expire(new TimeoutError(2));
    expect(log).toEqual([]);
  });

  it('a throwing watcher is reported and the others are still told', () => {
    const report = vi.fn();
    vi.stubGlobal('reportError', report);
    const ctx = new TimeoutContext(new FakeParent());
    const log: string[] = [];
    const boom = new Error('watcher failed');
    ctx.watch(watcher(log, 'a'));
    ctx.watch({
      handleEvent: () => {
        throw boom;
      },
    });
    ctx.watch(watcher(log, 'c'));
    ctx.expire(new TimeoutError(1));
    expect(log).toEqual(['a', 'c']);
    expect(report).toHaveBeenCalledTimes(1);
    expect(report).toHaveBeenCalledWith(boom);
  });
});

describe('TimeoutContext link to its parent', () => {
  it('follows the parent: its abort aborts the context with the same reason', () => {
    const parent = new FakeParent();
    const ctx = new TimeoutContext(parent);
    ctx.link();
    const log: string[] = [];
    ctx.watch(watcher(log, 'inner'));
    const reason = new Error('caller gave up');
    parent.abort(reason);
    expect([ctx.aborted, ctx.reason, ctx.error, log]).toEqual([true, reason, undefined, ['inner']]);
    expect(ctx.attempt).toBe(3);
  });

  it('dispose unwatches the parent once, and not at all after the parent told it of its abort', () => {
    const parent = new FakeParent();
    const linked = new TimeoutContext(parent);
    linked.link();
    linked.dispose();
    linked.dispose();
    expect(parent.unwatchCalls).toBe(1);
    expect(parent.watchers.size).toBe(0);

    const other = new FakeParent();
    const told = new TimeoutContext(other);
    told.link();
    other.abort(new Error('gone'));
    told.dispose();
    expect(other.unwatchCalls).toBe(0);
  });

  it('a context never linked, or linked to an aborted parent, does not unwatch on dispose', () => {
    const parent = new FakeParent();
    new TimeoutContext(parent).dispose();
    expect(parent.unwatchCalls).toBe(0);

    parent.aborted = true;
    const late = new TimeoutContext(parent);
    late.link();
    expect(parent.watchCalls).toBe(1);
    late.dispose();
    expect(parent.unwatchCalls).toBe(0);
  });

  it('the deadline forgets its (fired) timer and drops the link to the parent', () => {
    const parent = new FakeParent();
    const ctx = new TimeoutContext(parent);
    const cancel = vi.fn();
    ctx.timer = { cancel } as never;
    ctx.link();
    ctx.expire(new TimeoutError(5));
    expect(ctx.timer).toBeUndefined();
    expect(cancel).not.toHaveBeenCalled(); // the timer fired: nothing to cancel
    expect(parent.watchers.size).toBe(0);
    expect(parent.unwatchCalls).toBe(1);
  });

  it('a signal read after the abort is already aborted with the reason', () => {
    const ctx = new TimeoutContext(new FakeParent());
    const error = new TimeoutError(7);
    ctx.expire(error);
    expect(ctx.signal.aborted).toBe(true);
    expect(ctx.signal.reason).toBe(error);
  });

  it('aggressive mode: the call is rejected once, with the first reason', () => {
    const ctx = new TimeoutContext(new FakeParent());
    const reject = vi.fn();
    ctx.reject = reject;
    const error = new TimeoutError(7);
    ctx.expire(error);
    ctx.expire(new TimeoutError(8));
    expect(reject).toHaveBeenCalledTimes(1);
    expect(reject).toHaveBeenCalledWith(error);
  });
});
