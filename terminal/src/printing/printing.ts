/** The terminal's print queue over its `print_job` table and the configured printer port. */
import { PrintQueue } from '@tpv/drivers/print-queue';
import type { PrinterStatus, ReceiptPrinter } from '@tpv/drivers/ports';
import type { ReceiptDocument } from '@tpv/shared/receipt';
import type { SqlitePrintJobStore } from './job-store';

export interface Printing {
  /** Inserts a job without waking the worker — for use inside a transaction; call `kick()` after commit. */
  queueInTransaction(build: () => ReceiptDocument, meta: { id: string; ticketId?: string; kind?: string; createdAt: string }): void;
  /** Queues a job now (Z reports, slips, copies). */
  enqueue(doc: ReceiptDocument, meta?: { ticketId?: string; kind?: string; copyOf?: string }): string;
  kick(): void;
  start(): void;
  stop(): Promise<void>;
  drained(): Promise<void>;
  status(): Promise<{ printer: PrinterStatus; pendingJobs: number }>;
  /** Called after a job printed and when the worker starts waiting for the printer (for live status). */
  onProgress(listener: (e: { kind: 'printed' | 'waiting'; jobId: string; reason?: string }) => void): void;
  readonly store: SqlitePrintJobStore;
}

/** Puts the store's receipt design on a document as it is queued (issue 19), by the job's kind. */
export type Decorate = (doc: ReceiptDocument, kind: string | undefined, ticketId?: string | undefined) => ReceiptDocument;

export function createPrinting(store: SqlitePrintJobStore, printer: ReceiptPrinter, newId: () => string, now: () => Date, decorate: Decorate = (d) => d): Printing {
  const queue = new PrintQueue({ store, printer, newId, now, backoff: { initialMs: 500, maxMs: 30_000 } });
  return {
    store,
    queueInTransaction(build, meta) {
      // A receipt that cannot be laid out (a bug) must not cost the sale: the ticket can be reprinted later.
      let doc: ReceiptDocument;
      try {
        doc = decorate(build(), meta.kind, meta.ticketId);
      } catch (e) {
        console.error(`[terminal] receipt for ${meta.ticketId ?? meta.id} not queued:`, e);
        return;
      }
      store.insert({ id: meta.id, doc, createdAt: meta.createdAt }, { ...(meta.ticketId ? { ticketId: meta.ticketId } : {}), ...(meta.kind ? { kind: meta.kind } : {}) });
    },
    enqueue(plain, meta = {}) {
      const id = newId();
      const doc = decorate(plain, meta.kind, meta.ticketId);
      store.insert(
        { id, doc, createdAt: now().toISOString(), ...(meta.copyOf ? { copyOf: meta.copyOf } : {}) },
        { ...(meta.ticketId ? { ticketId: meta.ticketId } : {}), ...(meta.kind ? { kind: meta.kind } : {}) },
      );
      queue.kick();
      return id;
    },
    kick: () => queue.kick(),
    start: () => queue.start(),
    stop: () => queue.stop(),
    drained: () => queue.drained(),
    async status() {
      return { printer: await printer.status(), pendingJobs: store.pendingCount() };
    },
    onProgress(listener) {
      queue.on('printed', (job) => listener({ kind: 'printed', jobId: job.id }));
      queue.on('waiting', (w) => listener({ kind: 'waiting', jobId: w.job.id, reason: w.reason }));
    },
  };
}
