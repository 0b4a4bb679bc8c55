import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/system-clock.js';
import { checkClock, checkOptions, describe, given } from '../core/validate.js';
import { type RandomSource, randomStream } from './stream.js';
import type { Trigger } from './trigger.js';

/**
 * Options every injector takes, besides its own (`error`, `delay`, `value`, `run`).
 *
 * @example
 * ```ts
 * const common: InjectorOptions = { when: during({ from: 10_000, to: 20_000 }), seed: 7, clock };
 * const policy = pipeline(
 *   injectFault({ ...common, name: 'outage' }),
 *   injectLatency({ ...common, name: 'slow', delay: 500 }),
 * );
 * ```
 */
export interface InjectorOptions extends RandomSource {
  /**
   * Names the injector in its events, errors and `InjectedFaultError.injector`, and selects
   * its random stream: with a `seed`, two injectors with different names draw different,
   * independent numbers. Give each injector of a pipeline its own name.
   * @default the kind: 'fault', 'latency', 'outcome', 'hang' or 'behavior'
   */
  readonly name?: string;
  /**
   * Decides for each call whether to inject: a trigger such as `rate(0.1)` or `every(3)`, or
   * any `(ctx) => boolean`. If it throws, the call rejects with that error.
   * @default every call
   */
  readonly when?: Trigger;
  /**
   * Whether the injector acts at all; settable later through `injector.enabled`. A disabled
   * injector passes every call straight through, counts nothing and draws no random number.
   * @default true
   */
  readonly enabled?: boolean;
  /** Source of time for triggers (`ctx.now`) and for waits. @default systemClock */
  readonly clock?: Clock;
}

/** Validated settings shared by every injector. @internal */
export interface InjectorSettings {
  /** `injectFault`...: names the factory in error messages. */
  readonly label: string;
  readonly name: string;
  /** `undefined`: fires on every call. */
  readonly when: Trigger | undefined;
  readonly enabled: boolean;
  readonly clock: Clock;
  readonly random: () => number;
}

const COMMON = ['name', 'when', 'enabled', 'clock', 'seed', 'random'];

/**
 * Checks the options shared by every injector plus the kind's own `keys`, throwing a
 * TypeError/RangeError that names the bad one. Returns the settings and the raw options (for
 * the kind's own checks). @internal
 */
export function injectorSettings(
  label: string,
  kind: string,
  options: unknown,
  keys: readonly string[],
): { settings: InjectorSettings; options: Record<string, unknown> } {
  const o = checkOptions(label, options, [...keys, ...COMMON]);
  const name = given(o.name, kind);
  if (typeof name !== 'string' || name === '') {
    throw new TypeError(`${label}: \`name\` must be a non-empty string, got ${describe(name)}`);
  }
  const when = o.when;
  if (when !== undefined && typeof when !== 'function') {
    throw new TypeError(
      `${label}: \`when\` must be a trigger (a function such as rate(0.1)), got ${describe(when)}`,
    );
  }
  const settings: InjectorSettings = {
    label,
    name,
    when: when as Trigger | undefined,
    enabled: checkEnabled(label, given(o.enabled, true)),
    clock: checkClock(label, o.clock, systemClock),
    random: randomStream(label, name, o as RandomSource),
  };
  return { settings, options: o };
}

/** Returns `value` when it is a boolean, else throws TypeError. @internal */
export function checkEnabled(label: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw new TypeError(`${label}: \`enabled\` must be a boolean, got ${describe(value)}`);
  }
  return value;
}

/** The name of the injector in a run-time error message: `injectLatency "db"`. @internal */
export function injectorLabel(settings: InjectorSettings): string {
  return `${settings.label} ${JSON.stringify(settings.name)}`;
}
