// Checks the built package the way users load it: every entry, from ESM and from CJS.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const esm = await import('breakwater');
const esmTesting = await import('breakwater/testing');
const esmChaos = await import('breakwater/chaos');
const cjs = require('breakwater');
const cjsTesting = require('breakwater/testing');
const cjsChaos = require('breakwater/chaos');

for (const [label, main, testing, chaos] of [
  ['esm', esm, esmTesting, esmChaos],
  ['cjs', cjs, cjsTesting, cjsChaos],
]) {
  for (const name of [
    'retry',
    'timeout',
    'fallback',
    'pipeline',
    'exponential',
    'isTimeoutError',
    'circuitBreaker',
    'consecutive',
    'countWindow',
    'timeWindow',
    'isBrokenCircuitError',
    'bulkhead',
    'isBulkheadRejectedError',
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

  for (const name of [
    'injectFault',
    'injectLatency',
    'rate',
    'every',
    'isInjectedFaultError',
    'failpoint',
    'createFailpoints',
    'chaosFetch',
  ]) {
    assert.equal(typeof chaos[name], 'function', `${label}: chaos.${name}`);
  }
  // An injector from breakwater/chaos composes with the policies of breakwater.
  const fault = chaos.injectFault({ name: 'smoke', when: chaos.firstN(1), clock });
  const flaky = main.pipeline(main.retry({ clock, backoff: main.constant(0) }), fault);
  assert.equal(await flaky.execute(() => 'ok'), 'ok', `${label}: retried past an injected fault`);
  assert.deepEqual(fault.stats, { calls: 2, injected: 1 }, `${label}: injector stats`);
  assert.equal(await fault.execute(() => 'ok'), 'ok', `${label}: firstN(1) fired only once`);
  await assert.rejects(
    chaos.injectFault({ clock }).execute(() => 'ok'),
    {
      name: 'InjectedFaultError',
      code: 'ERR_INJECTED_FAULT',
      injector: 'fault',
    },
  );
}
// One failpoint registry per process, whichever build configures it and whichever build reads it.
esmChaos.failpoints.set('smoke.point', 'return(shared)');
assert.equal(await cjsChaos.failpoint('smoke.point'), 'shared', 'failpoints shared by ESM and CJS');
cjsChaos.failpoints.clear();
assert.equal(esmChaos.failpoint('smoke.point'), undefined, 'cleared from the other build');
// An open breaker's rejection is recognised across copies, and carries no stack by default.
const breaker = esm.circuitBreaker({ breaker: esm.consecutive(1) });
await breaker.execute(() => Promise.reject(new Error('down'))).catch(() => {});
const rejection = await breaker.execute(() => 'ok').catch((error) => error);
assert.ok(cjs.isBrokenCircuitError(rejection), 'BrokenCircuitError across copies');
assert.equal(rejection.stack.split('\n').length, 1, 'fast rejection without a stack');
// An error from one copy is recognised by the other copy's guard (brand, not instanceof).
assert.ok(cjs.isTimeoutError(new esm.TimeoutError(5)));
assert.ok(cjsChaos.isInjectedFaultError(new esmChaos.InjectedFaultError('x')));
console.log(
  'smoke: breakwater, breakwater/testing and breakwater/chaos load from ESM and CJS and work',
);
