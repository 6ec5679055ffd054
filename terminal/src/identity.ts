import type { SqliteHandle } from './persistence/data-source';

/**
 * Who this terminal is: written once when the terminal is installed (paired with the back office, or by
 * the demo seed) and read at start-up. Receipts, fiscal records and the sync client all take it from here.
 */
export interface TerminalIdentity {
  terminalId: string;
  terminalCode: string;
  terminalName: string;
  storeId: string;
  storeCode: string;
  storeName: string;
  storeAddress: string;
  /** IANA zone for fiscal timestamps and business dates. */
  timezone: string;
  companyId: string;
  companyNif: string;
  companyLegalName: string;
  companyTradeName: string;
  /** Veri*Factu NumeroInstalacion: this terminal's own fiscal chain. */
  installation: string;
}

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
