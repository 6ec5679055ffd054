/**
 * What the sync client keeps in `terminal_config` (file-local, never sent anywhere but the back office):
 * the token from pairing and whether the back office has refused it.
 */
import type { SqliteHandle } from '../persistence/data-source';

const KEY = 'sync';

export interface SyncCredentials {
  terminalId: string;
  token: string;
  pairedAt: string;
  /** The back office answered `unauthorized` (revoked or unknown): pair again with a new code. */
  revokedAt?: string | null;
}

export function readCredentials(db: SqliteHandle): SyncCredentials | undefined {
  const row = db.prepare<[string], { value: string }>('SELECT value FROM terminal_config WHERE key = ?').get(KEY);
  return row ? (JSON.parse(row.value) as SyncCredentials) : undefined;
}

export function writeCredentials(db: SqliteHandle, creds: SyncCredentials): void {
  db.prepare('INSERT INTO terminal_config (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
    KEY,
    JSON.stringify(creds),
  );
}

const EPOCH_KEY = 'catalogEpoch';

/** HQ's feed epoch at the version the till holds (ChangePage.epoch), sent back in the hello. */
export function readCatalogEpoch(db: SqliteHandle): string | undefined {
  const row = db.prepare<[string], { value: string }>('SELECT value FROM terminal_config WHERE key = ?').get(EPOCH_KEY);
  return row ? (JSON.parse(row.value) as string | null) ?? undefined : undefined;
}

export function writeCatalogEpoch(db: SqliteHandle, epoch: string | null): void {
  db.prepare('INSERT INTO terminal_config (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
    EPOCH_KEY,
    JSON.stringify(epoch),
  );
}

/**
 * HQ's feed went back: the next pull starts from 0 (every current record comes down again and overwrites
 * ours; the till keeps selling from what it has meanwhile).
 */
export function resetCatalogVersion(db: SqliteHandle, nowIso: string): void {
  db.transaction(() => {
    db.prepare('UPDATE master_data_state SET version = 0, updated_at = ? WHERE id = 1').run(nowIso);
    writeCatalogEpoch(db, null);
  })();
}
