import path from 'node:path';

/** Terminal service configuration, from the environment (README "Configuration"). */
export interface TerminalConfig {
  port: number;
  host: string;
  /** The terminal's own SQLite file: its catalog copy, tickets, fiscal chain and outbox. */
  databaseFile: string;
  /** Back office to stream tickets to (the terminal sells without it). */
  backofficeUrl: string;
  dataDir: string;
}

export function terminalConfigFromEnv(env: NodeJS.ProcessEnv = process.env): TerminalConfig {
  const dataDir = path.resolve(env.TPV_DATA_DIR ?? 'data');
  const port = Number(env.TPV_TERMINAL_PORT ?? env.PORT ?? 3101);
  return {
    port,
    host: env.TPV_HOST ?? '127.0.0.1',
    databaseFile: path.resolve(env.TPV_TERMINAL_DB ?? path.join(dataDir, `terminal-${port}.sqlite`)),
    backofficeUrl: env.TPV_BACKOFFICE_URL ?? 'http://127.0.0.1:3000',
    dataDir,
  };
}
