/**
 * The API of the receivables/payables ledger (issue 13, payments part): open items, payments (collections
 * received and payments made) split over the counterparty's items oldest first or by hand with the rest kept
 * as credit, later allocation of that credit, refunds, cancellation (its allocations come back as `returned`
 * postings), write-offs with approval, and the statement of account. Every change to an item goes through
 * `appendItemPosting`; every query is scoped to the caller's companies.
 */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { allocatePayment, type Allocatable, type AllocationRequest } from '@tpv/shared/collections/allocation';
import type { OpenItem, PostingKind } from '@tpv/shared/collections/open-items';
import { statementOfAccount, type CreditMovement } from '@tpv/shared/collections/statement-of-account';
import type * as W from '@tpv/shared/wire/http/collections-payments';
import { canAccessCompany, visibleCompanyIds, type AuthUser } from '../../auth/service';
import { forbidden } from '../../auth/http';
import { refused } from '../../platform/api';
import { recordAudit } from '../../platform/audit';
import { nextDocumentNumber } from '../../platform/numbering';
import { newRowId } from '../../persistence/row-id';
import { writeTransaction } from '../../persistence/raw';
import { all, bool, exec, forUpdate, inList, one, type Db } from '../../persistence/sql';
import { appendItemPosting, type CounterpartyKind, type Side } from '../ledger';
import { documentPosted } from '../../platform/document-events';

const iso = (clock: Clock) => new Date(clock.now()).toISOString();
const today = (clock: Clock) => iso(clock).slice(0, 10);

const ITEM_COLS = `i.id, i.company_id AS "companyId", i.side, i.kind, i.document_ref AS "documentRef", i.counterparty_kind AS "counterpartyKind",
  i.counterparty_id AS "counterpartyId", i.counterparty_name AS "counterpartyName", i.store_id AS "storeId", i.issue_date AS "issueDate",
  i.due_date AS "dueDate", i.amount_cents AS "amountCents", i.balance_cents AS "balanceCents", i.status, i.cancelled, i.dunning_level AS "dunningLevel"`;
const PAYMENT_COLS = `p.id, p.company_id AS "companyId", p.side, p.number, p.counterparty_kind AS "counterpartyKind", p.counterparty_id AS "counterpartyId",
  p.counterparty_name AS "counterpartyName", p.method, p.amount_cents AS "amountCents", p.allocated_cents AS "allocatedCents",
  p.refunded_cents AS "refundedCents", p.credit_cents AS "creditCents", p.received_on AS "receivedOn", p.reference, p.status`;

const itemOf = (r: Record<string, unknown>): W.OpenItemRow => ({
  ...(r as unknown as W.OpenItemRow),
  amountCents: Number(r.amountCents),
  balanceCents: Number(r.balanceCents),
  cancelled: bool(r.cancelled),
  dunningLevel: Number(r.dunningLevel),
});
const paymentOf = (r: Record<string, unknown>): W.PaymentRow => ({
  ...(r as unknown as W.PaymentRow),
  amountCents: Number(r.amountCents),
  allocatedCents: Number(r.allocatedCents),
  refundedCents: Number(r.refundedCents),
  creditCents: Number(r.creditCents),
});

/** `AND <col> IN (…)` for a user who does not see every company (an empty scope matches nothing). */
function scopeSql(user: AuthUser, col: string, params: unknown[]): string {
  const ids = visibleCompanyIds(user);
  if (ids === null) return '';
  if (ids.length === 0) return ' AND 1 = 0';
  params.push(...ids);
  return ` AND ${col} IN (${inList(ids.length)})`;
}

const ITEM_SORTS = { dueDate: 'i.due_date', issueDate: 'i.issue_date', balanceCents: 'i.balance_cents', amountCents: 'i.amount_cents', documentRef: 'i.document_ref', counterparty: 'i.counterparty_name', status: 'i.status' } as const;
export type ItemSort = keyof typeof ITEM_SORTS;
const PAYMENT_SORTS = { receivedOn: 'p.received_on', number: 'p.number', amountCents: 'p.amount_cents', counterparty: 'p.counterparty_name', creditCents: 'p.credit_cents' } as const;
export type PaymentSort = keyof typeof PAYMENT_SORTS;

