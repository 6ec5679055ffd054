import type { TerminalIdentity } from '@tpv/shared/wire/sync-protocol';
import type { SqliteHandle } from './persistence/data-source';

/**
 * Who this terminal is: received from the back office when the terminal is paired (or written by the demo
 * seed) and read at start-up. Receipts, fiscal records and the sync client all take it from here. The shape is
 * the protocol's `TerminalIdentity`.
 */
export type { TerminalIdentity };

const KEY = 'identity';

export function readIdentity(db: SqliteHandle): TerminalIdentity | undefined {
  const row = db.prepare<[string], { value: string }>('SELECT value FROM terminal_config WHERE key = ?').get(KEY);
  return row ? (JSON.parse(row.value) as TerminalIdentity) : undefined;
}

export function writeIdentity(db: SqliteHandle, identity: TerminalIdentity): void {
  db.prepare('INSERT INTO terminal_config (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
    KEY,
    JSON.stringify(identity),
  );
}
