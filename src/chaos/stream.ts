import { describe } from '../core/validate.js';
import { seededRandom } from '../testing/seeded-random.js';

/**
 * `seed`, or `random`, or neither: how a chaos tool gets its randomness.
 *
 * @example
 * ```ts
 * const replayable: RandomSource = { seed: 'run-1' };
 * const scripted: RandomSource = { random: seededRandom(42) };
 * injectFault({ ...replayable, when: rate(0.2) });
 * injectFault({ ...scripted, when: rate(0.2) });
 * ```
 */
export interface RandomSource {
  /**
   * Makes every decision replayable: the tool draws from its own stream, derived from this
   * seed and its name, so adding another injector does not change this one's decisions.
   * @default none (Math.random, not replayable)
   */
  readonly seed?: number | string;
  /** A source of numbers in [0, 1) to draw from instead (exclusive with `seed`). */
  readonly random?: () => number;
}

/**
 * The random stream of the chaos tool `name` (`what` names it in error messages): its own
 * sfc32 stream derived from `seed` and `name`, `random` itself, or `Math.random`.
 *
 * @throws TypeError when both are given, or either has the wrong type.
 */
export function randomStream(what: string, name: string, source: RandomSource): () => number {
  const { seed, random } = source;
  if (seed !== undefined && random !== undefined) {
    throw new TypeError(`${what}: give \`seed\` or \`random\`, not both`);
  }
  if (random !== undefined) {
    if (typeof random !== 'function') {
      throw new TypeError(`${what}: \`random\` must be a function, got ${describe(random)}`);
    }
    return random;
  }
  if (seed === undefined) return Math.random;
  if (!(typeof seed === 'string' || (typeof seed === 'number' && Number.isFinite(seed)))) {
    throw new TypeError(
      `${what}: \`seed\` must be a finite number or a string, got ${describe(seed)}`,
    );
  }
  return seededRandom(`${seed}\u0000${name}`);
}
