/** What a call produced: a thrown/rejected `error`, or a returned `value`. */
export type Outcome<T = unknown> =
  | { readonly error: unknown; readonly value?: undefined }
  | { readonly value: T; readonly error?: undefined };
