import { sleep } from '../../core/abort.js';
import type { Clock } from '../../core/clock.js';
import { signalContext } from '../../core/context.js';
import { InjectedFaultError } from '../../core/errors/injected-fault-error.js';
import { unwatchSignal, watchSignal } from '../../core/signal-watchers.js';
import type { FailpointAction, FailpointTerm } from './grammar.js';

/** A call stuck in `hang`: released (resolved) when its failpoint is reconfigured. */
interface HungCall {
  handleEvent(): void;
  release(): void;
}

/**
 * One configured failpoint: its terms with the counts they have left, its random stream,
 * its stats and the calls hanging in it. Replaced as a whole when the failpoint is set again.
 * @internal
 */
export class ConfiguredFailpoint {
  calls = 0;
  injected = 0;
  /** Per term, how many more times it may fire (`undefined`: no count). */
  private readonly left: (number | undefined)[];
  private readonly hung = new Set<HungCall>();

  constructor(
    readonly name: string,
    readonly spec: string,
    private readonly terms: readonly FailpointTerm[],
    public random: () => number,
  ) {
    this.left = terms.map((term) => term.count);
  }

  /**
   * Runs one evaluation: `undefined` when no action fires (or `off` does), else the promise
   * of the action. `signal` ends a `delay` or `hang` early, rejecting with its reason.
   */
  hit(clock: Clock, signal: AbortSignal | undefined): Promise<string | undefined> | undefined {
    this.calls++;
    const action = this.pick();
    if (action === undefined || action.type === 'off') return undefined;
    this.injected++;
    switch (action.type) {
      case 'throw':
        return Promise.reject(new InjectedFaultError(this.name, action.message));
      case 'return':
        return Promise.resolve(action.value);
      case 'delay':
        return sleep(clock, action.ms, signalContext(signal)).then(() => undefined);
      case 'hang':
        return this.hang(signal);
    }
  }

  /** Resolves every call hanging here (the failpoint was reconfigured or cleared). */
  release(): void {
    for (const call of this.hung) call.release();
    this.hung.clear();
  }

  /**
   * The action of the first term that fires: terms are tried left to right; one whose count
   * is used up is skipped; a percentage term draws once and, when the draw misses, the next
   * term is tried (as fail-rs does). A term that fires counts down its count.
   */
  private pick(): FailpointAction | undefined {
    const terms = this.terms;
    for (let i = 0; i < terms.length; i++) {
      const left = this.left[i];
      if (left === 0) continue;
      const term = terms[i]!;
      const percent = term.percent;
      if (percent !== undefined && percent < 100) {
        if (percent === 0 || this.random() * 100 >= percent) continue;
      }
      if (left !== undefined) this.left[i] = left - 1;
      return term.action;
    }
    return undefined;
  }

  private hang(signal: AbortSignal | undefined): Promise<undefined> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<undefined>((resolve, reject) => {
      const call: HungCall = {
        // The signal aborted (it is told once, through the signal's one shared listener).
        handleEvent: () => {
          this.hung.delete(call);
          reject(signal?.reason);
        },
        release: () => {
          if (signal !== undefined) unwatchSignal(signal, call);
          resolve(undefined);
        },
      };
      this.hung.add(call);
      if (signal !== undefined) watchSignal(signal, call);
    });
  }
}
