import { Router } from 'express';
import type { SyncStatus } from './status';

/** `GET /api/sync/status`: what the screen and an operator need about delivery to the back office. */
export function syncRoutes(status: () => SyncStatus): Router {
  const router = Router();
  router.get('/api/sync/status', (_req, res) => {
    res.json(status());
  });
  return router;
}

/** The compact part of the sync status for `/health` (and the socket `status` event). */
export function syncHealth(s: SyncStatus): Record<string, unknown> {
  return {
    sync: {
      state: s.state,
      online: s.online,
      pendingCount: s.pendingCount,
      oldestPendingAgeSeconds: s.oldestPendingAgeSeconds,
      ackedSeq: s.ackedSeq,
      catalogVersion: s.catalog.version,
      catalogLoading: s.catalog.loading,
      lastError: s.lastError?.message ?? null,
    },
  };
}
