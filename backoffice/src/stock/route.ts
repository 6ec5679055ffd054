import { Router } from 'express';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Clock } from '@tpv/shared/clock';
import { parseOrProblem } from '@tpv/shared/problem';
import { assertStoreAccess, requireUser, userOf } from '../auth/http';
import { movementsOf, stockOfStore } from './service';

const StockQuery = z.object({ q: z.string().max(100).optional(), limit: z.coerce.number().int().min(1).max(5000).default(500) });
const MovementsQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) });

export function stockRoutes(ds: DataSource, clock: Clock): Router {
  const r = Router();
  const auth = requireUser(ds, clock);
  r.get('/api/stores/:storeId/stock', auth, async (req, res) => {
    const storeId = String(req.params.storeId);
    await assertStoreAccess(ds, userOf(res), storeId);
    const q = parseOrProblem(StockQuery, req.query, 'query');
    res.json(await stockOfStore(ds, storeId, q));
  });
  r.get('/api/stores/:storeId/stock/:productId/movements', auth, async (req, res) => {
    const storeId = String(req.params.storeId);
    await assertStoreAccess(ds, userOf(res), storeId);
    const q = parseOrProblem(MovementsQuery, req.query, 'query');
    res.json(await movementsOf(ds, storeId, String(req.params.productId), q.limit));
  });
  return r;
}
