/** Small helpers shared by the terminal's routers (auth guard, actor, async handlers). */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AuthService } from '../people/auth';
import type { StaffMember } from '../people/pins';
import { HttpProblem } from '@tpv/shared/problem';
import { problemOf } from './errors';

export function bearer(req: Request): string | undefined {
  const h = req.get('authorization');
  const m = h ? /^Bearer\s+(\S+)$/i.exec(h) : null;
  return m?.[1];
}

/** Requires a logged-in, unlocked cashier; sets `res.locals.staff`. */
export function requireStaff(auth: AuthService): RequestHandler {
  return (req, res, next) => {
    const s = auth.authenticate(bearer(req));
    if (!s.ok) return next(new HttpProblem(problemOf(s.error)));
    res.locals.staff = s.value;
    next();
  };
}

export const actor = (res: Response): StaffMember => res.locals.staff as StaffMember;

/** Express 5 forwards rejected promises itself; this only fixes the handler's type. */
export const handle =
  (fn: (req: Request, res: Response, next: NextFunction) => unknown): RequestHandler =>
  (req, res, next) =>
    fn(req, res, next) as void;
