import { err, type Result } from '@tpv/shared/result';
import type { Failure } from './errors';

/** Thrown inside a transaction to roll it back with a domain failure (caught by `inTransaction`). */
class Abort extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
  }
}

/** Fails the surrounding `inTransaction`: everything written so far in it is rolled back. */
export function abort(f: Failure): never {
  throw new Abort(f);
}

/** Runs `fn` in `transaction`; a domain failure thrown with `abort` rolls back and comes back as a value. */
export function inTransaction<T>(transaction: <R>(fn: () => R) => R, fn: () => T): Result<T, Failure> {
  try {
    return { ok: true, value: transaction(fn) };
  } catch (e) {
    if (e instanceof Abort) return err(e.failure);
    throw e;
  }
}
