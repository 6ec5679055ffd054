/**
 * argon2id for back-office passwords and staff PINs, one place for its cost.
 *
 * Production uses the library's defaults (64 MiB, 3 passes, 4 lanes). `TPV_ARGON2=fast` — set by the test
 * runner (vitest.config.ts), never by the demo or a deployment — uses 4 MiB and 2 passes: still argon2id end
 * to end, at about a twentieth of the CPU, because the suite hashes and checks thousands of PINs and
 * passwords on a 2-core machine. It is ignored when NODE_ENV is `production`. Verification reads the cost
 * from the hash itself, so hashes of either profile verify everywhere (tills included).
 */
import argon2 from 'argon2';

const FAST = { memoryCost: 4096, timeCost: 2, parallelism: 1 } as const;

export function argon2Options(): argon2.Options & { raw?: false } {
  const fast = process.env.TPV_ARGON2 === 'fast' && process.env.NODE_ENV !== 'production';
  return fast ? { type: argon2.argon2id, ...FAST } : { type: argon2.argon2id };
}

/** An argon2id hash of a password or PIN (PHC string: `$argon2id$v=19$m=…`). */
export const hashSecret = (secret: string): Promise<string> => argon2.hash(secret, argon2Options());
