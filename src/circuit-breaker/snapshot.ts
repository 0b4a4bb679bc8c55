import { describe } from '../core/validate.js';
import type { WindowSnapshot } from './breakers/breaker.js';

/**
 * A circuit breaker's state as plain JSON (`JSON.stringify` it as is), for
 * `circuitBreaker({ restore })`. Times are wall-clock ms, so a snapshot survives a restart.
 * Isolation is not saved: it belongs to the process that holds the handle.
 *
 * @example
 * ```ts
 * process.on('SIGTERM', () => writeFileSync('breaker.json', JSON.stringify(breaker.snapshot())));
 * // after the restart:
 * const saved: CircuitBreakerSnapshot = JSON.parse(readFileSync('breaker.json', 'utf8'));
 * const restored = circuitBreaker({ breaker: consecutive(5), restore: saved });
 * ```
 */
export interface CircuitBreakerSnapshot {
  /** Format version, 1; a snapshot of another version is refused by `restore`. */
  readonly version: 1;
  /** The state it was in (an isolated breaker is saved as `'closed'`). */
  readonly state: 'closed' | 'open' | 'half-open';
  /** Wall-clock ms when an open breaker half-opens; null in other states. */
  readonly openUntil: number | null;
  /** How many times in a row it has opened (the `attempt` of a `halfOpenAfter` backoff). */
  readonly breaks: number;
  /** The last `halfOpenAfter` delay used (the backoff's `previous`), or null. */
  readonly previousDelay: number | null;
  /** Wall-clock ms when the snapshot was taken. */
  readonly takenAt: number;
  /** The breaker's window: what it has counted. */
  readonly window: WindowSnapshot;
}

/** The fields of a snapshot, checked; a string names what is wrong. @internal */
export function checkSnapshot(value: unknown): CircuitBreakerSnapshot | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return `expected an object from breaker.snapshot(), got ${describe(value)}`;
  }
  const s = value as Record<string, unknown>;
  const finite = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
  if (s.version !== 1) return `version must be 1, got ${JSON.stringify(s.version)}`;
  if (s.state !== 'closed' && s.state !== 'open' && s.state !== 'half-open') {
    return `state must be 'closed', 'open' or 'half-open', got ${JSON.stringify(s.state)}`;
  }
  if (s.state === 'open' ? !finite(s.openUntil) : s.openUntil !== null) {
    return `openUntil must be ${s.state === 'open' ? 'a finite number when open' : 'null unless open'}, got ${JSON.stringify(s.openUntil)}`;
  }
  if (!Number.isInteger(s.breaks) || (s.breaks as number) < 0) {
    return `breaks must be an integer >= 0, got ${JSON.stringify(s.breaks)}`;
  }
  if (s.previousDelay !== null && !(finite(s.previousDelay) && (s.previousDelay as number) >= 0)) {
    return `previousDelay must be a number >= 0 or null, got ${JSON.stringify(s.previousDelay)}`;
  }
  if (!finite(s.takenAt))
    return `takenAt must be a finite number, got ${JSON.stringify(s.takenAt)}`;
  if (typeof s.window !== 'object' || s.window === null) {
    return `window must be an object, got ${describe(s.window)}`;
  }
  return value as CircuitBreakerSnapshot;
}
