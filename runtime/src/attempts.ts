/**
 * Guessing defence shared by both services (back-office login and pairing, the till's PINs): an attempt is
 * counted against every limiter key *before* it is evaluated, so a burst sent at once cannot outrun the
 * limit, and only a success gives its point back — a failure is never forgiven by somebody else's success.
 *
 * The limiters are rate-limiter-flexible instances (memory, or Redis across back-office nodes); this file
 * names only the part of their API it uses, so the runtime package does not depend on the library.
 */

export interface LimiterRes {
  readonly msBeforeNext: number;
  readonly remainingPoints: number;
}

/** The part of a rate-limiter-flexible limiter used here. */
export interface AttemptLimiter {
  readonly points: number;
  readonly blockDuration: number;
  consume(key: string | number, points?: number): Promise<LimiterRes>;
  reward(key: string | number, points?: number): Promise<LimiterRes>;
  block(key: string | number, secDuration: number): Promise<LimiterRes>;
  get(key: string | number): Promise<(LimiterRes & { readonly consumedPoints: number }) | null>;
}

/** Whether a key has no attempt left right now (read only: takes nothing). */
export async function isLimited(limiter: AttemptLimiter, key: string): Promise<boolean> {
  const res = await limiter.get(key);
  return res !== null && res.consumedPoints >= limiter.points && res.msBeforeNext > 0;
}

export interface AttemptSlot {
  limiter: AttemptLimiter;
  key: string;
}

export type Attempt<T> = { limited: false; outcome: T } | { limited: true; retryAfterSeconds: number };

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** A rejection of `consume` is the limiter's answer (a RateLimiterRes), anything else is a store failure. */
function isLimiterRes(x: unknown): x is LimiterRes {
  return typeof x === 'object' && x !== null && typeof (x as LimiterRes).msBeforeNext === 'number' && !(x instanceof Error);
}

/**
 * Reserves one point on every slot, evaluates, then gives the points back on success. A slot without a point
 * left refuses the attempt unevaluated (`limited`). A failure that spends a slot's last point blocks that key
 * for the limiter's `blockDuration` and is itself answered as `limited`, so the caller learns when to retry.
 */
export async function limitedAttempt<T>(slots: AttemptSlot[], evaluate: () => Promise<T>, succeeded: (outcome: T) => boolean): Promise<Attempt<T>> {
  const reserved: Array<{ slot: AttemptSlot; res: LimiterRes }> = [];
  let refusedMs = 0;
  for (const slot of slots) {
    try {
      reserved.push({ slot, res: await slot.limiter.consume(slot.key) });
    } catch (e) {
      if (!isLimiterRes(e)) throw e;
      refusedMs = Math.max(refusedMs, e.msBeforeNext);
    }
  }
  if (refusedMs > 0 || reserved.length < slots.length) return { limited: true, retryAfterSeconds: seconds(refusedMs) };

  let outcome: T;
  try {
    outcome = await evaluate();
  } catch (e) {
    // Not a guess that failed (a database error): the attempt does not count.
    await Promise.all(reserved.map(({ slot }) => slot.limiter.reward(slot.key)));
    throw e;
  }
  if (succeeded(outcome)) {
    await Promise.all(reserved.map(({ slot }) => slot.limiter.reward(slot.key)));
    return { limited: false, outcome };
  }
  const spent = reserved.filter(({ res }) => res.remainingPoints <= 0);
  if (spent.length === 0) return { limited: false, outcome };
  await Promise.all(spent.map(({ slot }) => slot.limiter.block(slot.key, slot.limiter.blockDuration)));
  return { limited: true, retryAfterSeconds: seconds(Math.max(...spent.map(({ slot }) => slot.limiter.blockDuration * 1000))) };
}

/**
 * Counts failures only, for attempts that cannot be guessed (a 256-bit device token): a key already out of
 * attempts is refused unevaluated, and only a failure takes a point. Unlike `limitedAttempt`, concurrent
 * successes never compete for points — fifty tills behind one address reconnecting at once after a back-office
 * restart must all get in — while a flood of bad ones is still cut off after the limit.
 */
export async function limitedFailures<T>(slots: AttemptSlot[], evaluate: () => Promise<T>, succeeded: (outcome: T) => boolean): Promise<Attempt<T>> {
  const blocked = await Promise.all(slots.map(async ({ limiter, key }) => ((await isLimited(limiter, key)) ? ((await limiter.get(key))?.msBeforeNext ?? 1000) : 0)));
  const waitMs = Math.max(0, ...blocked);
  if (waitMs > 0) return { limited: true, retryAfterSeconds: seconds(waitMs) };
  const outcome = await evaluate();
  if (succeeded(outcome)) return { limited: false, outcome };
  let refusedMs = 0;
  for (const slot of slots) {
    try {
      const res = await slot.limiter.consume(slot.key);
      if (res.remainingPoints <= 0) {
        await slot.limiter.block(slot.key, slot.limiter.blockDuration);
        refusedMs = Math.max(refusedMs, slot.limiter.blockDuration * 1000);
      }
    } catch (e) {
      if (!isLimiterRes(e)) throw e;
      refusedMs = Math.max(refusedMs, e.msBeforeNext);
    }
  }
  return refusedMs > 0 ? { limited: true, retryAfterSeconds: seconds(refusedMs) } : { limited: false, outcome };
}
