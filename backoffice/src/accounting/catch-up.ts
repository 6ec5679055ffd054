/**
 * Catch-up: the entries of documents that posted while the books did not listen — a database that traded
 * before the accounting module existed (an upgrade, the demo's seeded history) or a deployment that had it
 * switched off. Each document is told to the module's listeners again, in date order and one transaction each,
 * exactly as when it posted; the listeners are idempotent (a document's entry has a unique source key), so a
 * second run, or a run over documents already in the books, writes nothing.
 */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import type { DocumentEvent, DocumentReaction } from '../platform/document-events';
import { writeTransaction } from '../persistence/raw';
import { all, type Db } from '../persistence/sql';

export interface CatchUpResult {
  /** Documents told again, by event type (those already in the books count too: they write nothing). */
  told: Partial<Record<DocumentEvent['type'], number>>;
  entriesBefore: number;
  entriesAfter: number;
}

/** Every document event the existing rows stand for, oldest first (a cancellation after its posting). */
async function pastEvents(m: Db): Promise<Array<{ on: string; seq: number; event: DocumentEvent }>> {
  const out: Array<{ on: string; seq: number; event: DocumentEvent }> = [];
  for (const r of await all<{ id: string; issue_date: string; status: string; cancelled_at: string | null }>(m, `SELECT id, issue_date, status, cancelled_at FROM invoice WHERE status IN ('posted', 'cancelled') AND number IS NOT NULL`)) {
    out.push({ on: r.issue_date, seq: 0, event: { type: 'invoice.posted', invoiceId: r.id } });
    if (r.status === 'cancelled') out.push({ on: (r.cancelled_at ?? r.issue_date).slice(0, 10), seq: 9, event: { type: 'invoice.cancelled', invoiceId: r.id } });
  }
  for (const r of await all<{ id: string; invoice_date: string }>(m, `SELECT id, invoice_date FROM supplier_invoice WHERE status = 'posted'`)) {
    out.push({ on: r.invoice_date, seq: 1, event: { type: 'supplier_invoice.posted', invoiceId: r.id } });
  }
  for (const r of await all<{ id: string; received_on: string; status: string; created_at: string }>(m, `SELECT id, received_on, status, created_at FROM payment`)) {
    out.push({ on: r.received_on, seq: 2, event: { type: 'payment.recorded', paymentId: r.id } });
    if (r.status === 'cancelled') out.push({ on: r.created_at.slice(0, 10), seq: 8, event: { type: 'payment.voided', paymentId: r.id } });
  }
  for (const r of await all<{ id: string; payment_id: string; on_date: string }>(m, `SELECT id, payment_id, on_date FROM payment_credit_movement WHERE kind = 'refunded'`)) {
    out.push({ on: r.on_date, seq: 3, event: { type: 'payment.refunded', paymentId: r.payment_id, movementId: r.id } });
  }
  for (const r of await all<{ id: string; settled_on: string | null; collection_date: string }>(m, `SELECT id, settled_on, collection_date FROM remittance WHERE status = 'settled'`)) {
    out.push({ on: r.settled_on ?? r.collection_date, seq: 4, event: { type: 'remittance.settled', remittanceId: r.id } });
  }
  const returns = await all<{ id: string; remittance_id: string; returned_on: string | null }>(m, `SELECT id, remittance_id, returned_on FROM remittance_item WHERE status = 'returned' ORDER BY remittance_id, id`);
  for (const r of returns) out.push({ on: r.returned_on ?? '9999-12-31', seq: 5, event: { type: 'remittance.returned', remittanceId: r.remittance_id, lineIds: [r.id] } });
  for (const r of await all<{ item_id: string; posting_id: string; decided_at: string | null }>(m, `SELECT item_id, posting_id, decided_at FROM write_off WHERE status = 'approved' AND posting_id IS NOT NULL`)) {
    out.push({ on: (r.decided_at ?? '9999-12-31').slice(0, 10), seq: 6, event: { type: 'item.written_off', itemId: r.item_id, postingId: r.posting_id } });
  }
  return out.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : a.seq - b.seq));
}

const countEntries = async (m: Db) => Number((await all<{ n: unknown }>(m, `SELECT COUNT(*) AS n FROM acc_entry`))[0]!.n);

export async function catchUpDocuments(ds: DataSource, clock: Clock, reactions: readonly DocumentReaction[], by: string | null, progress?: (done: number, total: number) => Promise<void> | void): Promise<CatchUpResult> {
  const events = await pastEvents(ds.manager);
  const told: CatchUpResult['told'] = {};
  const entriesBefore = await countEntries(ds.manager);
  let done = 0;
  for (const { event } of events) {
    await writeTransaction(ds, async (m) => {
      for (const react of reactions) await react(m, clock, event, by);
    });
    told[event.type] = (told[event.type] ?? 0) + 1;
    if (++done % 200 === 0) await progress?.(done, events.length);
  }
  return { told, entriesBefore, entriesAfter: await countEntries(ds.manager) };
}
