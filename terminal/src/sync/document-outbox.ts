/**
 * The till's `document_outbox` (migration 1732300070001): documents other than tickets (shared/src/wire/
 * upward.ts), each identified by its own UUID v7. `enqueue` is called inside the local transaction that does
 * what the document says (better-sqlite3 nests it as a savepoint); the document pump reads pending rows
 * oldest first and records HQ's answers. Rows are never deleted (a trigger forbids it) nor changed but for
 * their delivery state: `applied` keeps HQ's reference, `rejected` its message, a `retry` only bumps attempts.
 */
import type { UpwardDocument, UpwardKind, UpwardResult } from '@tpv/shared/wire/upward';
import type { SqliteHandle } from '../persistence/data-source';

export interface OutboxDocument {
  id: string;
  kind: UpwardKind;
  createdAt: string;
  status: 'pending' | 'applied' | 'rejected';
  reference: string | null;
  message: string | null;
  answeredAt: string | null;
  attempts: number;
  lastError: string | null;
  payload: unknown;
}

export interface DocumentOutboxStats {
  pending: number;
  rejected: number;
  oldestPendingAt: string | null;
}

export interface DocumentOutbox {
  enqueue(doc: { id: string; kind: UpwardKind; createdAt: string; payload: unknown }): void;
  /** Up to `limit` pending documents, oldest first, as they go on the wire. */
  pending(limit: number): UpwardDocument[];
  /** HQ's answers: applied / rejected are final; retry keeps the row pending with the message. */
  answer(results: readonly UpwardResult[], nowIso: string): void;
  /** A batch that got no answer (or a refusal of the whole batch): one more attempt, why. */
  noteFailure(ids: readonly string[], error: string): void;
  get(id: string): OutboxDocument | undefined;
  recent(limit: number): OutboxDocument[];
  /** The most recent documents of some kinds (a screen's own list: voids and closes are frequent and would crowd it out). */
  recentOf(kinds: readonly UpwardKind[], limit: number): OutboxDocument[];
  stats(): DocumentOutboxStats;
}

interface Row {
  id: string;
  kind: UpwardKind;
  payload: string;
  created_at: string;
  status: OutboxDocument['status'];
  reference: string | null;
  message: string | null;
  answered_at: string | null;
  attempts: number;
  last_error: string | null;
}

const toDoc = (r: Row): OutboxDocument => ({
  id: r.id, kind: r.kind, createdAt: r.created_at, status: r.status, reference: r.reference, message: r.message,
  answeredAt: r.answered_at, attempts: r.attempts, lastError: r.last_error, payload: JSON.parse(r.payload) as unknown,
});

export function createDocumentOutbox(db: SqliteHandle): DocumentOutbox {
  const insert = db.prepare<[string, string, string, string]>('INSERT INTO document_outbox (id, kind, payload, created_at) VALUES (?, ?, ?, ?)');
  const pendingRows = db.prepare<[number], Row>(`SELECT * FROM document_outbox WHERE status = 'pending' ORDER BY created_at, id LIMIT ?`);
  const final = db.prepare<[string, string | null, string | null, string, string]>(
    `UPDATE document_outbox SET status = ?, reference = ?, message = ?, answered_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ? AND status = 'pending'`,
  );
  const failed = db.prepare<[string, string]>(`UPDATE document_outbox SET attempts = attempts + 1, last_error = ? WHERE id = ? AND status = 'pending'`);
  const byId = db.prepare<[string], Row>('SELECT * FROM document_outbox WHERE id = ?');
  const recentRows = db.prepare<[number], Row>('SELECT * FROM document_outbox ORDER BY created_at DESC, id DESC LIMIT ?');
  const recentKindRows = db.prepare<[string, number], Row>('SELECT * FROM document_outbox WHERE kind IN (SELECT value FROM json_each(?)) ORDER BY created_at DESC, id DESC LIMIT ?');
  const counts = db.prepare<[], { pending: number; rejected: number; oldest: string | null }>(
    `SELECT COALESCE(SUM(status = 'pending'), 0) AS pending, COALESCE(SUM(status = 'rejected'), 0) AS rejected,
            MIN(CASE WHEN status = 'pending' THEN created_at END) AS oldest FROM document_outbox`,
  );
  const answerTx = db.transaction((results: readonly UpwardResult[], nowIso: string) => {
    for (const r of results) {
      if (r.status === 'retry') failed.run(`retry: ${r.message ?? 'the back office will take it later'}`.slice(0, 1000), r.id);
      else final.run(r.status, r.reference ?? null, r.message ?? null, nowIso, r.id);
    }
  });
  const failTx = db.transaction((ids: readonly string[], error: string) => {
    for (const id of ids) failed.run(error.slice(0, 1000), id);
  });
  return {
    enqueue(doc) {
      insert.run(doc.id, doc.kind, JSON.stringify(doc.payload), doc.createdAt);
    },
    pending(limit) {
      return pendingRows.all(limit).map((r) => ({ id: r.id, kind: r.kind, createdAt: r.created_at, payload: JSON.parse(r.payload) as unknown }));
    },
    answer: (results, nowIso) => answerTx(results, nowIso),
    noteFailure: (ids, error) => failTx(ids, error),
    get(id) {
      const r = byId.get(id);
      return r ? toDoc(r) : undefined;
    },
    recent: (limit) => recentRows.all(limit).map(toDoc),
    recentOf: (kinds, limit) => recentKindRows.all(JSON.stringify(kinds), limit).map(toDoc),
    stats() {
      const c = counts.get()!;
      return { pending: c.pending, rejected: c.rejected, oldestPendingAt: c.oldest };
    },
  };
}
