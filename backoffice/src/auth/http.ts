/** Express edge of back-office authentication: the bearer middleware and scope checks as problem+json. */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { HttpProblem, problem } from '@tpv/shared/problem';
import { authenticate, canAccessStore, type AuthUser } from './service';
import { can, type Permission } from '../platform/permissions';

export const unauthorized = () =>
  new HttpProblem(problem(401, 'UNAUTHENTICATED', 'Authentication required', { detail: 'Send Authorization: Bearer <token> from POST /api/auth/login.' }));
export const forbidden = (detail = 'This resource belongs to another company.') => new HttpProblem(problem(403, 'FORBIDDEN', 'Forbidden', { detail }));
export const notFound = (what: string) => new HttpProblem(problem(404, 'NOT_FOUND', 'Not found', { detail: `${what} not found` }));

const enrolmentRequiredProblem = () =>
  new HttpProblem(problem(403, 'TOTP_ENROLMENT_REQUIRED', 'Two-factor enrolment required', { detail: 'Enrol a TOTP second factor (My account) before using the back office.' }));

export function bearerOf(req: Request): string | undefined {
  const h = req.header('authorization');
  const m = h ? /^Bearer\s+(\S+)$/i.exec(h) : null;
  return m?.[1];
}

/** Rejects with 401 unless a valid session token is sent; the user is in `res.locals.user`. */
export function requireUser(ds: DataSource, clock: Clock): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const token = bearerOf(req);
    if (!token) return next(unauthorized());
    authenticate(ds, clock, token)
      .then((user) => (!user ? next(unauthorized()) : user.enrolOnly ? next(enrolmentRequiredProblem()) : ((res.locals.user = user), next())))
      .catch(next);
  };
}

export function userOf(res: Response): AuthUser {
  const u = res.locals.user as AuthUser | undefined;
  if (!u) throw unauthorized();
  return u;
}

/** Throws 403 unless the user may act on the store. */
export async function assertStoreAccess(ds: DataSource, user: AuthUser, storeId: string): Promise<void> {
  if (!(await canAccessStore(ds, user, storeId))) throw forbidden();
}

/** Throws 403 unless the user's role grants the permission (platform/permissions.ts). */
export function requirePermission(res: Response, permission: Permission, why?: string): AuthUser {
  const u = userOf(res);
  if (!can(u, permission)) throw forbidden(why ?? `Your role (${u.role}) may not ${permission.replace('.', ': ')}.`);
  return u;
}
