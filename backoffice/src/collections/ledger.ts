/**
 * The receivables/payables ledger in the database: open items and their postings. Every change to an item
 * goes through `appendItemPosting`, which checks it with the pure rules (shared/src/collections/open-items.ts)
 * and keeps `balance_cents`/`status` equal to the sum of the postings in the caller's transaction.
 *
 * Documents open their items when they post, in the same transaction: an invoice we issue (one item per due
 * date; a credit note credits the items of the invoice it rectifies), a supplier invoice (payables), an
 * on-account ticket (written by the ingest ledger writers, persistence/ledger/*.ts, with the same columns).
 */
import type { Clock } from '@tpv/shared/clock';
import { checkPosting, statusOf, signedAmount, type OpenItemPosting, type PostingKind } from '@tpv/shared/collections/open-items';
import { refused } from '../platform/api';
import { creditControlAfterPosting } from './dunning/service';
import { newRowId } from '../persistence/row-id';
import { all, bool, exec, forUpdate, one, type Db } from '../persistence/sql';

export type Side = 'receivable' | 'payable';
/** `return_fee`: a returned direct debit's bank fee recharged to the debtor (SEPA remittances). */
export type ItemKind = 'invoice_due' | 'on_account_ticket' | 'supplier_invoice_due' | 'return_fee';
export type CounterpartyKind = 'company' | 'customer' | 'supplier' | 'other';
export type ItemStatus = 'open' | 'partial' | 'paid' | 'written_off' | 'overpaid' | 'cancelled';

export interface Counterparty {
  kind: CounterpartyKind;
  /** A row id, or `nif:<NIF>` for a recipient typed on the invoice. */
  id: string;
  name: string | null;
}

export interface NewOpenItem {
  companyId: string;
  side: Side;
  kind: ItemKind;
  sourceId: string;
  sourceIdx: number;
  documentRef: string;
  counterparty: Counterparty;
  storeId: string | null;
  issueDate: string;
  dueDate: string;
  amountCents: number;
}

/** What a posting records besides its amount: where it came from (a payment, a credit note, a return…). */
export interface PostingInput {
  kind: PostingKind;
  amountCents: number;
  onDate: string;
  sourceKind: string;
  sourceId?: string | null;
  note?: string | null;
}

const iso = (clock: Clock) => new Date(clock.now()).toISOString();

/** Opens an item with its `invoiced` posting; answers its id. A second call for the same source is a no-op. */
export async function openItem(m: Db, clock: Clock, item: NewOpenItem, by: string | null, sourceKind: string): Promise<string> {
  const existing = await one<{ id: string }>(m, `SELECT id FROM open_item WHERE kind = ? AND source_id = ? AND source_idx = ?`, [item.kind, item.sourceId, item.sourceIdx]);
  if (existing) return existing.id;
  if (!Number.isSafeInteger(item.amountCents) || item.amountCents <= 0) throw new Error(`an open item needs a positive amount (${item.sourceId}#${item.sourceIdx})`);
  const id = newRowId(clock);
  const at = iso(clock);
  await exec(
    m,
    `INSERT INTO open_item (id, company_id, side, kind, source_id, source_idx, document_ref, counterparty_kind, counterparty_id, counterparty_name, store_id, issue_date, due_date, amount_cents, balance_cents, status, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)`,
    [id, item.companyId, item.side, item.kind, item.sourceId, item.sourceIdx, item.documentRef.slice(0, 60), item.counterparty.kind, item.counterparty.id, item.counterparty.name, item.storeId, item.issueDate, item.dueDate, item.amountCents, item.amountCents, at, at],
  );
  await exec(
    m,
    `INSERT INTO open_item_posting (id, item_id, kind, amount_cents, signed_cents, on_date, source_kind, source_id, created_at, created_by) VALUES (?, ?, 'invoiced', ?, ?, ?, ?, ?, ?, ?)`,
    [newRowId(clock), id, item.amountCents, item.amountCents, item.issueDate, sourceKind, item.sourceId, at, by],
  );
  return id;
}

/** An item's postings as the pure rules read them. */
export async function postingsOf(m: Db, itemId: string): Promise<OpenItemPosting[]> {
  const rows = await all<{ kind: PostingKind; amount_cents: unknown; on_date: string; id: string }>(m, `SELECT id, kind, amount_cents, on_date FROM open_item_posting WHERE item_id = ? ORDER BY created_at, id`, [itemId]);
  return rows.map((r) => ({ kind: r.kind, amountCents: Number(r.amount_cents), on: r.on_date, ref: r.id }));
}

export interface AppendedPosting {
  postingId: string;
  balanceCents: number;
  status: ItemStatus;
}

