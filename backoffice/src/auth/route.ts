import { Router } from 'express';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Clock } from '@tpv/shared/clock';
import { HttpProblem, parseOrProblem, problem } from '@tpv/shared/problem';
import { bearerOf, requireUser, userOf } from './http';
import { addressKey, throttled, type Throttle } from '../throttle/limits';
import { login, logout } from './service';
import { permissionsOf } from '../platform/permissions';

const LoginBody = z.strictObject({ email: z.string().min(3).max(254), password: z.string().min(1).max(256) });

/** What `/api/auth/me` tells the admin UI about this deployment. */
export interface Deployment {
  modules: readonly string[];
  permissionModules: readonly string[];
}

export function authRoutes(ds: DataSource, clock: Clock, throttle: Throttle, deployment: Deployment): Router {
  const router = Router();
  router.post('/api/auth/login', async (req, res) => {
    const body = parseOrProblem(LoginBody, req.body);
    // Failures counted per account and per address before argon2 runs; a success gives its attempt back.
    const slots = [
      { limiter: throttle.loginPerAccount, key: body.email.trim().toLowerCase() },
      { limiter: throttle.loginPerAddress, key: addressKey(req.ip) },
    ];
    const r = await throttled(slots, 'logins', () => login(ds, clock, body.email, body.password), (x) => x.ok);
    if (!r.ok) throw new HttpProblem(problem(401, r.error.code, 'Login failed', { detail: r.error.message }));
    res.json(r.value);
  });
  router.post('/api/auth/logout', requireUser(ds, clock), async (req, res) => {
    await logout(ds, bearerOf(req)!);
    res.status(204).end();
  });
  router.get('/api/auth/me', requireUser(ds, clock), (_req, res) => {
    const user = userOf(res);
    // The UI's menu mirrors these; the server checks them again on every route.
    res.json({ ...user, permissions: permissionsOf(user.role, deployment.permissionModules), modules: deployment.modules });
  });
  return router;
}
