import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chaosFetch } from '../../src/chaos/fetch/chaos-fetch.js';
import type { FetchFunction } from '../../src/chaos/fetch/types.js';
import type { TriggerContext } from '../../src/chaos/trigger.js';
import {
  InjectedFaultError,
  isInjectedFaultError,
} from '../../src/core/errors/injected-fault-error.js';
import { VirtualClock } from '../../src/testing/index.js';
import { countingSignal, track } from '../helpers/common.js';

const URL_ = 'https://service.test/items';

/** A fake fetch that records its calls and answers `new Response('ok')`. */
function fakeFetch() {
  const calls: { input: unknown; init: RequestInit | undefined }[] = [];
  const fetch: FetchFunction = (input, init) => {
    calls.push({ input, init });
    return Promise.resolve(new Response('ok'));
  };
  return { fetch, calls };
}

let clock: VirtualClock;
beforeEach(() => {
  clock = new VirtualClock();
});
afterEach(() => {
  expect(clock.pending()).toBe(0);
});

describe('chaosFetch: triggers and pass-through', () => {
  it('calls the real fetch with the same arguments when no trigger fires', async () => {
    const inner = fakeFetch();
    const chaos = chaosFetch(inner.fetch, { when: () => false, fault: { status: 503 }, clock });
    const init = { method: 'POST', body: 'x' };
    const res = await chaos(URL_, init);
    expect(await res.text()).toBe('ok');
    expect(inner.calls).toEqual([{ input: URL_, init }]);
    expect(chaos.stats).toEqual({ calls: 1, injected: 0 });
  });

  it('fires on every call without `when`', async () => {
    const inner = fakeFetch();
    const chaos = chaosFetch(inner.fetch, { fault: { status: 500 }, clock });
    expect((await chaos(URL_)).status).toBe(500);
    expect((await chaos(URL_)).status).toBe(500);
    expect(inner.calls).toEqual([]);
    expect(chaos.stats).toEqual({ calls: 2, injected: 2 });
  });

  it('gives triggers the call number, the clock time, its random stream and attempt 1', async () => {
    const seen: TriggerContext[] = [];
    const chaos = chaosFetch(fakeFetch().fetch, {
      when: (ctx) => {
        seen.push(ctx);
        return ctx.call <= 2;
      },
      fault: { status: 503 },
      clock,
      random: () => 0.25,
    });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      statuses.push((await chaos(URL_)).status);
      await clock.advance(10);
    }
    expect(statuses).toEqual([503, 503, 200]);
    expect(seen.map(({ call, now, attempt }) => ({ call, now, attempt }))).toEqual([
      { call: 1, now: 0, attempt: 1 },
      { call: 2, now: 10, attempt: 1 },
      { call: 3, now: 20, attempt: 1 },
    ]);
    expect(seen[0]?.random()).toBe(0.25);
  });

  it('rules: the first rule whose trigger fires wins; a rule without `when` always fires', async () => {
    const inner = fakeFetch();
    const chaos = chaosFetch(inner.fetch, {
      rules: [
        {
          when: ({ call }) => call % 3 === 0,
          fault: { status: 429, headers: { 'retry-after': '2' } },
        },
        { when: ({ call }) => call % 2 === 0, fault: { reset: true } },
        { fault: { delay: 0 } },
      ],
      clock,
    });
    const outcomes: string[] = [];
    for (let i = 1; i <= 6; i++) {
      const call = track(chaos(URL_));
      await clock.runAll();
      const r = call.result;
      outcomes.push(
        r.state === 'resolved'
          ? `${r.value.status}${r.value.headers.get('retry-after') ?? ''}`
          : (r as { reason: Error }).reason.message,
      );
    }
    expect(outcomes).toEqual(['200', 'fetch failed', '4292', 'fetch failed', '200', '4292']);
    expect(inner.calls.length).toBe(2);
    expect(chaos.stats).toEqual({ calls: 6, injected: 6 });
  });

  it('a trigger that throws rejects the call with its error, fetch not called', async () => {
    const inner = fakeFetch();
    const boom = new Error('trigger bug');
    const chaos = chaosFetch(inner.fetch, {
      when: () => {
        throw boom;
      },
      fault: { status: 503 },
    });
    await expect(chaos(URL_)).rejects.toBe(boom);
    expect(inner.calls).toEqual([]);
  });

  it('a synchronous throw of the real fetch becomes a rejection', async () => {
    const boom = new TypeError('bad url');
    const chaos = chaosFetch(
      () => {
        throw boom;
      },
      { when: () => false, fault: { status: 503 } },
    );
    await expect(chaos(URL_)).rejects.toBe(boom);
  });

  it('enabled = false passes every call through, uncounted; resetStats zeroes the counts', async () => {
    const inner = fakeFetch();
    const seen: number[] = [];
    const chaos = chaosFetch(inner.fetch, {
      when: ({ call }) => {
        seen.push(call);
        return true;
      },
      fault: { status: 503 },
      enabled: false,
    });
    expect((await chaos(URL_)).status).toBe(200);
    expect(chaos.stats).toEqual({ calls: 0, injected: 0 });
    chaos.enabled = true;
    expect(chaos.enabled).toBe(true);
    expect((await chaos(URL_)).status).toBe(503);
    chaos.enabled = false;
    expect((await chaos(URL_)).status).toBe(200);
    expect(seen).toEqual([1]);
    expect(chaos.stats).toEqual({ calls: 1, injected: 1 });
    chaos.resetStats();
    expect(chaos.stats).toEqual({ calls: 0, injected: 0 });
    expect(() => {
      chaos.enabled = 'yes' as never;
    }).toThrow(new TypeError('chaosFetch: `enabled` must be a boolean, got "yes"'));
  });

  it('stats are frozen snapshots', async () => {
    const chaos = chaosFetch(fakeFetch().fetch, { fault: { status: 503 } });
    const before = chaos.stats;
    await chaos(URL_);
    expect(before).toEqual({ calls: 0, injected: 0 });
    expect(Object.isFrozen(before)).toBe(true);
  });
});

