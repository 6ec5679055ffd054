/**
 * The terminal's sync client (invariants 4 and 5): one socket.io connection to the back office's
 * `/terminal` namespace that
 *  - streams the outbox up in seq order, a small window of batches in flight (backpressure: at most
 *    `maxInFlight` unanswered; the back office applies a terminal's batches in arrival order, so while it
 *    applies one the next is already on the wire), marking rows sent up to the acked seq — nothing is
 *    dropped, however old the row or long the queue;
 *  - pulls the master-data change feed down (full load in pages with progress, then increments when
 *    nudged), each page applied in one SQLite transaction with its version;
 *  - reconnects with exponential backoff and jitter, and resumes after a restart of either side from what
 *    the SQLite file says (outbox sent_at, master_data_state.version) and what `hello:ack` says.
 * A refused handshake (`unauthorized`) stops it: the terminal is revoked or unpaired and keeps selling; it
 * asks again only every `revokedRecheckMs` (5 min), so a back office put back to an older copy that
 * refused it for a while does not leave it revoked for ever.
 * An ack (or hello:ack) above the highest seq this till ever wrote is a *conflict*: HQ holds another
 * installation's history under this terminal id (a wiped till paired again). Nothing is marked sent, nothing
 * is sent; the till says so and looks again at the slowest backoff (see backoffice/src/sync/README.md).
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { io, type Socket } from 'socket.io-client';
import type { Clock } from '@tpv/shared/clock';
import { MAX_CHANGES_PER_PAGE, MAX_TICKETS_PER_BATCH, TicketAckSchema, type TerminalHello, type TicketAck } from '@tpv/shared/wire/sync';
import type { SqliteHandle } from '../persistence/data-source';
import { backoffDelay } from './backoff';
import { createCatalogStore, type CatalogStore } from './catalog';
import { createOutboxStore, type OutboxStats, type OutboxStore } from './outbox';
import { pairTerminal, type PairingError } from './pairing';
import { CatalogChangedSchema, EVENTS, HelloAckSchema, SOCKET_NAMESPACE, UNAUTHORIZED } from '@tpv/shared/wire/sync-protocol';
import { readCatalogEpoch, readCredentials, resetCatalogVersion, writeCatalogEpoch, writeCredentials, type SyncCredentials } from './state';
import { TicketLookupReplySchema, type TicketLookupReply } from '@tpv/shared/wire/ticket-lookup';

/** Backlog (changes) from which a load suspends per-row search indexing and rebuilds it at the end. */
const BULK_THRESHOLD = 20_000;
/** Pages applied per transaction during a bulk load (~10k changes, ~0.1 s of write lock). */
const BULK_PAGES_PER_TRANSACTION = 10;

export type SyncState = 'unpaired' | 'pairing' | 'connecting' | 'online' | 'offline' | 'revoked' | 'conflict' | 'stopped';

/** HQ said it holds a seq above anything this till wrote: another installation's history (never marked sent). */
export interface SyncConflict {
  hqSeq: number;
  localSeq: number;
  at: string;
}

export interface CatalogProgress {
  /** Version applied locally. */
  version: number;
  /** Latest version the back office announced (hello:ack / catalog:changed). */
  targetVersion: number;
  loading: boolean;
  /** First load of an empty terminal (version was 0 when it started). */
  fullLoad: boolean;
  /** Changes applied since this load started. */
  appliedChanges: number;
  /** 0..1 over the versions of this load (1 when up to date). */
  fraction: number;
}

export interface SyncStatus {
  state: SyncState;
  online: boolean;
  backofficeUrl: string;
  terminalId: string | null;
  pendingCount: number;
  oldestPendingAt: string | null;
  oldestPendingAgeSeconds: number | null;
  ackedSeq: number;
  lastSeq: number;
  rejectedCount: number;
  catalog: CatalogProgress;
  lastError: { message: string; at: string } | null;
  conflict: SyncConflict | null;
  lastConnectedAt: string | null;
  lastAckAt: string | null;
}

