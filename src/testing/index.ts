/**
 * `breakwater/testing`: deterministic time and randomness for tests of code that uses
 * breakwater policies, fault plans to drive that code through failures, and fast-check
 * arbitraries to property-test it. Needs `fast-check` (>= 4) installed: it is an optional
 * peer dependency, loaded by this entry.
 *
 * @packageDocumentation
 * @module breakwater/testing
 */

/**
 * fast-check arbitraries of valid policy options (`retryOptions()`, `timeoutOptions()`,
 * `fallbackOptions()`, `breakerOptions()`, `bulkheadOptions()`, `backoff()`, `breaker()`),
 * random pipelines (`pipeline()`) and fault plans (`faultPlan()`, `faultStep()`). Each takes
 * optional constraints and produces only values that build without throwing.
 *
 * @example
 * ```ts
 * const clock = new VirtualClock();
 * fc.assert(fc.property(arbitraries.retryOptions({ clock }), (options) => void retry(options)));
 * ```
 */
export * as arbitraries from './arbitraries/index.js';
export {
  type FaultKind,
  type FaultPlan,
  type FaultPlanContext,
  type FaultPlanTaskOptions,
  type FaultStep,
  faultPlanBehavior,
  faultPlanTask,
} from './fault-plan.js';
export { seededRandom } from './seeded-random.js';
export { VirtualClock } from './virtual-clock.js';