describe('chaosFetch: faults', () => {
  it('{ status, headers, body } answers with that Response without calling fetch', async () => {
    const inner = fakeFetch();
    const chaos = chaosFetch(inner.fetch, {
      fault: { status: 429, headers: [['Retry-After', '3']], body: 'slow down' },
    });
    const res = await chaos(URL_);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(await res.text()).toBe('slow down');
    const again = await chaos(URL_);
    expect(await again.text()).toBe('slow down'); // a fresh Response each time
    expect(inner.calls).toEqual([]);
  });

  it('{ status } alone answers with an empty body', async () => {
    const res = await chaosFetch(fakeFetch().fetch, { fault: { status: 204 } })(URL_);
    expect(res.status).toBe(204);
    expect(res.body).toBeNull();
  });

  it('{ reset: true } rejects like undici: TypeError("fetch failed") caused by ECONNRESET', async () => {
    const inner = fakeFetch();
    const chaos = chaosFetch(inner.fetch, { fault: { reset: true }, name: 'api' });
    const error = (await chaos(URL_).catch((e: unknown) => e)) as TypeError;
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('fetch failed');
    const cause = error.cause as Error & { code: string; syscall: string };
    expect(cause).toBeInstanceOf(Error);
    expect([cause.message, cause.code, cause.syscall]).toEqual([
      'read ECONNRESET',
      'ECONNRESET',
      'read',
    ]);
    expect(isInjectedFaultError(cause.cause)).toBe(true);
    expect(cause.cause).toEqual(new InjectedFaultError('api', 'Connection reset injected by api'));
    expect((cause.cause as InjectedFaultError).injector).toBe('api');
    expect(inner.calls).toEqual([]);
  });

  it('{ delay } waits on the clock, then calls the real fetch', async () => {
    const inner = fakeFetch();
    const chaos = chaosFetch(inner.fetch, { fault: { delay: 300 }, clock });
    const call = track(chaos(URL_, { method: 'GET' }));
    await clock.advance(299);
    expect(inner.calls).toEqual([]);
    await clock.advance(1);
    expect(inner.calls).toEqual([{ input: URL_, init: { method: 'GET' } }]);
    expect(call.state).toBe('resolved');
    expect(chaos.stats).toEqual({ calls: 1, injected: 1 });
  });

  it('{ delay }: an abort during the wait rejects with the reason; fetch never called', async () => {
    const inner = fakeFetch();
    const chaos = chaosFetch(inner.fetch, { fault: { delay: 300 }, clock });
    const signal = countingSignal();
    const call = track(chaos(URL_, { signal: signal.signal }));
    await clock.advance(100);
    const reason = new DOMException('user left', 'AbortError');
    signal.abort(reason);
    await clock.flush();
    expect(call.result).toEqual({ state: 'rejected', reason });
    expect(signal.listeners()).toBe(0);
    expect(clock.pending()).toBe(0);
    expect(inner.calls).toEqual([]);
  });

  it("{ delay } honours a Request's own signal", async () => {
    const chaos = chaosFetch(fakeFetch().fetch, { fault: { delay: 300 }, clock });
    const controller = new AbortController();
    const call = track(chaos(new Request(URL_, { signal: controller.signal })));
    controller.abort('stop');
    await clock.flush();
    expect(call.result).toEqual({ state: 'rejected', reason: 'stop' });
  });

  it('{ stallBody } answers a 200 at once whose body errors with the reason on abort', async () => {
    const inner = fakeFetch();
    const chaos = chaosFetch(inner.fetch, { fault: { stallBody: true }, clock });
    const signal = countingSignal();
    const res = await chaos(URL_, { signal: signal.signal });
    expect(res.status).toBe(200);
    const text = track(res.text());
    await clock.advance(60_000);
    expect(text.state).toBe('pending');
    const reason = new Error('client gave up');
    signal.abort(reason);
    await clock.flush();
    expect(text.result).toEqual({ state: 'rejected', reason });
    expect(signal.listeners()).toBe(0);
    expect(inner.calls).toEqual([]);
  });

  it('{ stallBody }: cancelling the body removes the abort listener', async () => {
    const chaos = chaosFetch(fakeFetch().fetch, { fault: { stallBody: true } });
    const signal = countingSignal();
    const res = await chaos(URL_, { signal: signal.signal });
    expect(signal.listeners()).toBe(1);
    await res.body?.cancel();
    expect(signal.listeners()).toBe(0);
  });

  it('an already-aborted signal rejects at once with its reason: no fetch, no count', async () => {
    const inner = fakeFetch();
    const reason = new Error('already');
    const chaos = chaosFetch(inner.fetch, { when: () => false, fault: { status: 503 } });
    await expect(chaos(URL_, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    await expect(chaos(new Request(URL_, { signal: AbortSignal.abort(reason) }))).rejects.toBe(
      reason,
    );
    expect(inner.calls).toEqual([]);
    expect(chaos.stats).toEqual({ calls: 0, injected: 0 });
  });

  it('init.signal wins over the Request signal', async () => {
    const chaos = chaosFetch(fakeFetch().fetch, { fault: { delay: 10 }, clock });
    const request = new Request(URL_, { signal: AbortSignal.abort('request') });
    const controller = new AbortController();
    const call = track(chaos(request, { signal: controller.signal }));
    await clock.flush();
    expect(call.state).toBe('pending');
    controller.abort('init');
    await clock.flush();
    expect(call.result).toEqual({ state: 'rejected', reason: 'init' });
  });

  it('the same seed gives the same faults; the name selects the stream', async () => {
    const run = async (name: string) => {
      const chaos = chaosFetch(fakeFetch().fetch, {
        when: ({ random }) => random() < 0.5,
        fault: { status: 503 },
        seed: 99,
        name,
      });
      let out = '';
      for (let i = 0; i < 40; i++) out += (await chaos(URL_)).status === 503 ? '1' : '0';
      return out;
    };
    const first = await run('fetch');
    expect(await run('fetch')).toBe(first);
    expect(await run('other')).not.toBe(first);
    expect(first).toMatch(/^(?=.*0)(?=.*1)[01]{40}$/);
  });
});

describe('chaosFetch: as fetch does', () => {
  it('an explicit `init.signal: null` means no signal, even over an aborted Request signal', async () => {
    const { fetch, calls } = fakeFetch();
    const chaos = chaosFetch(fetch, {
      when: ({ call }) => call === 2,
      fault: { status: 503 },
      clock,
    });
    const caller = new AbortController();
    caller.abort('gone');
    const request = new Request(URL_, { signal: caller.signal });
    await expect(chaos(request, { signal: null })).resolves.toBeInstanceOf(Response);
    expect(calls).toHaveLength(1);
    expect((await chaos(request, { signal: null })).status).toBe(503);
    await expect(chaos(request)).rejects.toBe('gone');
  });

  it('an injected Response carries the request URL, for a string, a URL and a Request', async () => {
    const { fetch } = fakeFetch();
    const status = chaosFetch(fetch, { fault: { status: 429 }, clock });
    expect((await status(URL_)).url).toBe(URL_);
    expect((await status(new URL(URL_))).url).toBe(URL_);
    expect((await status(new Request(URL_))).url).toBe(URL_);
    const stall = chaosFetch(fetch, { fault: { stallBody: true }, clock });
    const caller = new AbortController();
    const response = await stall(URL_, { signal: caller.signal });
    expect(response.url).toBe(URL_);
    caller.abort('done');
    await expect(response.text()).rejects.toBe('done');
  });
});