export interface SyncClientOptions {
  db: SqliteHandle;
  backofficeUrl: string;
  clock: Clock;
  appVersion: string;
  /** One-time pairing code (TPV_PAIRING_CODE): used at start when the terminal has no token (or was revoked). */
  pairingCode?: string | undefined;
  /** Tickets per batch, ≤ 200 (MAX_TICKETS_PER_BATCH). */
  batchSize?: number;
  /** Batches sent and not yet answered, at most (default 2: one being applied, the next one waiting). */
  maxInFlight?: number;
  /** Payload bytes per batch (a batch always carries at least one ticket). Default 4 MiB. */
  maxBatchBytes?: number;
  /** How long a batch or a page may wait for its ack before the connection is recycled. Default 30 s. */
  ackTimeoutMs?: number;
  /** Changes per catalog:pull, ≤ 1000. */
  pullLimit?: number;
  /** Outbox poll interval when idle (notify() wakes it at once). Default 250 ms. */
  pollMs?: number;
  backoff?: { baseMs: number; maxMs: number };
  connectTimeoutMs?: number;
  /** A revoked terminal tries the handshake again this often (default 5 min). */
  revokedRecheckMs?: number;
  random?: () => number;
  log?: (msg: string) => void;
  fetch?: typeof fetch;
}

type Conn = { gen: number; socket: Socket; closed: Promise<void>; close: () => void };

/** A batch on the wire: its seq range and the answer to come (rejects when given up or the link drops). */
interface InFlight {
  batchId: string;
  first: number;
  last: number;
  reply: Promise<unknown>;
  giveUp: (why: string) => void;
}

export interface SyncClientEvents {
  status: [SyncStatus];
  progress: [CatalogProgress];
}

export class SyncClient extends EventEmitter<SyncClientEvents> {
  readonly outbox: OutboxStore;
  readonly catalog: CatalogStore;
  private readonly o: Required<Omit<SyncClientOptions, 'pairingCode' | 'random' | 'log' | 'fetch'>> & SyncClientOptions;
  private state: SyncState = 'offline';
  private creds: SyncCredentials | undefined;
  private conn: Conn | undefined;
  private gen = 0;
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private stopped = true;
  private lastError: { message: string; at: string } | null = null;
  private conflict: SyncConflict | null = null;
  private lastConnectedAt: string | null = null;
  private lastAckAt: string | null = null;
  /** Batches waiting for their ack, oldest first (the current connection's window). */
  private inflight: InFlight[] = [];
  private catalogRunning = false;
  private catalogAgain = false;
  private progress: CatalogProgress;
  private loadStart = 0;

  constructor(opts: SyncClientOptions) {
    super();
    this.o = {
      batchSize: MAX_TICKETS_PER_BATCH,
      maxInFlight: 2,
      maxBatchBytes: 4 * 1024 * 1024,
      ackTimeoutMs: 30_000,
      pullLimit: MAX_CHANGES_PER_PAGE,
      pollMs: 250,
      backoff: { baseMs: 500, maxMs: 30_000 },
      connectTimeoutMs: 10_000,
      revokedRecheckMs: 300_000,
      ...opts,
    };
    this.o.batchSize = Math.max(1, Math.min(MAX_TICKETS_PER_BATCH, this.o.batchSize));
    this.o.maxInFlight = Math.max(1, Math.min(8, this.o.maxInFlight));
    this.o.pullLimit = Math.max(1, Math.min(MAX_CHANGES_PER_PAGE, this.o.pullLimit));
    this.outbox = createOutboxStore(opts.db);
    this.catalog = createCatalogStore(opts.db);
    const v = this.catalog.version();
    this.progress = { version: v, targetVersion: v, loading: false, fullLoad: false, appliedChanges: 0, fraction: 1 };
  }

  // ── lifecycle ───────────────────────────────────────────────────────────────────────────────────
  /** Pairs if needed (and a code was given), then connects. Never throws for network trouble. */
  async start(): Promise<void> {
    this.stopped = false;
    this.creds = readCredentials(this.o.db);
    const needsPairing = !this.creds || !!this.creds.revokedAt;
    if (needsPairing && this.o.pairingCode) {
      await this.pair(this.o.pairingCode);
      if (this.state === 'pairing') return; // retrying in the background (back office unreachable)
    }
    if (!this.creds) return this.setState('unpaired');
    if (this.creds.revokedAt) {
      this.setState('revoked');
      return this.recheckRevoked();
    }
    this.connect();
  }

