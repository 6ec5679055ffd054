/**
 * Supplier invoices received — use cases, each one transaction:
 *
 * - `prefill`: lines from one or several goods receipts of a supplier, at the order's prices, for what is
 *   not invoiced yet (the form edits them before recording);
 * - `check` / `record`: validates the header and lines, works out the amounts (`invoiceAmounts`: net prices,
 *   IVA and recargo per rate group, IRPF) and the three-way match per line (`matchLine`); `record` stores it
 *   as `recorded` (no differences: may be posted) or `pending_approval` (differences: someone with
 *   `payables.admin` approves with a note — which posts it — or rejects it);
 * - `post`: numbers it in the company's register of invoices received (RC-yyyy-nnnnnn, gapless), writes its
 *   tax rows (the VAT book) and its due dates from the supplier's payment terms (payables). Idempotent.
 *
 * Refusals are problem+json naming the field, thrown before anything is written (the transaction rolls back).
 * Scope: the receiving company must be one the caller may act for; every receipt line must be of that
 * company and that supplier.
 */
import { postSupplierInvoiceToLedger } from '../collections/ledger';
import { documentPosted } from '../platform/document-events';
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { HttpProblem, problem } from '@tpv/shared/problem';
import { invoiceAmounts, lineBase } from '@tpv/shared/invoicing/amounts';
import { dueDatesOf } from '@tpv/shared/invoicing/documents';
import { matchLine, receivedMilliOf } from '@tpv/shared/invoicing/match';
import type * as W from '@tpv/shared/wire/http/supplier-invoices';
import { canAccessCompany, visibleCompanyIds, type AuthUser } from '../auth/service';
import { forbidden, notFound } from '../auth/http';
import { refused } from '../platform/api';
import { recordAudit } from '../platform/audit';
import { nextDocumentNumber } from '../platform/numbering';
import { constraintViolation } from '../persistence/constraints';
import { newRowId } from '../persistence/row-id';
import { writeTransaction } from '../persistence/raw';
import * as repo from './repository';

type FieldError = { path: string; message: string };
const invalid = (detail: string, errors: FieldError[]) => new HttpProblem(problem(422, 'VALUE_REFUSED', 'Request refused', { detail, errors }));
const iso = (clock: Clock) => new Date(clock.now()).toISOString();
const actor = (u: AuthUser) => ({ id: u.id, email: u.email });
/** The supplier's number as the uniqueness check compares it: upper case, no spaces. */
export const numberKey = (s: string) => s.toUpperCase().replace(/\s+/g, '');
const AMOUNT_FIELDS: Record<string, string> = { quantity: 'quantityMilli', unitPrice: 'unitPriceCents', discount: 'discountBp', ivaRate: 'ivaRateBp', reRate: 'reRateBp' };

const STATUS_ES: Record<W.SupplierInvoiceStatus, string> = { recorded: 'registrada', pending_approval: 'pendiente de aprobación', posted: 'contabilizada', rejected: 'rechazada' };

interface Evaluated {
  invoice: repo.NewInvoice;
  /** Products of the lines sold by weight (their quantities are grams, prices per kg). */
  weighed: Set<string>;
  lines: repo.NewLine[];
  taxes: ReadonlyArray<{ ivaRateBp: number; reRateBp: number; baseCents: number; ivaCents: number; reCents: number }>;
  supplier: repo.SupplierRef;
}

/** The company the invoice is received by: the one named, else the caller's own (HQ must name it). */
function companyOf(u: AuthUser, companyId: string | undefined): string {
  const id = companyId ?? (u.companyIds.length === 1 ? u.companyIds[0] : undefined);
  if (!id) throw refused(422, 'VALUE_REFUSED', 'Indique la empresa que recibe la factura / Name the company that receives the invoice', 'companyId');
  return id;
}

