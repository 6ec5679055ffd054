/**
 * The socket.io gateway terminals connect to (namespace `/terminal`), speaking the sync protocol of
 * shared/src/wire/sync.ts:
 *
 *   handshake auth = TerminalHello {terminalId, token, lastAckedSeq, catalogVersion, lastSeq?, catalogEpoch?}
 *     bad/revoked token → connect_error "unauthorized"
 *   server → terminal  hello:ack {ackedSeq, catalogVersion, catalogReset?}   on connect; a till whose lastSeq
 *                                                                      is below ackedSeq is recorded as a
 *                                                                      conflict (it stops sending)
 *   terminal → server  tickets TicketBatch, ack(TicketAck)             ackedSeq = highest contiguous seq applied
 *   server → terminal  sync:error {batchId, code, message}             a refused batch (nothing written); the
 *                                                                      ack still answers the current TicketAck
 *   server → terminal  catalog:changed {version}                       master data of its store changed
 *   terminal → server  catalog:pull {sinceVersion, limit}, ack(ChangePage)
 *   terminal → server  ticket:lookup {q}, ack(TicketLookupReply)         returns at any till (returns/socket.ts)
 *   terminal → server  documents UpwardBatch, ack(UpwardAck)           upward documents, each applied once (till/socket.ts)
 *   terminal → server  stock:lookup {productId}, ack(StockLookupReply)  stock here and nearby (till/socket.ts)
 *
 * Rooms: `terminal:<id>` and `store:<id>`, so nudges and revocations reach every node through the adapter.
 */
import { CatalogPullSchema, EVENTS, SOCKET_NAMESPACE, type SyncRequestError } from '@tpv/shared/wire/sync-protocol';
import type { Namespace, Server, Socket } from 'socket.io';
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { TerminalHelloSchema, type TerminalHello, type TicketAck } from '@tpv/shared/wire/sync';
import { latestChangeVersion } from '../persistence/change-log';
import { sameHash, sha256Hex } from '../auth/tokens';
import { deviceTokenGeneration, deviceTokenKey } from '../auth/device-token';
import { epochAt, feedHolds } from '../persistence/sync-epoch';
import { writeTransaction } from '../persistence/raw';
import * as repo from './repository';
import { changePage } from '../catalog/feed';
import type { IngestService } from '../sales-ingest/service';
import { isPermanentRefusal, type TerminalContext } from '../sales-ingest/validate';
import { attachTicketLookup } from '../returns/socket';
import { limitedFailures } from '@tpv/runtime/attempts';
import { RATE_LIMITED, type SocketGuard } from './socket-guard';
import { attachTillChannel, TILL_CHANNEL_EVENTS } from '../till/socket';
import type { UpwardChannel } from '../till/upward';

export const TERMINAL_NAMESPACE = SOCKET_NAMESPACE;
/** Events a terminal may send (the others are answered UNKNOWN_EVENT). */
const KNOWN_EVENTS = new Set<string>([EVENTS.tickets, EVENTS.catalogPull, EVENTS.ticketLookup, ...TILL_CHANNEL_EVENTS]);


export interface SyncGateway {
  readonly namespace: Namespace;
  /** Nudges terminals: of one store, or every store when storeId is null. */
  catalogChanged(storeId: string | null, version: number): void;
  /** Drops a terminal's live connections (after a revoke). */
  disconnectTerminal(terminalId: string): void;
  /** Terminals connected to this node. */
  connectedTerminalIds(): string[];
}

interface SocketData {
  ctx: TerminalContext & { hadConflict: boolean };
  hello: TerminalHello;
}

