import { isAbortSignal } from '../../core/abort.js';
import type { Clock } from '../../core/clock.js';
import { systemClock } from '../../core/system-clock.js';
import { checkClock, checkOptions, describe } from '../../core/validate.js';
import { type RandomSource, randomStream } from '../stream.js';
import { parseConfig } from './config.js';
import { ConfiguredFailpoint } from './configured-failpoint.js';
import { parseSpec } from './grammar.js';

/**
 * Time and randomness of a failpoint registry, see {@link FailpointRegistry.use}.
 *
 * @example
 * ```ts
 * const options: FailpointsOptions = { clock: new VirtualClock(), seed: 42 };
 * failpoints.use(options);
 * ```
 */
export interface FailpointsOptions extends RandomSource {
  /** Runs `delay` actions. @default systemClock */
  readonly clock?: Clock;
}

/**
 * Per-call options of {@link failpoint}.
 *
 * @example
 * ```ts
 * async function query(sql: string, signal: AbortSignal) {
 *   const options: FailpointOptions = { signal };
 *   await failpoint('db.query', options); // a configured `hang` ends when `signal` aborts
 *   return pool.query(sql, { signal });
 * }
 * ```
 */
export interface FailpointOptions {
  /** Ends a `delay` or `hang` early: the call rejects with `signal.reason`. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * What one failpoint has done since it was last set.
 *
 * @example
 * ```ts
 * failpoints.set('db.query', '50%throw(down)');
 * // ... run the code under test ...
 * const { calls, injected }: FailpointStats = failpoints.stats('db.query');
 * expect(injected).toBeLessThanOrEqual(calls);
 * ```
 */
export interface FailpointStats {
  /** Times `failpoint(name)` ran while the failpoint was configured. */
  readonly calls: number;
  /** Times an action other than `off` fired (throw, delay, hang or return). */
  readonly injected: number;
}

/**
 * A set of named failpoints: which name does what (set from the spec grammar), with its own
 * clock and random streams. `failpoints` is the module's shared one; {@link createFailpoints}
 * makes independent ones for isolated tests.
 *
 * @example
 * ```ts
 * const points: FailpointRegistry = createFailpoints();
 * points.use({ seed: 1 });
 * points.set('cache.get', '2*return(stale)->off');
 * await points.failpoint('cache.get'); // 'stale', then 'stale', then undefined
 * ```
 */
export class FailpointRegistry {
  private readonly points = new Map<string, ConfiguredFailpoint>();
  private clock: Clock = systemClock;
  private source: RandomSource = {};

  /**
   * Marks a spot in app code. When nothing is configured for `name` this is one Map lookup
   * and returns `undefined` synchronously (so `await failpoint(name)` just awaits
   * `undefined`). It also returns `undefined` when the failpoint is configured but no action
   * fires for this call (or `off` does); otherwise a promise:
   * - `throw(msg)`: rejects with an `InjectedFaultError` (`injector` = `name`).
   * - `delay(ms)`: resolves with `undefined` after `ms` on the registry clock.
   * - `hang`: stays pending until `signal` aborts, or resolves with `undefined` when the
   *   failpoint is set again, removed, cleared or the registry reconfigured.
   * - `return(v)`: resolves with the string `v` (`''` for a bare `return`).
   *
   * Bound to its registry, so it can be passed around as a plain function.
   *
   * @throws TypeError when `options` is bad (checked only when `name` is configured).
   * @example
   * ```ts
   * async function findUser(id: string) {
   *   const fake = await failpoint('db.findUser');
   *   if (fake !== undefined) return { id, name: fake };
   *   return db.users.find(id);
   * }
   * ```
   */
  readonly failpoint = (
    name: string,
    options?: FailpointOptions,
  ): Promise<string | undefined> | undefined => {
    const point = this.points.get(name);
    if (point === undefined) return undefined;
    return point.hit(this.clock, signalOf(options));
  };

  /**
   * Configures one failpoint with a spec (`'10%throw(boom)'`, `'3*delay(200)->off'`),
   * replacing what it had: counts and stats start again and hung calls are released.
   *
   * @throws TypeError when `name` is not a non-empty string or `spec` not a string.
   * @throws SyntaxError when `spec` is malformed (the failpoint is then left as it was).
   */
  set(name: string, spec: string): void {
    if (typeof name !== 'string' || name === '') {
      throw new TypeError(
        `failpoints.set: \`name\` must be a non-empty string, got ${describe(name)}`,
      );
    }
    if (typeof spec !== 'string') {
      throw new TypeError(`failpoints.set: \`spec\` must be a string, got ${describe(spec)}`);
    }
    const terms = parseSpec(name, spec);
    this.points.get(name)?.release();
    this.points.set(name, new ConfiguredFailpoint(name, spec.trim(), terms, this.stream(name)));
  }

  /** Unconfigures one failpoint, releasing its hung calls. Returns whether it was set. */
  remove(name: string): boolean {
    const point = this.points.get(name);
    if (point === undefined) return false;
    point.release();
    this.points.delete(name);
    return true;
  }

