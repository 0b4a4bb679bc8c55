import { checkFunction } from '../../core/validate.js';
import type { Trigger } from '../trigger.js';

/*
 * Combinators short-circuit like `&&`, `||` and `!`: a trigger that is not needed for the
 * answer is not evaluated, and so draws no random number. The draws still depend only on the
 * sequence of calls, so the same seed and the same calls give the same decisions.
 */

function checkTriggers(what: string, triggers: readonly unknown[]): Trigger[] {
  return triggers.map((t, i) => checkFunction<Trigger>(what, `triggers[${i}]`, t));
}

/**
 * Fires when every one of `triggers` fires (none given: always). Stops at the first that
 * does not, so later ones are not evaluated for that call.
 *
 * @throws TypeError when an argument is not a function.
 * @example
 * ```ts
 * injectFault({ when: all(during({ from: 0, to: 60_000 }), rate(0.5)) });
 * ```
 */
export function all(...triggers: Trigger[]): Trigger {
  const list = checkTriggers('all', triggers);
  return (ctx) => {
    for (const trigger of list) if (!trigger(ctx)) return false;
    return true;
  };
}

/**
 * Fires when at least one of `triggers` fires (none given: never). Stops at the first that
 * does, so later ones are not evaluated for that call.
 *
 * @throws TypeError when an argument is not a function.
 * @example
 * ```ts
 * injectFault({ when: any(firstN(1), every(10)) }); // the first call, then every 10th
 * ```
 */
export function any(...triggers: Trigger[]): Trigger {
  const list = checkTriggers('any', triggers);
  return (ctx) => {
    for (const trigger of list) if (trigger(ctx)) return true;
    return false;
  };
}

/**
 * Fires when `trigger` does not.
 *
 * @throws TypeError when `trigger` is not a function.
 * @example
 * ```ts
 * injectFault({ when: all(not(firstN(3)), rate(0.2)) }); // after a 3-call warm-up, 20%
 * ```
 */
export function not(trigger: Trigger): Trigger {
  const inner = checkFunction<Trigger>('not', 'trigger', trigger);
  return (ctx) => !inner(ctx);
}
