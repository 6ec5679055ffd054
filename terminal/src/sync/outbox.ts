/**
 * The terminal's side of ticket delivery (invariant 4), on prepared statements over the raw handle.
 *
 * The sales engine writes an outbox row (seq = ticket seq, payload = TicketDocument JSON) in the sale's own
 * transaction; this module only reads pending rows in seq order and records what the back office said.
 * Rows are never deleted (a trigger forbids it): acked rows get `sent_at`, refused ones keep `last_error`.
 */
import type { SqliteHandle } from '../persistence/data-source';

export interface PendingRow {
  seq: number;
  ticketId: string;
  payload: string;
}

export interface OutboxStats {
  pendingCount: number;
  /** created_at of the oldest row not yet acked, or null. */
  oldestPendingAt: string | null;
  /** Highest seq acked by the back office (all rows up to it carry sent_at). */
  ackedSeq: number;
  /** Highest seq written by the sales engine. */
  lastSeq: number;
  /** Rows the back office refused (kept for review, last_error set). */
  rejectedCount: number;
}

export interface OutboxStore {
  /** Up to `maxRows` not-yet-acked rows with seq > afterSeq, in seq order, at most ~maxBytes of payload (≥ 1 row). */
  nextBatch(afterSeq: number, maxRows: number, maxBytes: number): PendingRow[];
  /** One more delivery attempt for rows fromSeq..toSeq. */
  countAttempt(fromSeq: number, toSeq: number, error?: string | null): void;
  /** Records why rows fromSeq..toSeq (still pending) were not taken. */
  noteError(fromSeq: number, toSeq: number, error: string): void;
  /** Marks every row with seq ≤ ackedSeq as sent (idempotent); returns how many rows changed. */
  markSentUpTo(ackedSeq: number, sentAtIso: string): number;
  /** The back office refused these rows for good: keep them, say why. */
  markRejected(rejected: ReadonlyArray<{ seq: number; reason: string }>): void;
  /**
   * The back office says it holds less than we marked sent (restored from a backup): rows above `ackedSeq`
   * are pending again. Returns how many rows were re-queued.
   */
  requeueAbove(ackedSeq: number): number;
  stats(): OutboxStats;
}

export function createOutboxStore(db: SqliteHandle): OutboxStore {
  const next = db.prepare<[number, number], { seq: number; ticket_id: string; payload: string }>(
    'SELECT seq, ticket_id, payload FROM outbox WHERE sent_at IS NULL AND seq > ? ORDER BY seq LIMIT ?',
  );
  const attempt = db.prepare<[string | null, number, number]>(
    'UPDATE outbox SET attempts = attempts + 1, last_error = COALESCE(?, last_error) WHERE seq BETWEEN ? AND ? AND sent_at IS NULL',
  );
  const note = db.prepare<[string, number, number]>('UPDATE outbox SET last_error = ? WHERE seq BETWEEN ? AND ? AND sent_at IS NULL');
  const markSent = db.prepare<[string, number]>('UPDATE outbox SET sent_at = ? WHERE sent_at IS NULL AND seq <= ?');
  const reject = db.prepare<[string, number]>('UPDATE outbox SET last_error = ? WHERE seq = ?');
  const requeue = db.prepare<[number]>('UPDATE outbox SET sent_at = NULL WHERE sent_at IS NOT NULL AND seq > ?');
  // Sent rows always form a prefix (acks mark everything ≤ seq, a requeue unmarks everything above), so the
  // lowest pending row is the oldest and pending = last − acked: O(1) on the partial index, however long the
  // queue. stats() runs several times per ack; a COUNT/MIN over 50,000 pending rows made a long drain crawl.
  const firstPending = db.prepare<[], { seq: number; created_at: string }>(
    'SELECT seq, created_at FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT 1',
  );
  const maxSent = db.prepare<[], { seq: number | null }>('SELECT MAX(seq) AS seq FROM outbox WHERE sent_at IS NOT NULL');
  const lastSeq = db.prepare<[], { seq: number | null }>('SELECT MAX(seq) AS seq FROM outbox');
  const rejected = db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM outbox WHERE last_error LIKE 'rejected:%'`);
  let rejectedCount: number | null = null;

  return {
    nextBatch(afterSeq, maxRows, maxBytes) {
      const rows: PendingRow[] = [];
      let bytes = 0;
      for (const r of next.iterate(afterSeq, maxRows)) {
        if (rows.length > 0 && bytes + r.payload.length > maxBytes) break;
        rows.push({ seq: r.seq, ticketId: r.ticket_id, payload: r.payload });
        bytes += r.payload.length;
      }
      return rows;
    },
    countAttempt(fromSeq, toSeq, error = null) {
      attempt.run(error, fromSeq, toSeq);
    },
    noteError(fromSeq, toSeq, error) {
      note.run(error.slice(0, 1000), fromSeq, toSeq);
    },
    markSentUpTo(ackedSeq, sentAtIso) {
      return markSent.run(sentAtIso, ackedSeq).changes;
    },
    markRejected(list) {
      if (list.length === 0) return;
      rejectedCount = null;
      db.transaction(() => {
        for (const r of list) reject.run(`rejected: ${r.reason}`.slice(0, 1000), r.seq);
      })();
    },
    requeueAbove(ackedSeq) {
      return requeue.run(ackedSeq).changes;
    },
    stats() {
      const first = firstPending.get();
      const last = lastSeq.get()?.seq ?? 0;
      // Acked = every row below the first pending one; with nothing pending, the highest sent row.
      const acked = Math.max(0, first ? first.seq - 1 : (maxSent.get()?.seq ?? 0));
      // Rejections only change through markRejected: count them again only after one.
      rejectedCount ??= rejected.get()!.n;
      return {
        pendingCount: first ? last - acked : 0,
        oldestPendingAt: first?.created_at ?? null,
        ackedSeq: acked,
        lastSeq: last,
        rejectedCount,
      };
    },
  };
}
