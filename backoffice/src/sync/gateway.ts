/**
 * The socket.io gateway terminals connect to (namespace `/terminal`), speaking the sync protocol of
 * shared/src/wire/sync.ts:
 *
 *   handshake auth = TerminalHello {terminalId, token, lastAckedSeq, catalogVersion}
 *     bad/revoked token → connect_error "unauthorized"
 *   server → terminal  hello:ack {ackedSeq, catalogVersion}            on connect
 *   terminal → server  tickets TicketBatch, ack(TicketAck)             ackedSeq = highest contiguous seq applied
 *   server → terminal  sync:error {batchId, code, message}             a refused batch (nothing written); the
 *                                                                      ack still answers the current TicketAck
 *   server → terminal  catalog:changed {version}                       master data of its store changed
 *   terminal → server  catalog:pull {sinceVersion, limit}, ack(ChangePage)
 *
 * Rooms: `terminal:<id>` and `store:<id>`, so nudges and revocations reach every node through the adapter.
 */
import { CatalogPullSchema, EVENTS, SOCKET_NAMESPACE, type SyncRequestError } from '@tpv/shared/wire/sync-protocol';
import type { Namespace, Server, Socket } from 'socket.io';
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { TerminalHelloSchema, type TicketAck } from '@tpv/shared/wire/sync';
import { CompanyEntity, StoreEntity, TerminalEntity } from '../persistence/entities';
import { latestChangeVersion } from '../persistence/change-log';
import { sameHash, sha256Hex } from '../auth/tokens';
import { writeTransaction } from '../persistence/raw';
import { changePage } from '../catalog/feed';
import type { IngestService } from '../sales-ingest/service';
import { isPermanentRefusal, type TerminalContext } from '../sales-ingest/validate';

export const TERMINAL_NAMESPACE = SOCKET_NAMESPACE;
/** Events a terminal may send (the others are answered UNKNOWN_EVENT). */
const KNOWN_EVENTS = new Set<string>([EVENTS.tickets, EVENTS.catalogPull]);


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
  ctx: TerminalContext;
}

export function createSyncGateway(
  io: Server,
  ds: DataSource,
  clock: Clock,
  ingest: IngestService,
  log: (msg: string) => void = (m) => console.warn(`[backoffice:sync] ${m}`),
): SyncGateway {
  const nsp = io.of(TERMINAL_NAMESPACE);

  nsp.use((socket, next) => {
    const hello = TerminalHelloSchema.safeParse(socket.handshake.auth);
    if (!hello.success) return next(new Error('unauthorized'));
    authenticateTerminal(ds, hello.data.terminalId, hello.data.token)
      .then(async (ctx) => {
        if (!ctx) {
          log(`refused connection for terminal ${hello.data.terminalId}: bad or revoked token`);
          return next(new Error('unauthorized'));
        }
        (socket.data as SocketData).ctx = ctx;
        await writeTransaction(ds, (m) =>
          m.getRepository(TerminalEntity).update({ id: ctx.terminalId }, { lastSeenAt: new Date(clock.now()).toISOString(), catalogVersion: hello.data.catalogVersion }),
        );
        next();
      })
      .catch((e: unknown) => {
        log(`handshake failed: ${String(e)}`);
        next(new Error('unavailable'));
      });
  });

  nsp.on('connection', (socket: Socket) => {
    const { ctx } = socket.data as SocketData;
    void socket.join([`terminal:${ctx.terminalId}`, `store:${ctx.storeId}`]);
    Promise.all([ingest.ackedSeq(ctx.terminalId), latestChangeVersion(ds.manager)])
      .then(([ackedSeq, catalogVersion]) => socket.emit(EVENTS.helloAck, { ackedSeq, catalogVersion }))
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
          reply(page);
          if (!page.hasMore) {
            await writeTransaction(ds, (m) => m.getRepository(TerminalEntity).update({ id: ctx.terminalId }, { catalogVersion: page.toVersion }));
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

/** The terminal behind a hello, when its token matches and it is not revoked. */
export async function authenticateTerminal(ds: DataSource, terminalId: string, token: string): Promise<TerminalContext | null> {
  const t = await ds.getRepository(TerminalEntity).findOneBy({ id: terminalId });
  if (!t || t.tokenHash === null || t.revokedAt !== null || !sameHash(t.tokenHash, sha256Hex(token))) return null;
  const store = await ds.getRepository(StoreEntity).findOneByOrFail({ id: t.storeId });
  const company = await ds.getRepository(CompanyEntity).findOneByOrFail({ id: store.companyId });
  return { terminalId: t.id, storeId: t.storeId, installation: t.installation, companyNif: company.nif };
}
