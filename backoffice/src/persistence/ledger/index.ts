/**
 * The ingest ledger adapters (port: `sales-ingest/ledger.ts`): better-sqlite3 prepared statements on SQLite,
 * pg `unnest` multi-row statements on PostgreSQL, chosen by the DataSource's engine.
 */
import type { DataSource } from 'typeorm';
import type { LedgerEngine } from '../../sales-ingest/ledger';
import { engineOfDs } from '../raw';
import { pgLedger } from './postgres';
import { sqliteLedger } from './sqlite';

export function openLedger(ds: DataSource): LedgerEngine {
  return engineOfDs(ds) === 'postgres' ? pgLedger(ds) : sqliteLedger(ds);
}

export { pgLedger, sqliteLedger };
