import type { AbortWatcher, CallContext } from '../core/context.js';
import { hasBrand } from '../core/errors/breakwater-error.js';
import type { BreakerMachine } from './machine.js';
import type { CircuitBreakerSettings } from './options.js';

/** How a settled call counts: not at all (its caller cancelled it), as a success, as a failure. */
export type Verdict = 0 | 1 | 2;
export const UNCOUNTED = 0;
export const SUCCESS = 1;
export const FAILURE = 2;

/** A TimeoutError from any copy of breakwater (policies do not import each other). */
const isTimeoutError = (value: unknown): boolean => hasBrand(value, 'ERR_TIMEOUT');

/**
 * How a call that settled with `result` counts. Throws when a `when`/`whenResult` filter
 * throws. @internal
 */
export function judge(
  ctx: CallContext,
  result: unknown,
  isError: boolean,
  s: Pick<CircuitBreakerSettings, 'when' | 'whenResult'>,
): Verdict {
  // Aborted: by an enclosing timeout (the service's fault, whatever the task made of it)
  // or by the caller (nobody's fault).
  if (ctx.aborted) return isTimeoutError(ctx.reason) ? FAILURE : UNCOUNTED;
  if (isError) return isTimeoutError(result) || s.when(result) ? FAILURE : SUCCESS;
  return s.whenResult?.(result) === true ? FAILURE : SUCCESS;
}

/**
 * A half-open probe's watch on its call: when the call is aborted the probe is decided at
 * once (failed when a timeout aborted it, its slot simply freed when the caller did), and its
 * late outcome is ignored. @internal
 */
export class Probe implements AbortWatcher {
  done = false;

  constructor(
    private readonly m: BreakerMachine,
    private readonly epoch: number,
    private readonly ctx: CallContext,
  ) {}

  handleEvent(): void {
    if (this.done) return;
    this.done = true;
    const reason = this.ctx.reason;
    this.m.probeSettled(this.epoch, isTimeoutError(reason), true, reason, true);
  }
}
