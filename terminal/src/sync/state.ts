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
