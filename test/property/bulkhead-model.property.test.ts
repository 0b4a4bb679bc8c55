/**
 * Model-based test of the bulkhead (fc.commands): random arrivals, task settlements, caller
 * aborts and clock advances run against the real policy and a tiny reference model; after
 * every command both must agree on who runs, who waits, the start order and every outcome.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { type BulkheadPolicy, BulkheadRejectedError, bulkhead } from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { type CountingSignal, countingSignal, type Deferred, deferred } from '../helpers/common.js';
import { fcParams, type Observed, observe } from './arbitraries.js';

interface Config {
  readonly limit: number;
  readonly queue: number;
  readonly queueTimeout: number | undefined;
}

/** What the model says a call's promise should be: pending, or settled with this text. */
type Expected = 'pending' | string;

interface Model {
  readonly config: Config;
  now: number;
  /** Calls whose task holds a slot (started, not settled), oldest first. */
  running: number[];
  /** Calls in the queue, first in first out, with their queue deadline. */
  waiting: { id: number; deadline: number }[];
  starts: number[];
  expected: Expected[];
  honours: boolean[];
}

interface Call {
  readonly caller: CountingSignal;
  readonly observed: Observed;
  gate: Deferred<string> | undefined;
}

interface Real {
  readonly clock: VirtualClock;
  readonly policy: BulkheadPolicy;
  readonly calls: Call[];
  readonly starts: number[];
  readonly problems: string[];
}

/** A settled promise as text comparable with the model's expectation. */
function text(o: Observed): Expected {
  if (o.count === 0) return 'pending';
  const v = o.value;
  if (v instanceof BulkheadRejectedError) return `${v.reason} ${v.executing}/${v.queued}`;
  return `${o.status} ${v instanceof Error ? v.message : String(v)}`;
}

/** Hands free slots to waiters, oldest first (what the bulkhead does when a slot frees). */
function promote(m: Model): void {
  while (m.running.length < m.config.limit && m.waiting.length > 0) {
    const { id } = m.waiting.shift()!;
    m.running.push(id);
    m.starts.push(id);
  }
}

async function agree(m: Model, r: Real): Promise<void> {
  await r.clock.flush();
  expect(r.problems).toEqual([]);
  expect([r.policy.executing, r.policy.queued]).toEqual([m.running.length, m.waiting.length]);
  expect(r.starts).toEqual(m.starts);
  // One queue timer per waiter (none without queueTimeout): no timer outlives its waiter.
  expect(r.clock.pending()).toBe(m.config.queueTimeout === undefined ? 0 : m.waiting.length);
  expect(r.calls.map((c) => text(c.observed))).toEqual(m.expected);
  expect(r.calls.every((c) => c.observed.count <= 1)).toBe(true);
}

class Arrive implements fc.AsyncCommand<Model, Real> {
  constructor(readonly honours: boolean) {}
  check = (): boolean => true;
  async run(m: Model, r: Real): Promise<void> {
    const id = r.calls.length;
    const { limit, queue, queueTimeout } = m.config;
    const caller = countingSignal();
    const call: Call = { caller, gate: undefined, observed: undefined as never };
    r.calls.push(call);
    const task = ({ signal }: { signal: AbortSignal }): Promise<string> => {
      r.starts.push(id);
      const { executing, queued } = r.policy;
      if (executing > limit || queued > queue) r.problems.push(`${executing}/${queued} at start`);
      if (signal.aborted) r.problems.push(`call ${id} started though aborted`);
      const gate = deferred<string>();
      call.gate = gate;
      if (this.honours) {
        const onAbort = (): void => gate.reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        gate.promise.then(
          () => signal.removeEventListener('abort', onAbort),
          () => signal.removeEventListener('abort', onAbort),
        );
      }
      return gate.promise;
    };
    (call as { observed: Observed }).observed = observe(
      r.policy.execute(task, { signal: caller.signal }),
      r.clock,
    );
    m.honours.push(this.honours);
    if (m.running.length < limit && m.waiting.length === 0) {
      m.running.push(id);
      m.starts.push(id);
      m.expected.push('pending');
    } else if (m.waiting.length < queue) {
      m.waiting.push({ id, deadline: m.now + (queueTimeout ?? Number.POSITIVE_INFINITY) });
      m.expected.push('pending');
    } else {
      m.expected.push(`full ${m.running.length}/${m.waiting.length}`);
    }
    await agree(m, r);
  }
  toString = (): string => `arrive(${this.honours ? 'honours' : 'ignores'} its signal)`;
}

