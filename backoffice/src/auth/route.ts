import { Router } from 'express';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Clock } from '@tpv/shared/clock';
import { HttpProblem, parseOrProblem, problem } from '@tpv/shared/problem';
import { bearerOf, requireUser, userOf } from './http';
import { login, logout } from './service';

const LoginBody = z.strictObject({ email: z.string().min(3).max(254), password: z.string().min(1).max(256) });

export function authRoutes(ds: DataSource, clock: Clock): Router {
  const router = Router();
  router.post('/api/auth/login', async (req, res) => {
    const body = parseOrProblem(LoginBody, req.body);
    const r = await login(ds, clock, body.email, body.password);
    if (!r.ok) throw new HttpProblem(problem(401, r.error.code, 'Login failed', { detail: r.error.message }));
    res.json(r.value);
  });
  router.post('/api/auth/logout', requireUser(ds, clock), async (req, res) => {
    await logout(ds, bearerOf(req)!);
    res.status(204).end();
  });
  router.get('/api/auth/me', requireUser(ds, clock), (_req, res) => {
    res.json(userOf(res));
  });
  return router;
}
