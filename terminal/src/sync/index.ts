/**
 * Sync with the back office. Composition: `const sync = createSyncClient({...}); await sync.start();`,
 * mount `syncRoutes(() => sync.status())`, merge `syncHealth(sync.status())` into `/health`, and call
 * `sync.notify()` after each committed sale (optional: the client also polls the outbox).
 */
import type { Clock } from '@tpv/shared/clock';
import type { SqliteHandle } from '../persistence/data-source';
import { SyncClient } from './client';
import type { SyncClientOptions } from './context';

export { SyncClient, type SyncClientEvents } from './client';
export type { SyncClientOptions } from './context';
export type { SyncStatus, SyncState, SyncConflict, CatalogProgress } from './status';
export { syncRoutes, syncHealth } from './router';
export { pairTerminal, PairingError } from './pairing';
export { createOutboxStore, type OutboxStore, type OutboxStats } from './outbox';
export { createCatalogStore, type CatalogStore, ChangeApplyError } from './catalog';
export { readCredentials, writeCredentials, type SyncCredentials } from './state';

export function createSyncClient(opts: SyncClientOptions): SyncClient {
  return new SyncClient(opts);
}

/** Options from the environment: TPV_PAIRING_CODE, TPV_SYNC_BATCH (tickets per batch), TPV_SYNC_BACKOFF_MAX_MS. */
export function syncOptionsFromEnv(
  base: { db: SqliteHandle; backofficeUrl: string; clock: Clock; appVersion: string },
  env: NodeJS.ProcessEnv = process.env,
): SyncClientOptions {
  const num = (v: string | undefined) => (v && Number.isFinite(Number(v)) ? Number(v) : undefined);
  const batch = num(env.TPV_SYNC_BATCH);
  const maxMs = num(env.TPV_SYNC_BACKOFF_MAX_MS);
  const baseMs = num(env.TPV_SYNC_BACKOFF_BASE_MS);
  return {
    ...base,
    pairingCode: env.TPV_PAIRING_CODE || undefined,
    ...(batch ? { batchSize: batch } : {}),
    ...(maxMs || baseMs ? { backoff: { baseMs: baseMs ?? 500, maxMs: maxMs ?? 30_000 } } : {}),
  };
}
