import type { CallContext } from './context.js';
import type { Chain, Task } from './policy.js';

/**
 * A policy that can run as one layer of a fused pipeline: instead of chaining a derived
 * promise per layer, the pipeline admits a call through every layer synchronously, awaits the
 * task once, and hands the outcome to the layers from the inside out, synchronously unless a
 * layer takes over (a retry that sleeps and tries again, a fallback that answers later).
 *
 * Each method does exactly what the policy's own `invoke` does at that point; the policy's
 * `invoke` uses the same methods, so the two paths cannot drift apart.
 *
 * @internal
 */
export interface Fusable {
  /**
   * Whether the call can take the fused lane now. Synchronous, no side effect: a layer
   * says no when its own path needs more than admit-and-observe (a full bulkhead, an open
   * breaker, an aggressive timeout, a listener that times calls...).
   */
  fuseReady(): boolean;
  /** Admits the call; returns the context the layers inside it see. Runs after every `fuseReady`. */
  fuseEnter(ctx: CallContext, call: FusedCall, layer: number): CallContext;
  /** The inside succeeded with `value`: returns this layer's value, or throws to fail it. */
  fuseOk(call: FusedCall, layer: number, value: unknown): unknown;
  /**
   * The inside failed with `error`: throws (the same or another error) to fail this layer, or
   * returns this layer's answer, a value or a promise (a promise takes the call over).
   */
  fuseFail(call: FusedCall, layer: number, error: unknown): unknown;
}

/** True for a policy that implements {@link Fusable}. @internal */
export function isFusable(value: object): value is Fusable {
  return typeof (value as Partial<Fusable>).fuseEnter === 'function';
}

/**
 * One call through a fused pipeline: the task, the context each layer was entered with, and
 * one token per layer for the layer's own bookkeeping (a breaker's period, say).
 *
 * @internal
 */
export class FusedCall {
  /** `slots[2 * layer]`: the context the layer was entered with; `slots[2 * layer + 1]`: its token. */
  private readonly slots: unknown[];
  private taskCtx: CallContext | undefined = undefined;

  constructor(
    readonly task: Task<unknown>,
    private readonly chains: readonly Chain[],
  ) {
    this.slots = new Array(chains.length * 2);
  }

  /** The context layer `layer` was entered with. */
  ctx(layer: number): CallContext {
    return this.slots[layer * 2] as CallContext;
  }

  token(layer: number): unknown {
    return this.slots[layer * 2 + 1];
  }

  setToken(layer: number, token: unknown): void {
    this.slots[layer * 2 + 1] = token;
  }

  /** The context the layers inside `layer` were entered with (the task's, for the last). */
  inner(layer: number): CallContext {
    return (
      layer + 1 < this.chains.length ? this.slots[(layer + 1) * 2] : this.taskCtx
    ) as CallContext;
  }

  /** The layers inside `layer`, as a chain: what a layer that takes over runs next. */
  below(layer: number): Chain | undefined {
    return this.chains[layer]!.next;
  }

  /**
   * Admits the call through every layer, outermost first; returns the task's context. When a
   * layer throws (a custom clock's `setTimer`, say), returns `undefined` with the error in
   * `failed` and the layer in `failedAt`: the layers outside it were admitted.
   */
  enter(layers: readonly Fusable[], ctx: CallContext): CallContext | undefined {
    let inner = ctx;
    let i = 0;
    try {
      for (; i < layers.length; i++) {
        this.slots[i * 2] = inner;
        inner = layers[i]!.fuseEnter(inner, this, i);
      }
    } catch (error) {
      this.failed = error;
      this.failedAt = i;
      return undefined;
    }
    this.taskCtx = inner;
    return inner;
  }

  /** What a layer's `fuseEnter` threw, when `enter` returned `undefined`. */
  failed: unknown = undefined;
  /** The layer whose `fuseEnter` threw. */
  failedAt = -1;
}

/** True when every layer can take the fused lane for the next call. @internal */
export function fusedReady(layers: readonly Fusable[]): boolean {
  for (let i = 0; i < layers.length; i++) if (!layers[i]!.fuseReady()) return false;
  return true;
}

/**
 * Hands an outcome to the layers from `layer` outwards. Returns the outermost answer, throws
 * the outermost error, or returns a promise once a layer takes the call over.
 *
 * @internal
 */
export function settleFused(
  layers: readonly Fusable[],
  call: FusedCall,
  layer: number,
  isError: boolean,
  result: unknown,
): unknown {
  for (let i = layer; i >= 0; i--) {
    const stage = layers[i]!;
    if (!isError) {
      try {
        result = stage.fuseOk(call, i, result);
      } catch (error) {
        result = error;
        isError = true;
      }
      continue;
    }
    try {
      result = stage.fuseFail(call, i, result);
      isError = false;
    } catch (error) {
      result = error;
      continue;
    }
    if (i > 0 && isThenable(result)) {
      // The layer took the call over (a retry trying again, a fallback answering later):
      // the layers outside it settle when its promise does.
      const outer = i - 1;
      return Promise.resolve(result).then(
        (value) => settleFused(layers, call, outer, false, value),
        (error: unknown) => settleFused(layers, call, outer, true, error),
      );
    }
  }
  if (isError) throw result;
  return result;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}

/**
 * Runs `task` through fused `layers`: every layer admits it synchronously, the task runs
 * once, and one derived promise hands its outcome back out through the layers. The caller
 * checked {@link fusedReady} and that `ctx` is not aborted.
 *
 * @internal
 */
export function runFused<T>(
  layers: readonly Fusable[],
  chains: readonly Chain[],
  task: Task<T>,
  ctx: CallContext,
): Promise<T> {
  const call = new FusedCall(task as Task<unknown>, chains);
  const last = layers.length - 1;
  const inner = call.enter(layers, ctx);
  // A layer that could not admit the call fails it for the layers outside, as a rejection
  // from inside would in a chain.
  if (inner === undefined) return settleAtOnce(layers, call, call.failedAt - 1, call.failed);
  let result: T | PromiseLike<T>;
  try {
    result = task(inner);
  } catch (error) {
    // Settled at once, as each policy does alone: a synchronous throw leaves no timer behind.
    return settleAtOnce(layers, call, last, error);
  }
  return (result instanceof Promise ? result : Promise.resolve(result)).then(
    (value) => settleFused(layers, call, last, false, value),
    (error: unknown) => settleFused(layers, call, last, true, error),
  ) as Promise<T>;
}

/** Settles a call that failed synchronously at `layer`, as a promise. */
function settleAtOnce<T>(
  layers: readonly Fusable[],
  call: FusedCall,
  layer: number,
  error: unknown,
): Promise<T> {
  try {
    return Promise.resolve(settleFused(layers, call, layer, true, error)) as Promise<T>;
  } catch (outer) {
    return Promise.reject(outer);
  }
}
