/**
 * The terminal's sync client (invariants 4 and 5): one socket.io connection to the back office's
 * `/terminal` namespace. This file is the public face and the wiring; each concern has its own file:
 *  - `connection.ts`: socket lifecycle, hello / `hello:ack`, reconnect backoff with jitter, catalogue epoch
 *    reset, revoked and conflict states;
 *  - `ticket-pump.ts`: the outbox streamed up in seq order, a small window of batches in flight, acks;
 *  - `catalog-pull.ts`: the master-data change feed pulled down in pages, with progress;
 *  - `pairing.ts`: trading `TPV_PAIRING_CODE` for a token, retried while HQ is unreachable;
 *  - `context.ts`: options and the state they share (credentials, state, last error).
 * It resumes after a restart of either side from what the SQLite file says (outbox sent_at,
 * master_data_state.version) and what `hello:ack` says. Selling never waits for any of it.
 */
import type { TillRequester } from '@tpv/shared/wire/till-request';
import { EventEmitter } from 'node:events';
import type { TicketLookupReply } from '@tpv/shared/wire/ticket-lookup';
import type { StockLookupReply } from '@tpv/shared/wire/upward';
import { createDocumentOutbox, type DocumentOutbox } from './document-outbox';
import { DocumentPump } from './document-pump';
import { createCatalogStore, type CatalogStore } from './catalog';
import { CatalogPull } from './catalog-pull';
import { Connection } from './connection';
import { resolveSyncOptions, SyncContext, type SyncClientOptions } from './context';
import { createOutboxStore, type OutboxStore } from './outbox';
import { pairAndRetry } from './pairing';
import { TicketPump } from './ticket-pump';
import { readCredentials } from './state';
import type { CatalogProgress, SyncStatus } from './status';

export type { SyncClientOptions } from './context';
export type { CatalogProgress, SyncConflict, SyncState, SyncStatus } from './status';

export interface SyncClientEvents {
  status: [SyncStatus];
  progress: [CatalogProgress];
}

export class SyncClient extends EventEmitter<SyncClientEvents> {
  readonly outbox: OutboxStore;
  readonly catalog: CatalogStore;
  /** Documents other than tickets (deliveries received, counts, replenishment requests) waiting to go up. */
  readonly documents: DocumentOutbox;
  private readonly ctx: SyncContext;
  private readonly link: Connection;
  private readonly pump: TicketPump;
  private readonly documentPump: DocumentPump;
  private readonly catalogPull: CatalogPull;

  constructor(opts: SyncClientOptions) {
    super();
    this.outbox = createOutboxStore(opts.db);
    this.catalog = createCatalogStore(opts.db);
    this.documents = createDocumentOutbox(opts.db);
    this.ctx = new SyncContext(resolveSyncOptions(opts), this.outbox, this.catalog, () => this.emitStatus());
    // The connection starts the pump and the pull on each accepted hello; they use it to send and to check it is alive.
    this.link = new Connection(this.ctx, {
      resumeOutbox: (ackedSeq) => this.pump.resume(ackedSeq),
      restartCatalog: () => this.catalogPull.restart(),
      announceCatalog: (version) => this.catalogPull.raiseTarget(version),
      pumpTickets: (conn) => void this.pump.run(conn),
      pumpDocuments: (conn) => void this.documentPump.run(conn),
      pullCatalog: (conn) => void this.catalogPull.run(conn),
      batchRefused: (batchId, code, message, why) => this.pump.refused(batchId, code, message, why),
      dropWindow: () => this.pump.dropWindow(),
    });
    this.pump = new TicketPump(this.ctx, this.link);
    this.documentPump = new DocumentPump(this.ctx, this.link, this.documents);
    this.catalogPull = new CatalogPull(this.ctx, this.link, (p) => {
      this.emit('progress', p);
      this.emitStatus();
    });
  }

  /** Pairs if needed (and a code was given), then connects. Never throws for network trouble. */
  async start(): Promise<void> {
    const ctx = this.ctx;
    ctx.stopped = false;
    ctx.creds = readCredentials(ctx.o.db);
    const needsPairing = !ctx.creds || !!ctx.creds.revokedAt;
    if (needsPairing && ctx.o.pairingCode) {
      await pairAndRetry(ctx, this.link, ctx.o.pairingCode);
      if (ctx.state === 'pairing') return; // retrying in the background (back office unreachable)
    }
    if (!ctx.creds) return ctx.setState('unpaired');
    if (ctx.creds.revokedAt) {
      ctx.setState('revoked');
      return this.link.recheckRevoked();
    }
    this.link.connect();
  }

  async stop(): Promise<void> {
    this.ctx.stopped = true;
    this.link.stop();
    this.pump.wake();
    this.documentPump.wake();
    this.ctx.setState('stopped');
  }

  /** New outbox rows (tickets or documents) were committed: send them now rather than at the next poll. */
  notify(): void {
    this.pump.wake();
    this.documentPump.wake();
  }

  /** A module's online question to the back office (shared/src/wire/till-request.ts); null offline or late. */
  request: TillRequester = (kind, payload, schema, timeoutMs = 3_000) => this.link.ask(kind, payload, schema, timeoutMs);

  /** Stock of a product at this store and nearby ones, from the back office; null when offline or late. */
  lookupStock(productId: string, timeoutMs = 5_000): Promise<StockLookupReply | null> {
    return this.link.lookupStock(productId, timeoutMs);
  }

  /**
   * Returns at any till: asks the back office for a ticket of the company (`ticket:lookup`). null when there
   * is no live connection, no answer within `timeoutMs`, or an answer that does not parse: the caller then
   * uses the till's own tickets.
   */
  lookupTicket(q: string, timeoutMs = 5_000): Promise<TicketLookupReply | null> {
    return this.link.lookupTicket(q, timeoutMs);
  }

  status(): SyncStatus {
    const ctx = this.ctx;
    const s = this.outbox.stats();
    const age = s.oldestPendingAt ? Math.max(0, Math.round((ctx.o.clock.now() - Date.parse(s.oldestPendingAt)) / 1000)) : null;
    return {
      state: ctx.state,
      online: ctx.state === 'online',
      backofficeUrl: ctx.o.backofficeUrl,
      terminalId: ctx.creds?.terminalId ?? null,
      pendingCount: s.pendingCount,
      oldestPendingAt: s.oldestPendingAt,
      oldestPendingAgeSeconds: Number.isFinite(age) ? age : null,
      ackedSeq: s.ackedSeq,
      lastSeq: s.lastSeq,
      rejectedCount: s.rejectedCount,
      catalog: this.catalogPull.snapshot(),
      lastError: ctx.lastError,
      conflict: this.link.conflict,
      lastConnectedAt: this.link.lastConnectedAt,
      lastAckAt: this.pump.lastAckAt,
      documents: this.documents.stats(),
    };
  }

  private emitStatus(): void {
    if (this.listenerCount('status') === 0) return;
    this.emit('status', this.status());
  }
}
