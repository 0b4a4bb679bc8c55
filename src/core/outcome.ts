/** What a call produced: a thrown/rejected `error`, or a returned `value`. */
export type Outcome<T = unknown> =
  | { readonly error: unknown; readonly value?: undefined }
  | { readonly value: T; readonly error?: undefined };

/** True when the outcome is an error (checks presence, so `throw undefined` counts). */
export function isErrorOutcome<T>(
  outcome: Outcome<T>,
): outcome is { readonly error: unknown; readonly value?: undefined } {
  return 'error' in outcome;
}
