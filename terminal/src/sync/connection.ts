/**
 * The socket.io link to the back office's `/terminal` namespace: connect with the hello (seqs, catalogue
 * version and epoch), `hello:ack`, reconnects with our own backoff and jitter, the revoked state (a refused
 * handshake, asked again every `revokedRecheckMs`) and the conflict state (HQ holds a seq above anything this
 * till wrote: nothing is marked sent, nothing is sent, looked at again at the slowest backoff).
 * What runs over a live link (ticket pump, catalogue pull) is started through `ConnectionHooks`.
 */
import { io, type Socket } from 'socket.io-client';
import type { TerminalHello } from '@tpv/shared/wire/sync';
import { CatalogChangedSchema, EVENTS, HelloAckSchema, SOCKET_NAMESPACE, UNAUTHORIZED } from '@tpv/shared/wire/sync-protocol';
import { TicketLookupReplySchema, type TicketLookupReply } from '@tpv/shared/wire/ticket-lookup';
import { STOCK_LOOKUP_EVENT, StockLookupReplySchema, type StockLookupReply } from '@tpv/shared/wire/upward';
import { TILL_REQUEST_EVENT, TillRequestReplySchema } from '@tpv/shared/wire/till-request';
import type { z } from 'zod';
import { backoffDelay } from './backoff';
import type { SyncContext } from './context';
import { readCatalogEpoch, readCredentials, resetCatalogVersion, writeCredentials } from './state';
import type { SyncConflict } from './status';

/** One socket and its generation: anything started on an older generation stops when it sees a newer one. */
export type Conn = { gen: number; socket: Socket; closed: Promise<void>; close: () => void };

/** What the connection starts or tells the other parts (wired by SyncClient). */
export interface ConnectionHooks {
  /** hello:ack: HQ holds every seq ≤ ackedSeq (mark sent; re-queue above it if HQ went back). */
  resumeOutbox(ackedSeq: number): void;
  /** HQ's feed went back: the catalogue is pulled again from version 0. */
  restartCatalog(): void;
  /** HQ announced this catalogue version (hello:ack / catalog:changed). */
  announceCatalog(version: number): void;
  pumpTickets(conn: Conn): void;
  /** The document outbox (sync/document-pump.ts). */
  pumpDocuments(conn: Conn): void;
  pullCatalog(conn: Conn): void;
  /** `sync:error`: HQ refused a batch whole (batchId) or could not store what is on the wire (no batchId). */
  batchRefused(batchId: unknown, code: unknown, message: unknown, why: string): void;
  /** Conflict: forget the batches on the wire (nothing of theirs may be marked sent). */
  dropWindow(): void;
}

export class Connection {
  private conn: Conn | undefined;
  private gen = 0;
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private conflictState: SyncConflict | null = null;
  lastConnectedAt: string | null = null;

  constructor(
    private readonly ctx: SyncContext,
    private readonly hooks: ConnectionHooks,
  ) {}

  get current(): Conn | undefined {
    return this.conn;
  }

  get conflict(): SyncConflict | null {
    return this.conflictState;
  }

