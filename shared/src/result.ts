/**
 * Typed results for domain rules (ARCHITECTURE invariant 9): a rule violation is a value the caller must
 * handle, with a stable machine-readable `code`, never an exception string.
 */
export type Ok<T> = { readonly ok: true; readonly value: T };
export type Err<E> = { readonly ok: false; readonly error: E };
export type Result<T, E> = Ok<T> | Err<E>;

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const err = <E>(error: E): Err<E> => ({ ok: false, error });

/** Every domain error carries a stable code (used as the problem+json `type` suffix) and a human message. */
export interface DomainError<C extends string = string> {
  readonly code: C;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export const domainError = <C extends string>(code: C, message: string, details?: Record<string, unknown>): DomainError<C> =>
  details === undefined ? { code, message } : { code, message, details };

/** Unwraps a result whose failure would be a programming error (tests, seed data). */
export function unwrap<T, E>(result: Result<T, E>): T {
  if (result.ok) return result.value;
  const e = result.error as unknown as { code?: string; message?: string };
  throw new Error(`unwrap on error ${e?.code ?? ''}: ${e?.message ?? JSON.stringify(result.error)}`);
}