  /** Trades the code; a refusal (4xx) is final, an unreachable back office is retried with backoff. */
  private async pair(code: string): Promise<void> {
    this.setState('pairing');
    try {
      const r = await pairTerminal(this.o.db, {
        backofficeUrl: this.o.backofficeUrl, code, appVersion: this.o.appVersion, lastSeq: this.outbox.stats().lastSeq,
        nowIso: () => this.nowIso(), ...(this.o.fetch ? { fetch: this.o.fetch } : {}),
      });
      this.creds = readCredentials(this.o.db);
      this.attempt = 0;
      this.log(`paired as terminal ${r.identity.terminalCode} of store ${r.identity.storeCode} (${r.terminalId})`);
      this.setState('offline');
    } catch (e) {
      this.fail(`pairing failed: ${(e as Error).message}`);
      const status = (e as PairingError).status;
      // A refusal is final, except 429 (HQ throttles pairing attempts from this address): retry with backoff.
      if (this.stopped || (status !== undefined && status < 500 && status !== 429)) {
        this.setState(this.creds ? 'offline' : 'unpaired');
        return;
      }
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = setTimeout(() => {
        void this.pair(code).then(() => {
          if (this.state !== 'pairing' && !this.stopped && this.creds && !this.creds.revokedAt) this.connect();
        });
      }, backoffDelay(this.attempt++, this.o.backoff));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    this.conn?.close();
    this.conn = undefined;
    this.wake?.();
    this.setState('stopped');
  }

  /** New outbox rows were committed: send them now rather than at the next poll. */
  notify(): void {
    this.wake?.();
  }

  status(): SyncStatus {
    const s: OutboxStats = this.outbox.stats();
    const age = s.oldestPendingAt ? Math.max(0, Math.round((this.o.clock.now() - Date.parse(s.oldestPendingAt)) / 1000)) : null;
    return {
      state: this.state,
      online: this.state === 'online',
      backofficeUrl: this.o.backofficeUrl,
      terminalId: this.creds?.terminalId ?? null,
      pendingCount: s.pendingCount,
      oldestPendingAt: s.oldestPendingAt,
      oldestPendingAgeSeconds: Number.isFinite(age) ? age : null,
      ackedSeq: s.ackedSeq,
      lastSeq: s.lastSeq,
      rejectedCount: s.rejectedCount,
      catalog: { ...this.progress },
      lastError: this.lastError,
      conflict: this.conflict,
      lastConnectedAt: this.lastConnectedAt,
      lastAckAt: this.lastAckAt,
    };
  }

  // ── connection ──────────────────────────────────────────────────────────────────────────────────
  private connect(): void {
    if (this.stopped || !this.creds) return;
    const creds = this.creds;
    const gen = ++this.gen;
    if (!this.conflict && !creds.revokedAt) this.setState(this.state === 'online' ? 'offline' : this.attempt === 0 ? 'connecting' : 'offline');
    const socket = io(new URL(SOCKET_NAMESPACE, this.o.backofficeUrl).toString(), {
      forceNew: true,
      reconnection: false, // our own backoff: it also covers refused handshakes and server-side disconnects
      transports: ['websocket'],
      timeout: this.o.connectTimeoutMs,
      auth: (cb) => {
        const stats = this.outbox.stats();
        const catalogVersion = this.catalog.version();
        const catalogEpoch = catalogVersion > 0 ? readCatalogEpoch(this.o.db) : undefined;
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
        this.fail('back office refused this terminal (revoked or unpaired): pair it again');
        if (!creds.revokedAt) writeCredentials(this.o.db, { ...creds, revokedAt: this.nowIso() });
        this.creds = readCredentials(this.o.db);
        this.setState('revoked');
        this.recheckRevoked();
        return;
      }
      this.fail(`cannot reach back office: ${e.message}`);
      this.scheduleReconnect();
    });
    socket.on('disconnect', (reason) => {
      close();
      if (gen !== this.gen) return;
      this.fail(`disconnected: ${reason}`);
      this.scheduleReconnect();
    });
    socket.on(EVENTS.helloAck, (raw: unknown) => {
      if (gen !== this.gen) return;
      const hello = HelloAckSchema.safeParse(raw);
      if (!hello.success) {
        this.fail('malformed hello:ack');
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
      // Refused whole (nothing written); the ack that follows says where the back office stands. Without a
      // batch id (the back office could not store) it concerns whichever batches are on the wire.
      const named = e.batchId === null || e.batchId === undefined ? this.inflight : this.inflight.filter((f) => f.batchId === e.batchId);
      for (const f of named) {
        this.outbox.noteError(f.first, f.last, `refused: ${why}`);
        if (e.code === 'INGEST_UNAVAILABLE') f.giveUp(`INGEST_UNAVAILABLE: ${String(e.message ?? '')}`);
      }
      this.fail(`back office: ${why}`);
    });
    socket.on(EVENTS.catalogChanged, (raw: unknown) => {
      if (gen !== this.gen) return;
      const m = CatalogChangedSchema.safeParse(raw);
      if (m.success) this.raiseTarget(m.data.version);
      void this.catalogLoop(conn);
    });
  }

  /** Asks again, rarely: the same token is accepted again after HQ's database was restored (signed tokens). */
  private recheckRevoked(): void {
    if (this.stopped) return;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => this.connect(), this.o.revokedRecheckMs);
    this.reconnectTimer.unref?.();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    clearTimeout(this.reconnectTimer);
    // In conflict, look again at the slowest pace (HQ may be corrected); never send meanwhile.
    const delay = this.conflict ? this.o.backoff.maxMs : backoffDelay(this.attempt++, { ...this.o.backoff, ...(this.o.random ? { random: this.o.random } : {}) });
    if (!this.conflict) this.setState('offline');
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  /**
   * HQ claims a seq above the highest this till wrote: its history is another installation's (a wiped or
   * replaced till paired to an id with history). Stop: no row is marked sent, no batch goes up.
   */
  private checkConflict(conn: Conn, hqSeq: number): boolean {
    const localSeq = this.outbox.stats().lastSeq;
    if (hqSeq <= localSeq) {
      if (this.conflict) this.log(`conflict resolved: the back office holds seq ${hqSeq}, this till wrote ${localSeq}`);
      this.conflict = null;
      return false;
    }
    this.conflict = { hqSeq, localSeq, at: this.nowIso() };
    this.fail(
      `conflict: the back office holds seq ${hqSeq} of this terminal but this till wrote only ${localSeq}: ` +
        'another installation\'s history — nothing is sent; replace this till at the back office',
    );
    this.inflight = [];
    conn.close();
    this.setState('conflict');
    this.scheduleReconnect();
    return true;
  }

  private onHelloAck(conn: Conn, ackedSeq: number, catalogVersion: number, catalogReset: boolean): void {
    if (this.creds?.revokedAt) {
      this.log('the back office accepts this terminal again');
      writeCredentials(this.o.db, { ...this.creds, revokedAt: null });
      this.creds = readCredentials(this.o.db);
    }
    if (this.checkConflict(conn, ackedSeq)) return;
    if (this.attempt > 0 || this.lastLogged) this.log(`connected to ${this.o.backofficeUrl} (back office holds up to seq ${ackedSeq})`);
    this.attempt = 0;
    this.lastLogged = '';
    this.lastConnectedAt = this.nowIso();
    const before = this.outbox.stats().ackedSeq;
    this.outbox.markSentUpTo(ackedSeq, this.nowIso());
    if (ackedSeq < before) {
      const n = this.outbox.requeueAbove(ackedSeq);
      this.log(`back office holds up to seq ${ackedSeq} but ${before} were acked before: ${n} ticket(s) queued again`);
    }
    if (catalogReset || catalogVersion < this.catalog.version()) {
      // HQ's feed went back (restored from an older copy, or another database): what we hold past its
      // history may differ from what it now numbers the same; pull everything again.
      this.log(`back office feed is at ${catalogVersion}${catalogReset ? ' (another epoch)' : ''}, this till at ${this.catalog.version()}: catalogue pulled again from scratch`);
      resetCatalogVersion(this.o.db, this.nowIso());
      this.progress = { ...this.progress, version: 0, targetVersion: 0 };
    }
    this.raiseTarget(catalogVersion);
    this.setState('online');
    void this.drainLoop(conn);
    void this.catalogLoop(conn);
  }

  private alive(conn: Conn): boolean {
    return !this.stopped && conn.gen === this.gen && conn.socket.connected;
  }

  /** emitWithAck that also gives up when the connection closes. */
  private async request(conn: Conn, event: string, body: unknown): Promise<unknown> {
    const ack = conn.socket.timeout(this.o.ackTimeoutMs).emitWithAck(event, body);
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
  async lookupTicket(q: string, timeoutMs = 5_000): Promise<TicketLookupReply | null> {
    const conn = this.conn;
    if (!conn || !this.alive(conn)) return null;
    try {
      const raw: unknown = await conn.socket.timeout(timeoutMs).emitWithAck(EVENTS.ticketLookup, { q });
      const r = TicketLookupReplySchema.safeParse(raw);
      if (!r.success) this.log(`ticket:lookup: unreadable answer (${r.error.issues[0]?.message ?? '?'})`);
      return r.success ? r.data : null;
    } catch {
      return null;
    }
  }

  // ── outbox → back office ────────────────────────────────────────────────────────────────────────
  private async drainLoop(conn: Conn): Promise<void> {
    let stalls = 0;
    const window: InFlight[] = [];
    this.inflight = window;
    /** Highest seq handed to this connection (0: start again from the first pending row). */
    let sentUpTo = 0;
    // Lets what is still on the wire answer (applying the acks that came), then resends from the first
    // pending row: after a stall, the batches behind the stalled one could only wait behind a gap at HQ.
    const settle = async () => {
      for (const f of window.splice(0)) {
        try {
          const r = TicketAckSchema.safeParse(await f.reply);
          if (r.success) this.applyAck(r.data, f.first, f.last);
        } catch {
          // given up or disconnected: resent below or after the reconnect
        }
      }
      sentUpTo = 0;
    };
    while (this.alive(conn)) {
      const filled = this.fillWindow(conn, window, sentUpTo);
      if (filled === null) {
        await settle();
        await this.sleep(backoffDelay(stalls++, this.o.backoff));
        continue;
      }
      sentUpTo = filled;
      const head = window[0];
      if (!head) {
        this.emitStatus();
        await this.idle(this.o.pollMs);
        continue;
      }
      let raw: unknown;
      try {
        raw = await head.reply;
      } catch (e) {
        window.shift();
        if (this.alive(conn) && (e as Error).message.startsWith('INGEST_UNAVAILABLE')) {
          // The back office could not store it and will not answer: wait, resend on the same connection.
          this.fail(`batch ${head.first}..${head.last}: ${(e as Error).message}`);
          await settle();
          await this.sleep(backoffDelay(stalls++, this.o.backoff));
          continue;
        }
        if (!this.alive(conn)) return; // the disconnect handler reconnects
        this.fail(`batch ${head.first}..${head.last}: ${(e as Error).message}`);
        // No answer in time: recycle the connection (hello:ack tells us where the back office really is).
        window.length = 0;
        conn.close();
        this.scheduleReconnect();
        return;
      }
      window.shift();
      const parsed = TicketAckSchema.safeParse(raw);
      if (!parsed.success) {
        // The back office answered but refused the whole batch (e.g. `{ error }` / a problem): keep the rows,
        // say why on them and on the status, and try again later on the same connection.
        const why = describeRefusal(raw);
        this.outbox.noteError(head.first, head.last, `refused: ${why}`);
        this.fail(`batch ${head.first}..${head.last} refused: ${why}`);
        await settle();
        await this.sleep(backoffDelay(stalls++, this.o.backoff));
        continue;
      }
      const ack = parsed.data;
      this.applyAck(ack, head.first, head.last);
      if (ack.refused?.permanent && ack.ackedSeq < head.first) {
        // HQ can never apply this batch as it is and keeps it in its review queue: stop resending it on this
        // connection (a new connection, e.g. after HQ re-pairs or replaces the till, tries again). Nothing is dropped.
        const why = `${ack.refused.code}: ${ack.refused.reason}`;
        this.outbox.noteError(head.first, head.last, `refused for good: ${why}`);
        await settle();
        this.fail(`batch ${head.first}..${head.last} refused for good by the back office (in its review queue); not resent until the next connection: ${why}`);
        return;
      }
      if (ack.ackedSeq >= head.last) {
        stalls = 0;
        continue;
      }
      await settle();
      if (ack.ackedSeq >= head.first) {
        stalls = 0;
        continue;
      }
      // Nothing of this batch applied (the back office is holding it, or refused it): wait, then resend.
      const reason = this.lastError?.message.startsWith('back office:') ? ` (${this.lastError.message})` : '';
      this.fail(`back office acked seq ${ack.ackedSeq}, batch was ${head.first}..${head.last}; retrying${reason}`);
      await this.sleep(backoffDelay(stalls++, this.o.backoff));
    }
  }

  /**
   * Sends batches of pending rows after `afterSeq` until the window is full or nothing is left; returns the
   * highest seq now on the wire. Null when a row's payload is not JSON (only a bug can do that: said loudly,
   * retried, a ticket is never skipped).
   */
  private fillWindow(conn: Conn, window: InFlight[], afterSeq: number): number | null {
    let after = afterSeq;
    while (window.length < this.o.maxInFlight) {
      const rows = this.outbox.nextBatch(after, this.o.batchSize, this.o.maxBatchBytes);
      if (rows.length === 0) break;
      const first = rows[0]!.seq;
      const last = rows[rows.length - 1]!.seq;
      let tickets: unknown[];
      try {
        tickets = rows.map((r) => JSON.parse(r.payload) as unknown);
      } catch (e) {
        this.fail(`outbox payload is not JSON in seq ${first}..${last}: ${(e as Error).message}`);
        return null;
      }
      this.outbox.countAttempt(first, last);
      const batchId = randomUUID();
      let giveUp!: (why: string) => void;
      const abandoned = new Promise<never>((_, reject) => (giveUp = (why) => reject(new Error(why))));
      const reply = Promise.race([this.request(conn, EVENTS.tickets, { terminalId: this.creds!.terminalId, batchId, tickets }), abandoned]);
      abandoned.catch(() => undefined);
      reply.catch(() => undefined);
      window.push({ batchId, first, last, reply, giveUp });
      after = last;
    }
    return after;
  }

  private applyAck(ack: TicketAck, first: number, last: number): void {
    if (this.conflict || (this.conn && ack.ackedSeq > this.outbox.stats().lastSeq && this.checkConflict(this.conn, ack.ackedSeq))) return;
    const now = this.nowIso();
    this.lastAckAt = now;
    const before = this.outbox.stats().ackedSeq;
    this.outbox.markSentUpTo(ack.ackedSeq, now);
    if (ack.rejected && ack.rejected.length > 0) {
      this.outbox.markRejected(ack.rejected);
      this.log(`back office refused ${ack.rejected.length} ticket(s): ${ack.rejected.map((r) => `${r.seq} (${r.reason})`).join(', ').slice(0, 300)}`);
    }
    if (ack.ackedSeq < before) {
      const n = this.outbox.requeueAbove(ack.ackedSeq);
      if (n > 0) this.log(`ack ${ack.ackedSeq} is below ${before}: ${n} ticket(s) queued again`);
    }
    if (ack.ackedSeq >= last && first <= last && this.lastError?.message.startsWith('batch')) this.lastError = null;
    this.emitStatus();
  }

  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wake = done;
    });
  }

