import { Router } from 'express';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Clock } from '@tpv/shared/clock';
import { parseOrProblem } from '@tpv/shared/problem';
import { assertStoreAccess, requireUser, userOf } from '../auth/http';
import { visibleStoreIds } from '../auth/service';
import { dailySales, terminalStatuses } from './service';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'yyyy-mm-dd');
const SalesQuery = z.object({ storeId: z.string().max(36).optional(), from: Day.optional(), to: Day.optional() });

export function reportRoutes(ds: DataSource, clock: Clock, online: () => string[], highestSeen: (id: string) => number | null = () => null): Router {
  const r = Router();
  const auth = requireUser(ds, clock);
  r.get('/api/terminals', auth, async (_req, res) => {
    const stores = await visibleStoreIds(ds, userOf(res));
    res.json(await terminalStatuses(ds, stores, { online: new Set(online()), highestSeen }));
  });
  r.get('/api/sales/daily', auth, async (req, res) => {
    const q = parseOrProblem(SalesQuery, req.query, 'query');
    const user = userOf(res);
    let stores = await visibleStoreIds(ds, user);
    if (q.storeId) {
      await assertStoreAccess(ds, user, q.storeId);
      stores = [q.storeId];
    }
    const today = new Date(clock.now()).toISOString().slice(0, 10);
    const from = q.from ?? new Date(clock.now() - 30 * 86_400_000).toISOString().slice(0, 10);
    res.json(await dailySales(ds, stores, from, q.to ?? today));
  });
  return r;
}
