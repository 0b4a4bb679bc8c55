// Checks the built package the way users load it: both entries, from ESM and from CJS.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const esm = await import('breakwater');
const esmTesting = await import('breakwater/testing');
const cjs = require('breakwater');
const cjsTesting = require('breakwater/testing');

for (const [label, main, testing] of [
  ['esm', esm, esmTesting],
  ['cjs', cjs, cjsTesting],
]) {
  for (const name of [
    'retry',
    'timeout',
    'fallback',
    'pipeline',
    'exponential',
    'isTimeoutError',
  ]) {
    assert.equal(typeof main[name], 'function', `${label}: breakwater.${name}`);
  }
  assert.equal(typeof testing.VirtualClock, 'function', `${label}: testing.VirtualClock`);
  const clock = new testing.VirtualClock();
  const policy = main.pipeline(
    main.retry({ clock, backoff: main.constant(10) }),
    main.timeout({ after: 50, clock }),
  );
  let calls = 0;
  const call = policy.execute(() => {
    calls++;
    if (calls < 2) throw new Error('first call fails');
    return 'ok';
  });
  await clock.advance(10);
  assert.equal(await call, 'ok', `${label}: a retried call through the built package`);
  assert.equal(clock.pending(), 0, `${label}: nothing left behind`);
}
// An error from one copy is recognised by the other copy's guard (brand, not instanceof).
assert.ok(cjs.isTimeoutError(new esm.TimeoutError(5)));
console.log('smoke: breakwater and breakwater/testing load from ESM and CJS and work');
