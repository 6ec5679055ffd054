import path from 'node:path';
import type { DataSource } from 'typeorm';
import { createHttpService, healthRoutes, type HttpService } from '@tpv/runtime';

export interface TerminalServerOptions {
  dataSource: DataSource;
  databaseFile: string;
  version: string;
  /** Built cashier screen; defaults to `terminal/ui/dist`. */
  uiDist?: string;
}

/** The terminal's local service: the cashier screen talks only to this, never to the back office. */
export function createTerminalServer(opts: TerminalServerOptions): HttpService {
  return createHttpService({
    name: 'terminal',
    uiDist: opts.uiDist ?? path.resolve(import.meta.dirname, '../ui/dist'),
    routes: [
      healthRoutes({
        service: 'terminal',
        version: opts.version,
        database: () => ({ engine: 'sqlite', location: opts.databaseFile }),
        ping: () => opts.dataSource.query('SELECT 1'),
      }),
    ],
  });
}
