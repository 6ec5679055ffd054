import { Router } from 'express';
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { requireUser, userOf } from '../auth/http';
import { organisationView } from './service';

export function organisationRoutes(ds: DataSource, clock: Clock): Router {
  const router = Router();
  router.get('/api/organisation', requireUser(ds, clock), async (_req, res) => {
    const user = userOf(res);
    // A manager sees only their own company (and its stores and terminals).
    res.json(await organisationView(ds, user.role === 'hq' ? {} : { companyId: user.companyId ?? '00000000-0000-0000-0000-000000000000' }));
  });
  return router;
}
