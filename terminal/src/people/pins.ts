/**
 * PIN verification against argon2 hashes in `staff.pin_hash`, with a per-terminal failure limiter: every
 * attempt (login, supervisor PIN in a body) takes a point *before* it is evaluated and only a success gives
 * it back, so nobody's good PIN forgives earlier failures and a burst of PINs cannot outrun the limit.
 *
 * Login is PIN-only (no user code), so a PIN is tried against every active staff hash. argon2 is slow on
 * purpose; to keep supervisor overrides snappy, a verified PIN is remembered for the life of the process
 * keyed by an HMAC under a random per-process key (never stored) and bound to the active staff as they were
 * when it matched (ids and hashes), so any staff change in master data invalidates it.
 *
 * A PIN that opens more than one active hash logs nobody in (PIN_AMBIGUOUS): taking "the first match" could
 * give a cashier a supervisor's rights. HQ refuses such clashes per store; this covers older data.
 */
import { createHmac, randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { limitedAttempt } from '@tpv/runtime/attempts';
import { ok, type Result } from '@tpv/shared/result';
import type { SqliteHandle } from '../persistence/data-source';
import type { StaffRole } from '../persistence/entities';
import { failure, type Failure } from '../app/errors';
import type { TillPolicy } from '../app/policy';

export interface StaffMember {
  id: string;
  name: string;
  role: StaffRole;
}

export const isSupervisor = (s: StaffMember): boolean => s.role === 'supervisor' || s.role === 'manager';

export interface PinVerifier {
  /** The active staff member with this PIN, or PIN_INVALID / PIN_RATE_LIMITED. Failures count. */
  verify(pin: string): Promise<Result<StaffMember, Failure>>;
  /** Supervisor or manager PIN (SUPERVISOR_PIN_INVALID otherwise; counts as a failure too). */
  verifySupervisor(pin: string): Promise<Result<StaffMember, Failure>>;
}

interface StaffRow { id: string; name: string; role: StaffRole; pin_hash: string }

export function createPinVerifier(db: SqliteHandle, policy: TillPolicy): PinVerifier {
  const activeStaff = db.prepare<[], StaffRow>('SELECT id, name, role, pin_hash FROM staff WHERE active = 1');
  const key = randomBytes(32);
  const remembered = new Map<string, { id: string; staff: string }>();
  // One screen per till: the failures of this terminal, whoever typed them.
  const limiter = new RateLimiterMemory({
    keyPrefix: 'pin',
    points: Math.max(1, policy.pinMaxFailures),
    duration: Math.max(1, Math.ceil(policy.pinWindowMs / 1000)),
    blockDuration: Math.max(1, Math.ceil(policy.pinLockoutMs / 1000)),
  });
  const slots = [{ limiter, key: 'till' }];

  const tag = (pin: string) => createHmac('sha256', key).update(pin).digest('base64');

  const rateLimited = (retryAfterSeconds: number): Result<StaffMember, Failure> =>
    failure('PIN_RATE_LIMITED', `too many wrong PINs; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });

  /** The one active member this PIN opens, 'ambiguous' when it opens several, undefined when none. */
  async function find(pin: string): Promise<StaffMember | 'ambiguous' | undefined> {
    const rows = activeStaff.all();
    const staff = rows.map((r) => `${r.id}:${r.pin_hash}`).sort().join(',');
    const t = tag(pin);
    const hit = remembered.get(t);
    if (hit && hit.staff === staff) {
      const row = rows.find((r) => r.id === hit.id)!;
      return { id: row.id, name: row.name, role: row.role };
    }
    remembered.delete(t);
    const matches = await Promise.all(rows.map((r) => argon2.verify(r.pin_hash, pin).catch(() => false)));
    const found = rows.filter((_, i) => matches[i]);
    if (found.length > 1) return 'ambiguous';
    const row = found[0];
    if (!row) return undefined;
    remembered.set(t, { id: row.id, staff });
    return { id: row.id, name: row.name, role: row.role };
  }

  /** One counted attempt: `accept` decides whether the staff member found is what was asked for. */
  async function attempt(pin: string, accept: (s: StaffMember) => boolean, refused: (s: StaffMember | undefined) => Result<StaffMember, Failure>): Promise<Result<StaffMember, Failure>> {
    const r = await limitedAttempt(
      slots,
      async () => (/^\d{4,8}$/.test(pin) ? await find(pin) : undefined),
      (staff) => staff !== undefined && staff !== 'ambiguous' && accept(staff),
    );
    if (r.limited) return rateLimited(r.retryAfterSeconds);
    const staff = r.outcome;
    // A PIN that opens several active members logs nobody in (data from before HQ refused PIN clashes).
    if (staff === 'ambiguous') return failure('PIN_AMBIGUOUS', 'this PIN belongs to more than one staff member; the back office must give one of them another PIN');
    return staff !== undefined && accept(staff) ? ok(staff) : refused(staff);
  }

  return {
    verify: (pin) => attempt(pin, () => true, () => failure('PIN_INVALID', 'wrong PIN')),
    verifySupervisor: (pin) =>
      attempt(pin, isSupervisor, (staff) => failure('SUPERVISOR_PIN_INVALID', staff ? `${staff.name} is not a supervisor` : 'wrong supervisor PIN')),
  };
}