  connect(): void {
    const ctx = this.ctx;
    if (ctx.stopped || !ctx.creds) return;
    const creds = ctx.creds;
    const gen = ++this.gen;
    if (!this.conflictState && !creds.revokedAt) ctx.setState(ctx.state === 'online' ? 'offline' : this.attempt === 0 ? 'connecting' : 'offline');
    const socket = io(new URL(SOCKET_NAMESPACE, ctx.o.backofficeUrl).toString(), {
      forceNew: true,
      reconnection: false, // our own backoff: it also covers refused handshakes and server-side disconnects
      transports: ['websocket'],
      timeout: ctx.o.connectTimeoutMs,
      auth: (cb) => {
        const stats = ctx.outbox.stats();
        const catalogVersion = ctx.catalog.version();
        const catalogEpoch = catalogVersion > 0 ? readCatalogEpoch(ctx.o.db) : undefined;
        const hello: TerminalHello = {
          terminalId: creds.terminalId,
          token: creds.token,
          lastAckedSeq: stats.ackedSeq,
          catalogVersion,
          lastSeq: stats.lastSeq,
          ...(catalogEpoch ? { catalogEpoch } : {}),
        };
        cb(hello);
      },
    });
    let resolveClosed!: () => void;
    const closed = new Promise<void>((r) => (resolveClosed = r));
    let isClosed = false;
    const close = () => {
      if (isClosed) return;
      isClosed = true;
      socket.removeAllListeners();
      socket.disconnect();
      resolveClosed();
    };
    const conn: Conn = { gen, socket, closed, close };
    this.conn = conn;

    socket.on('connect_error', (e: Error) => {
      close();
      if (gen !== this.gen) return;
      if (e.message === UNAUTHORIZED) {
        ctx.fail('back office refused this terminal (revoked or unpaired): pair it again');
        if (!creds.revokedAt) writeCredentials(ctx.o.db, { ...creds, revokedAt: ctx.nowIso() });
        ctx.creds = readCredentials(ctx.o.db);
        ctx.setState('revoked');
        this.recheckRevoked();
        return;
      }
      ctx.fail(`cannot reach back office: ${e.message}`);
      this.scheduleReconnect();
    });
    socket.on('disconnect', (reason) => {
      close();
      if (gen !== this.gen) return;
      ctx.fail(`disconnected: ${reason}`);
      this.scheduleReconnect();
    });
    socket.on(EVENTS.helloAck, (raw: unknown) => {
      if (gen !== this.gen) return;
      const hello = HelloAckSchema.safeParse(raw);
      if (!hello.success) {
        ctx.fail('malformed hello:ack');
        close();
        this.scheduleReconnect();
        return;
      }
      this.onHelloAck(conn, hello.data.ackedSeq, hello.data.catalogVersion, hello.data.catalogReset === true);
    });
    socket.on(EVENTS.syncError, (raw: unknown) => {
      if (gen !== this.gen) return;
      const e = (raw ?? {}) as { batchId?: unknown; code?: unknown; message?: unknown };
      const why = `${String(e.code ?? 'ERROR')}: ${String(e.message ?? '').slice(0, 300)}`;
      // Refused whole (nothing written); the ack that follows says where the back office stands.
      this.hooks.batchRefused(e.batchId, e.code, e.message, why);
      ctx.fail(`back office: ${why}`);
    });
    socket.on(EVENTS.catalogChanged, (raw: unknown) => {
      if (gen !== this.gen) return;
      const m = CatalogChangedSchema.safeParse(raw);
      if (m.success) this.hooks.announceCatalog(m.data.version);
      this.hooks.pullCatalog(conn);
    });
  }

  /** stop(): no more reconnects or pairing retries, the socket closed. */
  stop(): void {
    clearTimeout(this.reconnectTimer);
    this.conn?.close();
    this.conn = undefined;
  }

