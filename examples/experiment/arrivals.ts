/**
 * Open-loop arrivals: requests come when they come (a Poisson process), whether or not
 * earlier ones have finished, as users of a real service do.
 */

/**
 * Arrival times in [0, duration) ms for a Poisson process of `rate` requests per second:
 * gaps are exponential draws from `random` (numbers in [0, 1)).
 */
export function poissonArrivals(random: () => number, rate: number, duration: number): number[] {
  if (!(Number.isFinite(rate) && rate > 0)) {
    throw new RangeError(`poissonArrivals: rate must be a finite number > 0, got ${rate}`);
  }
  const times: number[] = [];
  const mean = 1_000 / rate;
  for (let t = -mean * Math.log(1 - random()); t < duration; t += -mean * Math.log(1 - random())) {
    times.push(t);
  }
  return times;
}
