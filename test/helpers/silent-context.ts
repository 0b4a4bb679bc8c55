import type { AbortWatcher, CallContext } from '../../src/core/context.js';

/** A context whose abort the test sets by hand, without telling its watchers. */
export class SilentContext implements CallContext {
  aborted = false;
  reason: unknown = undefined;
  readonly attempt = 1;
  readonly watchers = new Set<AbortWatcher>();
  get signal(): AbortSignal {
    return new AbortController().signal;
  }
  watch(watcher: AbortWatcher): boolean {
    this.watchers.add(watcher);
    return true;
  }
  unwatch(watcher: AbortWatcher): void {
    this.watchers.delete(watcher);
  }
}
