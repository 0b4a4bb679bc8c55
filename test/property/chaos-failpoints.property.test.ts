import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  type FailpointAction,
  type FailpointTerm,
  parseSpec,
} from '../../src/chaos/failpoints/grammar.js';
import { createFailpoints } from '../../src/chaos/failpoints/registry.js';
import { VirtualClock } from '../../src/testing/index.js';
import { countingSignal, track } from '../helpers/common.js';
import { fcParams } from './arbitraries.js';

/** Argument text: anything but `)` (the grammar's only forbidden character) and `;` (configure splits there). */
const argArb = fc.string({ maxLength: 8 }).filter((s) => !/[);]/.test(s));

const actionArb: fc.Arbitrary<FailpointAction> = fc.oneof(
  fc
    .option(
      argArb.filter((s) => s !== ''),
      { nil: undefined },
    )
    .map((message) =>
      message === undefined ? { type: 'throw' as const } : { type: 'throw' as const, message },
    ),
  fc.integer({ min: 0, max: 500 }).map((ms) => ({ type: 'delay' as const, ms })),
  fc.constant({ type: 'hang' as const }),
  argArb.map((value) => ({ type: 'return' as const, value })),
  fc.constant({ type: 'off' as const }),
);

const termArb: fc.Arbitrary<FailpointTerm> = fc
  .record({
    percent: fc.option(
      fc.integer({ min: 0, max: 1000 }).map((n) => n / 10),
      { nil: undefined },
    ),
    count: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
    action: actionArb,
  })
  .map(({ percent, count, action }) => ({
    ...(percent === undefined ? {} : { percent }),
    ...(count === undefined ? {} : { count }),
    action,
  }));

const blankArb = fc.constantFrom('', ' ', '  ', '\t');

function argument(action: FailpointAction): string {
  if (action.type === 'throw') return action.message === undefined ? '' : `(${action.message})`;
  if (action.type === 'delay') return `(${action.ms})`;
  if (action.type === 'return') return `(${action.value})`;
  return '';
}

/** Prints terms in the grammar, with `blank` around every token. */
function print(terms: readonly FailpointTerm[], blank: string): string {
  const b = blank;
  return terms
    .map(
      (t) =>
        (t.percent === undefined ? '' : `${t.percent}${b}%${b}`) +
        (t.count === undefined ? '' : `${t.count}${b}*${b}`) +
        `${t.action.type}${b}${argument(t.action)}`,
    )
    .map((text) => `${b}${text}${b}`)
    .join('->');
}

describe('failpoints (property)', () => {
  test.prop([fc.array(termArb, { minLength: 1, maxLength: 4 }), blankArb], fcParams)(
    'any spec printed from terms (blanks around tokens) parses back to the same terms',
    (terms, blank) => {
      expect(parseSpec('p', print(terms, blank))).toEqual(terms);
    },
  );

  const noWaitTermArb = termArb.filter(
    (t) => t.action.type !== 'delay' && t.action.type !== 'hang',
  );

  test.prop(
    [
      fc.array(noWaitTermArb, { minLength: 1, maxLength: 4 }),
      fc.integer(),
      fc.integer({ min: 1, max: 60 }),
    ],
    fcParams,
  )('the same seed and configuration give the same fired history', async (terms, seed, calls) => {
    const spec = print(terms, '');
    const run = async () => {
      const points = createFailpoints();
      points.use({ seed });
      points.configure(`other=50%throw;p=${spec}`);
      const out: string[] = [];
      for (let i = 0; i < calls; i++) {
        points.failpoint('other')?.catch(() => {});
        const result = points.failpoint('p');
        out.push(
          result === undefined
            ? 'none'
            : await result.then(
                (v) => `=${v}`,
                () => 'throw',
              ),
        );
      }
      return { out, stats: points.stats('p') };
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(first.stats).toEqual({
      calls,
      injected: first.out.filter((o) => o !== 'none').length,
    });
  });

  test.prop([fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 30 })], fcParams)(
    'n*action fires exactly n times, then the next term takes over',
    async (n, extra) => {
      const points = createFailpoints();
      points.set('p', `${n}*return(a)->return(b)`);
      const out: string[] = [];
      for (let i = 0; i < n + extra; i++) out.push((await points.failpoint('p')) ?? 'none');
      expect(out).toEqual([...Array(n).fill('a'), ...Array(extra).fill('b')]);
    },
  );

  test.prop(
    [
      fc.array(
        fc.record({
          action: fc.constantFrom('hang', 'delay(100)'),
          abortAt: fc.option(fc.integer({ min: 0, max: 150 }), { nil: undefined }),
        }),
        { minLength: 1, maxLength: 6 },
      ),
      fc.constantFrom<'clear' | 'set' | 'configure' | 'remove'>(
        'clear',
        'set',
        'configure',
        'remove',
      ),
    ],
    fcParams,
  )(
    'every delayed or hung call settles exactly once (abort, time or reconfiguration) and leaves no timer or listener',
    async (calls, reconfigure) => {
      const clock = new VirtualClock();
      const points = createFailpoints();
      points.use({ clock });
      const running = calls.map(({ action, abortAt }, i) => {
        points.set(`p${i}`, action);
        const signal = countingSignal();
        const settled = { count: 0 };
        const call = track(points.failpoint(`p${i}`, { signal: signal.signal })!);
        call.promise.then(
          () => settled.count++,
          () => settled.count++,
        );
        if (abortAt !== undefined) clock.setTimer(() => signal.abort('stop'), abortAt);
        return { action, abortAt, call, signal, settled };
      });
      await clock.advance(200);
      calls.forEach((_, i) => {
        if (reconfigure === 'set') points.set(`p${i}`, 'off');
        if (reconfigure === 'remove') points.remove(`p${i}`);
      });
      if (reconfigure === 'clear') points.clear();
      if (reconfigure === 'configure') points.configure('');
      await clock.flush();
      for (const { action, abortAt, call, signal, settled } of running) {
        const aborted = abortAt !== undefined && (action === 'hang' || abortAt < 100);
        expect(call.result).toEqual(
          aborted ? { state: 'rejected', reason: 'stop' } : { state: 'resolved', value: undefined },
        );
        expect(settled.count).toBe(1);
        expect(signal.listeners()).toBe(0);
      }
      expect(clock.pending()).toBe(0);
    },
  );
});
