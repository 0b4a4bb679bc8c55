/**
 * fast-check arbitraries of valid policy options, random pipelines and fault plans, exported
 * from `breakwater/testing` as the `arbitraries` namespace. They need `fast-check` (>= 4)
 * installed.
 *
 * @packageDocumentation
 */
export { type BackoffConstraints, type BackoffKind, backoff } from './backoff.js';
export {
  type BreakerConstraints,
  type BreakerKind,
  type BreakerOptionsConstraints,
  breaker,
  breakerOptions,
} from './breaker.js';
export type { Range } from './constraints.js';
export {
  type FaultPlanConstraints,
  type FaultStepConstraints,
  faultPlan,
  faultStep,
} from './faults.js';
export { type PipelineConstraints, type PolicyKind, pipeline } from './pipeline.js';
export {
  type BulkheadOptionsConstraints,
  bulkheadOptions,
  type FallbackForm,
  type FallbackOptionsConstraints,
  fallbackOptions,
  type RetryOptionsConstraints,
  retryOptions,
  type TimeoutOptionsConstraints,
  timeoutOptions,
} from './policies.js';
