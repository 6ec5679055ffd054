/**
 * SEPA direct debits and supplier transfers (issue 13, part sepadd): mandates, remittances (pain.008) with
 * their settlement and returns, supplier transfer batches (pain.001). Every change to an open item goes
 * through `appendItemPosting`; every query is scoped to the caller's companies and every write checks the
 * company of the row it touches.
 */
import type { RemittanceSettler } from '../bank-statements/matching';
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import type * as W from '@tpv/shared/wire/http/sepa-remittances';
import { HttpProblem, problem } from '@tpv/shared/problem';
import { canAccessCompany, visibleCompanyIds, type AuthUser } from '../../auth/service';
import { forbidden } from '../../auth/http';
import { refused } from '../../platform/api';
import { recordAudit } from '../../platform/audit';
import type { Files } from '../../platform/files/service';
import { nextDocumentNumber } from '../../platform/numbering';
import { writeTransaction } from '../../persistence/raw';
import { newRowId } from '../../persistence/row-id';
import { all, bool, exec, forUpdate, inList, one, type Db } from '../../persistence/sql';
import { appendItemPosting, openItem } from '../ledger';
import { documentPosted } from '../../platform/document-events';
import { nextSequenceType, planSequenceTypes, validateMandate, type MandateUsage } from '../sepa/mandate';
import { buildPain008, type DirectDebitItem } from '../sepa/pain008';
import { buildPain001, type CreditTransferItem } from '../sepa/pain001';
import { spanishCreditorId } from '../sepa/creditor-id';
import { validateDebitReturn, describeReturnReason } from '../sepa/returns';
import { problemsOf, sepaError, type SepaError, type SepaProblem } from '../sepa/errors';
import { checkBic, checkIban } from '../sepa/charset';

const today = (clock: Clock) => new Date(clock.now()).toISOString().slice(0, 10);
const nowIso = (clock: Clock) => new Date(clock.now()).toISOString();
const truthy = (m: Db) => (m.connection.options.type === 'postgres' ? 'true' : '1');
const falsy = (m: Db) => (m.connection.options.type === 'postgres' ? 'false' : '0');
const series = (prefix: string, year: number, n: number) => `${prefix}-${year}-${String(n).padStart(6, '0')}`;

/** A SEPA refusal as a 422 problem+json listing every field (`path`) at fault. */
function sepaProblem(e: SepaError, prefix = ''): HttpProblem {
  const errors = problemsOf(e).map((p) => ({ path: prefix + p.path, message: p.message, code: p.code }));
  return new HttpProblem(problem(422, e.code, 'Request refused', { detail: e.message, errors }));
}

function companyOf(u: AuthUser, companyId: string | undefined): string {
  const id = companyId ?? u.companyId ?? u.companyIds[0];
  if (!id) throw refused(422, 'COMPANY_REQUIRED', 'indique la empresa / companyId is required', 'companyId');
  if (!canAccessCompany(u, id)) throw forbidden();
  return id;
}

function scopeSql(u: AuthUser, column: string): { sql: string; params: string[] } {
  const ids = visibleCompanyIds(u);
  if (ids === null) return { sql: '', params: [] };
  if (ids.length === 0) return { sql: ' AND 1 = 0', params: [] };
  return { sql: ` AND ${column} IN (${inList(ids.length)})`, params: ids };
}

interface CompanyRow { id: string; nif: string; legal_name: string; iban: string | null }
async function company(m: Db, id: string): Promise<CompanyRow> {
  const c = await one<CompanyRow>(m, `SELECT id, nif, legal_name, iban FROM company WHERE id = ?`, [id]);
  if (!c) throw refused(422, 'REFERENCE_UNKNOWN', `empresa desconocida / unknown company ${id}`, 'companyId');
  return c;
}

async function counterpartyName(m: Db, kind: string, id: string): Promise<string | null> {
  if (kind === 'company') return (await one<{ n: string }>(m, `SELECT legal_name AS n FROM company WHERE id = ?`, [id]))?.n ?? null;
  return (await one<{ n: string }>(m, `SELECT name AS n FROM customer WHERE id = ?`, [id]))?.n ?? null;
}

type MandateRow = Record<string, unknown>;
function toMandate(r: MandateRow, name: string | null): W.Mandate {
  return {
    id: String(r.id), companyId: String(r.company_id), counterpartyKind: r.counterparty_kind as 'company' | 'customer', counterpartyId: String(r.counterparty_id), counterpartyName: name,
    reference: String(r.reference), signedOn: String(r.signed_on), scheme: r.scheme as 'CORE' | 'B2B', recurrence: r.recurrence as 'recurrent' | 'one-off',
    debtorName: String(r.debtor_name), debtorIban: String(r.debtor_iban), debtorBic: (r.debtor_bic as string | null) ?? null, status: r.status as 'active' | 'revoked',
    rechargeReturnFee: bool(r.recharge_return_fee), collections: Number(r.collections), lastCollectionOn: (r.last_collection_on as string | null) ?? null, closed: bool(r.closed), createdAt: String(r.created_at),
  };
}
const usageOf = (r: MandateRow): MandateUsage => ({ collections: Number(r.collections), lastCollectionOn: (r.last_collection_on as string | null) ?? null, closed: bool(r.closed) });