  private sleep(ms: number): Promise<void> {
    return this.idle(ms);
  }

  // ── back office → master data ───────────────────────────────────────────────────────────────────
  private raiseTarget(version: number): void {
    if (version > this.progress.targetVersion) this.progress.targetVersion = version;
  }

  private async catalogLoop(conn: Conn): Promise<void> {
    if (this.catalogRunning) {
      this.catalogAgain = true;
      return;
    }
    this.catalogRunning = true;
    try {
      do {
        this.catalogAgain = false;
        await this.pullAll(conn);
      } while (this.catalogAgain && this.alive(conn));
    } catch (e) {
      if (this.alive(conn)) {
        this.fail(`catalog: ${(e as Error).message}`);
        // Retry the page later on the same connection (a page that cannot be applied is a back-office bug:
        // the till keeps selling from what it has).
        setTimeout(() => this.alive(conn) && void this.catalogLoop(conn), backoffDelay(3, this.o.backoff)).unref?.();
      }
    } finally {
      this.catalogRunning = false;
      try {
        if (this.catalog.bulk) this.catalog.endBulk();
      } catch (e) {
        this.fail(`catalog: restoring product search: ${(e as Error).message}`);
      }
      this.progress.loading = false;
      this.emitProgress();
    }
  }

  private pull(conn: Conn, sinceVersion: number): Promise<unknown> {
    const p = this.request(conn, EVENTS.catalogPull, { sinceVersion, limit: this.o.pullLimit });
    p.catch(() => undefined); // a prefetched page that is never awaited must not become an unhandled rejection
    return p;
  }