async function evaluate(m: EntityManager, clock: Clock, u: AuthUser, b: W.SupplierInvoiceBody, id: string): Promise<Evaluated> {
  const errors: FieldError[] = [];
  const companyId = companyOf(u, b.companyId);
  if (!(await repo.companyExists(m, companyId))) throw refused(422, 'REFERENCE_UNKNOWN', `empresa desconocida / unknown company ${companyId}`, 'companyId');
  if (!canAccessCompany(u, companyId)) throw forbidden();
  const supplier = await repo.supplierRef(m, b.supplierId);
  if (!supplier) throw refused(422, 'REFERENCE_UNKNOWN', `proveedor desconocido / unknown supplier ${b.supplierId}`, 'supplierId');
  if (b.receivedDate < b.invoiceDate) errors.push({ path: 'receivedDate', message: 'recibida antes de su fecha / received before its own date' });
  if (b.receivedDate > new Date(clock.now()).toISOString().slice(0, 10)) errors.push({ path: 'receivedDate', message: 'fecha futura / a date in the future' });

  const receiptIds = [...new Set(b.lines.flatMap((l) => (l.receiptId ? [l.receiptId] : [])))];
  const refs = new Map((await repo.receiptLinesOf(m, receiptIds)).map((r) => [`${r.receiptId}:${r.lineNo}`, r]));
  const taken = await repo.alreadyInvoiced(m, receiptIds, id);
  const seen = new Set<string>();
  b.lines.forEach((l, i) => {
    if ((l.receiptId === null) !== (l.receiptLineNo === null)) {
      errors.push({ path: `lines.${i}.${l.receiptId === null ? 'receiptId' : 'receiptLineNo'}`, message: 'albarán y línea van juntos / receipt and receipt line go together' });
      return;
    }
    if (l.receiptId === null) {
      if (!l.description) errors.push({ path: `lines.${i}.description`, message: 'una línea sin albarán necesita descripción / a line without a receipt needs a description' });
      return;
    }
    const key = `${l.receiptId}:${l.receiptLineNo}`;
    const ref = refs.get(key);
    if (!ref) errors.push({ path: `lines.${i}.receiptLineNo`, message: `línea de albarán desconocida / unknown goods receipt line ${key}` });
    else if (ref.companyId !== companyId) errors.push({ path: `lines.${i}.receiptId`, message: `el albarán ${ref.receiptNumber} es de otra empresa / receipt ${ref.receiptNumber} belongs to another company` });
    else if (ref.supplierId !== b.supplierId) errors.push({ path: `lines.${i}.receiptId`, message: `el albarán ${ref.receiptNumber} es de otro proveedor / receipt ${ref.receiptNumber} is of another supplier` });
    if (seen.has(key)) errors.push({ path: `lines.${i}.receiptLineNo`, message: 'la misma línea de albarán dos veces / the same receipt line twice' });
    seen.add(key);
  });
  const amounts = invoiceAmounts(b.lines.map((l) => ({ quantityMilli: l.quantityMilli, unitPriceCents: l.unitPriceCents, discountBp: l.discountBp, ivaRateBp: l.ivaRateBp, reRateBp: l.reRateBp })), b.irpfBp);
  if (!amounts.ok) {
    const d = amounts.error.details;
    errors.push({ path: d?.index !== undefined ? `lines.${d.index}.${AMOUNT_FIELDS[d.field ?? ''] ?? d.field}` : (d?.field ?? 'lines'), message: amounts.error.message });
  }
  if (errors.length || !amounts.ok) throw invalid('La factura tiene datos no válidos / The invoice has invalid values', errors);

  const lines: repo.NewLine[] = b.lines.map((l, i) => {
    const ref = l.receiptId ? refs.get(`${l.receiptId}:${l.receiptLineNo}`)! : null;
    const t = ref ? taken.get(`${ref.receiptId}:${ref.lineNo}`) : undefined;
    const differences = matchLine(
      l,
      ref && {
        receivedMilli: receivedMilliOf(ref.quantity, ref.weighed), alreadyInvoicedMilli: t?.milli ?? 0, alreadyInvoicedBy: t?.numbers ?? [],
        orderUnitCostCents: ref.unitCostCents, orderDiscountBp: ref.discountBp, orderTaxRateBp: ref.taxRateBp, priceToleranceBp: supplier.priceToleranceBp,
      },
    );
    return {
      lineNo: i + 1, receiptId: ref?.receiptId ?? null, receiptLineNo: ref?.lineNo ?? null, orderId: ref?.orderId ?? null, orderLineNo: ref?.orderLineNo ?? null,
      productId: ref?.productId ?? null, description: l.description ?? ref?.name ?? '', quantityMilli: l.quantityMilli, unitPriceCents: l.unitPriceCents,
      discountBp: l.discountBp, ivaRateBp: l.ivaRateBp, reRateBp: l.reRateBp, baseCents: amounts.value.lineBases[i]!, differences: differences as W.MatchDifference[],
    };
  });
  const differenceCount = lines.filter((l) => l.differences.length > 0).length;
  const a = amounts.value;
  return {
    supplier,
    weighed: new Set([...refs.values()].filter((r) => r.weighed).map((r) => r.productId)),
    taxes: a.taxes.map((t) => ({ ivaRateBp: t.ivaRateBp, reRateBp: t.reRateBp, baseCents: t.baseCents, ivaCents: t.ivaCents, reCents: t.reCents })),
    lines,
    invoice: {
      id, companyId, supplierId: b.supplierId, supplierNumber: b.supplierNumber, numberKey: numberKey(b.supplierNumber), invoiceDate: b.invoiceDate,
      operationDate: b.operationDate, receivedDate: b.receivedDate, period: b.period ?? b.receivedDate.slice(0, 7), status: differenceCount ? 'pending_approval' : 'recorded',
      irpfBp: b.irpfBp, baseCents: a.baseCents, ivaCents: a.ivaCents, reCents: a.reCents, irpfCents: a.irpfCents, totalCents: a.totalCents, differenceCount,
      note: b.note, createdAt: iso(clock), createdBy: u.id,
    },
  };
}