function toRemittance(r: Record<string, unknown>): W.Remittance {
  return {
    id: String(r.id), companyId: String(r.company_id), number: String(r.number), messageId: String(r.message_id), collectionDate: String(r.collection_date), dueBy: (r.due_by as string | null) ?? null,
    status: r.status as 'sent' | 'settled', itemCount: Number(r.item_count), totalCents: Number(r.total_cents), fileId: (r.file_id as string | null) ?? null, settledOn: (r.settled_on as string | null) ?? null, createdAt: String(r.created_at),
  };
}

/**
 * A mandate's usage from its remittance lines: every line counts but those rejected before settlement
 * (returned without a payment); the last collection is the latest of their dates; FNAL/OOFF close it.
 */
async function recomputeUsage(m: Db, mandateId: string): Promise<void> {
  const lines = await all<{ collection_date: string; sequence_type: string }>(
    m,
    `SELECT r.collection_date, ri.sequence_type FROM remittance_item ri JOIN remittance r ON r.id = ri.remittance_id WHERE ri.mandate_id = ? AND NOT (ri.status = 'returned' AND ri.payment_id IS NULL)`,
    [mandateId],
  );
  const last = lines.reduce<string | null>((a, l) => (a === null || l.collection_date > a ? l.collection_date : a), null);
  const closed = lines.some((l) => l.sequence_type === 'FNAL' || l.sequence_type === 'OOFF');
  await exec(m, `UPDATE sepa_mandate SET collections = ?, last_collection_on = ?, closed = ${closed ? truthy(m) : falsy(m)} WHERE id = ?`, [lines.length, last, mandateId]);
}

/** A payment row (numbered per company, side and year) fully allocated to one item. */
export async function paymentFor(m: Db, clock: Clock, by: string | null, p: { companyId: string; side: 'receivable' | 'payable'; item: Record<string, unknown>; method: string; amountCents: number; onDate: string; reference: string; sourceKind: string; sourceId: string }): Promise<string> {
  const year = Number(p.onDate.slice(0, 4));
  const prefix = p.side === 'receivable' ? 'COB' : 'PAG';
  const number = series(prefix, year, await nextDocumentNumber(m, p.companyId, prefix, year));
  const id = newRowId(clock);
  const at = nowIso(clock);
  // The money moved whatever happened meanwhile: what the item still owes is collected, the rest (it was paid
  // by other means since it was remitted) is the counterparty's credit, as with any payment.
  const owed = Number((await one<{ b: unknown }>(m, `SELECT balance_cents AS b FROM open_item WHERE id = ?${forUpdate(m)}`, [p.item.id]))!.b);
  const allocated = Math.min(p.amountCents, Math.max(0, owed));
  const credit = p.amountCents - allocated;
  await exec(
    m,
    `INSERT INTO payment (id, company_id, side, number, counterparty_kind, counterparty_id, counterparty_name, method, amount_cents, allocated_cents, refunded_cents, credit_cents, received_on, reference, status, source_kind, source_id, created_at, created_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, 'posted', ?, ?, ?, ?)`,
    [id, p.companyId, p.side, number, p.item.counterparty_kind, p.item.counterparty_id, p.item.counterparty_name ?? null, p.method, p.amountCents, allocated, credit, p.onDate, p.reference.slice(0, 140), p.sourceKind, p.sourceId, at, by],
  );
  if (credit > 0) {
    await exec(m, `INSERT INTO payment_credit_movement (id, payment_id, kind, amount_cents, on_date, created_at, created_by) VALUES (?, ?, 'received', ?, ?, ?, ?)`, [newRowId(clock), id, credit, p.onDate, at, by]);
  }
  if (allocated > 0) {
    const posting = await appendItemPosting(m, clock, String(p.item.id), { kind: 'collected', amountCents: allocated, onDate: p.onDate, sourceKind: 'payment', sourceId: id, note: p.reference }, by);
    await exec(m, `INSERT INTO payment_allocation (id, payment_id, item_id, posting_id, amount_cents, created_at) VALUES (?, ?, ?, ?, ?, ?)`, [newRowId(clock), id, p.item.id, posting.postingId, allocated, at]);
  }
  return id;
}

/**
 * A settled debit the bank took back: what its payment collected on the item is owed again (`returned`), and
 * what it held as credit goes back to the debtor with it (refunded) as far as the credit is still unused.
 */
async function takeBackSettledDebit(m: Db, clock: Clock, by: string | null, line: Record<string, unknown>, onDate: string, note: string, field: string): Promise<void> {
  const paymentId = String(line.payment_id);
  const alloc = await one<{ a: unknown }>(m, `SELECT COALESCE(SUM(amount_cents), 0) AS a FROM payment_allocation WHERE payment_id = ? AND item_id = ?`, [paymentId, line.item_id]);
  const collected = Number(alloc!.a);
  if (collected > 0) await appendItemPosting(m, clock, String(line.item_id), { kind: 'returned', amountCents: collected, onDate, sourceKind: 'remittance_return', sourceId: String(line.id), note }, by, field);
  const pay = await one<{ credit_cents: unknown }>(m, `SELECT credit_cents FROM payment WHERE id = ?${forUpdate(m)}`, [paymentId]);
  const back = Math.min(Number(pay!.credit_cents), Number(line.amount_cents) - collected);
  if (back > 0) {
    await exec(m, `UPDATE payment SET credit_cents = credit_cents - ?, refunded_cents = refunded_cents + ? WHERE id = ?`, [back, back, paymentId]);
    await exec(m, `INSERT INTO payment_credit_movement (id, payment_id, kind, amount_cents, on_date, created_at, created_by) VALUES (?, ?, 'refunded', ?, ?, ?, ?)`, [newRowId(clock), paymentId, -back, onDate, nowIso(clock), by]);
  }
}