/**
 * Appends a posting to an item (locked for the rest of the transaction on PostgreSQL), refusing what the
 * rules refuse with a 409/422 problem, and sets the item's balance and status from all its postings.
 */
export async function appendItemPosting(m: Db, clock: Clock, itemId: string, p: PostingInput, by: string | null, field = 'itemId'): Promise<AppendedPosting> {
  const item = await one<{ cancelled: unknown }>(m, `SELECT cancelled FROM open_item WHERE id = ?${forUpdate(m)}`, [itemId]);
  if (!item) throw refused(404, 'OPEN_ITEM_NOT_FOUND', 'vencimiento no encontrado / open item not found', field);
  const postings = await postingsOf(m, itemId);
  const posting: OpenItemPosting = { kind: p.kind, amountCents: p.amountCents, on: p.onDate };
  const ok = checkPosting({ cancelled: bool(item.cancelled), postings }, posting);
  if (!ok.ok) throw refused(bool(item.cancelled) ? 409 : 422, ok.error.code, ok.error.message, field);
  const postingId = newRowId(clock);
  const at = iso(clock);
  await exec(
    m,
    `INSERT INTO open_item_posting (id, item_id, kind, amount_cents, signed_cents, on_date, source_kind, source_id, note, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [postingId, itemId, p.kind, p.amountCents, signedAmount(posting), p.onDate, p.sourceKind, p.sourceId ?? null, p.note ?? null, at, by],
  );
  const all2 = [...postings, posting];
  const balance = all2.reduce((s, x) => s + signedAmount(x), 0);
  const status = statusOf(all2);
  await exec(m, `UPDATE open_item SET balance_cents = ?, status = ?, updated_at = ? WHERE id = ?`, [balance, status, at, itemId]);
  // Credit control (dunning): a counterparty under watch is re-assessed, e.g. unblocked once it has paid.
  await creditControlAfterPosting(m, clock, itemId);
  return { postingId, balanceCents: balance, status };
}

/** The counterparty an invoice we issued is owed by. */
function counterpartyOfInvoice(inv: Record<string, unknown>): Counterparty {
  const name = (inv.recipient_name as string | null) ?? null;
  if (inv.recipient_company_id) return { kind: 'company', id: String(inv.recipient_company_id), name };
  if (inv.recipient_customer_id) return { kind: 'customer', id: String(inv.recipient_customer_id), name };
  if (inv.recipient_supplier_id) return { kind: 'supplier', id: String(inv.recipient_supplier_id), name };
  return { kind: 'other', id: `nif:${String(inv.recipient_nif ?? '')}`, name };
}

/**
 * The ledger side of posting an invoice we issued (called by invoicing/posting.ts after its due dates are
 * written). An F1 opens one item per due date; an F3 made from till tickets opens none (the tickets were paid
 * at the till, or are on account already); a credit note credits the items of the invoice it rectifies —
 * latest due first, first what is still owed, then what was paid (the item goes overpaid: money owed back).
 * A rectification by substitution (S) credits the whole original and opens the new amounts as items.
 */
export async function postInvoiceToLedger(m: Db, clock: Clock, invoiceId: string, by: string | null): Promise<void> {
  const inv = await one<Record<string, unknown>>(m, `SELECT * FROM invoice WHERE id = ?`, [invoiceId]);
  if (!inv || inv.status !== 'posted' || inv.source === 'ticket') return;
  const type = String(inv.invoice_type);
  const total = Number(inv.total_cents);
  if (type.startsWith('R') && inv.rectifies_invoice_id) {
    const original = String(inv.rectifies_invoice_id);
    const items = await all<{ id: string; balance_cents: unknown }>(m, `SELECT id, balance_cents FROM open_item WHERE kind = 'invoice_due' AND source_id = ? AND cancelled = ${cancelledFalse(m)} ORDER BY due_date DESC, source_idx DESC`, [original]);
    const toCredit = inv.rectification_method === 'S' ? await creditableOf(m, items.map((i) => i.id)) : Math.max(0, -total);
    await creditItems(m, clock, items, toCredit, String(inv.issue_date), invoiceId, by);
    if (inv.rectification_method !== 'S' || total <= 0) return;
  }
  if (total <= 0) return;
  const dues = await all<{ idx: number; due_date: string; amount_cents: unknown }>(m, `SELECT idx, due_date, amount_cents FROM invoice_due WHERE invoice_id = ? ORDER BY idx`, [invoiceId]);
  for (const d of dues) {
    if (Number(d.amount_cents) <= 0) continue;
    await openItem(
      m,
      clock,
      {
        companyId: String(inv.company_id),
        side: 'receivable',
        kind: 'invoice_due',
        sourceId: invoiceId,
        sourceIdx: Number(d.idx),
        documentRef: String(inv.number),
        counterparty: counterpartyOfInvoice(inv),
        storeId: (inv.store_id as string | null) ?? null,
        issueDate: String(inv.issue_date),
        dueDate: d.due_date,
        amountCents: Number(d.amount_cents),
      },
      by,
      'invoice',
    );
  }
}

const cancelledFalse = (m: Db) => (m.connection.options.type === 'postgres' ? 'false' : '0');

/** What may still be credited on the items: invoiced − already credited. */
async function creditableOf(m: Db, itemIds: string[]): Promise<number> {
  let sum = 0;
  for (const id of itemIds) {
    const ps = await postingsOf(m, id);
    sum += ps.reduce((s, p) => s + (p.kind === 'invoiced' ? p.amountCents : p.kind === 'credited' ? -p.amountCents : 0), 0);
  }
  return sum;
}

async function creditItems(m: Db, clock: Clock, items: Array<{ id: string; balance_cents: unknown }>, amount: number, onDate: string, creditNoteId: string, by: string | null): Promise<void> {
  let left = amount;
  // First what is still owed, then (the rest) what was already paid: the item goes overpaid.
  for (const pass of ['owed', 'paid'] as const) {
    for (const it of items) {
      if (left <= 0) return;
      const ps = await postingsOf(m, it.id);
      const balance = ps.reduce((s, p) => s + signedAmount(p), 0);
      const creditable = ps.reduce((s, p) => s + (p.kind === 'invoiced' ? p.amountCents : p.kind === 'credited' ? -p.amountCents : 0), 0);
      const room = pass === 'owed' ? Math.min(Math.max(0, balance), creditable) : creditable;
      const take = Math.min(left, room);
      if (take <= 0) continue;
      await appendItemPosting(m, clock, it.id, { kind: 'credited', amountCents: take, onDate, sourceKind: 'credit_note', sourceId: creditNoteId }, by);
      left -= take;
    }
  }
}

/** Anulación of an invoice: its items leave the ledger (kept, marked cancelled). Refused once money moved on them. */
export async function cancelInvoiceInLedger(m: Db, clock: Clock, invoiceId: string): Promise<void> {
  const moved = await one<{ n: unknown }>(
    m,
    `SELECT COUNT(*) AS n FROM open_item_posting p JOIN open_item i ON i.id = p.item_id WHERE i.kind = 'invoice_due' AND i.source_id = ? AND p.kind <> 'invoiced'`,
    [invoiceId],
  );
  if (Number(moved!.n) > 0) throw refused(409, 'INVOICE_HAS_PAYMENTS', 'la factura tiene cobros o abonos registrados; no se puede anular / it has collections or credits: it cannot be cancelled', 'status');
  await exec(m, `UPDATE open_item SET cancelled = ${m.connection.options.type === 'postgres' ? 'true' : '1'}, status = 'cancelled', updated_at = ? WHERE kind = 'invoice_due' AND source_id = ?`, [iso(clock), invoiceId]);
}

/** The payables of a supplier invoice just posted: one item per due date. */
export async function postSupplierInvoiceToLedger(m: Db, clock: Clock, invoiceId: string, by: string | null): Promise<void> {
  const inv = await one<Record<string, unknown>>(
    m,
    `SELECT i.company_id, i.supplier_id, i.supplier_number, i.invoice_date, s.name AS supplier_name FROM supplier_invoice i JOIN supplier s ON s.id = i.supplier_id WHERE i.id = ?`,
    [invoiceId],
  );
  if (!inv) return;
  const dues = await all<{ idx: number; due_date: string; amount_cents: unknown }>(m, `SELECT idx, due_date, amount_cents FROM supplier_invoice_due WHERE invoice_id = ? ORDER BY idx`, [invoiceId]);
  for (const d of dues) {
    if (Number(d.amount_cents) <= 0) continue;
    await openItem(
      m,
      clock,
      {
        companyId: String(inv.company_id),
        side: 'payable',
        kind: 'supplier_invoice_due',
        sourceId: invoiceId,
        sourceIdx: Number(d.idx),
        documentRef: String(inv.supplier_number),
        counterparty: { kind: 'supplier', id: String(inv.supplier_id), name: (inv.supplier_name as string | null) ?? null },
        storeId: null,
        issueDate: String(inv.invoice_date),
        dueDate: d.due_date,
        amountCents: Number(d.amount_cents),
      },
      by,
      'supplier_invoice',
    );
  }
}