export interface ItemFilter {
  q?: string | undefined;
  side?: Side | undefined;
  companyId?: string | undefined;
  counterpartyKind?: CounterpartyKind | undefined;
  counterpartyId?: string | undefined;
  status?: string | undefined;
  overdue?: 'true' | 'false' | undefined;
  asOf?: string | undefined;
  dueFrom?: string | undefined;
  dueTo?: string | undefined;
}
export interface PaymentFilter {
  q?: string | undefined;
  side?: Side | undefined;
  companyId?: string | undefined;
  counterpartyKind?: CounterpartyKind | undefined;
  counterpartyId?: string | undefined;
  status?: 'posted' | 'cancelled' | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

type Refusal = ReturnType<typeof refused>;
const ALLOCATION_STATUS: Record<string, 404 | 409 | 422> = { ALLOCATION_ITEM_CANCELLED: 409, ALLOCATION_ITEM_SETTLED: 409 };

/**
 * The ledger operations a payment is made of, shared by the payments API and the parts that settle from the
 * bank (remittances, statement matching): lock the counterparty's items, split an amount over them, post the
 * `collected` postings with their allocation rows, move the held credit.
 */
export function ledgerOps(clock: Clock) {
  /** The counterparty's items on one side of one company, locked (PostgreSQL) for the allocation that follows. */
  async function counterpartyItems(m: Db, p: { companyId: string; side: Side; counterpartyKind: string; counterpartyId: string }, lock: boolean) {
    const rows = await all<Record<string, unknown>>(
      m,
      `SELECT ${ITEM_COLS} FROM open_item i WHERE i.company_id = ? AND i.side = ? AND i.counterparty_kind = ? AND i.counterparty_id = ? ORDER BY i.due_date, i.issue_date, i.id${lock ? forUpdate(m) : ''}`,
      [p.companyId, p.side, p.counterpartyKind, p.counterpartyId],
    );
    return rows.map(itemOf);
  }

  function allocationOf(amount: number, items: W.OpenItemRow[], body: W.AllocationBody, field: string) {
    const allocatable: Allocatable[] = items.map((i) => ({ id: i.id, dueDate: i.dueDate, issueDate: i.issueDate, cancelled: i.cancelled, balanceCents: i.balanceCents }));
    const request: AllocationRequest = body.mode === 'manual' ? { mode: 'manual', lines: body.lines } : { mode: 'oldest_first' };
    const r = allocatePayment(amount, allocatable, request);
    if (!r.ok) {
      const idx = body.mode === 'manual' ? body.lines.findIndex((l) => l.itemId === r.error.details?.itemId) : -1;
      throw refused(ALLOCATION_STATUS[r.error.code] ?? 422, r.error.code, r.error.message, idx >= 0 ? `${field}.lines.${idx}` : field) as Refusal;
    }
    return r.value;
  }

  /** Posts `collected` on each line's item and records the allocation rows. */
  async function applyLines(m: Db, paymentId: string, lines: ReadonlyArray<{ itemId: string; amountCents: number }>, onDate: string, by: string | null) {
    for (const [idx, l] of lines.entries()) {
      const posted = await appendItemPosting(m, clock, l.itemId, { kind: 'collected', amountCents: l.amountCents, onDate, sourceKind: 'payment', sourceId: paymentId }, by, `allocation.lines.${idx}`);
      await exec(m, `INSERT INTO payment_allocation (id, payment_id, item_id, posting_id, amount_cents, created_at) VALUES (?, ?, ?, ?, ?, ?)`, [newRowId(clock), paymentId, l.itemId, posted.postingId, l.amountCents, iso(clock)]);
    }
  }

  /** Answers the movement's id (a refund's entry points to it). */
  const creditMove = async (m: Db, paymentId: string, kind: 'received' | 'allocated' | 'refunded' | 'cancelled', amount: number, onDate: string, by: string | null): Promise<string> => {
    const id = newRowId(clock);
    await exec(m, `INSERT INTO payment_credit_movement (id, payment_id, kind, amount_cents, on_date, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)`, [id, paymentId, kind, amount, onDate, iso(clock), by]);
    return id;
  };

  async function counterpartyName(m: Db, kind: string, id: string): Promise<string | null> {
    const fromItem = await one<{ n: string | null }>(m, `SELECT counterparty_name AS n FROM open_item WHERE counterparty_kind = ? AND counterparty_id = ? AND counterparty_name IS NOT NULL LIMIT 1`, [kind, id]);
    if (fromItem?.n) return fromItem.n;
    const table = kind === 'company' ? 'company' : kind === 'customer' ? 'customer' : kind === 'supplier' ? 'supplier' : null;
    if (!table) return null;
    const r = await one<{ n: string | null }>(m, `SELECT ${kind === 'company' ? 'legal_name' : 'name'} AS n FROM ${table} WHERE id = ?`, [id]);
    return r?.n ?? null;
  }

  /** A company, customer or supplier must exist; a recipient typed by hand is `nif:<NIF>`. */
  async function checkCounterparty(m: Db, kind: CounterpartyKind, id: string) {
    if (kind === 'other') {
      if (!/^nif:[A-Z0-9]{2,20}$/i.test(id)) throw refused(422, 'COUNTERPARTY_INVALID', 'un titular sin ficha se indica como nif:<NIF> / a counterparty without a record is given as nif:<NIF>', 'counterpartyId');
      return;
    }
    const table = kind === 'company' ? 'company' : kind === 'customer' ? 'customer' : 'supplier';
    if (!(await one(m, `SELECT id FROM ${table} WHERE id = ?`, [id]))) throw refused(422, 'REFERENCE_UNKNOWN', `titular desconocido / unknown counterparty ${id}`, 'counterpartyId');
  }

  /**
   * Records a payment in the caller's transaction: numbered COB/PAG per company and year, allocated over the
   * counterparty's items (oldest first or by hand, refused like the API refuses), the rest kept as credit.
   * `source` (a bank movement, a remittance line…) makes it settle once (UNIQUE on payment source).
   */
  async function postPayment(m: Db, input: PostPaymentInput, by: string | null) {
    const items = await counterpartyItems(m, input, true);
    const a = allocationOf(input.amountCents, items, input.allocation, 'allocation');
    const id = newRowId(clock);
    const year = Number(input.receivedOn.slice(0, 4));
    const series = input.side === 'receivable' ? 'COB' : 'PAG';
    const n = await nextDocumentNumber(m, input.companyId, series, year);
    const number = `${series}-${year}-${String(n).padStart(6, '0')}`;
    const name = await counterpartyName(m, input.counterpartyKind, input.counterpartyId);
    await exec(
      m,
      `INSERT INTO payment (id, company_id, side, number, counterparty_kind, counterparty_id, counterparty_name, method, amount_cents, allocated_cents, refunded_cents, credit_cents, received_on, reference, note, status, source_kind, source_id, created_at, created_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, 'posted', ?, ?, ?, ?)`,
      [id, input.companyId, input.side, number, input.counterpartyKind, input.counterpartyId, name, input.method, input.amountCents, a.allocatedCents, a.creditCents, input.receivedOn, input.reference ?? null, input.note ?? null, input.source?.kind ?? null, input.source?.id ?? null, iso(clock), by],
    );
    await applyLines(m, id, a.lines, input.receivedOn, by);
    if (a.creditCents > 0) await creditMove(m, id, 'received', a.creditCents, input.receivedOn, by);
    await documentPosted(m, clock, { type: 'payment.recorded', paymentId: id }, by);
    return { id, number, lines: a.lines, allocatedCents: a.allocatedCents, creditCents: a.creditCents };
  }

  return { counterpartyItems, allocationOf, applyLines, creditMove, counterpartyName, checkCounterparty, postPayment };
}

export interface PostPaymentInput {
  companyId: string;
  side: Side;
  counterpartyKind: CounterpartyKind;
  counterpartyId: string;
  method: W.PaymentBody['method'];
  amountCents: number;
  receivedOn: string;
  reference?: string | null;
  note?: string | null;
  allocation: W.AllocationBody;
  source?: { kind: string; id: string } | null;
}

/** `ledgerOps(clock).postPayment` for a caller that only records payments. */
export const postPayment = (m: Db, clock: Clock, input: PostPaymentInput, by: string | null) => ledgerOps(clock).postPayment(m, input, by);

export function createPaymentsService(ds: DataSource, clock: Clock) {
  const { counterpartyItems, allocationOf, applyLines, creditMove, counterpartyName, checkCounterparty, postPayment: post } = ledgerOps(clock);
  const checkCompany = (user: AuthUser, companyId: string) => {
    if (!canAccessCompany(user, companyId)) throw forbidden();
  };

  async function loadItem(m: Db, user: AuthUser, id: string): Promise<W.OpenItemRow> {
    const r = await one<Record<string, unknown>>(m, `SELECT ${ITEM_COLS} FROM open_item i WHERE i.id = ?`, [id]);
    if (!r) throw refused(404, 'OPEN_ITEM_NOT_FOUND', 'vencimiento no encontrado / open item not found', 'id');
    checkCompany(user, String(r.companyId));
    return itemOf(r);
  }

  async function loadPayment(m: Db, user: AuthUser, id: string, lock = false): Promise<W.PaymentRow & { note: string | null }> {
    const r = await one<Record<string, unknown>>(m, `SELECT ${PAYMENT_COLS}, p.note FROM payment p WHERE p.id = ?${lock ? forUpdate(m) : ''}`, [id]);
    if (!r) throw refused(404, 'PAYMENT_NOT_FOUND', 'cobro/pago no encontrado / payment not found', 'id');
    checkCompany(user, String(r.companyId));
    return { ...paymentOf(r), note: (r.note as string | null) ?? null };
  }

  const detailOfPayment = async (m: Db, user: AuthUser, id: string): Promise<W.PaymentDetail> => {
    const p = await loadPayment(m, user, id);
    const allocations = await all<Record<string, unknown>>(
      m,
      `SELECT a.item_id AS "itemId", i.document_ref AS "documentRef", i.due_date AS "dueDate", a.amount_cents AS "amountCents", op.on_date AS "onDate"
         FROM payment_allocation a JOIN open_item i ON i.id = a.item_id JOIN open_item_posting op ON op.id = a.posting_id WHERE a.payment_id = ? ORDER BY a.created_at, a.id`,
      [id],
    );
    const moves = await all<Record<string, unknown>>(m, `SELECT kind, amount_cents AS "amountCents", on_date AS "onDate" FROM payment_credit_movement WHERE payment_id = ? ORDER BY created_at, id`, [id]);
    return {
      ...p,
      allocations: allocations.map((a) => ({ ...(a as { itemId: string; documentRef: string; dueDate: string; onDate: string }), amountCents: Number(a.amountCents) })),
      creditMovements: moves.map((x) => ({ kind: x.kind as 'received', amountCents: Number(x.amountCents), onDate: String(x.onDate) })),
    };
  };

  return {
    async listItems(user: AuthUser, f: ItemFilter, sort: ItemSort, dir: 'asc' | 'desc', limit: number, offset: number) {
      const params: unknown[] = [];
      let where = 'WHERE 1 = 1' + scopeSql(user, 'i.company_id', params);
      const eq = (col: string, v: unknown) => {
        if (v === undefined) return;
        where += ` AND ${col} = ?`;
        params.push(v);
      };
      eq('i.side', f.side);
      eq('i.company_id', f.companyId);
      eq('i.counterparty_kind', f.counterpartyKind);
      eq('i.counterparty_id', f.counterpartyId);
      eq('i.status', f.status);
      if (f.dueFrom) { where += ' AND i.due_date >= ?'; params.push(f.dueFrom); }
      if (f.dueTo) { where += ' AND i.due_date <= ?'; params.push(f.dueTo); }
      if (f.overdue === 'true') { where += ' AND i.balance_cents > 0 AND i.due_date < ?'; params.push(f.asOf ?? today(clock)); }
      if (f.overdue === 'false') { where += ' AND NOT (i.balance_cents > 0 AND i.due_date < ?)'; params.push(f.asOf ?? today(clock)); }
      if (f.q) { where += ' AND (LOWER(i.document_ref) LIKE ? OR LOWER(COALESCE(i.counterparty_name, \'\')) LIKE ?)'; params.push(`%${f.q.toLowerCase()}%`, `%${f.q.toLowerCase()}%`); }
      const total = await one<{ n: unknown; b: unknown }>(ds.manager, `SELECT COUNT(*) AS n, COALESCE(SUM(i.balance_cents), 0) AS b FROM open_item i ${where}`, params);
      const rows = await all<Record<string, unknown>>(ds.manager, `SELECT ${ITEM_COLS} FROM open_item i ${where} ORDER BY ${ITEM_SORTS[sort]} ${dir === 'desc' ? 'DESC' : 'ASC'}, i.id LIMIT ? OFFSET ?`, [...params, limit, offset]);
      return { rows: rows.map(itemOf), total: Number(total!.n), balanceCents: Number(total!.b) };
    },

    async itemDetail(user: AuthUser, id: string): Promise<W.OpenItemDetail> {
      const item = await loadItem(ds.manager, user, id);
      const postings = await all<Record<string, unknown>>(
        ds.manager,
        `SELECT id, kind, amount_cents AS "amountCents", signed_cents AS "signedCents", on_date AS "onDate", source_kind AS "sourceKind", source_id AS "sourceId", note FROM open_item_posting WHERE item_id = ? ORDER BY created_at, id`,
        [id],
      );
      const writeOffs = await all<Record<string, unknown>>(ds.manager, `SELECT ${WRITE_OFF_COLS} FROM write_off w WHERE w.item_id = ? ORDER BY w.requested_at, w.id`, [id]);
      return {
        ...item,
        postings: postings.map((p) => ({ ...(p as unknown as W.OpenItemDetail['postings'][number]), amountCents: Number(p.amountCents), signedCents: Number(p.signedCents), sourceId: (p.sourceId as string | null) ?? null, note: (p.note as string | null) ?? null })),
        writeOffs: writeOffs.map(writeOffOf),
      };
    },

    /** Records a collection received (receivable) or a payment made (payable); `dryRun` answers the split only. */
    async record(user: AuthUser, body: W.PaymentBody, requestId?: string) {
      checkCompany(user, body.companyId);
      const company = await one(ds.manager, `SELECT id FROM company WHERE id = ?`, [body.companyId]);
      if (!company) throw refused(422, 'REFERENCE_UNKNOWN', `empresa desconocida / unknown company ${body.companyId}`, 'companyId');
      await checkCounterparty(ds.manager, body.counterpartyKind, body.counterpartyId);
      if (body.dryRun) {
        const items = await counterpartyItems(ds.manager, body, false);
        const a = allocationOf(body.amountCents, items, body.allocation, 'allocation');
        const byId = new Map(items.map((i) => [i.id, i]));
        return {
          dryRun: true as const,
          lines: a.lines.map((l) => ({ itemId: l.itemId, documentRef: byId.get(l.itemId)!.documentRef, dueDate: byId.get(l.itemId)!.dueDate, balanceCents: byId.get(l.itemId)!.balanceCents, amountCents: l.amountCents })),
          allocatedCents: a.allocatedCents,
          creditCents: a.creditCents,
        };
      }
      return writeTransaction(ds, async (m) => {
        const { id, number, lines, creditCents } = await post(m, body, user.id);
        await recordAudit(m, clock, { actor: { id: user.id, email: user.email }, action: 'payment.record', entity: 'payment', entityId: id, companyId: body.companyId, after: { number, amountCents: body.amountCents, lines, creditCents }, requestId: requestId ?? null });
        return detailOfPayment(m, user, id);
      });
    },

    async listPayments(user: AuthUser, f: PaymentFilter, sort: PaymentSort, dir: 'asc' | 'desc', limit: number, offset: number) {
      const params: unknown[] = [];
      let where = 'WHERE 1 = 1' + scopeSql(user, 'p.company_id', params);
      const eq = (col: string, v: unknown) => {
        if (v === undefined) return;
        where += ` AND ${col} = ?`;
        params.push(v);
      };
      eq('p.side', f.side);
      eq('p.company_id', f.companyId);
      eq('p.counterparty_kind', f.counterpartyKind);
      eq('p.counterparty_id', f.counterpartyId);
      eq('p.status', f.status);
      if (f.from) { where += ' AND p.received_on >= ?'; params.push(f.from); }
      if (f.to) { where += ' AND p.received_on <= ?'; params.push(f.to); }
      if (f.q) { where += ' AND (LOWER(p.number) LIKE ? OR LOWER(COALESCE(p.counterparty_name, \'\')) LIKE ? OR LOWER(COALESCE(p.reference, \'\')) LIKE ?)'; const q = `%${f.q.toLowerCase()}%`; params.push(q, q, q); }
      const total = await one<{ n: unknown }>(ds.manager, `SELECT COUNT(*) AS n FROM payment p ${where}`, params);
      const rows = await all<Record<string, unknown>>(ds.manager, `SELECT ${PAYMENT_COLS} FROM payment p ${where} ORDER BY ${PAYMENT_SORTS[sort]} ${dir === 'desc' ? 'DESC' : 'ASC'}, p.id LIMIT ? OFFSET ?`, [...params, limit, offset]);
      return { rows: rows.map(paymentOf), total: Number(total!.n) };
    },

    paymentDetail: (user: AuthUser, id: string) => detailOfPayment(ds.manager, user, id),

    /** Applies credit a payment holds to the counterparty's items (oldest first or by hand). */
    allocate(user: AuthUser, id: string, body: { onDate: string; allocation: W.AllocationBody }, requestId?: string) {
      return writeTransaction(ds, async (m) => {
        const p = await loadPayment(m, user, id, true);
        if (p.status !== 'posted') throw refused(409, 'PAYMENT_CANCELLED', 'el cobro/pago está anulado / the payment is cancelled', 'id');
        if (p.creditCents <= 0) throw refused(409, 'PAYMENT_NO_CREDIT', 'el cobro/pago no tiene saldo a cuenta / the payment holds no credit', 'allocation');
        if (body.onDate < p.receivedOn) throw refused(422, 'DATE_BEFORE_PAYMENT', 'la fecha es anterior al cobro/pago / the date is before the payment', 'onDate');
        const items = await counterpartyItems(m, p, true);
        const a = allocationOf(p.creditCents, items, body.allocation, 'allocation');
        if (a.allocatedCents === 0) throw refused(409, 'NOTHING_TO_ALLOCATE', 'no hay vencimientos pendientes / no open items to apply the credit to', 'allocation');
        await applyLines(m, id, a.lines, body.onDate, user.id);
        await exec(m, `UPDATE payment SET allocated_cents = allocated_cents + ?, credit_cents = credit_cents - ? WHERE id = ?`, [a.allocatedCents, a.allocatedCents, id]);
        await creditMove(m, id, 'allocated', -a.allocatedCents, body.onDate, user.id);
        await recordAudit(m, clock, { actor: { id: user.id, email: user.email }, action: 'payment.allocate', entity: 'payment', entityId: id, companyId: p.companyId, after: { lines: a.lines }, requestId: requestId ?? null });
        return detailOfPayment(m, user, id);
      });
    },

    /** Pays back (part of) the credit a payment holds. */
    refund(user: AuthUser, id: string, body: { amountCents: number; onDate: string; reference: string | null }, requestId?: string) {
      return writeTransaction(ds, async (m) => {
        const p = await loadPayment(m, user, id, true);
        if (p.status !== 'posted') throw refused(409, 'PAYMENT_CANCELLED', 'el cobro/pago está anulado / the payment is cancelled', 'id');
        if (body.amountCents > p.creditCents) throw refused(422, 'REFUND_OVER_CREDIT', `se devuelve más que el saldo a cuenta (${p.creditCents}) / refunding more than the credit held (${p.creditCents})`, 'amountCents');
        if (body.onDate < p.receivedOn) throw refused(422, 'DATE_BEFORE_PAYMENT', 'la fecha es anterior al cobro/pago / the date is before the payment', 'onDate');
        await exec(m, `UPDATE payment SET refunded_cents = refunded_cents + ?, credit_cents = credit_cents - ? WHERE id = ?`, [body.amountCents, body.amountCents, id]);
        const movementId = await creditMove(m, id, 'refunded', -body.amountCents, body.onDate, user.id);
        await documentPosted(m, clock, { type: 'payment.refunded', paymentId: id, movementId }, user.id);
        await recordAudit(m, clock, { actor: { id: user.id, email: user.email }, action: 'payment.refund', entity: 'payment', entityId: id, companyId: p.companyId, after: body, requestId: requestId ?? null });
        return detailOfPayment(m, user, id);
      });
    },

    /** Cancels a payment recorded in error: each allocation comes back as a `returned` posting, its held credit is dropped. */
    cancel(user: AuthUser, id: string, body: { onDate: string; reason: string }, requestId?: string) {
      return writeTransaction(ds, async (m) => {
        const p = await loadPayment(m, user, id, true);
        if (p.status !== 'posted') throw refused(409, 'PAYMENT_CANCELLED', 'el cobro/pago ya está anulado / the payment is already cancelled', 'id');
        if (p.refundedCents > 0) throw refused(409, 'PAYMENT_REFUNDED', 'parte del cobro ya se devolvió; no se puede anular / part of it was refunded: it cannot be cancelled', 'id');
        if (body.onDate < p.receivedOn) throw refused(422, 'DATE_BEFORE_PAYMENT', 'la fecha es anterior al cobro/pago / the date is before the payment', 'onDate');
        const allocations = await all<{ item_id: string; amount_cents: unknown }>(m, `SELECT item_id, amount_cents FROM payment_allocation WHERE payment_id = ? ORDER BY created_at, id`, [id]);
        for (const a of allocations) {
          await appendItemPosting(m, clock, a.item_id, { kind: 'returned', amountCents: Number(a.amount_cents), onDate: body.onDate, sourceKind: 'payment_cancel', sourceId: id, note: body.reason }, user.id, 'id');
        }
        if (p.creditCents > 0) await creditMove(m, id, 'cancelled', -p.creditCents, body.onDate, user.id);
        await exec(m, `UPDATE payment SET status = 'cancelled', note = ? WHERE id = ?`, [[p.note, `Anulado / cancelled ${body.onDate}: ${body.reason}`].filter(Boolean).join('\n'), id]);
        await documentPosted(m, clock, { type: 'payment.voided', paymentId: id }, user.id);
        await recordAudit(m, clock, { actor: { id: user.id, email: user.email }, action: 'payment.cancel', entity: 'payment', entityId: id, companyId: p.companyId, after: body, requestId: requestId ?? null });
        return detailOfPayment(m, user, id);
      });
    },

    /** A write-off request of (part of) an item's balance: waits for collections.admin. */
    requestWriteOff(user: AuthUser, itemId: string, body: { reason: string; amountCents?: number | undefined }, requestId?: string) {
      return writeTransaction(ds, async (m) => {
        const item = await loadItem(m, user, itemId);
        if (item.side !== 'receivable') throw refused(422, 'WRITE_OFF_PAYABLE', 'solo se dan por incobrables los cobros pendientes / only receivables can be written off', 'id');
        if (item.cancelled) throw refused(409, 'OPEN_ITEM_CANCELLED', 'el documento está anulado / the document is cancelled', 'id');
        if (item.balanceCents <= 0) throw refused(409, 'OPEN_ITEM_SETTLED', 'el vencimiento no tiene saldo pendiente / nothing is owed on the item', 'id');
        const amount = body.amountCents ?? item.balanceCents;
        if (amount > item.balanceCents) throw refused(422, 'WRITE_OFF_OVER_BALANCE', `importe superior al pendiente (${item.balanceCents}) / amount over the balance (${item.balanceCents})`, 'amountCents');
        const pending = await one(m, `SELECT id FROM write_off WHERE item_id = ? AND status = 'requested'`, [itemId]);
        if (pending) throw refused(409, 'WRITE_OFF_PENDING', 'ya hay una solicitud pendiente para este vencimiento / a request for this item is already waiting', 'id');
        const id = newRowId(clock);
        await exec(m, `INSERT INTO write_off (id, item_id, company_id, amount_cents, reason, status, requested_at, requested_by) VALUES (?, ?, ?, ?, ?, 'requested', ?, ?)`, [id, itemId, item.companyId, amount, body.reason, iso(clock), user.id]);
        await recordAudit(m, clock, { actor: { id: user.id, email: user.email }, action: 'write_off.request', entity: 'write_off', entityId: id, companyId: item.companyId, after: { itemId, amountCents: amount, reason: body.reason }, requestId: requestId ?? null });
        return writeOffOf((await one<Record<string, unknown>>(m, `SELECT ${WRITE_OFF_COLS} FROM write_off w WHERE w.id = ?`, [id]))!);
      });
    },

    async listWriteOffs(user: AuthUser, f: { status?: string | undefined; companyId?: string | undefined }) {
      const params: unknown[] = [];
      let where = 'WHERE 1 = 1' + scopeSql(user, 'w.company_id', params);
      if (f.status) { where += ' AND w.status = ?'; params.push(f.status); }
      if (f.companyId) { where += ' AND w.company_id = ?'; params.push(f.companyId); }
      const rows = await all<Record<string, unknown>>(ds.manager, `SELECT ${WRITE_OFF_COLS} FROM write_off w ${where} ORDER BY w.requested_at DESC, w.id LIMIT 500`, params);
      return rows.map(writeOffOf);
    },

    /** Approves (a `written_off` posting on the item) or refuses (nothing posted) a waiting write-off. */
    decideWriteOff(user: AuthUser, id: string, approve: boolean, body: { onDate: string; note: string | null }, requestId?: string) {
      return writeTransaction(ds, async (m) => {
        const w = await one<Record<string, unknown>>(m, `SELECT ${WRITE_OFF_COLS} FROM write_off w WHERE w.id = ?${forUpdate(m)}`, [id]);
        if (!w) throw refused(404, 'WRITE_OFF_NOT_FOUND', 'solicitud no encontrada / write-off not found', 'id');
        checkCompany(user, String(w.companyId));
        if (w.status !== 'requested') throw refused(409, 'WRITE_OFF_DECIDED', 'la solicitud ya se resolvió / the request was already decided', 'id');
        let postingId: string | null = null;
        if (approve) {
          const posted = await appendItemPosting(m, clock, String(w.itemId), { kind: 'written_off', amountCents: Number(w.amountCents), onDate: body.onDate, sourceKind: 'write_off', sourceId: id, note: String(w.reason) }, user.id, 'id');
          postingId = posted.postingId;
        }
        await exec(m, `UPDATE write_off SET status = ?, decided_at = ?, decided_by = ?, decision_note = ?, posting_id = ? WHERE id = ?`, [approve ? 'approved' : 'refused', iso(clock), user.id, body.note, postingId, id]);
        if (postingId) await documentPosted(m, clock, { type: 'item.written_off', itemId: String(w.itemId), postingId }, user.id);
        await recordAudit(m, clock, { actor: { id: user.id, email: user.email }, action: approve ? 'write_off.approve' : 'write_off.refuse', entity: 'write_off', entityId: id, companyId: String(w.companyId), after: body, requestId: requestId ?? null });
        return writeOffOf((await one<Record<string, unknown>>(m, `SELECT ${WRITE_OFF_COLS} FROM write_off w WHERE w.id = ?`, [id]))!);
      });
    },

    /** Statement of account of a counterparty over a period, on one side, across the caller's companies. */
    async statement(user: AuthUser, q: W.StatementQuery): Promise<W.StatementAnswer> {
      if (q.from > q.to) throw refused(422, 'PERIOD_INVALID', 'el periodo empieza después de acabar / the period starts after it ends', 'from');
      if (q.companyId) checkCompany(user, q.companyId);
      const params: unknown[] = [q.side, q.counterpartyKind, q.counterpartyId];
      let where = `WHERE i.side = ? AND i.counterparty_kind = ? AND i.counterparty_id = ? AND i.status <> 'cancelled'` + scopeSql(user, 'i.company_id', params);
      if (q.companyId) { where += ' AND i.company_id = ?'; params.push(q.companyId); }
      const rows = await all<Record<string, unknown>>(
        ds.manager,
        `SELECT i.id AS item_id, i.company_id, i.document_ref, i.issue_date, i.due_date, p.kind, p.amount_cents, p.on_date,
                COALESCE(pay.number, inv.number, p.source_kind) AS ref
           FROM open_item i JOIN open_item_posting p ON p.item_id = i.id
           LEFT JOIN payment pay ON p.source_kind IN ('payment', 'payment_cancel') AND pay.id = p.source_id
           LEFT JOIN invoice inv ON p.source_kind IN ('credit_note', 'invoice') AND inv.id = p.source_id
          ${where} ORDER BY i.id, p.created_at, p.id`,
        params,
      );
      const items = new Map<string, OpenItem & { postings: Array<OpenItem['postings'][number]> }>();
      for (const r of rows) {
        const id = String(r.item_id);
        let it = items.get(id);
        if (!it) {
          it = { id, companyId: String(r.company_id), counterpartyId: q.counterpartyId, side: q.side, kind: 'invoice_due', documentRef: String(r.document_ref), issueDate: String(r.issue_date), dueDate: String(r.due_date), postings: [] };
          items.set(id, it);
        }
        it.postings.push({ kind: r.kind as PostingKind, amountCents: Number(r.amount_cents), on: String(r.on_date), ref: String(r.ref) });
      }
      const pParams: unknown[] = [q.side, q.counterpartyKind, q.counterpartyId];
      let pWhere = `WHERE p.side = ? AND p.counterparty_kind = ? AND p.counterparty_id = ?` + scopeSql(user, 'p.company_id', pParams);
      if (q.companyId) { pWhere += ' AND p.company_id = ?'; pParams.push(q.companyId); }
      const moves = await all<Record<string, unknown>>(ds.manager, `SELECT m.amount_cents, m.on_date, p.number FROM payment_credit_movement m JOIN payment p ON p.id = m.payment_id ${pWhere} ORDER BY m.created_at, m.id`, pParams);
      const credit: CreditMovement[] = moves.map((x) => ({ on: String(x.on_date), amountCents: Number(x.amount_cents), ref: String(x.number) }));
      const held = await one<{ c: unknown }>(ds.manager, `SELECT COALESCE(SUM(p.credit_cents), 0) AS c FROM payment p ${pWhere} AND p.status = 'posted'`, pParams);
      const s = statementOfAccount(q.counterpartyId, [...items.values()], q.from, q.to, credit);
      return {
        counterpartyKind: q.counterpartyKind,
        counterpartyId: q.counterpartyId,
        counterpartyName: await counterpartyName(ds.manager, q.counterpartyKind, q.counterpartyId),
        side: q.side,
        from: s.from,
        to: s.to,
        openingCents: s.openingCents,
        lines: s.lines.map((l) => ({ ...l })),
        debitCents: s.debitCents,
        creditCents: s.creditCents,
        closingCents: s.closingCents,
        creditHeldCents: Number(held!.c),
      };
    },
  };
}

const WRITE_OFF_COLS = `w.id, w.item_id AS "itemId", w.company_id AS "companyId", w.amount_cents AS "amountCents", w.reason, w.status, w.requested_at AS "requestedAt", w.decided_at AS "decidedAt", w.decision_note AS "decisionNote"`;
const writeOffOf = (r: Record<string, unknown>): W.WriteOffRow => ({
  ...(r as unknown as W.WriteOffRow),
  amountCents: Number(r.amountCents),
  decidedAt: (r.decidedAt as string | null) ?? null,
  decisionNote: (r.decisionNote as string | null) ?? null,
});

export type PaymentsService = ReturnType<typeof createPaymentsService>;