  private async pullAll(conn: Conn): Promise<void> {
    let version = this.catalog.version();
    // Always ask at least once, even when nothing was announced beyond what we hold (cheap): a missed
    // nudge cannot strand the terminal on an old catalogue.
    this.loadStart = version;
    // A big backlog (first load of a fresh terminal): maintain the search index once at the end, not per row.
    if (this.progress.targetVersion - version >= BULK_THRESHOLD) this.catalog.beginBulk();
    this.progress = { ...this.progress, version, loading: true, fullLoad: version === 0, appliedChanges: 0, fraction: this.fraction(version) };
    this.emitProgress();
    const bulk = this.catalog.bulk;
    let buffer: unknown[] = [];
    let next = this.pull(conn, version);
    for (;;) {
      const page = (await next) as { toVersion?: unknown; hasMore?: unknown } | undefined;
      if (!this.alive(conn)) return;
      const more = page?.hasMore === true && typeof page.toVersion === 'number';
      if (more) next = this.pull(conn, page.toVersion as number); // prefetch: the back office works while we apply
      buffer.push(page);
      // In a bulk load a few pages share one transaction (fewer commits and checkpoints); otherwise one each.
      if (more && bulk && buffer.length < BULK_PAGES_PER_TRANSACTION) continue;
      const r = this.catalog.applyPages(buffer, this.nowIso());
      const epoch = (buffer[buffer.length - 1] as { epoch?: unknown } | undefined)?.epoch;
      buffer = [];
      // The feed epoch at our version goes back in the next hello (HQ's check that its feed did not go back).
      if (!r.stale) writeCatalogEpoch(this.o.db, typeof epoch === 'string' ? epoch : null);
      if (r.stale) {
        // The pages did not start where we are (a concurrent load moved on): ask again from what we hold.
        version = this.catalog.version();
        next = this.pull(conn, version);
        continue;
      }
      version = r.version;
      this.raiseTarget(version);
      this.progress.version = version;
      this.progress.appliedChanges += r.applied + r.skipped;
      this.progress.fraction = this.fraction(version);
      this.emitProgress();
      if (!more) break;
    }
    if (this.lastError?.message.startsWith('catalog')) this.lastError = null;
  }

