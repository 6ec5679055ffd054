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
  r.post('/api/auth/lock', (req, res) => {
    auth.lock(bearer(req));
    onChange();
    res.status(204).end();
  });
  r.post('/api/auth/logout', (req, res) => {
    auth.logout(bearer(req));
    onChange();
    res.status(204).end();
  });
  return r;
}
