/**
 * `PrintJobStore` (drivers/src/print-queue.ts) on the terminal's `print_job` table. The enqueue order is the
 * table's rowid; `document` holds `{doc, copyOf?}`. Sale receipts are inserted inside the sale transaction
 * (`insert(job, {ticketId, kind})`), so a committed sale always has its receipt queued.
 */
import type { PrintJob, PrintJobStore } from '@tpv/drivers/print-queue';
import type { ReceiptDocument } from '@tpv/shared/receipt';
import type { SqliteHandle } from '../persistence/data-source';

interface Row {
  seq: number; id: string; kind: string; ticket_id: string | null; document: string; status: string; attempts: number;
  last_error: string | null; created_at: string; printed_at: string | null;
}

const COLS = 'rowid AS seq, id, kind, ticket_id, document, status, attempts, last_error, created_at, printed_at';

function toJob(r: Row): PrintJob {
  const d = JSON.parse(r.document) as { doc: ReceiptDocument; copyOf?: string };
  return {
    id: r.id,
    seq: r.seq,
    doc: d.doc,
    createdAt: r.created_at,
    state: r.status === 'done' ? 'printed' : 'pending',
    attempts: r.attempts,
    ...(r.printed_at ? { printedAt: r.printed_at } : {}),
    ...(r.last_error ? { lastError: r.last_error } : {}),
    ...(d.copyOf ? { copyOf: d.copyOf } : {}),
  };
}

export interface SqlitePrintJobStore extends PrintJobStore {
  insert(job: Omit<PrintJob, 'seq' | 'state' | 'attempts'>, meta?: { ticketId?: string; kind?: string }): PrintJob;
  nextPending(): PrintJob | undefined;
  get(id: string): PrintJob | undefined;
  list(limit: number): PrintJob[];
  /** The first receipt job of a ticket (not a copy). */
  forTicket(ticketId: string): PrintJob | undefined;
  pendingCount(): number;
}

export function createSqlitePrintJobStore(db: SqliteHandle): SqlitePrintJobStore {
  const ins = db.prepare('INSERT INTO print_job (id, kind, ticket_id, document, status, attempts, created_at, copy) VALUES (?, ?, ?, ?, ?, 0, ?, ?)');
  const next = db.prepare<[], Row>(`SELECT ${COLS} FROM print_job WHERE status IN ('pending', 'printing', 'failed') ORDER BY rowid LIMIT 1`);
  const done = db.prepare("UPDATE print_job SET status = 'done', printed_at = ?, attempts = attempts + 1 WHERE id = ?");
  const failed = db.prepare('UPDATE print_job SET attempts = attempts + 1, last_error = ? WHERE id = ?');
  const get = db.prepare<[string], Row>(`SELECT ${COLS} FROM print_job WHERE id = ?`);
  const list = db.prepare<[number], Row>(`SELECT ${COLS} FROM print_job ORDER BY rowid DESC LIMIT ?`);
  const byTicket = db.prepare<[string], Row>(`SELECT ${COLS} FROM print_job WHERE ticket_id = ? AND copy = 0 ORDER BY rowid LIMIT 1`);
  const pending = db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM print_job WHERE status <> 'done'");
  return {
    insert(job, meta = {}) {
      const kind = meta.kind ?? job.doc.title.split(' ')[0] ?? 'document';
      const info = ins.run(job.id, kind, meta.ticketId ?? null, JSON.stringify({ doc: job.doc, ...(job.copyOf ? { copyOf: job.copyOf } : {}) }), 'pending', job.createdAt, job.copyOf ? 1 : 0);
      return { ...job, seq: Number(info.lastInsertRowid), state: 'pending', attempts: 0 };
    },
    nextPending() {
      const r = next.get();
      return r ? toJob(r) : undefined;
    },
    markPrinted(id, at) {
      done.run(at, id);
    },
    recordFailure(id, error) {
      failed.run(error.slice(0, 500), id);
    },
    get(id) {
      const r = get.get(id);
      return r ? toJob(r) : undefined;
    },
    list(limit) {
      return list.all(Math.max(1, Math.min(500, limit))).map(toJob);
    },
    forTicket(ticketId) {
      const r = byTicket.get(ticketId);
      return r ? toJob(r) : undefined;
    },
    pendingCount: () => pending.get()?.n ?? 0,
  };
}
