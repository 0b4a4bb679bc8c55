import { InjectedFaultError } from '../../core/errors/injected-fault-error.js';
import { unwatchSignal, watchSignal } from '../../core/signal-watchers.js';

/**
 * The rejection of a reset connection, shaped like undici's: `TypeError('fetch failed')`
 * whose `cause` is `Error('read ECONNRESET')` with `code: 'ECONNRESET'` and
 * `syscall: 'read'`; that error's own `cause` is an `InjectedFaultError` naming the
 * injector, so a test can tell an injected reset from a real one.
 * @internal
 */
export function resetError(name: string): TypeError {
  const injected = new InjectedFaultError(name, `Connection reset injected by ${name}`);
  const cause = Object.assign(new Error('read ECONNRESET', { cause: injected }), {
    code: 'ECONNRESET',
    syscall: 'read',
  });
  return new TypeError('fetch failed', { cause });
}

/**
 * A body that never delivers a byte: when `signal` aborts, the stream errors with its
 * reason (so `await res.text()` rejects with it); without a signal it stalls forever. The
 * abort listener goes away when the reader cancels the stream.
 * @internal
 */
export function stalledBody(signal: AbortSignal | undefined): ReadableStream<Uint8Array> {
  let watcher: { handleEvent(): void } | undefined;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      // Runs inside the constructor, right after chaosFetch saw the signal not aborted.
      if (signal === undefined) return;
      watcher = { handleEvent: () => controller.error(signal.reason) };
      watchSignal(signal, watcher);
    },
    cancel() {
      if (watcher !== undefined && signal !== undefined) unwatchSignal(signal, watcher);
    },
  });
}
