/**
 * Reports an error that must not break a call (a throwing event listener, a throwing timer
 * callback): through the runtime's `reportError` where there is one (browsers, Deno, Bun),
 * else on `console.error`. Never throws.
 */
export function reportError(error: unknown): void {
  try {
    const report = (globalThis as { reportError?: (error: unknown) => void }).reportError;
    if (typeof report === 'function') report(error);
    else console.error('breakwater: an event listener or timer callback threw', error);
  } catch {
    // Reporting must never break the caller.
  }
}
