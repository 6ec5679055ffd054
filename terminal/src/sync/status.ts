/** What the sync client reports (`client.status()`, `GET /api/sync/status`, the `status`/`progress` events). */

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
  /** The document outbox (deliveries received, counts, replenishment requests): pending and rejected. */
  documents: { pending: number; rejected: number; oldestPendingAt: string | null };
}
