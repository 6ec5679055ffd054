/** What a back-office module declares, and what the platform hands it (modules/index.ts lists them all). */
import type { Router } from 'express';
import type { DataSource, EntityManager } from 'typeorm';
import type { UpwardKind } from '@tpv/shared/wire/upward';
import type { Clock } from '@tpv/shared/clock';
import type { IngestService } from '../sales-ingest/service';
import type { SyncGateway } from '../sync/gateway';
import type { MasterDataService } from '../catalog/service';
import type { Throttle } from '../throttle/limits';
import type { RouteDef } from '../platform/api';
import type { Files } from '../platform/files/service';
import type { JobHandler, Jobs } from '../platform/jobs/service';
import type { DocumentReaction } from '../platform/document-events';
import type { TicketStep } from '../sales-ingest/steps';
import type { ReportRenderer } from '../dashboard/views';

/** The platform services a module's routes and jobs use. */
export interface ModuleContext {
  ds: DataSource;
  clock: Clock;
  throttle: Throttle;
  ingest: IngestService;
  masterData: MasterDataService;
  /** The socket.io gateway, once it exists (routes are built before it). */
  live: { gateway?: SyncGateway };
  /** Ids of the modules enabled in this deployment. */
  enabledModules: readonly string[];
  /** Permission prefixes of the enabled modules (`/api/auth/me` lists the user's permissions over them). */
  permissionModules: readonly string[];
  /** `TPV_REQUIRE_TOTP_HQ`: HQ roles must enrol a second factor before anything else. */
  requireTotpHq?: boolean;
  /** Where this process keeps files (PDFs, exports, imports): a folder under the data dir. */
  dataDir: string;
  /** The files area (PDFs, exports, uploads) under `<dataDir>/files`. */
  files: Files;
  /** The durable job queue: enqueue, read, cancel. */
  jobs: Jobs<ModuleContext>;
  log: (msg: string) => void;
  /** The release version (health, the API document). */
  version: string;
  /** Every route declared by the enabled modules, once all are built (the API document is made of them). */
  routeDefs: () => readonly RouteDef[];
  /** The report service's file export (scheduled report views render through it); null: none wired. */
  reportRenderer?: () => ReportRenderer | null;
}

/** The till a document came up from, as its device token proved. */
export interface UpwardTill {
  terminalId: string;
  storeId: string;
  companyId: string;
}

/** A change the document appended to the feed: the channel nudges that store's tills (null: all) once committed. */
export interface FeedChanged {
  storeId: string | null;
  version: number;
}

/**
 * Applies one document a till sent up (shared/src/wire/upward.ts), inside the transaction that also records
 * its id as applied: throw nothing for bad content — answer `{ rejected }` (the till keeps it, stops resending).
 * A document that appended to the change feed names it in `feedChanged` (tills are nudged after the commit).
 */
export type UpwardHandler = (
  m: EntityManager,
  ctx: ModuleContext,
  till: UpwardTill,
  doc: { id: string; createdAt: string; payload: unknown },
) => Promise<{ reference?: string; feedChanged?: readonly FeedChanged[] } | { rejected: string }>;

export interface BackofficeModule {
  /** Also the permission prefix (`catalog.write`) and the admin UI's module id. */
  id: string;
  /** Platform modules cannot be switched off (sign-in, health, API docs). */
  core?: boolean;
  /** Other modules whose permissions this module's pages use (e.g. `terminals` under `organisation`). */
  permissionModules?: readonly string[];
  routes(ctx: ModuleContext): Router[];
  /** Job handlers by kind (`<module>.<what>`), run by the job worker of any node where the module is enabled. */
  jobs?: Record<string, JobHandler<ModuleContext>>;
  /** Handlers of the documents tills send up, by kind (payload already checked against its schema). */
  upward?: Partial<Record<UpwardKind, UpwardHandler>>;
  /** Listeners of other modules' documents (platform/document-events.ts), run in the document's transaction. */
  reactions?: readonly DocumentReaction[];
  /** Posting steps over the tickets the ingest applies, in its transaction (sales-ingest/steps.ts). */
  ticketSteps?: readonly TicketStep[];
  /**
   * Questions a till asks online and waits for (shared/src/wire/till-request.ts): a voucher's balance, a
   * hold on loyalty points. By kind (`vouchers.hold`); the payload is unchecked: the handler parses it.
   */
  tillRequests?: Record<string, TillRequestHandler>;
}

/**
 * Answers one till request: the reply (checked by the till against the kind's schema), or `{ refused }`
 * with a message for the cashier (a voucher already spent). Throwing answers "unavailable, retry".
 */
export type TillRequestHandler = (ctx: ModuleContext, till: UpwardTill, payload: unknown) => Promise<unknown>;