/**
 * The bank paid a remittance: one direct-debit payment (source: the remittance line, so a line settles once)
 * and its `collected` posting per pending line, in the caller's transaction. The caller checks the scope; the
 * bank-statement matching calls it when a credit equals a remittance's total.
 */
export async function settleRemittance(m: Db, clock: Clock, remittanceId: string, settledOn: string, by: string | null): Promise<{ companyId: string; paymentIds: string[] }> {
  const r = await one<Record<string, unknown>>(m, `SELECT * FROM remittance WHERE id = ?${forUpdate(m)}`, [remittanceId]);
  if (!r) throw refused(404, 'REMITTANCE_NOT_FOUND', 'remesa no encontrada / remittance not found', 'id');
  if (r.status === 'settled') throw refused(409, 'REMITTANCE_SETTLED', `la remesa ${String(r.number)} ya está abonada / already settled`, 'id');
  if (settledOn < String(r.created_at).slice(0, 10) && settledOn < String(r.collection_date)) throw refused(422, 'SETTLED_BEFORE_SENT', 'fecha de abono anterior a la remesa / settlement date before the remittance', 'settledOn');
  const lines = await all<Record<string, unknown>>(m, `SELECT * FROM remittance_item WHERE remittance_id = ? AND status = 'pending' ORDER BY end_to_end_id`, [remittanceId]);
  const paymentIds: string[] = [];
  for (const l of lines) {
    const item = await one<Record<string, unknown>>(m, `SELECT * FROM open_item WHERE id = ?`, [l.item_id]);
    const paymentId = await paymentFor(m, clock, by, {
      companyId: String(r.company_id), side: 'receivable', item: item!, method: 'direct_debit', amountCents: Number(l.amount_cents), onDate: settledOn,
      reference: `${String(r.number)} ${String(l.end_to_end_id)}`, sourceKind: 'remittance_item', sourceId: String(l.id),
    });
    await exec(m, `UPDATE remittance_item SET status = 'settled', payment_id = ? WHERE id = ?`, [paymentId, l.id]);
    paymentIds.push(paymentId);
  }
  await exec(m, `UPDATE remittance SET status = 'settled', settled_on = ? WHERE id = ?`, [settledOn, remittanceId]);
  await documentPosted(m, clock, { type: 'remittance.settled', remittanceId }, by);
  return { companyId: String(r.company_id), paymentIds };
}

/**
 * Bank statement matching (bank-statements/matching.ts): a credit equal to what an unsettled remittance still
 * expects (its lines not rejected) settles it. The remittance's number in the movement's text picks it among
 * several of that amount; two or more without it are left to a person.
 */
export const settleRemittanceByCredit: RemittanceSettler = async (m, clock, q, by) => {
  const rows = await all<{ id: string; number: string; collection_date: string; created_at: string; expected: unknown }>(
    m,
    `SELECT r.id, r.number, r.collection_date, r.created_at,
            (SELECT COALESCE(SUM(i.amount_cents), 0) FROM remittance_item i WHERE i.remittance_id = r.id AND i.status = 'pending') AS expected
       FROM remittance r WHERE r.company_id = ? AND r.status = 'sent' ORDER BY r.collection_date, r.number`,
    [q.companyId],
  );
  const fits = rows.filter((r) => Number(r.expected) > 0 && Number(r.expected) === q.amountCents && !(q.onDate < r.created_at.slice(0, 10) && q.onDate < r.collection_date));
  const pick = fits.find((r) => q.text.includes(r.number)) ?? (fits.length === 1 ? fits[0] : undefined);
  if (!pick) return null;
  await settleRemittance(m, clock, pick.id, q.onDate, by);
  return pick.id;
};