  private fraction(version: number): number {
    const span = this.progress.targetVersion - this.loadStart;
    if (span <= 0) return 1;
    return Math.max(0, Math.min(1, (version - this.loadStart) / span));
  }

  // ── status plumbing ─────────────────────────────────────────────────────────────────────────────
  private nowIso(): string {
    return new Date(this.o.clock.now()).toISOString();
  }

  private lastLogged = '';
  private fail(message: string): void {
    this.lastError = { message, at: this.nowIso() };
    // While the back office is down every retry fails the same way: say it once, not every backoff.
    if (message !== this.lastLogged) this.log(message);
    this.lastLogged = message;
    this.emitStatus();
  }

  private setState(state: SyncState): void {
    if (this.state === state) return;
    this.state = state;
    this.emitStatus();
  }

  private lastProgressEmit = 0;
  private emitProgress(): void {
    const now = this.o.clock.now();
    // The screen needs a few updates a second, not one per page.
    if (this.progress.loading && now - this.lastProgressEmit < 100 && this.progress.fraction < 1) return;
    this.lastProgressEmit = now;
    this.emit('progress', { ...this.progress });
    this.emitStatus();
  }

  private emitStatus(): void {
    if (this.listenerCount('status') === 0) return;
    this.emit('status', this.status());
  }

  private log(msg: string): void {
    (this.o.log ?? ((m: string) => console.log(`[sync] ${m}`)))(msg);
  }
}

function describeRefusal(raw: unknown): string {
  if (raw && typeof raw === 'object') {
    const r = raw as Record<string, unknown>;
    const inner = (r['error'] && typeof r['error'] === 'object' ? (r['error'] as Record<string, unknown>) : r) as Record<string, unknown>;
    const code = typeof inner['code'] === 'string' ? inner['code'] : undefined;
    const msg = typeof inner['message'] === 'string' ? inner['message'] : typeof r['error'] === 'string' ? r['error'] : undefined;
    if (code || msg) return [code, msg].filter(Boolean).join(': ').slice(0, 300);
  }
  return `unexpected answer ${JSON.stringify(raw)?.slice(0, 200)}`;
}
