/** Small helpers shared by the circuit breaker tests. */
import { expect } from 'vitest';
import type { CircuitBreakerPolicy } from '../../src/index.js';

/** The error a failing service call rejects with. */
export class ServiceError extends Error {}

/** A task that rejects with a fresh `ServiceError(message)`. */
export const failing =
  (message = 'boom') =>
  () =>
    Promise.reject(new ServiceError(message));

/** Runs `n` failing calls through `breaker`, each rejecting with its own `boom`. */
export async function fail(breaker: CircuitBreakerPolicy, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await expect(breaker.execute(failing())).rejects.toThrow('boom');
}

/** One call that rejects with `Error('x')`, asserted to pass through unchanged. */
export const failOnce = (breaker: CircuitBreakerPolicy) =>
  expect(breaker.execute(() => Promise.reject(new Error('x')))).rejects.toThrow('x');
