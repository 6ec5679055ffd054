/**
 * Engine-level access for the hot paths that TypeORM's repositories would slow down (ticket ingest, session
 * checks): the better-sqlite3 handle or the pg pool behind a DataSource opened by persistence/, plus one
 * write lock per SQLite database so that TypeORM transactions and raw synchronous transactions never nest.
 *
 * SQLite has one connection per DataSource: two overlapping `ds.transaction()` calls would both issue BEGIN
 * on it. Every back-office write transaction therefore goes through `writeTransaction`, which queues them.
 */
import type Database from 'better-sqlite3';
import type { Pool } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';

export type Engine = 'sqlite' | 'postgres';

export function engineOfDs(ds: DataSource): Engine {
  return ds.options.type === 'postgres' ? 'postgres' : 'sqlite';
}

/** The engine behind a transaction's manager (repositories take a manager, not the DataSource). */
export function engineOfManager(m: EntityManager): Engine {
  return engineOfDs(m.connection);
}

export function sqliteDb(ds: DataSource): Database.Database {
  const db = (ds.driver as unknown as { databaseConnection?: Database.Database }).databaseConnection;
  if (!db) throw new Error('no better-sqlite3 connection behind this DataSource');
  return db;
}

export function pgPool(ds: DataSource): Pool {
  const pool = (ds.driver as unknown as { master?: Pool }).master;
  if (!pool) throw new Error('no pg pool behind this DataSource');
  return pool;
}

/** A FIFO async mutex. */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();
  async run<T>(fn: () => Promise<T> | T): Promise<T> {
    const prev = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((r) => (release = r));
    await prev;
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

const sqliteLocks = new WeakMap<DataSource, Mutex>();

/** The write lock of a SQLite DataSource (undefined on PostgreSQL, where the database does the locking). */
export function sqliteWriteLock(ds: DataSource): Mutex | undefined {
  if (engineOfDs(ds) !== 'sqlite') return undefined;
  let m = sqliteLocks.get(ds);
  if (!m) sqliteLocks.set(ds, (m = new Mutex()));
  return m;
}

/** `ds.transaction(fn)`, queued behind other writers on SQLite. */
export async function writeTransaction<T>(ds: DataSource, fn: (m: EntityManager) => Promise<T>): Promise<T> {
  const lock = sqliteWriteLock(ds);
  return lock ? lock.run(() => ds.transaction(fn)) : ds.transaction(fn);
}

/** `(?, ?, …)` placeholders for SQLite, `($1, $2, …)` for PostgreSQL, starting at `from`. */
export function placeholders(engine: Engine, count: number, from = 1): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(engine === 'sqlite' ? '?' : `$${from + i}`);
  return out.join(', ');
}
