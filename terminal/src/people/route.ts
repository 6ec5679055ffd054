import { Router } from 'express';
import { z } from 'zod';
import { parseOrProblem } from '@tpv/shared/problem';
import { orProblem } from '../app/errors';
import { bearer, handle } from '../app/http';
import type { AuthService } from './auth';

const LoginBody = z.strictObject({ pin: z.string().min(1).max(16) });

export function peopleRouter(auth: AuthService, onChange: () => void): Router {
  const r = Router();
  r.post('/api/auth/login', handle(async (req, res) => {
    const body = parseOrProblem(LoginBody, req.body);
    const out = orProblem(await auth.login(body.pin));
    onChange();
    res.json({ token: out.token, cashier: out.cashier });
  }));
  // The caller's own token: 401 for anyone else, so nobody on the LAN can lock or log out the till.
  r.post('/api/auth/lock', (req, res) => {
    orProblem(auth.lock(bearer(req)));
    onChange();
    res.status(204).end();
  });
  r.post('/api/auth/logout', (req, res) => {
    orProblem(auth.logout(bearer(req)));
    onChange();
    res.status(204).end();
  });
  return r;
}
