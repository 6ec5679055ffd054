import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { createHttpService, type HttpService } from '@tpv/runtime';
import { clientAddress, compileTrustProxy } from '@tpv/runtime/client-address';
import type { Clock } from '@tpv/shared/clock';
import { createIngestService, type IngestEvents, type IngestService } from './sales-ingest/service';
import { createSyncGateway, type SyncGateway } from './sync/gateway';
import type { UpwardHandlers } from './till/upward';
import { createMasterDataService } from './catalog/service';
import { createReturnPosting, type ReturnPosting } from './returns/posting';
import { createThrottle, type Throttle } from './throttle/limits';
import { DEFAULT_PRE_AUTH_FRAME_BYTES, engineAllowRequest, guardSockets } from './sync/socket-guard';

/** socket.io frames of an authenticated terminal (ticket batches); before authentication see socket-guard.ts. */
const MAX_FRAME_BYTES = 16 * 1024 * 1024;
import { enabledModules, jobHandlersOf, permissionModulesOf, reactionsOf, routeDefsOf, routesOf, ticketStepsOf, tillRequestsOf, upwardHandlersOf, type ModuleContext } from './modules';
import { installDocumentReactions } from './platform/document-events';
import type { RouteDef } from './platform/api';
import { createLogger, requestLogger, type Logger } from './platform/log';
import { createFiles, type Files } from './platform/files/service';
import { localFileStore } from './platform/files/store';
import { createJobs, type Jobs, type JobsOptions } from './platform/jobs/service';
import { createDashboardHub, type DashboardHub } from './dashboard/live';
import { viewServiceOf } from './dashboard/module';
import type { ReportRenderer } from './dashboard/views';
import { reportServiceRenderer } from './dashboard/report-renderer';
import { enqueueFoldWhenDue } from './reports/jobs';

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
  /** Login, pairing and handshake limits (main.ts: from the environment, Redis-backed when REDIS_URL is set). */
  throttle?: Throttle;
  /** Largest frame a socket may send before its terminal has authenticated (default 16 KiB). */
  preAuthFrameBytes?: number;
  /** `TPV_TRUST_PROXY`: proxies whose X-Forwarded-For names the client for per-address limits (default none). */
  trustProxy?: string;
  /** Modules switched off in this deployment (`TPV_MODULES_OFF`). */
  modulesOff?: readonly string[];
  /** `TPV_REQUIRE_TOTP_HQ=1`: HQ roles must enrol a TOTP second factor before using the back office. */
  requireTotpHq?: boolean;
  /** Folder for files (PDFs, exports, imports); default `data` beside the process. */
  dataDir?: string;
  /** Structured logger (platform/log.ts); default from TPV_LOG_LEVEL / TPV_LOG_PRETTY (silent under vitest). */
  logger?: Logger;
  /** Job worker settings; `worker: false` runs no worker on this node (jobs wait for another node). */
  jobs?: JobsOptions & { worker?: boolean };
  /** Handlers of the documents tills send up, instead of the enabled modules' (tests of the channel itself). */
  upwardHandlers?: UpwardHandlers;
  /** Live dashboard: least time between two pushes to a room (default 250 ms). */
  dashboardIntervalMs?: number;
  /** The report file export for scheduled views (default: the reports module's service and exporters). */
  reportRenderer?: ReportRenderer;
  /** How often due report schedules are looked for (default 60 s; 0: never, tests call `runDueReports`). */
  reportScheduleEveryMs?: number;
  /** How often the reports' fold is looked at (default hourly, and once at start; 0: never). */
  reportFoldEveryMs?: number;
}

export interface BackofficeServer extends HttpService {
  gateway: SyncGateway;
  ingest: IngestService;
  /** Re-checks ingested credit notes against every till's (over-returns → review queue). */
  returns: ReturnPosting;
  /** Every declared API route of the enabled modules (the OpenAPI document is made of these). */
  routeDefs: readonly RouteDef[];
  logger: Logger;
  /** The durable job queue and this node's worker. */
  jobs: Jobs<ModuleContext>;
  files: Files;
  /** The live dashboard's socket namespace (null when the dashboard module is off). */
  dashboard: DashboardHub | null;
  /** Claims the report schedules due now and enqueues their deliveries (the periodic tick calls it). */
  runDueReports: () => Promise<Array<{ scheduleId: string; runFor: string; jobId: string }>>;
}

