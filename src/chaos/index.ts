/**
 * `breakwater/chaos`: fault injection for test suites. Injectors are policies (they compose
 * in `pipeline` like any other), triggers decide which calls they pick, and one seed makes
 * every decision replayable.
 *
 * @packageDocumentation
 * @module breakwater/chaos
 */

export { InjectedFaultError, isInjectedFaultError } from '../core/errors/injected-fault-error.js';
export type { FailpointAction, FailpointTerm } from './failpoints/grammar.js';
export {
  createFailpoints,
  type FailpointOptions,
  FailpointRegistry,
  type FailpointStats,
  type FailpointsOptions,
  failpoint,
  failpoints,
} from './failpoints/registry.js';
export { type ChaosFetch, type ChaosFetchStats, chaosFetch } from './fetch/chaos-fetch.js';
export type {
  ChaosFetchCommonOptions,
  ChaosFetchOptions,
  DelayFault,
  FaultBody,
  FaultHeaders,
  FetchFault,
  FetchFunction,
  FetchRule,
  ResetFault,
  StallBodyFault,
  StatusFault,
} from './fetch/types.js';
export {
  BehaviorInjector,
  type InjectBehaviorOptions,
  injectBehavior,
} from './inject-behavior.js';
export {
  type FaultInjectEvent,
  FaultInjector,
  type InjectFaultOptions,
  injectFault,
} from './inject-fault.js';
export { HangInjector, type InjectHangOptions, injectHang } from './inject-hang.js';
export {
  type InjectLatencyOptions,
  injectLatency,
  type LatencyInjectEvent,
  LatencyInjector,
} from './inject-latency.js';
export {
  type InjectedValue,
  type InjectOutcomeOptions,
  injectOutcome,
  OutcomeInjector,
} from './inject-outcome.js';
export {
  type InjectEvent,
  type InjectionContext,
  InjectorPolicy,
  type InjectorStats,
} from './injector.js';
export type { InjectorOptions } from './injector-options.js';
export type { RandomSource } from './stream.js';
export type { Trigger, TriggerContext } from './trigger.js';
export { afterN, type BurstOptions, burst, every, firstN } from './triggers/calls.js';
export { all, any, not } from './triggers/combine.js';
export { rate } from './triggers/rate.js';
export { type DuringOptions, during, type FlappingOptions, flapping } from './triggers/time.js';
