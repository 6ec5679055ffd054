/**
 * The live dashboard's socket.io namespace (`/dashboard`). A browser connects with its session token
 * (`auth: { token }`, the same bearer the API takes) and is joined to rooms by scope: HQ and auditors to
 * `network`, a franchisee manager to `company:<id>` of each company they manage, a store manager to
 * `store:<id>`. A store's figures are emitted to exactly `network`, its company's room and its own — so
 * nobody receives the figures of a store outside their scope.
 *
 * Today's figures are kept in memory per store (`LiveFigures`): read from the reports' hourly rollup when a
 * dashboard first needs the store (a socket's snapshot, a new business day), then moved by every ticket the
 * ingest applies (`applied`, right after the commit, with the figures the rollup step added for it), and
 * reconciled with the rollups every `reconcileMs` (5 s) — which also brings in what changed them without the
 * ingest (a review re-applied, a rebuild). A push reads no database: it sends the figures in memory.
 *
 * Pushes are coalesced per `intervalMs` (250 ms): a commit pushes at once when the last push is older than
 * that, otherwise a timer pushes when the window ends — so a room gets at most 4 updates a second whatever
 * the ticket rate, and at most one window after the commit (the ingest's group commits release the event
 * loop every ~50 ms on SQLite, so the timer keeps its rhythm under load).
 *
 * Several nodes (Redis adapter): each node tells the others the figures of the tickets it applied
 * (`serverSideEmit`), every node keeps the figures in memory for its own sockets and pushes to them only
 * (`local`), so a browser on any node sees the tickets applied by any node, once.
 */
import { performance } from 'node:perf_hooks';
import type { Namespace, Server, Socket } from 'socket.io';
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { DASHBOARD_EVENTS, DASHBOARD_NAMESPACE, type DashboardSnapshot, type StoreFigures } from '@tpv/shared/wire/http/dashboard';
import { authenticate, visibleStoreIds, type AuthUser } from '../auth/service';
import { can, isFranchiseWide } from '../platform/permissions';
import type { AppliedTicket } from '../sales-ingest/apply';
import { figuresFor, LiveFigures, storesOf, type StoreInfo, type TicketDelta } from './figures';

/** Between nodes: the figures of the tickets one node applied. */
const NODE_APPLIED = 'dashboard:applied';

export interface DashboardHub {
  /** After an ingest commit: the tickets applied (their figures move today's in memory). */
  applied(tickets: readonly AppliedTicket[]): void;
  /** Pushes what is pending now, after any read in progress (tests, shutdown). */
  flush(): Promise<void>;
  close(): void;
}

export interface DashboardHubOptions {
  /** Least time between two pushes (default 250 ms). */
  intervalMs?: number;
  /** How often the figures in memory are checked against the rollups (default 5,000 ms). */
  reconcileMs?: number;
  /** Stores with a batch committed but not reported yet (`IngestService.storesInFlight`). */
  inFlight?: () => ReadonlySet<string>;
  /** Whether the ingest keeps the rollups the figures come from (the reports module's step); default true. */
  rollups?: boolean;
  log?: (m: string) => void;
}

/** Rooms a user's socket joins (their scope). */
export function roomsOf(user: AuthUser): string[] {
  if (isFranchiseWide(user.role)) return ['network'];
  if (user.role === 'store_manager') return user.storeId ? [`store:${user.storeId}`] : [];
  if (user.role === 'franchisee_manager') return user.companyIds.map((c) => `company:${c}`);
  return [];
}

/** Whether the namespace's adapter reaches other nodes (the in-memory adapter's serverSideEmit only warns). */
function crossNode(nsp: Namespace): boolean {
  const adapter = nsp.adapter as unknown as { serverSideEmit?: unknown };
  let base: unknown;
  for (let p = Object.getPrototypeOf(adapter) as object | null; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
    if (Object.prototype.hasOwnProperty.call(p, 'serverSideEmit')) base = (p as { serverSideEmit?: unknown }).serverSideEmit;
  }
  return typeof adapter.serverSideEmit === 'function' && adapter.serverSideEmit !== base;
}

