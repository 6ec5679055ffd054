import path from 'node:path';
import type { DataSource } from 'typeorm';
import { createHttpService, healthRoutes, type HttpService } from '@tpv/runtime';
import type { Clock } from '@tpv/shared/clock';
import { describeEngine } from './persistence/data-source';
import { organisationRoutes } from './organisation/route';
import { authRoutes } from './auth/route';
import { pairingRoutes } from './pairing/route';
import { createIngestService, type IngestEvents, type IngestService } from './sales-ingest/service';
import { createSyncGateway, type SyncGateway } from './sync/gateway';
import { masterDataRoutes } from './catalog/route';
import { createMasterDataService } from './catalog/service';
import { reportRoutes } from './reports/route';
import { stockRoutes } from './stock/route';
import { reviewRoutes } from './review/route';

export interface BackofficeServerOptions {
  dataSource: DataSource;
  version: string;
  /** Built admin UI; defaults to `backoffice/ui/dist`. */
  uiDist?: string;
  /** Injected clock (default: system time). */
  clock?: Clock;
  /** Observers of the ingest (tests, metrics). */
  ingestEvents?: IngestEvents;
  log?: (msg: string) => void;
}

export interface BackofficeServer extends HttpService {
  gateway: SyncGateway;
  ingest: IngestService;
}

/** The back office's HTTP + socket.io edge around an open database; `main.ts` wires the real parts. */
export function createBackofficeServer(opts: BackofficeServerOptions): BackofficeServer {
  const ds = opts.dataSource;
  const clock = opts.clock ?? { now: () => Date.now() };
  // Routes are built before the socket.io server exists; they reach the gateway through this holder.
  const live: { gateway?: SyncGateway } = {};
  const ingest = createIngestService(ds, clock, opts.ingestEvents);
  const masterData = createMasterDataService(ds, clock, {
    changed: (storeIds, version) => {
      if (storeIds === null) live.gateway?.catalogChanged(null, version);
      else for (const s of storeIds) live.gateway?.catalogChanged(s, version);
    },
    productsKnown: (ids) => ingest.knowProducts(ids),
  });
  const service = createHttpService({
    name: 'backoffice',
    jsonLimit: '5mb',
    socket: { maxHttpBufferSize: 16 * 1024 * 1024 },
    uiDist: opts.uiDist ?? path.resolve(import.meta.dirname, '../ui/dist'),
    routes: [
      healthRoutes({
        service: 'backoffice',
        version: opts.version,
        database: () => describeEngine(ds),
        ping: () => ds.query('SELECT 1'),
      }),
      authRoutes(ds, clock),
      organisationRoutes(ds, clock),
      pairingRoutes(ds, clock, { onRevoked: (id) => live.gateway?.disconnectTerminal(id), onPaired: (id) => live.gateway?.disconnectTerminal(id) }),
      masterDataRoutes(ds, clock, masterData),
      reportRoutes(ds, clock, () => live.gateway?.connectedTerminalIds() ?? [], (id) => ingest.highestSeenSeq(id)),
      stockRoutes(ds, clock),
      // A till stops resending a batch refused for good until its next connection: after HQ decides on it, make one.
      reviewRoutes(ds, clock, ingest, { onDecided: (item) => item.kind === 'batch' && live.gateway?.disconnectTerminal(item.terminalId) }),
    ],
  });
  const gateway = createSyncGateway(service.io, ds, clock, ingest, opts.log);
  live.gateway = gateway;
  const closeHttp = service.close;
  return Object.assign(service, {
    gateway,
    ingest,
    close: async () => {
      await closeHttp();
      await ingest.ledger.close();
    },
  });
}
