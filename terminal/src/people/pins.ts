/**
 * PIN verification against argon2 hashes in `staff.pin_hash`, with a per-terminal failure limiter.
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
import { ok, type Result } from '@tpv/shared/result';
import type { Clock } from '@tpv/shared/clock';
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

export function createPinVerifier(db: SqliteHandle, clock: Clock, policy: TillPolicy): PinVerifier {
  const activeStaff = db.prepare<[], StaffRow>('SELECT id, name, role, pin_hash FROM staff WHERE active = 1');
  const key = randomBytes(32);
  const remembered = new Map<string, { id: string; staff: string }>();
  let failures: number[] = [];
  let lockedUntil = 0;

  const tag = (pin: string) => createHmac('sha256', key).update(pin).digest('base64');

  function limited(): Failure | undefined {
    const now = clock.now();
    if (now < lockedUntil) {
      return { code: 'PIN_RATE_LIMITED', message: `too many wrong PINs; try again in ${Math.ceil((lockedUntil - now) / 1000)} s`, details: { retryAfterSeconds: Math.ceil((lockedUntil - now) / 1000) } };
    }
    return undefined;
  }

  function recordFailure(): void {
    const now = clock.now();
    failures = failures.filter((t) => now - t < policy.pinWindowMs);
    failures.push(now);
    if (failures.length >= policy.pinMaxFailures) {
      lockedUntil = now + policy.pinLockoutMs;
      failures = [];
    }
  }

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

  async function verify(pin: string): Promise<Result<StaffMember, Failure>> {
    const l = limited();
    if (l) return { ok: false, error: l };
    if (!/^\d{4,8}$/.test(pin)) {
      recordFailure();
      return failure('PIN_INVALID', 'wrong PIN');
    }
    const staff = await find(pin);
    if (staff === 'ambiguous') {
      recordFailure();
      return limited() ? { ok: false, error: limited()! } : failure('PIN_AMBIGUOUS', 'this PIN belongs to more than one staff member; the back office must give one of them another PIN');
    }
    if (!staff) {
      recordFailure();
      return limited() ? { ok: false, error: limited()! } : failure('PIN_INVALID', 'wrong PIN');
    }
    failures = [];
    return ok(staff);
  }

  return {
    verify,
    async verifySupervisor(pin) {
      const r = await verify(pin);
      if (!r.ok) return r.error.code === 'PIN_INVALID' ? failure('SUPERVISOR_PIN_INVALID', 'wrong supervisor PIN') : r;
      if (!isSupervisor(r.value)) {
        recordFailure();
        return failure('SUPERVISOR_PIN_INVALID', `${r.value.name} is not a supervisor`);
      }
      return r;
    },
  };
}
