import { checkNumber } from '../../core/validate.js';
import { type Breaker, type BreakReason, breakerSpec, countField, type Window } from './breaker.js';

class ConsecutiveWindow implements Window {
  readonly timed = false;
  private failures = 0;

  constructor(private readonly threshold: number) {}

  record(failed: boolean): BreakReason | undefined {
    if (!failed) {
      this.failures = 0;
      return undefined;
    }
    return ++this.failures >= this.threshold ? 'consecutive' : undefined;
  }
  counts() {
    return { calls: this.failures, failures: this.failures, slowCalls: 0 };
  }
  reset(): void {
    this.failures = 0;
  }
  snapshot() {
    return { kind: 'consecutive', failures: this.failures } as const;
  }
  restore(data: Record<string, unknown>): string | undefined {
    const bad = countField(data, 'failures', 2 ** 31);
    if (bad === undefined) this.failures = data.failures as number;
    return bad;
  }
}

/**
 * Opens after `threshold` failures in a row; any success starts the count again. The
 * simplest breaker, right when calls are steady and a failure run means an outage. It has no
 * window, so it cannot count slow calls.
 *
 * @param threshold - failures in a row that open the breaker, an integer >= 1.
 * @throws RangeError/TypeError for a bad threshold.
 * @example
 * ```ts
 * const breaker = circuitBreaker({ breaker: consecutive(5), halfOpenAfter: 10_000 });
 * ```
 */
export function consecutive(threshold: number): Breaker {
  checkNumber('consecutive', 'threshold', threshold, { integer: true, min: 1 });
  return breakerSpec({
    kind: 'consecutive',
    description: `consecutive(${threshold})`,
    ratios: false,
    create: () => new ConsecutiveWindow(threshold),
  });
}
