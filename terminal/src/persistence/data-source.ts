import { DataSource } from 'typeorm';
import type BetterSqlite3 from 'better-sqlite3';
import { terminalEntities } from './entities';
import { terminalMigrations } from './migrations';

export type SqliteHandle = BetterSqlite3.Database;

/** Where TypeORM records executed migrations (same name as the back office's). */
export const MIGRATIONS_TABLE = 'typeorm_migrations';

export interface TerminalDataSourceOptions {
  /** Path of the terminal's SQLite file (its directory is created if missing); ':memory:' works for throwaway use. */
  file: string;
  /** Milliseconds a statement waits on a locked database before SQLITE_BUSY. Default 5000. */
  busyTimeoutMs?: number;
  /** Extra setup on the raw better-sqlite3 handle (functions, pragmas), run after the terminal's own pragmas. */
  prepareDatabase?: (db: SqliteHandle) => void;
  /** TypeORM query logging. Default off. */
  logging?: boolean;
}

/** Pragmas every terminal connection runs before TypeORM touches it. */
export function applyTerminalPragmas(db: SqliteHandle, busyTimeoutMs = 5000): void {
  db.pragma('journal_mode = WAL'); // readers never block the till; ':memory:' stays 'memory'
  db.pragma('synchronous = FULL'); // a committed sale survives power loss
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
  db.pragma('temp_store = MEMORY');
  db.pragma('cache_size = -32000'); // 32 MiB page cache: the 200k-product catalogue and its indexes stay hot
}

/** A DataSource for the terminal database — not yet initialised, migrations not run (see openTerminalDatabase). */
export function createTerminalDataSource(options: TerminalDataSourceOptions): DataSource {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  return new DataSource({
    type: 'better-sqlite3',
    database: options.file,
    timeout: busyTimeoutMs,
    enableWAL: true,
    prepareDatabase: (db: SqliteHandle) => {
      applyTerminalPragmas(db, busyTimeoutMs);
      options.prepareDatabase?.(db);
    },
    entities: terminalEntities,
    migrations: terminalMigrations,
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: options.logging ?? false,
  });
}

/** Initialise the terminal database and apply any pending migrations. */
export async function openTerminalDatabase(
  fileOrOptions: string | TerminalDataSourceOptions,
): Promise<DataSource> {
  const options = typeof fileOrOptions === 'string' ? { file: fileOrOptions } : fileOrOptions;
  const dataSource = createTerminalDataSource(options);
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

/** Undo every executed migration, newest first (tests, and a clean reset of a lab terminal). */
export async function revertAllTerminalMigrations(dataSource: DataSource): Promise<void> {
  const rows: Array<{ n: number }> = await dataSource.query(`SELECT COUNT(*) AS n FROM "${MIGRATIONS_TABLE}"`);
  for (let i = 0; i < (rows[0]?.n ?? 0); i++) await dataSource.undoLastMigration({ transaction: 'each' });
}

/**
 * The better-sqlite3 handle under an initialised DataSource, for prepared statements on hot paths.
 * It is the same single connection TypeORM uses: do not run a raw transaction while a TypeORM
 * transaction is open (better-sqlite3 would nest it as a savepoint of that transaction).
 */
export function sqliteHandle(dataSource: DataSource): SqliteHandle {
  if (!dataSource.isInitialized) throw new Error('sqliteHandle: DataSource is not initialised');
  const handle = (dataSource.driver as unknown as { databaseConnection?: SqliteHandle }).databaseConnection;
  if (!handle) throw new Error('sqliteHandle: driver exposes no better-sqlite3 connection');
  return handle;
}