  /** Asks again, rarely: the same token is accepted again after HQ's database was restored (signed tokens). */
  recheckRevoked(): void {
    if (this.ctx.stopped) return;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => this.connect(), this.ctx.o.revokedRecheckMs);
    this.reconnectTimer.unref?.();
  }

  scheduleReconnect(): void {
    if (this.ctx.stopped) return;
    clearTimeout(this.reconnectTimer);
    const o = this.ctx.o;
    // In conflict, look again at the slowest pace (HQ may be corrected); never send meanwhile.
    const delay = this.conflictState ? o.backoff.maxMs : backoffDelay(this.attempt++, { ...o.backoff, ...(o.random ? { random: o.random } : {}) });
    if (!this.conflictState) this.ctx.setState('offline');
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  /** Pairing retries share the reconnect timer and attempt count (stop() cancels either). */
  retryLater(fn: () => void): void {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(fn, backoffDelay(this.attempt++, this.ctx.o.backoff));
  }

  resetBackoff(): void {
    this.attempt = 0;
  }

  /**
   * HQ claims a seq above the highest this till wrote: its history is another installation's (a wiped or
   * replaced till paired to an id with history). Stop: no row is marked sent, no batch goes up.
   */
  checkConflict(conn: Conn, hqSeq: number): boolean {
    const ctx = this.ctx;
    const localSeq = ctx.outbox.stats().lastSeq;
    if (hqSeq <= localSeq) {
      if (this.conflictState) ctx.log(`conflict resolved: the back office holds seq ${hqSeq}, this till wrote ${localSeq}`);
      this.conflictState = null;
      return false;
    }
    this.conflictState = { hqSeq, localSeq, at: ctx.nowIso() };
    ctx.fail(
      `conflict: the back office holds seq ${hqSeq} of this terminal but this till wrote only ${localSeq}: ` +
        'another installation\'s history — nothing is sent; replace this till at the back office',
    );
    this.hooks.dropWindow();
    conn.close();
    ctx.setState('conflict');
    this.scheduleReconnect();
    return true;
  }

  private onHelloAck(conn: Conn, ackedSeq: number, catalogVersion: number, catalogReset: boolean): void {
    const ctx = this.ctx;
    if (ctx.creds?.revokedAt) {
      ctx.log('the back office accepts this terminal again');
      writeCredentials(ctx.o.db, { ...ctx.creds, revokedAt: null });
      ctx.creds = readCredentials(ctx.o.db);
    }
    if (this.checkConflict(conn, ackedSeq)) return;
    if (this.attempt > 0 || ctx.lastLogged) ctx.log(`connected to ${ctx.o.backofficeUrl} (back office holds up to seq ${ackedSeq})`);
    this.attempt = 0;
    ctx.lastLogged = '';
    this.lastConnectedAt = ctx.nowIso();
    this.hooks.resumeOutbox(ackedSeq);
    if (catalogReset || catalogVersion < ctx.catalog.version()) {
      // HQ's feed went back (restored from an older copy, or another database): what we hold past its
      // history may differ from what it now numbers the same; pull everything again.
      ctx.log(`back office feed is at ${catalogVersion}${catalogReset ? ' (another epoch)' : ''}, this till at ${ctx.catalog.version()}: catalogue pulled again from scratch`);
      resetCatalogVersion(ctx.o.db, ctx.nowIso());
      this.hooks.restartCatalog();
    }
    this.hooks.announceCatalog(catalogVersion);
    ctx.setState('online');
    this.hooks.pumpTickets(conn);
    this.hooks.pumpDocuments(conn);
    this.hooks.pullCatalog(conn);
  }

  alive(conn: Conn): boolean {
    return !this.ctx.stopped && conn.gen === this.gen && conn.socket.connected;
  }

  /** emitWithAck that also gives up when the connection closes. */
  async request(conn: Conn, event: string, body: unknown): Promise<unknown> {
    const ack = conn.socket.timeout(this.ctx.o.ackTimeoutMs).emitWithAck(event, body);
    const closed = conn.closed.then(() => {
      throw new Error('connection closed while waiting for an ack');
    });
    try {
      return await Promise.race([ack, closed]);
    } finally {
      ack.catch(() => undefined);
      closed.catch(() => undefined);
    }
  }

  /**
   * Returns at any till: asks the back office for a ticket of the company (`ticket:lookup`). null when there
   * is no live connection, no answer within `timeoutMs`, or an answer that does not parse: the caller then
   * uses the till's own tickets.
   */
  async lookupTicket(q: string, timeoutMs: number): Promise<TicketLookupReply | null> {
    const conn = this.conn;
    if (!conn || !this.alive(conn)) return null;
    try {
      const raw: unknown = await conn.socket.timeout(timeoutMs).emitWithAck(EVENTS.ticketLookup, { q });
      const r = TicketLookupReplySchema.safeParse(raw);
      if (!r.success) this.ctx.log(`ticket:lookup: unreadable answer (${r.error.issues[0]?.message ?? '?'})`);
      return r.success ? r.data : null;
    } catch {
      return null;
    }
  }

  /** Stock of a product here and at nearby stores (`stock:lookup`): null when offline, late or unreadable. */
  async lookupStock(productId: string, timeoutMs: number): Promise<StockLookupReply | null> {
    const conn = this.conn;
    if (!conn || !this.alive(conn)) return null;
    try {
      const raw: unknown = await conn.socket.timeout(timeoutMs).emitWithAck(STOCK_LOOKUP_EVENT, { productId });
      const r = StockLookupReplySchema.safeParse(raw);
      if (!r.success) this.ctx.log(`stock:lookup: unreadable answer (${r.error.issues[0]?.message ?? '?'})`);
      return r.success ? r.data : null;
    } catch {
      return null;
    }
  }

  /**
   * A module's online question (shared/src/wire/till-request.ts), the reply checked against `schema`:
   * `{ reply }`, `{ refused }` (HQ said no, for good), or null — offline, late, unavailable or unreadable,
   * when the caller applies its offline rules.
   */
  async ask<T>(kind: string, payload: unknown, schema: z.ZodType<T>, timeoutMs: number): Promise<{ reply: T } | { refused: { code: string; message: string } } | null> {
    const conn = this.conn;
    if (!conn || !this.alive(conn)) return null;
    try {
      const raw: unknown = await conn.socket.timeout(timeoutMs).emitWithAck(TILL_REQUEST_EVENT, { kind, payload });
      const r = TillRequestReplySchema.safeParse(raw);
      if (!r.success) {
        this.ctx.log(`till:request ${kind}: unreadable answer`);
        return null;
      }
      if ('refused' in r.data) return { refused: r.data.refused };
      if ('error' in r.data) {
        this.ctx.log(`till:request ${kind}: ${r.data.error.code} ${r.data.error.message}`);
        return null;
      }
      const body = schema.safeParse(r.data.reply);
      if (!body.success) this.ctx.log(`till:request ${kind}: unreadable reply (${body.error.issues[0]?.message ?? '?'})`);
      return body.success ? { reply: body.data } : null;
    } catch {
      return null;
    }
  }
}