export function createSyncGateway(
  io: Server,
  ds: DataSource,
  clock: Clock,
  ingest: IngestService,
  log: (msg: string) => void = (m) => console.warn(`[backoffice:sync] ${m}`),
  guard?: SocketGuard,
  /** The upward handlers of the enabled modules (absent: documents are answered `retry`). */
  upward?: UpwardChannel,
): SyncGateway {
  const nsp = io.of(TERMINAL_NAMESPACE);

  nsp.use((socket, next) => {
    const hello = TerminalHelloSchema.safeParse(socket.handshake.auth);
    if (!hello.success) return next(new Error('unauthorized'));
    // Refused failures are counted per address; an address out of attempts is refused before any lookup.
    limitedFailures(guard?.slots(socket) ?? [], () => authenticateTerminal(ds, hello.data.terminalId, hello.data.token), (ctx) => ctx !== null)
      .then(async (attempt) => {
        if (attempt.limited) return next(Object.assign(new Error(RATE_LIMITED), { data: { retryAfterSeconds: attempt.retryAfterSeconds } }));
        const ctx = attempt.outcome;
        if (!ctx) {
          log(`refused connection for terminal ${hello.data.terminalId}: bad or revoked token`);
          return next(new Error('unauthorized'));
        }
        (socket.data as SocketData).ctx = ctx;
        (socket.data as SocketData).hello = hello.data;
        guard?.admit(socket);
        await writeTransaction(ds, (m) => repo.noteTerminalSeen(m, ctx.terminalId, new Date(clock.now()).toISOString(), hello.data.catalogVersion));
        next();
      })
      .catch((e: unknown) => {
        log(`handshake failed: ${String(e)}`);
        next(new Error('unavailable'));
      });
  });

  nsp.on('connection', (socket: Socket) => {
    const { ctx, hello } = socket.data as SocketData;
    void socket.join([`terminal:${ctx.terminalId}`, `store:${ctx.storeId}`]);
    Promise.all([ingest.ackedSeq(ctx.terminalId), latestChangeVersion(ds.manager)])
      .then(async ([ackedSeq, catalogVersion]) => {
        const catalogReset = !(await feedHolds(ds.manager, catalogVersion, hello.catalogVersion, hello.catalogEpoch));
        if (catalogReset) log(`terminal ${ctx.terminalId} holds feed version ${hello.catalogVersion} that this database does not (restored?): it pulls from 0`);
        if (hello.lastAckedSeq > ackedSeq) log(`terminal ${ctx.terminalId} had seq ${hello.lastAckedSeq} acked, this database holds ${ackedSeq} (restored?): it resends`);
        // Bookkeeping for the terminal list: its failure must not hold the hello:ack back.
        await noteConflict(ds, clock, ctx, hello, ackedSeq, log).catch((e: unknown) => log(`recording a conflict failed: ${String(e)}`));
        socket.emit(EVENTS.helloAck, { ackedSeq, catalogVersion, ...(catalogReset ? { catalogReset } : {}) });
      })
      .catch((e: unknown) => log(`hello:ack failed: ${String(e)}`));

    // Every request gets its answer: a refusal or an error is an answer too (SyncRequestError), never silence.
    socket.on(EVENTS.tickets, (batch: unknown, ack: unknown) => {
      const batchIdOf = () => {
        const id = (batch as { batchId?: unknown } | null)?.batchId;
        return typeof id === 'string' ? id.slice(0, 64) : null;
      };
      if (typeof ack !== 'function') {
        socket.emit(EVENTS.syncError, { batchId: batchIdOf(), code: 'ACK_MISSING', message: 'send tickets with an ack callback' });
        return;
      }
      const reply = ack as (a: TicketAck | SyncRequestError) => void;
      ingest
        .submit(ctx, batch)
        .then(async (r) => {
          if (r.ok) return reply(r.value);
          const batchId = batchIdOf();
          log(`refused batch ${String(batchId)} from terminal ${ctx.terminalId}: ${r.error.code} ${r.error.message.slice(0, 300)}`);
          socket.emit(EVENTS.syncError, { batchId, code: r.error.code, message: r.error.message.slice(0, 500) });
          if (r.error.code === 'TERMINAL_REVOKED' || r.error.code === 'TERMINAL_MOVED') {
            socket.disconnect(true);
            return;
          }
          const refused = { code: r.error.code, reason: r.error.message.slice(0, 500), permanent: isPermanentRefusal(r.error.code) };
          reply({ terminalId: ctx.terminalId, ackedSeq: await ingest.ackedSeq(ctx.terminalId), refused });
        })
        .catch((e: unknown) => {
          // A database failure: nothing was committed; the terminal keeps the batch and resends it.
          log(`ingest failed for terminal ${ctx.terminalId}: ${String(e)}`);
          const message = 'the back office could not store the batch; retry';
          socket.emit(EVENTS.syncError, { batchId: null, code: 'INGEST_UNAVAILABLE', message });
          reply({ error: { code: 'INGEST_UNAVAILABLE', message, retry: true } });
        });
    });

    attachTicketLookup(socket, ds, ctx.storeId, log);
    attachTillChannel(socket, ds, clock, upward, { terminalId: ctx.terminalId, storeId: ctx.storeId }, log);

    socket.on(EVENTS.catalogPull, (req: unknown, ack: unknown) => {
      if (typeof ack !== 'function') {
        socket.emit(EVENTS.syncError, { batchId: null, code: 'ACK_MISSING', message: 'send catalog:pull with an ack callback' });
        return;
      }
      const reply = ack as (p: unknown) => void;
      const parsed = CatalogPullSchema.safeParse(req);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const message = `${issue?.path.join('.') || 'request'}: ${issue?.message ?? 'bad catalog:pull'}`.slice(0, 500);
        socket.emit(EVENTS.syncError, { batchId: null, code: 'PULL_MALFORMED', message });
        reply({ error: { code: 'PULL_MALFORMED', message, retry: false } } satisfies SyncRequestError);
        return;
      }
      changePage(ds, ctx.storeId, parsed.data.sinceVersion, parsed.data.limit ?? 500)
        .then(async (page) => {
          reply({ ...page, epoch: await epochAt(ds.manager, page.toVersion) });
          if (!page.hasMore) {
            await writeTransaction(ds, (m) => repo.setTerminalCatalogVersion(m, ctx.terminalId, page.toVersion));
          }
        })
        .catch((e: unknown) => {
          log(`catalog:pull failed: ${String(e)}`);
          reply({ error: { code: 'PULL_UNAVAILABLE', message: 'the back office could not read the change feed; retry', retry: true } } satisfies SyncRequestError);
        });
    });

    socket.onAny((event: unknown, ...args: unknown[]) => {
      if (KNOWN_EVENTS.has(String(event))) return;
      const ack = args.at(-1);
      const error: SyncRequestError = { error: { code: 'UNKNOWN_EVENT', message: `no such event: ${String(event).slice(0, 64)}`, retry: false } };
      if (typeof ack === 'function') (ack as (e: SyncRequestError) => void)(error);
      else socket.emit(EVENTS.syncError, { batchId: null, code: error.error.code, message: error.error.message });
    });
  });

  return {
    namespace: nsp,
    catalogChanged(storeId, version) {
      (storeId === null ? nsp : nsp.to(`store:${storeId}`)).emit(EVENTS.catalogChanged, { version });
    },
    disconnectTerminal(terminalId) {
      nsp.in(`terminal:${terminalId}`).disconnectSockets(true);
    },
    connectedTerminalIds() {
      const ids = new Set<string>();
      for (const s of nsp.sockets.values()) ids.add((s.data as SocketData).ctx.terminalId);
      return [...ids];
    },
  };
}