const duplicate = (num: string) =>
  refused(409, 'DUPLICATE_SUPPLIER_INVOICE', `La factura ${num} de este proveedor ya está registrada / Invoice ${num} of this supplier is already recorded`, 'supplierNumber');

export function createSupplierInvoiceService(ds: DataSource, clock: Clock) {
  async function visible(m: EntityManager, u: AuthUser, id: string, lock = false): Promise<repo.HeaderRow> {
    const h = await repo.invoiceById(m, id, lock);
    if (!h) throw notFound(`supplier invoice ${id}`);
    if (!canAccessCompany(u, h.companyId)) throw forbidden();
    return h;
  }
  async function detailOf(m: EntityManager, id: string): Promise<W.SupplierInvoiceDetail> {
    const h = (await repo.invoiceById(m, id))!;
    return { ...h, lines: await repo.linesOf(m, id), taxes: await repo.taxesOf(m, id), dues: await repo.duesOf(m, id) };
  }

  /** Numbers it in the register, writes its tax rows and its due dates (payables). Inside the caller's transaction. */
  async function postIn(m: EntityManager, u: AuthUser, h: repo.HeaderRow, from: W.SupplierInvoiceStatus, decision: { note: string } | null): Promise<void> {
    const supplier = (await repo.supplierRef(m, h.supplierId))!;
    const lines = await repo.linesOf(m, h.id);
    const a = invoiceAmounts(lines as Parameters<typeof invoiceAmounts>[0], h.irpfBp);
    if (!a.ok) throw new Error(`a recorded invoice no longer adds up: ${a.error.message}`);
    const year = Number(h.period.slice(0, 4));
    const seq = await nextDocumentNumber(m, h.companyId, 'supplier_invoice', year);
    const registerNumber = `RC-${year}-${String(seq).padStart(6, '0')}`;
    const at = iso(clock);
    const set: Record<string, unknown> = { register_number: registerNumber, posted_at: at, posted_by: u.id };
    if (decision) Object.assign(set, { decision_note: decision.note, decided_at: at, decided_by: u.id });
    if (!(await repo.transition(m, h.id, [from], 'posted', set))) throw refused(409, 'STATE_CHANGED', 'La factura cambió mientras tanto / The invoice changed meanwhile');
    await repo.insertTaxes(m, h.id, a.value.taxes);
    const dues = dueDatesOf(h.invoiceDate, a.value.totalCents, [supplier.paymentTermsDays]);
    await repo.insertDues(m, h.id, h.companyId, h.supplierId, dues);
    await postSupplierInvoiceToLedger(m, clock, h.id, u.id);
    await documentPosted(m, clock, { type: 'supplier_invoice.posted', invoiceId: h.id }, u.id);
    await recordAudit(m, clock, {
      actor: actor(u), action: decision ? 'supplier_invoice.approve' : 'supplier_invoice.post', entity: 'supplier_invoice', entityId: h.id, companyId: h.companyId,
      before: { status: from }, after: { status: 'posted', registerNumber, dues, ...(decision ? { note: decision.note } : {}) },
    });
  }

  return {
    list: (u: AuthUser, f: Omit<repo.InvoiceFilter, 'companyIds'>, sort: keyof typeof repo.INVOICE_SORTS, dir: 'asc' | 'desc', limit: number, offset: number) =>
      repo.listInvoices(ds.manager, { ...f, companyIds: visibleCompanyIds(u) }, sort, dir, limit, offset),

    async detail(u: AuthUser, id: string): Promise<W.SupplierInvoiceDetail> {
      await visible(ds.manager, u, id);
      return detailOf(ds.manager, id);
    },

    /** Receipts of the supplier (the caller's companies) with something left to invoice. */
    async invoiceableReceipts(u: AuthUser, supplierId: string, companyId?: string) {
      if (companyId && !canAccessCompany(u, companyId)) throw forbidden();
      const lines = await repo.receiptLinesOfSupplier(ds.manager, supplierId, visibleCompanyIds(u), companyId);
      const taken = await repo.alreadyInvoiced(ds.manager, [...new Set(lines.map((l) => l.receiptId))], null);
      const out = new Map<string, { id: string; number: string; orderId: string; orderNumber: string | null; companyId: string; postedAt: string; baseCents: number }>();
      for (const l of lines) {
        const left = receivedMilliOf(l.quantity, l.weighed) - (taken.get(`${l.receiptId}:${l.lineNo}`)?.milli ?? 0);
        if (left <= 0) continue;
        const e = out.get(l.receiptId) ?? { id: l.receiptId, number: l.receiptNumber, orderId: l.orderId, orderNumber: l.orderNumber, companyId: l.companyId, postedAt: l.postedAt, baseCents: 0 };
        // The left quantity at the order's net price (per unit, or per kg: thousandths of a kg = grams).
        e.baseCents += lineBase({ quantityMilli: left, unitPriceCents: l.unitCostCents, discountBp: l.discountBp });
        out.set(l.receiptId, e);
      }
      return [...out.values()];
    },

    /** Invoice lines for what is left to invoice of the receipts, at the order's prices and IVA. */
    async prefill(u: AuthUser, b: { companyId?: string | undefined; supplierId: string; receiptIds: string[] }): Promise<W.SupplierInvoiceLineBody[]> {
      const companyId = companyOf(u, b.companyId);
      if (!canAccessCompany(u, companyId)) throw forbidden();
      const lines = await repo.receiptLinesOf(ds.manager, b.receiptIds);
      const errors: FieldError[] = [];
      b.receiptIds.forEach((rid, i) => {
        const l = lines.find((x) => x.receiptId === rid);
        if (!l) errors.push({ path: `receiptIds.${i}`, message: `albarán desconocido / unknown goods receipt ${rid}` });
        else if (l.companyId !== companyId || l.supplierId !== b.supplierId) errors.push({ path: `receiptIds.${i}`, message: `el albarán ${l.receiptNumber} no es de este proveedor y empresa / receipt ${l.receiptNumber} is not of this supplier and company` });
      });
      if (errors.length) throw invalid('Albaranes no válidos / Invalid goods receipts', errors);
      const taken = await repo.alreadyInvoiced(ds.manager, b.receiptIds, null);
      return lines.flatMap((l) => {
        const left = receivedMilliOf(l.quantity, l.weighed) - (taken.get(`${l.receiptId}:${l.lineNo}`)?.milli ?? 0);
        return left > 0
          ? [{ receiptId: l.receiptId, receiptLineNo: l.lineNo, description: l.name, quantityMilli: left, unitPriceCents: l.unitCostCents, discountBp: l.discountBp, ivaRateBp: l.taxRateBp as 2100, reRateBp: 0 }]
          : [];
      });
    },

    /** What recording would store (amounts and the match per line), writing nothing. */
    async check(u: AuthUser, b: W.SupplierInvoiceBody): Promise<W.SupplierInvoiceDetail> {
      const e = await evaluate(ds.manager, clock, u, b, '');
      const dup = await repo.invoiceByNumber(ds.manager, b.supplierId, e.invoice.numberKey);
      if (dup) throw duplicate(dup.supplierNumber);
      return {
        ...e.invoice, companyName: '', supplierName: e.supplier.name, supplierNif: e.supplier.nif, registerNumber: null, decisionNote: null, decidedAt: null, decidedBy: null, postedAt: null,
        lines: e.lines.map((l) => ({ ...l, receiptNumber: null, orderNumber: null, weighed: e.weighed.has(l.productId ?? '') })), taxes: [...e.taxes], dues: [],
      };
    },

    async record(u: AuthUser, b: W.SupplierInvoiceBody): Promise<W.SupplierInvoiceDetail> {
      const id = newRowId(clock);
      try {
        await writeTransaction(ds, async (m) => {
          const e = await evaluate(m, clock, u, b, id);
          const dup = await repo.invoiceByNumber(m, b.supplierId, e.invoice.numberKey);
          if (dup) throw duplicate(dup.supplierNumber);
          await repo.insertInvoice(m, e.invoice, e.lines);
          await recordAudit(m, clock, { actor: actor(u), action: 'supplier_invoice.record', entity: 'supplier_invoice', entityId: id, companyId: e.invoice.companyId, after: { ...e.invoice, lines: e.lines } });
        });
      } catch (err) {
        // Two recordings of the same number at once: the unique index refuses the second.
        if (constraintViolation(err)?.kind === 'unique') throw duplicate(b.supplierNumber);
        throw err;
      }
      return detailOf(ds.manager, id);
    },

    /** Posts an invoice without differences; one waiting for approval: 409; a posted one answers as it is. */
    async post(u: AuthUser, id: string): Promise<W.SupplierInvoiceDetail> {
      await writeTransaction(ds, async (m) => {
        const h = await visible(m, u, id, true);
        if (h.status === 'posted') return;
        if (h.status === 'pending_approval') {
          throw refused(409, 'NEEDS_APPROVAL', `La factura tiene ${h.differenceCount} línea(s) con diferencias: debe aprobarse / The invoice has ${h.differenceCount} line(s) with differences: it needs approval`);
        }
        if (h.status !== 'recorded') throw refused(409, 'NOT_POSTABLE', `Una factura ${STATUS_ES[h.status]} no se contabiliza / A ${h.status} invoice cannot be posted`);
        await postIn(m, u, h, 'recorded', null);
      });
      return detailOf(ds.manager, id);
    },

    /** Approves the differences with a note: the invoice posts. */
    async approve(u: AuthUser, id: string, note: string): Promise<W.SupplierInvoiceDetail> {
      await writeTransaction(ds, async (m) => {
        const h = await visible(m, u, id, true);
        if (h.status !== 'pending_approval') throw refused(409, 'NOT_PENDING', `La factura está ${STATUS_ES[h.status]}: no espera aprobación / The invoice is ${h.status.replace('_', ' ')}: nothing to approve`);
        await postIn(m, u, h, 'pending_approval', { note });
      });
      return detailOf(ds.manager, id);
    },

    /** Rejects it with a note: it stays for the record, out of the books and payables, its receipt lines free again. */
    async reject(u: AuthUser, id: string, note: string): Promise<W.SupplierInvoiceDetail> {
      await writeTransaction(ds, async (m) => {
        const h = await visible(m, u, id, true);
        if (h.status !== 'pending_approval' && h.status !== 'recorded') throw refused(409, 'NOT_PENDING', `Una factura ${STATUS_ES[h.status]} no se puede rechazar / A ${h.status} invoice cannot be rejected`);
        const at = iso(clock);
        if (!(await repo.transition(m, id, [h.status], 'rejected', { decision_note: note, decided_at: at, decided_by: u.id }))) throw refused(409, 'STATE_CHANGED', 'La factura cambió mientras tanto / The invoice changed meanwhile');
        await recordAudit(m, clock, { actor: actor(u), action: 'supplier_invoice.reject', entity: 'supplier_invoice', entityId: id, companyId: h.companyId, before: { status: h.status }, after: { status: 'rejected', note } });
      });
      return detailOf(ds.manager, id);
    },
  };
}
export type SupplierInvoiceService = ReturnType<typeof createSupplierInvoiceService>;
