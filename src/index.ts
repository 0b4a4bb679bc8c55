/**
 * breakwater: composable fault-tolerance policies (retry, timeout, fallback...) with
 * injectable time and randomness.
 *
 * @packageDocumentation
 * @module breakwater
 */
export { BulkheadPolicy, bulkhead } from './bulkhead/bulkhead.js';
export {
  BulkheadRejectedError,
  type BulkheadRejectReason,
  isBulkheadRejectedError,
} from './bulkhead/bulkhead-rejected-error.js';
export type {
  BulkheadFailureEvent,
  BulkheadRejectEvent,
  BulkheadSuccessEvent,
} from './bulkhead/events.js';
export type { BulkheadOptions } from './bulkhead/options.js';
export type {
  Breaker,
  BreakReason,
  WindowCounts,
  WindowSnapshot,
} from './circuit-breaker/breakers/breaker.js';
export { consecutive } from './circuit-breaker/breakers/consecutive.js';
export { type CountWindowOptions, countWindow } from './circuit-breaker/breakers/count-window.js';
export { type TimeWindowOptions, timeWindow } from './circuit-breaker/breakers/time-window.js';
export {
  BrokenCircuitError,
  isBrokenCircuitError,
} from './circuit-breaker/broken-circuit-error.js';
export { CircuitBreakerPolicy, circuitBreaker } from './circuit-breaker/circuit-breaker.js';
export type {
  BreakEvent,
  CircuitFailureEvent,
  CircuitMetrics,
  CircuitState,
  CircuitSuccessEvent,
  RejectEvent,
  StateChangeEvent,
} from './circuit-breaker/events.js';
export {
  IsolatedCircuitError,
  isIsolatedCircuitError,
} from './circuit-breaker/isolated-circuit-error.js';
export type { IsolationHandle } from './circuit-breaker/machine.js';
export type {
  CircuitBreakerMode,
  CircuitBreakerOptions,
  SlowCallOptions,
} from './circuit-breaker/options.js';
export type { CircuitBreakerSnapshot } from './circuit-breaker/snapshot.js';
export type { Backoff, BackoffInput } from './core/backoff.js';
export type { Clock, Timer } from './core/clock.js';
export type { ExecuteContext } from './core/context.js';
export { BreakwaterError, isBreakwaterError } from './core/errors/breakwater-error.js';
export { captureRejectionStacks } from './core/errors/stack.js';
export type { Disposer, Event } from './core/events.js';
export type { ErrorClass, ErrorFilter } from './core/filter.js';
export type { Outcome } from './core/outcome.js';
export { type AltOf, Pipeline, pipeline } from './core/pipeline.js';
export type { ExecuteOptions, Policy, Task } from './core/policy.js';
export { systemClock } from './core/system-clock.js';
export type { FallbackEvent } from './fallback/fallback.js';
export { FallbackPolicy, fallback } from './fallback/fallback.js';
export type { FallbackContext, FallbackOptions, FallbackTo } from './fallback/options.js';
export { constant } from './retry/backoff/constant.js';
export { delays } from './retry/backoff/delays.js';
export { type ExponentialOptions, exponential, type Jitter } from './retry/backoff/exponential.js';
export { type LinearOptions, linear } from './retry/backoff/linear.js';
export type {
  GiveUpEvent,
  RetryEvent,
  RetryFailureEvent,
  RetrySuccessEvent,
} from './retry/events.js';
export type { RetryOptions } from './retry/options.js';
export { RetryPolicy, retry } from './retry/retry.js';
export type { TimeoutMode, TimeoutOptions } from './timeout/options.js';
export { type TimeoutEvent, TimeoutPolicy, timeout } from './timeout/timeout.js';
export { isTimeoutError, TimeoutError } from './timeout/timeout-error.js';
