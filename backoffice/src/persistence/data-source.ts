/**
 * The back-office database: a SQLite file by default, PostgreSQL when a `postgres://` URL is given.
 * Schema changes come from ./migrations only (`synchronize: false`).
 */
import { DataSource } from 'typeorm';
import type { DataSourceOptions } from 'typeorm';
import { backofficeEntities } from './entities';
import { backofficeMigrations } from './migrations';
import { backofficePgTypes } from './pg-types';
import { startEpoch } from './sync-epoch';

export interface BackofficeDatabaseOptions {
  /** `postgres://` or `postgresql://` selects PostgreSQL; a `?schema=name` query parameter is honoured. */
  databaseUrl?: string | undefined;
  /** SQLite file (used when no databaseUrl). Default `backoffice.sqlite` in the working directory. */
  file?: string | undefined;
  /** PostgreSQL schema to use instead of `public` (created if missing by openBackofficeDatabase). */
  schema?: string | undefined;
  /** SQLite busy timeout in ms (default 5000). */
  busyTimeoutMs?: number | undefined;
  logging?: boolean | undefined;
}

export type BackofficeEngine = 'sqlite' | 'postgres';

export interface EngineDescription {
  engine: BackofficeEngine;
  /** SQLite file path, or `host:port/database` (never credentials). */
  location: string;
  /** PostgreSQL schema, when not `public`. */
  schema?: string;
}

const PG_URL = /^postgres(ql)?:\/\//i;
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export function isPostgresUrl(url: string | undefined): url is string {
  return !!url && PG_URL.test(url);
}

function splitPgUrl(databaseUrl: string, schemaOption: string | undefined): { url: string; schema: string | undefined } {
  const url = new URL(databaseUrl);
  const fromUrl = url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('schema');
  const schema = schemaOption ?? fromUrl;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) throw new Error(`invalid PostgreSQL schema name: ${schema}`);
  return { url: url.toString(), schema: schema === 'public' ? undefined : schema };
}

/** Builds (does not initialize) the back-office DataSource. */
export function createBackofficeDataSource(opts: BackofficeDatabaseOptions = {}): DataSource {
  const common = {
    entities: backofficeEntities,
    migrations: backofficeMigrations,
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    logging: opts.logging ?? false,
  };
  if (opts.databaseUrl !== undefined && opts.databaseUrl !== '') {
    if (!isPostgresUrl(opts.databaseUrl)) {
      throw new Error('DATABASE_URL must be a postgres:// URL (leave it unset for the SQLite file)');
    }
    const { url, schema } = splitPgUrl(opts.databaseUrl, opts.schema);
    const options: DataSourceOptions = {
      type: 'postgres',
      url,
      ...(schema ? { schema } : {}),
      ...common,
      extra: {
        // int8/numeric → JS number on this pool only (see pg-types.ts).
        types: backofficePgTypes,
        // Raw SQL written without a schema prefix resolves in our schema too. JIT off: our queries are short (a
        // report is ≤ a few hundred ms), and compiling them cost more than it saved — 66 ms of a 765 ms report read
        // at 10M tickets; the restocking and monthly-run paths had already turned it off locally.
        options: `-c jit=off${schema ? ` -c search_path=${schema}` : ''}`,
      },
    };
    return new DataSource(options);
  }
  const options: DataSourceOptions = {
    type: 'better-sqlite3',
    database: opts.file ?? 'backoffice.sqlite',
    enableWAL: true, // TypeORM also turns `foreign_keys` ON for every connection.
    timeout: opts.busyTimeoutMs ?? 5000,
    prepareDatabase: (db: { pragma(sql: string): unknown }) => {
      // An ack means the tickets survive a power cut: every commit is synced (WAL + NORMAL could lose the last
      // commits, and with them acked tickets, change-log versions tills already hold, and pairings).
      db.pragma('synchronous = FULL');
    },
    ...common,
  };
  return new DataSource(options);
}

/** Creates, initializes and migrates the database (pending migrations only). */
export async function openBackofficeDatabase(opts: BackofficeDatabaseOptions = {}): Promise<DataSource> {
  const ds = createBackofficeDataSource(opts);
  await ds.initialize();
  try {
    const schema = postgresSchema(ds);
    if (schema) await ds.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await ds.runMigrations();
    // Changes from here on belong to a new feed epoch (how tills notice a database put back to an older copy).
    await startEpoch(ds, new Date().toISOString());
  } catch (error) {
    await ds.destroy();
    throw error;
  }
  return ds;
}

/** Reverts every executed migration, newest first (tests and tooling). */
export async function revertAllBackofficeMigrations(ds: DataSource): Promise<void> {
  for (let i = 0; i < backofficeMigrations.length; i++) await ds.undoLastMigration();
}

export function engineOf(ds: DataSource): BackofficeEngine {
  return ds.options.type === 'postgres' ? 'postgres' : 'sqlite';
}

function postgresSchema(ds: DataSource): string | undefined {
  return ds.options.type === 'postgres' ? ds.options.schema : undefined;
}

/** What /health reports about storage: engine and where, never a password. */
export function describeEngine(ds: DataSource): EngineDescription {
  if (ds.options.type === 'postgres') {
    const url = new URL(ds.options.url ?? 'postgres://localhost');
    const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || '(default)';
    const schema = ds.options.schema;
    return {
      engine: 'postgres',
      location: `${url.hostname || 'localhost'}:${url.port || '5432'}/${database}`,
      ...(schema ? { schema } : {}),
    };
  }
  return { engine: 'sqlite', location: String(ds.options.database) };
}
