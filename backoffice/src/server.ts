import path from 'node:path';
import type { DataSource } from 'typeorm';
import { createHttpService, healthRoutes, type HttpService } from '@tpv/runtime';
import { describeEngine } from './persistence/data-source';
import { organisationRoutes } from './organisation/route';

export interface BackofficeServerOptions {
  dataSource: DataSource;
  version: string;
  /** Built admin UI; defaults to `backoffice/ui/dist`. */
  uiDist?: string;
}

/** The back office's HTTP + socket.io edge around an open database; `main.ts` wires the real parts. */
export function createBackofficeServer(opts: BackofficeServerOptions): HttpService {
  return createHttpService({
    name: 'backoffice',
    jsonLimit: '5mb',
    socket: { maxHttpBufferSize: 16 * 1024 * 1024 },
    uiDist: opts.uiDist ?? path.resolve(import.meta.dirname, '../ui/dist'),
    routes: [
      healthRoutes({
        service: 'backoffice',
        version: opts.version,
        database: () => describeEngine(opts.dataSource),
        ping: () => opts.dataSource.query('SELECT 1'),
      }),
      organisationRoutes(opts.dataSource),
    ],
  });
}