export function createSepaRemittanceService(ds: DataSource, clock: Clock, files: Files) {
  const audit = (m: Db, u: AuthUser, action: string, entity: string, entityId: string, companyId: string, after: unknown) =>
    recordAudit(m, clock, { actor: { id: u.id, email: u.email }, action, entity, entityId, companyId, after: after as Record<string, unknown> });

  async function mandateRow(m: Db, u: AuthUser, id: string, lock = false): Promise<MandateRow> {
    const r = await one<MandateRow>(m, `SELECT * FROM sepa_mandate WHERE id = ?${lock ? forUpdate(m) : ''}`, [id]);
    if (!r) throw refused(404, 'MANDATE_NOT_FOUND', 'mandato no encontrado / mandate not found', 'id');
    const scope = visibleCompanyIds(u);
    if (scope !== null && !scope.includes(String(r.company_id))) throw forbidden();
    return r;
  }

  async function mandate(u: AuthUser, id: string): Promise<W.Mandate> {
    const r = await mandateRow(ds.manager, u, id);
    return toMandate(r, await counterpartyName(ds.manager, String(r.counterparty_kind), String(r.counterparty_id)));
  }

  async function remittanceDetail(m: Db, u: AuthUser, id: string): Promise<W.RemittanceDetail> {
    const r = await one<Record<string, unknown>>(m, `SELECT * FROM remittance WHERE id = ?`, [id]);
    if (!r) throw refused(404, 'REMITTANCE_NOT_FOUND', 'remesa no encontrada / remittance not found', 'id');
    const scope = visibleCompanyIds(u);
    if (scope !== null && !scope.includes(String(r.company_id))) throw forbidden();
    const lines = await all<Record<string, unknown>>(
      m,
      `SELECT ri.*, i.document_ref, i.counterparty_name, md.reference AS mandate_reference FROM remittance_item ri JOIN open_item i ON i.id = ri.item_id JOIN sepa_mandate md ON md.id = ri.mandate_id WHERE ri.remittance_id = ? ORDER BY ri.end_to_end_id`,
      [id],
    );
    return {
      ...toRemittance(r),
      lines: lines.map((l) => ({
        id: String(l.id), itemId: String(l.item_id), documentRef: String(l.document_ref), counterpartyName: (l.counterparty_name as string | null) ?? null, mandateId: String(l.mandate_id),
        mandateReference: String(l.mandate_reference), endToEndId: String(l.end_to_end_id), amountCents: Number(l.amount_cents), sequenceType: String(l.sequence_type),
        status: l.status as 'pending' | 'settled' | 'returned', paymentId: (l.payment_id as string | null) ?? null, returnReason: (l.return_reason as string | null) ?? null,
        returnFeeCents: l.return_fee_cents == null ? null : Number(l.return_fee_cents), returnedOn: (l.returned_on as string | null) ?? null, feeItemId: (l.fee_item_id as string | null) ?? null,
      })),
    };
  }

  return {
    // ── Mandates ───────────────────────────────────────────────────────────────────────────────────────
    async listMandates(u: AuthUser, q: { companyId?: string | undefined; counterpartyId?: string | undefined; status?: string | undefined }): Promise<W.Mandate[]> {
      const s = scopeSql(u, 'm.company_id');
      const where: string[] = [];
      const params: unknown[] = [];
      if (q.companyId) {
        where.push('m.company_id = ?');
        params.push(q.companyId);
      }
      if (q.counterpartyId) {
        where.push('m.counterparty_id = ?');
        params.push(q.counterpartyId);
      }
      if (q.status) {
        where.push('m.status = ?');
        params.push(q.status);
      }
      const rows = await all<MandateRow>(
        ds.manager,
        `SELECT m.*, COALESCE(c.legal_name, cu.name) AS cp_name FROM sepa_mandate m LEFT JOIN company c ON m.counterparty_kind = 'company' AND c.id = m.counterparty_id LEFT JOIN customer cu ON m.counterparty_kind = 'customer' AND cu.id = m.counterparty_id
          WHERE 1 = 1${where.map((w) => ` AND ${w}`).join('')}${s.sql} ORDER BY m.reference LIMIT 1000`,
        [...params, ...s.params],
      );
      return rows.map((r) => toMandate(r, (r.cp_name as string | null) ?? null));
    },
    mandate,
    async createMandate(u: AuthUser, b: W.MandateBody): Promise<W.Mandate> {
      const companyId = companyOf(u, b.companyId);
      return writeTransaction(ds, async (m) => {
        const c = await company(m, companyId);
        const name = await counterpartyName(m, b.counterpartyKind, b.counterpartyId);
        if (name === null) throw refused(422, 'REFERENCE_UNKNOWN', `deudor desconocido / unknown counterparty ${b.counterpartyId}`, 'counterpartyId');
        const cid = spanishCreditorId(c.nif);
        if (!cid.ok) throw sepaProblem(cid.error, 'creditor.');
        const v = validateMandate(
          { reference: b.reference, signedOn: b.signedOn, scheme: b.scheme, recurrence: b.recurrence, debtorName: b.debtorName ?? name, debtorIban: b.debtorIban, debtorBic: b.debtorBic, creditorId: cid.value },
          today(clock),
        );
        if (!v.ok) throw sepaProblem(v.error);
        if (await one(m, `SELECT id FROM sepa_mandate WHERE company_id = ? AND reference = ?`, [companyId, v.value.reference])) {
          throw refused(409, 'MANDATE_REFERENCE_TAKEN', `ya existe un mandato con la referencia ${v.value.reference} / a mandate with reference ${v.value.reference} exists`, 'reference');
        }
        const id = newRowId(clock);
        const at = nowIso(clock);
        await exec(
          m,
          `INSERT INTO sepa_mandate (id, company_id, counterparty_kind, counterparty_id, reference, signed_on, scheme, recurrence, debtor_name, debtor_iban, debtor_bic, status, recharge_return_fee, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ${b.rechargeReturnFee ? truthy(m) : falsy(m)}, ?, ?)`,
          [id, companyId, b.counterpartyKind, b.counterpartyId, v.value.reference, v.value.signedOn, v.value.scheme, v.value.recurrence, v.value.debtorName, v.value.debtorIban, v.value.debtorBic, at, at],
        );
        await audit(m, u, 'sepa_mandate.create', 'sepa_mandate', id, companyId, { reference: v.value.reference, counterpartyId: b.counterpartyId });
        const r = await one<MandateRow>(m, `SELECT * FROM sepa_mandate WHERE id = ?`, [id]);
        return toMandate(r!, name);
      });
    },
    async updateMandate(u: AuthUser, id: string, b: W.MandatePatch): Promise<W.Mandate> {
      return writeTransaction(ds, async (m) => {
        const r = await mandateRow(m, u, id, true);
        if (!canAccessCompany(u, String(r.company_id))) throw forbidden();
        let iban = String(r.debtor_iban);
        let bic = (r.debtor_bic as string | null) ?? null;
        if (b.debtorIban !== undefined || b.debtorBic !== undefined) {
          const problems: SepaProblem[] = [];
          const ib = checkIban(b.debtorIban ?? iban, 'debtorIban');
          if ('problem' in ib) problems.push(ib.problem);
          else iban = ib.iban;
          const bc = checkBic(b.debtorBic === undefined ? bic : b.debtorBic, 'debtorBic');
          if ('problem' in bc) problems.push(bc.problem);
          else bic = bc.bic;
          if (problems.length > 0) throw sepaProblem(sepaError(problems));
        }
        const status = b.status ?? String(r.status);
        const recharge = b.rechargeReturnFee ?? bool(r.recharge_return_fee);
        await exec(m, `UPDATE sepa_mandate SET debtor_iban = ?, debtor_bic = ?, status = ?, revoked_on = ?, recharge_return_fee = ${recharge ? truthy(m) : falsy(m)}, updated_at = ? WHERE id = ?`, [
          iban, bic, status, status === 'revoked' ? ((r.revoked_on as string | null) ?? today(clock)) : null, nowIso(clock), id,
        ]);
        await audit(m, u, 'sepa_mandate.update', 'sepa_mandate', id, String(r.company_id), b);
        const after = await one<MandateRow>(m, `SELECT * FROM sepa_mandate WHERE id = ?`, [id]);
        return toMandate(after!, await counterpartyName(m, String(r.counterparty_kind), String(r.counterparty_id)));
      });
    },

    // ── Remittances ────────────────────────────────────────────────────────────────────────────────────
    async listRemittances(u: AuthUser, q: { companyId?: string | undefined; status?: string | undefined }): Promise<W.Remittance[]> {
      const s = scopeSql(u, 'company_id');
      const where: string[] = [];
      const params: unknown[] = [];
      if (q.companyId) {
        where.push('company_id = ?');
        params.push(q.companyId);
      }
      if (q.status) {
        where.push('status = ?');
        params.push(q.status);
      }
      const rows = await all<Record<string, unknown>>(ds.manager, `SELECT * FROM remittance WHERE 1 = 1${where.map((w) => ` AND ${w}`).join('')}${s.sql} ORDER BY created_at DESC, number DESC LIMIT 500`, [...params, ...s.params]);
      return rows.map(toRemittance);
    },
    remittance: (u: AuthUser, id: string) => remittanceDetail(ds.manager, u, id),
    async remittanceXml(u: AuthUser, id: string): Promise<{ fileId: string }> {
      const r = await remittanceDetail(ds.manager, u, id);
      if (!r.fileId) throw refused(404, 'FILE_NOT_FOUND', 'la remesa no tiene fichero / no file', 'id');
      return { fileId: r.fileId };
    },

    async createRemittance(u: AuthUser, b: W.RemittanceBody): Promise<W.RemittanceDetail> {
      const companyId = companyOf(u, b.companyId);
      // The bank needs the file before the collection date: a date already gone cannot be asked for.
      if (b.collectionDate <= today(clock)) throw refused(422, 'COLLECTION_DATE_PAST', `la fecha de cargo debe ser posterior a hoy (${today(clock)}) / the collection date must be after today`, 'collectionDate');
      const built = await writeTransaction(ds, async (m) => {
        const c = await company(m, companyId);
        const cid = spanishCreditorId(c.nif);
        if (!cid.ok) throw sepaProblem(cid.error, 'creditor.');
        // Candidates: receivable items of this company, open, with an active mandate of their counterparty.
        const itemFilter = b.itemIds ? ` AND i.id IN (${inList(b.itemIds.length)})` : ` AND i.due_date <= ?`;
        const items = await all<Record<string, unknown>>(
          m,
          `SELECT i.* FROM open_item i WHERE i.company_id = ? AND i.side = 'receivable' AND i.cancelled = ${falsy(m)} AND i.balance_cents > 0${itemFilter} ORDER BY i.due_date, i.document_ref, i.source_idx${forUpdate(m)}`,
          [companyId, ...(b.itemIds ?? [b.dueBy])],
        );
        if (b.itemIds) {
          const found = new Set(items.map((i) => String(i.id)));
          const missing = b.itemIds.findIndex((id) => !found.has(id));
          if (missing >= 0) throw refused(422, 'ITEM_NOT_REMITTABLE', `el vencimiento ${b.itemIds[missing]} no es un cobro pendiente de esta empresa / item is not an open receivable of this company`, `itemIds.${missing}`);
        }
        const live = items.length === 0 ? [] : await all<{ item_id: string; number: string }>(
          m,
          `SELECT ri.item_id, r.number FROM remittance_item ri JOIN remittance r ON r.id = ri.remittance_id WHERE ri.status <> 'returned' AND ri.item_id IN (${inList(items.length)})`,
          items.map((i) => i.id),
        );
        const liveOf = new Map(live.map((l) => [l.item_id, l.number]));
        if (b.itemIds) {
          const idx = b.itemIds.findIndex((id) => liveOf.has(id));
          if (idx >= 0) throw refused(409, 'ITEM_ALREADY_REMITTED', `el vencimiento ya está en la remesa ${liveOf.get(b.itemIds[idx]!)} / the item is already in remittance ${liveOf.get(b.itemIds[idx]!)}`, `itemIds.${idx}`);
        }
        const mandates = await all<MandateRow>(m, `SELECT * FROM sepa_mandate WHERE company_id = ? AND status = 'active' AND closed = ${falsy(m)} ORDER BY signed_on DESC, reference${forUpdate(m)}`, [companyId]);
        const mandateOf = new Map<string, MandateRow>();
        for (const md of mandates) {
          const key = `${String(md.counterparty_kind)}:${String(md.counterparty_id)}`;
          // Picking by date leaves out a mandate that cannot collect on that date (lapsed, signed later); a listed item says why.
          const usable = nextSequenceType({ reference: String(md.reference), recurrence: md.recurrence as 'recurrent', signedOn: String(md.signed_on) }, usageOf(md), b.collectionDate).ok;
          if (!mandateOf.has(key) && (usable || b.itemIds)) mandateOf.set(key, md);
        }
        const picked: Array<{ item: Record<string, unknown>; mandate: MandateRow }> = [];
        for (const item of items) {
          if (liveOf.has(String(item.id))) continue;
          const md = mandateOf.get(`${String(item.counterparty_kind)}:${String(item.counterparty_id)}`);
          if (!md) {
            if (b.itemIds) throw refused(422, 'NO_ACTIVE_MANDATE', `el deudor de ${String(item.document_ref)} no tiene un mandato SEPA activo / the debtor has no active SEPA mandate`, `itemIds.${b.itemIds.indexOf(String(item.id))}`);
            continue;
          }
          picked.push({ item, mandate: md });
        }
        if (picked.length === 0) throw refused(422, 'NOTHING_TO_REMIT', 'no hay vencimientos pendientes con mandato activo / no due items with an active mandate', b.itemIds ? 'itemIds' : 'dueBy');
        const usage = new Map<string, MandateUsage>(mandates.map((md) => [String(md.reference), usageOf(md)]));
        const plan = planSequenceTypes(
          picked.map((p) => ({ mandate: { reference: String(p.mandate.reference), recurrence: p.mandate.recurrence as 'recurrent' | 'one-off', signedOn: String(p.mandate.signed_on) }, collectionDate: b.collectionDate })),
          usage,
        );
        if (!plan.ok) throw sepaProblem(plan.error);
        const year = Number(b.collectionDate.slice(0, 4));
        const number = series('REM', year, await nextDocumentNumber(m, companyId, 'REM', year));
        const messageId = `${number}-${c.nif}`.slice(0, 35);
        const id = newRowId(clock);
        const debits: DirectDebitItem[] = picked.map((p, k) => ({
          endToEndId: `${number}-${String(k + 1).padStart(5, '0')}`,
          amountCents: Number(p.item.balance_cents),
          debtorName: String(p.mandate.debtor_name),
          debtorIban: String(p.mandate.debtor_iban),
          debtorBic: (p.mandate.debtor_bic as string | null) ?? null,
          mandateReference: String(p.mandate.reference),
          mandateSignedOn: String(p.mandate.signed_on),
          scheme: p.mandate.scheme as 'CORE' | 'B2B',
          sequence: plan.value.sequences[k]!,
          collectionDate: b.collectionDate,
          remittanceInfo: `${String(p.item.document_ref)} vto. ${String(p.item.due_date)}`,
        }));
        const doc = buildPain008({ messageId, createdAt: nowIso(clock).replace(/\.\d+Z$/, 'Z'), creditor: { name: c.legal_name, nif: c.nif, iban: c.iban ?? '', bic: null, creditorId: cid.value }, items: debits });
        if (!doc.ok) throw sepaProblem(doc.error);
        const total = debits.reduce((s, d) => s + d.amountCents, 0);
        const at = nowIso(clock);
        await exec(m, `INSERT INTO remittance (id, company_id, number, message_id, collection_date, due_by, status, item_count, total_cents, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, 'sent', ?, ?, ?, ?)`, [
          id, companyId, number, messageId, b.collectionDate, b.dueBy ?? null, debits.length, total, at, u.id,
        ]);
        for (const [k, p] of picked.entries()) {
          try {
            await exec(m, `INSERT INTO remittance_item (id, remittance_id, item_id, mandate_id, end_to_end_id, amount_cents, sequence_type, status) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending')`, [
              newRowId(clock), id, p.item.id, p.mandate.id, debits[k]!.endToEndId, debits[k]!.amountCents, debits[k]!.sequence,
            ]);
          } catch (e) {
            // Another remittance took the item meanwhile (UQ_remittance_item_live): the same refusal as the check above.
            if (/UQ_remittance_item_live|UNIQUE constraint failed: remittance_item\.item_id/.test(String((e as Error).message ?? e))) {
              throw refused(409, 'ITEM_ALREADY_REMITTED', `el vencimiento ${String(p.item.document_ref)} ya está en otra remesa / the item is already in another remittance`, b.itemIds ? `itemIds.${b.itemIds.indexOf(String(p.item.id))}` : 'dueBy');
            }
            throw e;
          }
        }
        for (const md of mandates) {
          const after = plan.value.usage.get(String(md.reference));
          if (!after || after.collections === Number(md.collections)) continue;
          await exec(m, `UPDATE sepa_mandate SET collections = ?, last_collection_on = ?, closed = ${after.closed ? truthy(m) : falsy(m)}, updated_at = ? WHERE id = ?`, [after.collections, after.lastCollectionOn, at, md.id]);
        }
        await audit(m, u, 'remittance.create', 'remittance', id, companyId, { number, items: debits.length, totalCents: total });
        return { id, number, xml: doc.value.xml };
      });
      // The file goes to the files area once the remittance is written (the files service keeps its own rows).
      const f = await files.save({ name: `${built.number}.xml`, mediaType: 'application/xml', purpose: 'export', owner: { companyId, storeId: null, createdBy: u.id }, data: Buffer.from(built.xml, 'utf8') });
      await writeTransaction(ds, (m) => exec(m, `UPDATE remittance SET file_id = ? WHERE id = ?`, [f.id, built.id]));
      return remittanceDetail(ds.manager, u, built.id);
    },

    async settle(u: AuthUser, id: string, settledOn: string): Promise<W.RemittanceDetail> {
      await writeTransaction(ds, async (m) => {
        const owner = await one<{ company_id: string }>(m, `SELECT company_id FROM remittance WHERE id = ?`, [id]);
        if (owner && !canAccessCompany(u, owner.company_id)) throw forbidden();
        const done = await settleRemittance(m, clock, id, settledOn, u.id);
        await audit(m, u, 'remittance.settle', 'remittance', id, done.companyId, { settledOn, lines: done.paymentIds.length });
      });
      return remittanceDetail(ds.manager, u, id);
    },

    async returns(u: AuthUser, id: string, b: W.ReturnsBody): Promise<W.RemittanceDetail> {
      await writeTransaction(ds, async (m) => {
        const r = await one<Record<string, unknown>>(m, `SELECT * FROM remittance WHERE id = ?${forUpdate(m)}`, [id]);
        if (!r) throw refused(404, 'REMITTANCE_NOT_FOUND', 'remesa no encontrada / remittance not found', 'id');
        if (!canAccessCompany(u, String(r.company_id))) throw forbidden();
        const seen = new Set<string>();
        const returned: string[] = [];
        for (const [k, ret] of b.returns.entries()) {
          const path = `returns.${k}`;
          const line = await one<Record<string, unknown>>(m, `SELECT * FROM remittance_item WHERE remittance_id = ? AND end_to_end_id = ?${forUpdate(m)}`, [id, ret.endToEndId]);
          if (!line) throw refused(422, 'RETURN_UNKNOWN_LINE', `la remesa no tiene la operación ${ret.endToEndId} / no line with end-to-end id ${ret.endToEndId}`, `${path}.endToEndId`);
          if (line.status === 'returned' || seen.has(ret.endToEndId)) throw refused(409, 'RETURN_ALREADY_RECORDED', `la operación ${ret.endToEndId} ya está devuelta / already returned`, `${path}.endToEndId`);
          seen.add(ret.endToEndId);
          const v = validateDebitReturn({ endToEndId: ret.endToEndId, reasonCode: ret.reasonCode, amountCents: Number(line.amount_cents), returnedOn: ret.returnedOn, bankFeeCents: ret.bankFeeCents });
          if (!v.ok) throw sepaProblem(v.error, `${path}.`);
          const reason = describeReturnReason(v.value.reasonCode);
          // A return after settlement takes the money back: the item is owed again. Before settlement (a reject) nothing was collected.
          if (line.status === 'settled') await takeBackSettledDebit(m, clock, u.id, line, v.value.returnedOn, `${reason.code} ${reason.es} / ${reason.en}`, `${path}.endToEndId`);
          let feeItemId: string | null = null;
          const md = await one<MandateRow>(m, `SELECT * FROM sepa_mandate WHERE id = ?`, [line.mandate_id]);
          if (v.value.bankFeeCents > 0 && bool(md!.recharge_return_fee)) {
            const item = await one<Record<string, unknown>>(m, `SELECT * FROM open_item WHERE id = ?`, [line.item_id]);
            // The bank's fee recharged to the debtor as a receivable of its own, due on the return date.
            feeItemId = await openItem(
              m,
              clock,
              {
                companyId: String(r.company_id), side: 'receivable', kind: 'return_fee', sourceId: String(line.id), sourceIdx: 0,
                documentRef: `DEV ${String(item!.document_ref)}`.slice(0, 60),
                counterparty: { kind: item!.counterparty_kind as 'company', id: String(item!.counterparty_id), name: (item!.counterparty_name as string | null) ?? null },
                storeId: (item!.store_id as string | null) ?? null, issueDate: v.value.returnedOn, dueDate: v.value.returnedOn, amountCents: v.value.bankFeeCents,
              },
              u.id,
              'remittance_return_fee',
            );
          }
          await exec(m, `UPDATE remittance_item SET status = 'returned', return_reason = ?, return_fee_cents = ?, returned_on = ?, fee_item_id = ? WHERE id = ?`, [v.value.reasonCode, v.value.bankFeeCents, v.value.returnedOn, feeItemId, line.id]);
          // A debit rejected before settlement was never collected: it does not count in the mandate's usage (the next one may be FRST again).
          if (line.status === 'pending') await recomputeUsage(m, String(line.mandate_id));
          returned.push(String(line.id));
        }
        await documentPosted(m, clock, { type: 'remittance.returned', remittanceId: id, lineIds: returned }, u.id);
        await audit(m, u, 'remittance.returns', 'remittance', id, String(r.company_id), { returns: b.returns });
      });
      return remittanceDetail(ds.manager, u, id);
    },

    // ── Supplier transfers ─────────────────────────────────────────────────────────────────────────────
    async transfer(u: AuthUser, b: W.TransferBody): Promise<W.TransferBatch> {
      const companyId = companyOf(u, b.companyId);
      const built = await writeTransaction(ds, async (m) => {
        const c = await company(m, companyId);
        const year = Number(b.executionDate.slice(0, 4));
        const number = series('TRF', year, await nextDocumentNumber(m, companyId, 'TRF', year));
        const messageId = `${number}-${c.nif}`.slice(0, 35);
        const rows: Array<{ item: Record<string, unknown>; amount: number; e2e: string }> = [];
        const seen = new Set<string>();
        for (const [k, it] of b.items.entries()) {
          const path = `items.${k}.itemId`;
          const item = await one<Record<string, unknown>>(m, `SELECT * FROM open_item WHERE id = ?${forUpdate(m)}`, [it.itemId]);
          if (!item || item.company_id !== companyId || item.side !== 'payable') throw refused(422, 'ITEM_NOT_PAYABLE', 'no es un pago pendiente de esta empresa / not a payable of this company', path);
          if (item.counterparty_kind === 'supplier') item.supplier_iban = (await one<{ iban: string | null }>(m, `SELECT iban FROM supplier WHERE id = ?`, [item.counterparty_id]))?.iban ?? null;
          if (bool(item.cancelled)) throw refused(409, 'ITEM_CANCELLED', 'vencimiento anulado / cancelled item', path);
          if (seen.has(it.itemId)) throw refused(422, 'ITEM_REPEATED', 'vencimiento repetido / item repeated', path);
          seen.add(it.itemId);
          const amount = it.amountCents ?? Number(item.balance_cents);
          if (amount <= 0 || amount > Number(item.balance_cents)) throw refused(422, 'AMOUNT_OVER_BALANCE', `importe mayor que el pendiente (${Number(item.balance_cents)}) / amount over the balance`, `items.${k}.amountCents`);
          rows.push({ item, amount, e2e: `${number}-${String(k + 1).padStart(5, '0')}` });
        }
        const transfers: CreditTransferItem[] = rows.map((x) => ({
          endToEndId: x.e2e, amountCents: x.amount, creditorName: String(x.item.counterparty_name ?? 'Proveedor'), creditorIban: String(x.item.supplier_iban ?? ''), creditorBic: null,
          remittanceInfo: `Factura ${String(x.item.document_ref)}`, executionDate: b.executionDate,
        }));
        const doc = buildPain001({ messageId, createdAt: nowIso(clock).replace(/\.\d+Z$/, 'Z'), debtor: { name: c.legal_name, nif: c.nif, iban: c.iban ?? '' }, items: transfers });
        if (!doc.ok) throw sepaProblem(doc.error);
        const id = newRowId(clock);
        const total = rows.reduce((s, x) => s + x.amount, 0);
        await exec(m, `INSERT INTO transfer_batch (id, company_id, number, message_id, execution_date, item_count, total_cents, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
          id, companyId, number, messageId, b.executionDate, rows.length, total, nowIso(clock), u.id,
        ]);
        const paymentIds: string[] = [];
        for (const x of rows) {
          const lineId = newRowId(clock);
          const pid = await paymentFor(m, clock, u.id, { companyId, side: 'payable', item: x.item, method: 'transfer', amountCents: x.amount, onDate: b.executionDate, reference: `${number} ${x.e2e}`, sourceKind: 'transfer_item', sourceId: lineId });
          await exec(m, `INSERT INTO transfer_item (id, batch_id, item_id, payment_id, end_to_end_id, amount_cents) VALUES (?, ?, ?, ?, ?, ?)`, [lineId, id, x.item.id, pid, x.e2e, x.amount]);
          await documentPosted(m, clock, { type: 'payment.recorded', paymentId: pid }, u.id);
          paymentIds.push(pid);
        }
        await audit(m, u, 'transfer_batch.create', 'transfer_batch', id, companyId, { number, items: rows.length, totalCents: total });
        return { id, number, messageId, total, count: rows.length, paymentIds, xml: doc.value.xml };
      });
      const f = await files.save({ name: `${built.number}.xml`, mediaType: 'application/xml', purpose: 'export', owner: { companyId, storeId: null, createdBy: u.id }, data: Buffer.from(built.xml, 'utf8') });
      await writeTransaction(ds, (m) => exec(m, `UPDATE transfer_batch SET file_id = ? WHERE id = ?`, [f.id, built.id]));
      return { id: built.id, companyId, number: built.number, messageId: built.messageId, executionDate: b.executionDate, itemCount: built.count, totalCents: built.total, fileId: f.id, paymentIds: built.paymentIds };
    },
  };
}