const isDelta = (d: unknown): d is TicketDelta => {
  const x = d as TicketDelta | null;
  return !!x && typeof x.storeId === 'string' && typeof x.issuedAt === 'string' && typeof x.isReturn === 'boolean' && Number.isSafeInteger(x.grossCents) && Number.isSafeInteger(x.units);
};

export function createDashboardHub(io: Server, ds: DataSource, clock: Clock, opts: DashboardHubOptions = {}): DashboardHub {
  const nsp: Namespace = io.of(DASHBOARD_NAMESPACE);
  const intervalMs = opts.intervalMs ?? 250;
  const reconcileMs = opts.reconcileMs ?? 5_000;
  const inFlight = opts.inFlight ?? (() => new Set<string>());
  const counts = opts.rollups ?? true;
  const log = opts.log ?? (() => {});
  const live = new LiveFigures();
  const storeCache = new Map<string, StoreInfo>();
  const dirty = new Set<string>();
  const reads = new Set<Promise<void>>();
  /** Stores read for the first time right now. */
  const loading = new Set<string>();
  let lastPushAt = -Infinity;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  nsp.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string') return next(new Error('unauthorized'));
    authenticate(ds, clock, token)
      .then((user) => {
        if (!user || user.enrolOnly || !can(user, 'reports.read')) return next(new Error('unauthorized'));
        socket.data.user = user;
        next();
      })
      .catch((e: unknown) => {
        log(`dashboard handshake failed: ${String(e)}`);
        next(new Error('unavailable'));
      });
  });

  nsp.on('connection', (socket: Socket) => {
    const user = socket.data.user as AuthUser;
    void socket.join(roomsOf(user));
    (async () => {
      const ids = (await storesOf(ds.manager, await visibleStoreIds(ds, user))).map((s) => s.id);
      // The snapshot is what memory holds once these stores are read (a store already held is checked).
      await read(ids);
      const now = clock.now();
      const snapshot: DashboardSnapshot = { at: new Date(now).toISOString(), stores: ids.map((id) => live.figures(id, now)).filter((f): f is StoreFigures => f !== undefined) };
      socket.emit(DASHBOARD_EVENTS.snapshot, snapshot);
    })().catch((e: unknown) => log(`dashboard snapshot failed: ${String(e)}`));
  });

  // Tickets another node applied.
  const onNodeApplied = (deltas: unknown) => {
    if (!Array.isArray(deltas)) return;
    const valid = deltas.filter(isDelta);
    if (valid.length > 0) take(valid);
  };
  nsp.on(NODE_APPLIED, onNodeApplied);

  async function storeInfos(ids: readonly string[]): Promise<StoreInfo[]> {
    const missing = ids.filter((id) => !storeCache.has(id));
    if (missing.length) for (const s of await storesOf(ds.manager, missing)) storeCache.set(s.id, s);
    return ids.map((id) => storeCache.get(id)).filter((s): s is StoreInfo => s !== undefined);
  }

  /**
   * Reads these stores' figures from the rollups into memory. A store held already keeps its figures when the
   * read cannot tell whether it saw a ticket the memory counts or not (one of its batches was in flight, or a
   * ticket of it came meanwhile); the next reconcile tries again. Stores whose figures changed are pushed, and
   * with `push` every store read (one a ticket came for, one whose day turned).
   */
  function read(ids: readonly string[], push = false): Promise<void> {
    const p = (async () => {
      for (let i = 0; i < ids.length; i += 500) {
        const part = ids.slice(i, i + 500);
        const versions = part.map((id) => live.version(id));
        const busy = new Set(inFlight());
        const figures = await figuresFor(ds, await storeInfos(part), clock.now());
        const busyAfter = inFlight();
        for (const f of figures) {
          const k = part.indexOf(f.storeId);
          const unsure = busy.has(f.storeId) || busyAfter.has(f.storeId) || live.version(f.storeId) !== versions[k];
          if (live.install(storeCache.get(f.storeId)!, f, unsure) || push) dirty.add(f.storeId);
        }
      }
      if (dirty.size > 0) schedule();
    })();
    reads.add(p);
    return p.finally(() => reads.delete(p));
  }

  /** Figures of applied tickets (this node's or another's) into memory. */
  function take(deltas: readonly TicketDelta[]): void {
    if (nsp.sockets.size === 0) {
      // Nobody watches on this node: hold nothing (a socket that connects reads afresh).
      live.clear();
      return;
    }
    const unknown = new Set<string>();
    for (const d of deltas) {
      // A ticket of another day pushes too: if the store's day has turned, the push reads the new day.
      if (live.add(d) !== 'unknown') dirty.add(d.storeId);
      else if (!loading.has(d.storeId)) unknown.add(d.storeId);
    }
    if (unknown.size > 0) {
      // First sight of these stores: read once (the tickets meanwhile make the read unsure; the reconcile settles it).
      for (const id of unknown) loading.add(id);
      void read([...unknown], true)
        .catch((e: unknown) => log(`dashboard read failed: ${String(e)}`))
        .finally(() => {
          for (const id of unknown) loading.delete(id);
        });
    }
    if (dirty.size > 0) schedule();
  }

  function push(): void {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (dirty.size === 0 || closed) return;
    lastPushAt = performance.now();
    const now = clock.now();
    const figures: StoreFigures[] = [];
    const newDay: string[] = [];
    for (const id of dirty) {
      const f = live.figures(id, now);
      if (f) figures.push(f);
      else if (live.holds(id)) newDay.push(id);
    }
    dirty.clear();
    // A store whose business day turned: today's and last year's figures are read again, then pushed.
    if (newDay.length > 0) void read(newDay, true).catch((e: unknown) => log(`dashboard read failed: ${String(e)}`));
    const at = new Date(now).toISOString();
    // One message per room with the stores that room may see, to this node's sockets (other nodes push to theirs).
    const perRoom = new Map<string, StoreFigures[]>();
    const add = (room: string, f: StoreFigures) => (perRoom.get(room) ?? perRoom.set(room, []).get(room)!).push(f);
    for (const f of figures) {
      add('network', f);
      add(`company:${f.companyId}`, f);
      add(`store:${f.storeId}`, f);
    }
    for (const [room, stores] of perRoom) nsp.local.to(room).emit(DASHBOARD_EVENTS.update, { at, stores } satisfies DashboardSnapshot);
  }

  /** Pushes now if the last push is older than the window, else when the window ends. */
  function schedule(): void {
    if (closed || dirty.size === 0) return;
    const since = performance.now() - lastPushAt;
    if (since >= intervalMs) {
      try {
        push();
      } catch (e) {
        log(`dashboard push failed: ${String(e)}`);
      }
      return;
    }
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      try {
        push();
      } catch (e) {
        log(`dashboard push failed: ${String(e)}`);
      }
    }, intervalMs - since);
    timer.unref?.();
  }

  const reconciler = setInterval(() => {
    if (nsp.sockets.size === 0) {
      live.clear();
      return;
    }
    const ids = live.storeIds();
    if (ids.length > 0 && reads.size === 0) void read(ids).catch((e: unknown) => log(`dashboard reconcile failed: ${String(e)}`));
  }, reconcileMs);
  reconciler.unref?.();

  return {
    applied(tickets) {
      if (!counts || closed) return;
      const deltas: TicketDelta[] = [];
      for (const t of tickets) if (t.figures) deltas.push({ storeId: t.storeId, ...t.figures });
      if (deltas.length === 0) return;
      if (crossNode(nsp)) nsp.serverSideEmit(NODE_APPLIED, deltas);
      take(deltas);
    },
    async flush() {
      while (reads.size > 0) await Promise.allSettled([...reads]);
      push();
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      clearInterval(reconciler);
      nsp.off(NODE_APPLIED, onNodeApplied);
      // This node's dashboard sockets only: through the Redis adapter a plain disconnectSockets() would close every
      // node's dashboards (and publish on a Redis client that may already be closed at shutdown).
      nsp.local.disconnectSockets(true);
    },
  };
}
