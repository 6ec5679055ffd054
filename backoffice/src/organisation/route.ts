import { Router } from 'express';
import type { DataSource } from 'typeorm';
import { organisationView } from './service';

export function organisationRoutes(ds: DataSource): Router {
  const router = Router();
  router.get('/api/organisation', async (_req, res) => {
    res.json(await organisationView(ds));
  });
  return router;
}