class Settle implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly pick: number,
    readonly ok: boolean,
  ) {}
  check = (m: Readonly<Model>): boolean => m.running.length > 0;
  async run(m: Model, r: Real): Promise<void> {
    const id = m.running[this.pick % m.running.length]!;
    const outcome = `task ${id}`;
    if (this.ok) r.calls[id]!.gate!.resolve(outcome);
    else r.calls[id]!.gate!.reject(new Error(outcome));
    m.running = m.running.filter((x) => x !== id);
    if (m.expected[id] === 'pending')
      m.expected[id] = `${this.ok ? 'resolved' : 'rejected'} ${outcome}`;
    promote(m);
    await agree(m, r);
  }
  toString = (): string => `settle(${this.pick}, ${this.ok ? 'ok' : 'fail'})`;
}

class Abort implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>): boolean => m.expected.includes('pending');
  async run(m: Model, r: Real): Promise<void> {
    const pending = m.expected.flatMap((e, id) => (e === 'pending' ? [id] : []));
    const id = pending[this.pick % pending.length]!;
    r.calls[id]!.caller.abort(`abort ${id}`);
    m.expected[id] = `rejected abort ${id}`;
    if (m.waiting.some((w) => w.id === id)) {
      m.waiting = m.waiting.filter((w) => w.id !== id);
    } else if (m.honours[id]) {
      m.running = m.running.filter((x) => x !== id); // the task stops: its slot frees
      promote(m);
    } // else the task ignores the abort and keeps its slot until it settles
    await agree(m, r);
  }
  toString = (): string => `abort(${this.pick})`;
}

class Advance implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ms: number) {}
  check = (): boolean => true;
  async run(m: Model, r: Real): Promise<void> {
    m.now += this.ms;
    // Nothing frees a slot while time passes, so waiters past their deadline just leave.
    while (m.waiting.length > 0 && m.waiting[0]!.deadline <= m.now) {
      const { id } = m.waiting.shift()!;
      m.expected[id] = `queue-timeout ${m.running.length}/${m.waiting.length}`;
    }
    await r.clock.advance(this.ms);
    await agree(m, r);
  }
  toString = (): string => `advance(${this.ms})`;
}

const configArb: fc.Arbitrary<Config> = fc.record({
  limit: fc.integer({ min: 1, max: 3 }),
  queue: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constant(Number.POSITIVE_INFINITY)),
  queueTimeout: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
});

const commandsArb = fc.commands<Model, Real, false>(
  [
    fc.boolean().map((honours) => new Arrive(honours)),
    fc.tuple(fc.nat(), fc.boolean()).map(([pick, ok]) => new Settle(pick, ok)),
    fc.nat().map((pick) => new Abort(pick)),
    fc.integer({ min: 1, max: 30 }).map((ms) => new Advance(ms)),
  ],
  { maxCommands: 40 },
);

describe('bulkhead model', () => {
  test.prop([configArb, commandsArb], fcParams)(
    'agrees with a FIFO reference model after every arrival, settlement, abort and clock advance: running <= limit, waiting <= queue, same start order and outcomes; once all settle nothing is left',
    async (config, commands) => {
      const clock = new VirtualClock();
      const policy = bulkhead({
        limit: config.limit,
        queue: config.queue,
        clock,
        ...(config.queueTimeout === undefined ? {} : { queueTimeout: config.queueTimeout }),
      });
      const real: Real = { clock, policy, calls: [], starts: [], problems: [] };
      const model: Model = {
        config,
        now: 0,
        running: [],
        waiting: [],
        starts: [],
        expected: [],
        honours: [],
      };
      await fc.asyncModelRun(() => ({ model, real }), commands);
      // Let everything settle: every caller aborts (waiters leave), every running task ends.
      for (const call of real.calls) call.caller.abort('end');
      for (const call of real.calls) call.gate?.resolve('late');
      await clock.runAll();
      expect(real.problems).toEqual([]);
      expect(real.calls.map((c) => c.observed.count)).toEqual(real.calls.map(() => 1));
      expect([policy.executing, policy.queued, clock.pending()]).toEqual([0, 0, 0]);
      expect(real.calls.map((c) => c.caller.listeners())).toEqual(real.calls.map(() => 0));
    },
  );
});