/** The back office's HTTP + socket.io edge around an open database; `main.ts` wires the real parts. */
export function createBackofficeServer(opts: BackofficeServerOptions): BackofficeServer {
  const ds = opts.dataSource;
  const clock = opts.clock ?? { now: () => Date.now() };
  const logger = opts.logger ?? createLogger();
  const throttle = opts.throttle ?? createThrottle();
  // Per-address limits see the client behind a trusted proxy (HTTP and socket handshakes alike).
  const trustProxy = compileTrustProxy(opts.trustProxy);
  const addressOf = (req: IncomingMessage) => clientAddress(req, trustProxy);
  // Routes are built before the socket.io server exists; they reach the gateway through this holder.
  const live: { gateway?: SyncGateway; dashboard?: DashboardHub } = {};
  const returns = createReturnPosting(ds, clock, opts.log);
  const modules = enabledModules(opts.modulesOff);
  const ingest = createIngestService(ds, clock, {
    ...opts.ingestEvents,
    onApplied: (terminalId, outcome) => {
      returns.afterApply(terminalId, outcome);
      // After the commit: the dashboard's figures move by these tickets (pushed coalesced, from memory).
      if (outcome.applied.length > 0) live.dashboard?.applied(outcome.applied);
      opts.ingestEvents?.onApplied?.(terminalId, outcome);
    },
  }, { steps: ticketStepsOf(modules) });
  const masterData = createMasterDataService(ds, clock, {
    changed: (storeIds, version) => {
      if (storeIds === null) live.gateway?.catalogChanged(null, version);
      else for (const s of storeIds) live.gateway?.catalogChanged(s, version);
    },
    productsKnown: (ids) => ingest.knowProducts(ids),
  });
  const dataDir = opts.dataDir ?? path.resolve('data');
  const files = createFiles(ds, clock, localFileStore(path.join(dataDir, 'files')));
  let defaultRenderer: ReportRenderer | undefined;
  const jobs = createJobs<ModuleContext>(ds, clock, { log: opts.log ?? ((m: string) => logger.child({ component: 'jobs' }).warn(m)), ...opts.jobs });
  const ctx: ModuleContext = {
    ds,
    clock,
    throttle,
    ingest,
    masterData,
    live,
    enabledModules: modules.map((m) => m.id),
    permissionModules: permissionModulesOf(modules),
    requireTotpHq: opts.requireTotpHq ?? false,
    dataDir,
    files,
    jobs,
    log: opts.log ?? ((m: string) => logger.warn(m)),
    version: opts.version,
    routeDefs: () => routeDefs,
    // Scheduled views render through the reports module's service (none when that module is off).
    reportRenderer: () => opts.reportRenderer ?? (modules.some((m) => m.id === 'reports') ? (defaultRenderer ??= reportServiceRenderer(ds, clock)) : null),
  };
  jobs.register(jobHandlersOf(modules), ctx);
  installDocumentReactions(ds, reactionsOf(modules));
  const routers = routesOf(modules, ctx);
  const routeDefs = routeDefsOf(routers);
  const service = createHttpService({
    name: 'backoffice',
    jsonLimit: '5mb',
    // WebSocket only (tills and the chaos/load tools use nothing else): no polling bodies to buffer. A socket
    // that has not joined the terminal namespace within 10 s is closed.
    socket: { maxHttpBufferSize: MAX_FRAME_BYTES, transports: ['websocket'], connectTimeout: 10_000, allowRequest: engineAllowRequest(throttle, addressOf) },
    trustProxy,
    uiDist: opts.uiDist ?? path.resolve(import.meta.dirname, '../ui/dist'),
    routes: routers,
    requestLogger: requestLogger(logger),
    log: (msg, err, ctx) => logger.error({ err, ...ctx }, msg),
  });
  const syncLogger = logger.child({ component: 'sync' });
  const log = opts.log ?? ((m: string) => syncLogger.warn(m));
  const guard = guardSockets(service.io, throttle, { preAuthFrameBytes: opts.preAuthFrameBytes ?? DEFAULT_PRE_AUTH_FRAME_BYTES, fullFrameBytes: MAX_FRAME_BYTES, log, addressOf });
  const gateway = createSyncGateway(service.io, ds, clock, ingest, log, guard, { handlers: opts.upwardHandlers ?? upwardHandlersOf(modules), ctx, requests: tillRequestsOf(modules) });
  live.gateway = gateway;
  const dashboardOn = modules.some((m) => m.id === 'dashboard');
  const dashboard = dashboardOn
    ? createDashboardHub(service.io, ds, clock, {
        log: (m) => logger.warn(m),
        inFlight: () => ingest.storesInFlight(),
        // The figures are the reports' rollups: without their posting step nothing moves them.
        rollups: modules.some((m) => m.id === 'reports'),
        ...(opts.dashboardIntervalMs !== undefined ? { intervalMs: opts.dashboardIntervalMs } : {}),
      })
    : null;
  if (dashboard) live.dashboard = dashboard;
  const runDueReports = () => (dashboardOn ? viewServiceOf(ctx).runDue() : Promise.resolve([]));
  // Due schedules are claimed with a compare-and-set, so every node may tick: a due time runs once.
  const everyMs = opts.reportScheduleEveryMs ?? 60_000;
  const scheduleTick = dashboardOn && everyMs > 0 && opts.jobs?.worker !== false
    ? setInterval(() => void runDueReports().catch((e: unknown) => logger.warn({ err: e }, 'report schedules failed')), everyMs)
    : undefined;
  scheduleTick?.unref();
  // The reports' fold (hour rollups → month tables): enqueued at start and each hour when a store's day has ended
  // or late tickets marked a month (nothing to fold: no job).
  const foldEveryMs = opts.reportFoldEveryMs ?? 3_600_000;
  const foldOn = modules.some((m) => m.id === 'reports') && foldEveryMs > 0 && opts.jobs?.worker !== false;
  const foldTick = foldOn ? setInterval(() => void enqueueFoldWhenDue(ctx), foldEveryMs) : undefined;
  foldTick?.unref();
  if (foldOn) setImmediate(() => void enqueueFoldWhenDue(ctx));
  if (opts.jobs?.worker !== false) jobs.start();
  const closeHttp = service.close;
  return Object.assign(service, {
    gateway,
    ingest,
    returns,
    routeDefs,
    logger,
    jobs,
    files,
    dashboard,
    runDueReports,
    close: async () => {
      if (scheduleTick) clearInterval(scheduleTick);
      if (foldTick) clearInterval(foldTick);
      dashboard?.close();
      await jobs.stop();
      await closeHttp();
      await returns.idle();
      await ingest.ledger.close();
    },
  });
}