/**
 * The terminal behind a hello, when its token matches and it is not revoked. A token this database signed
 * for the terminal, of the stored generation or newer, is valid too and adopted: after HQ's database was put
 * back to an older copy (which lost a later pairing) the till is not locked out (auth/device-token.ts).
 */
export async function authenticateTerminal(ds: DataSource, terminalId: string, token: string): Promise<(TerminalContext & { hadConflict: boolean }) | null> {
  const t = await repo.terminalById(ds.manager, terminalId);
  if (!t || t.revokedAt !== null) return null;
  if (t.tokenHash === null || !sameHash(t.tokenHash, sha256Hex(token))) {
    const generation = deviceTokenGeneration(await deviceTokenKey(ds), t.id, token);
    if (generation === null || generation < t.tokenGeneration) return null;
    await writeTransaction(ds, (m) => repo.adoptTerminalToken(m, t.id, sha256Hex(token), generation));
  }
  const companyNif = await repo.companyNifOfStore(ds.manager, t.storeId);
  return { terminalId: t.id, storeId: t.storeId, installation: t.installation, companyNif, hadConflict: t.syncConflict !== null };
}

/**
 * HQ holds a seq above the highest the till says it wrote: its history belongs to another installation
 * (a wiped till on this id). Recorded on the terminal row for the terminal list; cleared when it is over.
 */
async function noteConflict(
  ds: DataSource,
  clock: Clock,
  { terminalId, hadConflict }: { terminalId: string; hadConflict: boolean },
  hello: TerminalHello,
  ackedSeq: number,
  log: (m: string) => void,
): Promise<void> {
  if (hello.lastSeq === undefined) return; // an older till: it cannot say
  if (ackedSeq > hello.lastSeq) {
    const what = `HQ holds seq ${ackedSeq}, the till wrote ${hello.lastSeq}: another installation's history; nothing is sent — replace this till`;
    log(`terminal ${terminalId}: ${what}`);
    await writeTransaction(ds, (m) => repo.setTerminalSyncConflict(m, terminalId, what, new Date(clock.now()).toISOString()));
  } else if (hadConflict) {
    await writeTransaction(ds, (m) => repo.setTerminalSyncConflict(m, terminalId, null, null));
  }
}
