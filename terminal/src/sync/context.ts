/**
 * What the parts of the sync client share (connection, ticket pump, catalogue pull, pairing): the options
 * with their defaults, the SQLite stores, the credentials and the state/error reporting. One object owned by
 * `SyncClient`, so each part reads and reports the same state without reaching into the others.
 */
import type { Clock } from '@tpv/shared/clock';
import { MAX_CHANGES_PER_PAGE, MAX_TICKETS_PER_BATCH } from '@tpv/shared/wire/sync';
import type { SqliteHandle } from '../persistence/data-source';
import type { CatalogStore } from './catalog';
import type { OutboxStore } from './outbox';
import type { SyncCredentials } from './state';
import type { SyncState } from './status';

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

export type ResolvedSyncOptions = Required<Omit<SyncClientOptions, 'pairingCode' | 'random' | 'log' | 'fetch'>> & SyncClientOptions;

/** Defaults, and the limits the wire protocol sets (batch ≤ 200 tickets, page ≤ 1000 changes). */
export function resolveSyncOptions(opts: SyncClientOptions): ResolvedSyncOptions {
  const o: ResolvedSyncOptions = {
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
  o.batchSize = Math.max(1, Math.min(MAX_TICKETS_PER_BATCH, o.batchSize));
  o.maxInFlight = Math.max(1, Math.min(8, o.maxInFlight));
  o.pullLimit = Math.max(1, Math.min(MAX_CHANGES_PER_PAGE, o.pullLimit));
  return o;
}

export class SyncContext {
  /** True until start() and after stop(): every loop checks it before going on. */
  stopped = true;
  state: SyncState = 'offline';
  creds: SyncCredentials | undefined;
  lastError: { message: string; at: string } | null = null;
  /** The last failure logged (a reconnect after failures is logged; the same failure twice is not). */
  lastLogged = '';

  constructor(
    readonly o: ResolvedSyncOptions,
    readonly outbox: OutboxStore,
    readonly catalog: CatalogStore,
    /** Emits the `status` event (the client knows its listeners and assembles the status). */
    readonly emitStatus: () => void,
  ) {}

  nowIso(): string {
    return new Date(this.o.clock.now()).toISOString();
  }

  fail(message: string): void {
    this.lastError = { message, at: this.nowIso() };
    // While the back office is down every retry fails the same way: say it once, not every backoff.
    if (message !== this.lastLogged) this.log(message);
    this.lastLogged = message;
    this.emitStatus();
  }

  setState(state: SyncState): void {
    if (this.state === state) return;
    this.state = state;
    this.emitStatus();
  }

  log(msg: string): void {
    (this.o.log ?? ((m: string) => console.log(`[sync] ${m}`)))(msg);
  }
}