  /** Unconfigures every failpoint, releasing every hung call. */
  clear(): void {
    for (const point of this.points.values()) point.release();
    this.points.clear();
  }

  /**
   * Replaces the whole configuration with `text` (`name=spec;name=spec`), like fail-rs's
   * `FailScenario::setup`: failpoints not named in `text` are removed, hung calls released.
   * `undefined` or a blank text just clears. Parsed in full first: on a SyntaxError nothing
   * changes. The library never reads the environment; pass it yourself.
   *
   * @throws TypeError when `text` is neither a string nor undefined.
   * @throws SyntaxError for a malformed entry or spec, or a name given twice.
   * @example
   * ```ts
   * failpoints.configure(process.env.BREAKWATER_FAILPOINTS);
   * ```
   */
  configure(text: string | undefined): void {
    const entries = parseConfig(text);
    this.clear();
    for (const { name, spec, terms } of entries) {
      this.points.set(name, new ConfiguredFailpoint(name, spec, terms, this.stream(name)));
    }
  }

  /**
   * Sets the clock and randomness; options left out go back to their defaults. Each
   * failpoint draws from its own stream derived from `seed` and its name, restarted now for
   * the failpoints already set, so `use({ seed })` then the same calls replay the same faults.
   *
   * @throws TypeError for an unknown option, a bad clock, seed or random, or both of these.
   * @example
   * ```ts
   * failpoints.use({ clock: new VirtualClock(), seed: 42 });
   * ```
   */
  use(options: FailpointsOptions = {}): void {
    const o = checkOptions('failpoints.use', options, ['clock', 'seed', 'random']);
    const clock = checkClock('failpoints.use', o.clock, systemClock);
    const source = { seed: o.seed, random: o.random } as RandomSource;
    randomStream('failpoints.use', '', source); // validates
    this.clock = clock;
    this.source = source;
    for (const [name, point] of this.points) point.random = this.stream(name);
  }

  /** What failpoint `name` did since it was last set; zeros when it is not configured. */
  stats(name: string): FailpointStats {
    const point = this.points.get(name);
    return Object.freeze({ calls: point?.calls ?? 0, injected: point?.injected ?? 0 });
  }

  /**
   * The configured failpoints and their specs, in the order they were set.
   *
   * @example
   * ```ts
   * failpoints.configure('db.query=throw;cache.get=delay(50)');
   * failpoints.list(); // [{ name: 'db.query', spec: 'throw' }, { name: 'cache.get', spec: 'delay(50)' }]
   * ```
   */
  list(): {
    /** The failpoint's name. */
    readonly name: string;
    /** Its spec, as given to `set` or `configure`. */
    readonly spec: string;
  }[] {
    return [...this.points.values()].map(({ name, spec }) => ({ name, spec }));
  }

  private stream(name: string): () => number {
    return randomStream('failpoints', name, this.source);
  }
}

function signalOf(options: FailpointOptions | undefined): AbortSignal | undefined {
  if (options === undefined) return undefined;
  const { signal } = checkOptions('failpoint', options, ['signal']);
  if (signal === undefined || isAbortSignal(signal)) return signal;
  throw new TypeError(`failpoint: \`signal\` must be an AbortSignal, got ${describe(signal)}`);
}

/**
 * Makes an independent failpoint registry, for tests that must not share the global one.
 *
 * @example
 * ```ts
 * const points = createFailpoints();
 * points.set('db.query', 'throw(down)');
 * await expect(points.failpoint('db.query')).rejects.toThrow('down');
 * ```
 */
export function createFailpoints(): FailpointRegistry {
  return new FailpointRegistry();
}

/** Where the shared registry lives: one per process even when both the ESM and the CJS build load. */
const SHARED = Symbol.for('breakwater.failpoints.v1');

function sharedRegistry(): FailpointRegistry {
  const g = globalThis as { [SHARED]?: FailpointRegistry };
  g[SHARED] ??= createFailpoints();
  return g[SHARED];
}

/**
 * The shared failpoint registry that {@link failpoint} reads. Configure it in a test setup:
 * `failpoints.configure(process.env.BREAKWATER_FAILPOINTS)`, or `failpoints.set(...)`. It is
 * one registry per process (kept on `globalThis`), so app code that loads the CJS build and a
 * test setup that loads the ESM build still see the same failpoints.
 *
 * @example
 * ```ts
 * beforeEach(() => failpoints.set('payments.charge', '1*throw(card declined)'));
 * afterEach(() => failpoints.clear());
 * ```
 */
export const failpoints: FailpointRegistry = /* @__PURE__ */ sharedRegistry();

/**
 * `failpoints.failpoint`: marks a spot in app code, see {@link FailpointRegistry.failpoint}.
 *
 * @example
 * ```ts
 * async function charge(order: { id: string }) {
 *   await failpoint('payments.charge'); // a no-op unless a test configured it
 *   return payments.charge(order);
 * }
 * ```
 */
export const failpoint: FailpointRegistry['failpoint'] = failpoints.failpoint;
