/**
 * Invariants 1, 2 and 3 of issue 7 for every policy (retry, timeout in both modes, fallback,
 * circuitBreaker with each breaker kind, bulkhead, the five chaos injectors) and random
 * pipelines of them, with 1-3 concurrent calls. The leak and abort checks run inside the
 * property, while the calls run (see scenario.ts).
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { fcParams } from './arbitraries.js';
import { anySpecArb } from './policy-specs.js';
import { runScenario, scenarioArb } from './scenario.js';

describe('settle, leak and abort properties for every policy', () => {
  test.prop([scenarioArb()], fcParams)(
    'every execute settles exactly once, whatever fn does, for every policy and random pipelines of them all; after settling no policy timer, caller abort listener, bulkhead slot or queue entry, or breaker probe slot is left; a caller abort rejects with signal.reason in the same flush and starts no further task call, fallback or injected action',
    async (s) => {
      const { checks, runs, forever } = await runScenario(s);
      expect(checks).toEqual([]);
      const settled = runs.filter((r) => !forever.includes(r));
      expect(settled.map((r) => r.observed?.count)).toEqual(settled.map(() => 1));
    },
  );

  test.prop([scenarioArb(fc.tuple(anySpecArb))], fcParams)(
    'each policy alone: every execute settles exactly once and leaves nothing behind; a caller abort rejects at once with its reason and nothing starts after it',
    async (s) => {
      const { checks, runs, forever } = await runScenario(s);
      expect(checks).toEqual([]);
      const settled = runs.filter((r) => !forever.includes(r));
      expect(settled.map((r) => r.observed?.count)).toEqual(settled.map(() => 1));
    },
  );
});
