import { Router } from 'express';
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { requireUser, userOf } from '../auth/http';
import { organisationFor } from './service';

export function organisationRoutes(ds: DataSource, clock: Clock): Router {
  const router = Router();
  router.get('/api/organisation', requireUser(ds, clock), async (_req, res) => {
    res.json(await organisationFor(ds, userOf(res)));
  });
  return router;
}
