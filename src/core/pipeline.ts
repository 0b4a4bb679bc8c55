import type { CallContext } from './context.js';
import { type Fusable, fusedReady, isFusable, runFused } from './fused.js';
import { type Chain, callNext, isPolicy, type Policy, PolicyBase, type Task } from './policy.js';
import { describe } from './validate.js';

/**
 * The fallback type of a policy (`never` unless it is a fallback or contains one).
 *
 * @example
 * ```ts
 * const policy = pipeline(fallback({ to: null }), retry());
 * type Alt = AltOf<typeof policy>; // null
 * ```
 */
export type AltOf<P> = P extends {
  /** Type-level only: the fallback type a policy carries. */
  readonly '~alt'?: infer Alt;
}
  ? Alt
  : never;

/**
 * Policies run one inside the other, the first outermost. Built once: running a call
 * through it walks a prebuilt linked list, with no closure per layer. Build it with
 * {@link pipeline}.
 *
 * @example
 * ```ts
 * const policy: Pipeline<string> = pipeline(fallback({ to: 'offline' }), retry());
 * policy.policies.length; // 2
 * ```
 */
export class Pipeline<Alt = never> extends PolicyBase<Alt> {
  private readonly head: Chain | undefined;
  /** The chain node of each layer, outermost first. */
  private readonly chains: readonly Chain[];
  /**
   * The layers, when every one can be fused (and none appears twice): then a call whose
   * layers all say ready runs with one derived promise in all (see core/fused.ts).
   */
  private readonly fused: readonly Fusable[] | undefined;
  /** The policies in order, outermost first (nested pipelines flattened). */
  readonly policies: readonly Policy<unknown>[];

  /** @internal Use {@link pipeline}. */
  constructor(policies: readonly PolicyBase<unknown>[]) {
    super();
    this.policies = Object.freeze([...policies]);
    this.head = chainOf(policies, undefined);
    const chains: Chain[] = [];
    for (let node = this.head; node !== undefined; node = node.next) chains.push(node);
    this.chains = chains;
    const fusable = policies.length > 1 && new Set(policies).size === policies.length;
    this.fused =
      fusable && policies.every(isFusable)
        ? (policies as unknown as readonly Fusable[])
        : undefined;
  }

  invoke<T>(task: Task<T>, ctx: CallContext, next: Chain | undefined): Promise<T | Alt> {
    const fused = this.fused;
    if (fused !== undefined && next === undefined && !ctx.aborted && fusedReady(fused)) {
      return runFused(fused, this.chains, task, ctx);
    }
    const head =
      next === undefined ? this.head : chainOf(this.policies as PolicyBase<unknown>[], next);
    if (head === undefined) return callNext(task, ctx, undefined);
    return head.policy.invoke(task, ctx, head.next) as Promise<T | Alt>;
  }
}

function chainOf(
  policies: readonly PolicyBase<unknown>[],
  tail: Chain | undefined,
): Chain | undefined {
  let chain = tail;
  for (let i = policies.length - 1; i >= 0; i--) chain = { policy: policies[i]!, next: chain };
  return chain;
}

/**
 * Composes policies: `pipeline(a, b, c)` runs a call as `a(b(c(task)))`. A pipeline is itself
 * a policy, so pipelines nest (they are flattened when built). An empty pipeline runs the
 * task as is.
 *
 * @throws TypeError when an argument is not a breakwater policy.
 * @example
 * ```ts
 * const policy = pipeline(
 *   fallback({ to: () => cached }),
 *   retry({ maxAttempts: 4 }),
 *   timeout({ after: 2_000 }),
 * );
 * const value = await policy.execute(({ signal }) => fetch(url, { signal }));
 * ```
 */
export function pipeline<const P extends readonly Policy<unknown>[]>(
  ...policies: P
): Pipeline<AltOf<P[number]>> {
  const flat: PolicyBase<unknown>[] = [];
  policies.forEach((policy, index) => {
    if (policy instanceof Pipeline) {
      flat.push(...(policy.policies as PolicyBase<unknown>[]));
    } else if (isPolicy(policy)) {
      flat.push(policy);
    } else {
      throw new TypeError(
        `pipeline: argument ${index} must be a breakwater policy, got ${describe(policy)}`,
      );
    }
  });
  return new Pipeline(flat);
}
