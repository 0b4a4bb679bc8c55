/**
 * Invariant 11 of issue 7: for any value (fc.anything and edge values) in any option of any
 * factory, and for unknown option keys, building either succeeds, the value being one the
 * docs allow, or throws a TypeError/RangeError naming the factory and the option; never
 * anything else, and never later: after a successful build, one execute of a resolving task
 * settles without a validation error. The option rules are in option-rules.ts.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { type Breaker, circuitBreaker } from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { countingSignal } from '../helpers/common.js';
import { fcParams, observe } from './arbitraries.js';
import { type Built, type Factory, factories, unknownKeyArb, valueArb } from './option-rules.js';

/** Runs one call of `() => 42` through what was built; its outcome once settled. */
async function runOnce(built: Built, clock: VirtualClock) {
  const policy = 'execute' in built ? built : circuitBreaker({ breaker: built as Breaker, clock });
  const caller = countingSignal();
  const call = observe(
    policy.execute(() => 42, { signal: caller.signal }),
    clock,
  );
  await clock.runAll();
  const settledByItself = call.count === 1;
  if (!settledByItself) caller.abort(new Error('caller gave up'));
  await clock.flush();
  return { call, settledByItself };
}

/** `String(value)`, also for values that refuse it (null-prototype objects, symbols). */
function show(value: unknown): string {
  try {
    return typeof value === 'function' ? `function ${value.name}` : String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function expectNamedError(error: unknown, factory: string, option: string): void {
  expect(error instanceof TypeError || error instanceof RangeError, show(error)).toBe(true);
  const message = (error as Error).message;
  expect(message.startsWith(`${factory}`), message).toBe(true);
  expect(message.includes(option), `${message} should name ${option}`).toBe(true);
}

/** Builds `factory` with `value` in option `key`; checks the invariant for that one build. */
async function checkOne(factory: Factory, key: string, value: unknown): Promise<void> {
  const clock = new VirtualClock();
  const options = { ...factory.base(clock), [key]: value };
  const oracle = factory.options[key];
  const label = `${factory.name}({ ${key}: ${show(value)} })`;
  let built: Built;
  try {
    built = factory.build(options);
  } catch (error) {
    expectNamedError(error, factory.name, key);
    if (oracle !== undefined)
      expect(oracle(value), `${label}: a valid value was refused`).toBe(false);
    return;
  }
  expect(oracle, `${label}: an unknown option was accepted`).toBeDefined();
  expect(oracle!(value), `${label}: an invalid value was accepted`).toBe(true);
  // A valid countWindow of 2^30 calls would allocate 1 GiB: building it is proof enough.
  if (factory.name === 'countWindow' && (value as number) > 1e6) return;
  const { call, settledByItself } = await runOnce(built, clock);
  expect(call.count, label).toBe(1);
  if (factory.hangs !== true) expect(settledByItself, `${label}: the call hung`).toBe(true);
  // A function is a valid `error` or `delay`; what it returns is checked per call
  // (documented), e.g. `() => 0` as `error` rejects that call with a TypeError.
  const checkedResult =
    typeof value === 'function' &&
    ((factory.name === 'injectFault' && key === 'error') ||
      (factory.name === 'injectLatency' && key === 'delay'));
  if (call.status === 'rejected' && !checkedResult) {
    const v = call.value;
    expect(v instanceof TypeError || v instanceof RangeError, `${label}: ${show(v)}`).toBe(false);
  }
}

describe('bad options', () => {
  for (const factory of factories) {
    const keys = Object.keys(factory.options);
    // One value for each option, tried one option at a time, and an unknown key.
    const valuesArb = fc.tuple(...keys.map(() => valueArb));
    const unknownArb = factory.positional
      ? fc.constant(undefined)
      : fc.tuple(unknownKeyArb, valueArb);
    test.prop([valuesArb, unknownArb], fcParams)(
      `${factory.name}: for any value in any option (or an unknown key), building succeeds with a value the docs allow, or throws a TypeError/RangeError naming the option; never later`,
      async (values, unknown) => {
        for (const [i, key] of keys.entries()) await checkOne(factory, key, values[i]);
        if (unknown !== undefined) await checkOne(factory, unknown[0], unknown[1]);
      },
    );
  }

  test.prop([fc.constantFrom(...factories), valueArb], fcParams)(
    'any value as the whole options argument: building succeeds or throws a TypeError/RangeError naming the factory; never anything else',
    (factory, value) => {
      try {
        factory.build(factory.name === 'consecutive' ? { threshold: value } : (value as never));
      } catch (error) {
        expect(error instanceof TypeError || error instanceof RangeError, show(error)).toBe(true);
        expect((error as Error).message.startsWith(factory.name)).toBe(true);
      }
    },
  );
});
