/**
 * Who is at the till: PIN login (tokens held in memory — a restart asks for the PIN again, the cart stays),
 * lock, logout, switching cashier (log in with another PIN), and supervisor authorisation of overrides.
 */
import { randomBytes } from 'node:crypto';
import { ok, type Result } from '@tpv/shared/result';
import { failure, type Failure } from '../app/errors';
import type { AuditLog } from './audit';
import { isSupervisor, type PinVerifier, type StaffMember } from './pins';

export interface AuthService {
  login(pin: string): Promise<Result<{ token: string; cashier: StaffMember }, Failure>>;
  authenticate(token: string | undefined): Result<StaffMember, Failure>;
  /** Locks the screen for the holder of `token`; AUTH_REQUIRED for anyone else (nothing changes). */
  lock(token: string | undefined): Result<void, Failure>;
  logout(token: string | undefined): Result<void, Failure>;
  /** The cashier logged in at the till (also while the screen is locked), for the lock screen. */
  current(): { cashier: StaffMember; locked: boolean } | undefined;
  /**
   * Authorises an override for `actor`: a supervisor or manager authorises themselves; anyone else needs
   * a supervisor PIN. Returns the authoriser; writes nothing (the caller audits with its own change).
   */
  authorise(actor: StaffMember, supervisorPin: string | undefined, what: string): Promise<Result<StaffMember, Failure>>;
}

export function createAuthService(pins: PinVerifier, audit: AuditLog): AuthService {
  const tokens = new Map<string, StaffMember>();
  let current: { cashier: StaffMember; locked: boolean } | undefined;

  return {
    async login(pin) {
      const r = await pins.verify(pin);
      if (!r.ok) return r;
      tokens.clear(); // one screen per till: a new login ends the previous one
      const token = randomBytes(24).toString('base64url');
      tokens.set(token, r.value);
      const switched = current !== undefined && current.cashier.id !== r.value.id;
      current = { cashier: r.value, locked: false };
      audit({ action: switched ? 'cashier_switch' : 'login', actorId: r.value.id });
      return ok({ token, cashier: r.value });
    },
    authenticate(token) {
      if (current?.locked) return failure('TERMINAL_LOCKED', 'the till is locked: enter a PIN');
      const s = token === undefined ? undefined : tokens.get(token);
      return s ? ok(s) : failure('AUTH_REQUIRED', 'log in with your PIN first');
    },
    lock(token) {
      const s = token === undefined ? undefined : tokens.get(token);
      if (!s) return failure('AUTH_REQUIRED', 'only the logged-in cashier can lock the till');
      tokens.clear();
      current = { cashier: s, locked: true };
      audit({ action: 'lock', actorId: s.id });
      return ok(undefined);
    },
    logout(token) {
      const s = token === undefined ? undefined : tokens.get(token);
      if (!s) return failure('AUTH_REQUIRED', 'only the logged-in cashier can log out');
      tokens.clear();
      current = undefined;
      audit({ action: 'logout', actorId: s.id });
      return ok(undefined);
    },
    current: () => current,
    async authorise(actor, supervisorPin, what) {
      if (isSupervisor(actor)) return ok(actor);
      if (supervisorPin === undefined || supervisorPin === '') {
        return failure('SUPERVISOR_REQUIRED', `${what} needs a supervisor PIN`, { action: what });
      }
      return pins.verifySupervisor(supervisorPin);
    },
  };
}
