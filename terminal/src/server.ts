import path from 'node:path';
import type { Router } from 'express';
import type { DataSource } from 'typeorm';
import { createHttpService, healthRoutes, type HttpService } from '@tpv/runtime';
import { syncHealth, syncRoutes, type SyncClient } from './sync';

export interface TerminalServerOptions {
  dataSource: DataSource;
  databaseFile: string;
  version: string;
  /** Built cashier screen; defaults to `terminal/ui/dist`. */
  uiDist?: string;
  /** Selling API (cart, checkout, cash, returns, people, printing) and its socket.io events. */
  selling?: { routers(): Router[]; attachSocket(io: HttpService['io']): void };
  /** Sync with the back office: `GET /api/sync/status`, a `sync` block in `/health`, `sync:status` on the socket. */
  sync?: SyncClient;
}

/** The terminal's local service: the cashier screen talks only to this, never to the back office. */
export function createTerminalServer(opts: TerminalServerOptions): HttpService {
  const service = createHttpService({
    name: 'terminal',
    uiDist: opts.uiDist ?? path.resolve(import.meta.dirname, '../ui/dist'),
    routes: [
      healthRoutes({
        service: 'terminal',
        version: opts.version,
        database: () => ({ engine: 'sqlite', location: opts.databaseFile }),
        ping: () => opts.dataSource.query('SELECT 1'),
        ...(opts.sync ? { extra: () => syncHealth(opts.sync!.status()) } : {}),
      }),
      ...(opts.sync ? [syncRoutes(() => opts.sync!.status())] : []),
      ...(opts.selling?.routers() ?? []),
    ],
  });
  opts.selling?.attachSocket(service.io);
  if (opts.sync) attachSyncStatus(opts.sync, service.io);
  return service;
}

/** `sync:status` to every screen on connect and on change (at most ~4 a second), `sync:progress` during a catalogue load. */
function attachSyncStatus(sync: SyncClient, io: HttpService['io']): void {
  let timer: NodeJS.Timeout | undefined;
  sync.on('status', () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      io.emit('sync:status', sync.status());
    }, 250);
    timer.unref();
  });
  sync.on('progress', (p) => io.emit('sync:progress', p));
  io.on('connection', (socket) => socket.emit('sync:status', sync.status()));
}
