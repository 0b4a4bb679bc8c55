/**
 * `breakwater/testing`: deterministic time and randomness for tests of code that uses
 * breakwater policies.
 *
 * @packageDocumentation
 */
export { seededRandom } from './seeded-random.js';
export { VirtualClock } from './virtual-clock.js';
