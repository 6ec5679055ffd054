import path from 'node:path';

/** Back-office process configuration, from the environment (README "Configuration"). */
export interface BackofficeConfig {
  port: number;
  host: string;
  /** `postgres://…` selects PostgreSQL; otherwise a SQLite file in `dataDir`. */
  databaseUrl: string | undefined;
  databaseFile: string;
  dataDir: string;
  /** `redis://…`: socket.io Redis adapter, for several back-office nodes. */
  redisUrl: string | undefined;
}

export function backofficeConfigFromEnv(env: NodeJS.ProcessEnv = process.env): BackofficeConfig {
  const dataDir = path.resolve(env.TPV_DATA_DIR ?? 'data');
  return {
    port: Number(env.TPV_BACKOFFICE_PORT ?? env.PORT ?? 3000),
    host: env.TPV_HOST ?? '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    databaseFile: path.resolve(env.TPV_BACKOFFICE_DB ?? path.join(dataDir, 'backoffice.sqlite')),
    dataDir,
    redisUrl: env.REDIS_URL || undefined,
  };
}
