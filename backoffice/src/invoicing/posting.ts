/**
 * The invoicing core every kind of issued invoice goes through (manual, franchise fees, wholesale, F3 at HQ,
 * credit notes): a draft is written with its lines and amounts; posting numbers it gapless in its series
 * (per company, series and year), writes its tax breakdown and due dates, and appends its Veri*Factu alta to
 * the issuing company's back-office chain — all in the caller's transaction. A posted invoice never changes;
 * cancelling it (anulación) appends an anulación record and keeps the row.
 *
 * Refusals throw an HTTP problem (422 naming the field, 409 for a state or a taken source); the transaction
 * then writes nothing.
 */
import type { Clock } from '@tpv/shared/clock';
import { HttpProblem, problem } from '@tpv/shared/problem';
import { createAlta, createAnulacion, type FiscalRecord, type InvoiceRef } from '@tpv/shared/fiscal/record';
import { fiscalDate, fiscalDateTime } from '@tpv/shared/fiscal/datetime';
import { invoiceAmounts, type InvoiceAmounts, type InvoiceLineInput, type InvoiceTaxRow } from '@tpv/shared/invoicing/amounts';
import {
  dueDatesOf,
  invoiceCounterType,
  invoiceNumber,
  INVOICE_SERIES,
  type HqInvoiceType,
  type InvoiceSource,
  type RectificationMethod,
} from '@tpv/shared/invoicing/documents';
import { validateNif } from '@tpv/shared/nif';
import { canAccessCompany } from '../auth/service';
import { cancelInvoiceInLedger, postInvoiceToLedger } from '../collections/ledger';
import { documentPosted } from '../platform/document-events';
import { auditActorOf, type DocumentActor } from '../platform/actor';
import { refused } from '../platform/api';
import { recordAudit } from '../platform/audit';
import { nextDocumentNumber } from '../platform/numbering';
import { newRowId } from '../persistence/row-id';
import { all, exec, forUpdate, num, one, bool, type Db } from '../persistence/sql';

type FieldError = { path: string; message: string };
const invalid = (detail: string, errors: FieldError[]) => new HttpProblem(problem(422, 'VALUE_REFUSED', 'Request refused', { detail, errors }));
const iso = (clock: Clock) => new Date(clock.now()).toISOString();
/** dd-mm-yyyy (AEAT) from yyyy-mm-dd. */
export const aeatDate = (isoDate: string) => `${isoDate.slice(8, 10)}-${isoDate.slice(5, 7)}-${isoDate.slice(0, 4)}`;

export interface DraftInvoiceLine extends InvoiceLineInput {
  description: string;
  productId?: string | null;
  storeId?: string | null;
  /** What the line was made from (a delivery note id, `store:<id>` for a fee line…). */
  sourceRef?: string | null;
}

export interface DraftRecipient {
  companyId?: string | null;
  customerId?: string | null;
  supplierId?: string | null;
  /** Spanish NIF (validated) or, with a foreign country, the foreign tax id. */
  nif: string | null;
  name: string;
  address?: string | null;
  /** ISO 3166 alpha-2, default ES. */
  country?: string;
}

export interface DraftInvoiceInput {
  companyId: string;
  storeId?: string | null;
  invoiceType: HqInvoiceType;
  source: InvoiceSource;
  /** One invoice per key and company (`fee:<contract>:<yyyy-mm>`); a second is refused with 409 INVOICE_SOURCE_TAKEN. */
  sourceKey?: string | null;
  recipient: DraftRecipient;
  reRegime?: boolean;
  irpfBp?: number;
  /** Days after issue of each instalment ([30], [30, 60]); default [0]. */
  paymentDays?: number[];
  paymentMethod?: string | null;
  operationDate?: string | null;
  periodFrom?: string | null;
  periodTo?: string | null;
  language?: 'es' | 'en';
  /** Credit notes (R1–R4): the posted invoice they rectify. */
  rectifies?: { invoiceId: string; method: RectificationMethod; reason: string } | null;
  description?: string | null;
  notes?: string | null;
  runId?: string | null;
  lines: DraftInvoiceLine[];
  /**
   * Tax rows fixed by the source instead of worked out from the lines (an F3 replacing a till ticket: its
   * bases and cuotas per rate were computed from gross prices and must be reproduced to the cent). Then the
   * lines are one per row with the row's base as net price, and the invoice's amounts are these rows'.
   * Stored in `invoice.explicit_taxes`; posting writes them as the tax rows.
   */
  explicitTaxes?: InvoiceTaxRow[] | null;
}

/** The amounts of an invoice from fixed tax rows (no IRPF); each line's base must be its row's base. */
export function amountsFromTaxes(taxes: readonly InvoiceTaxRow[], lineBases: readonly number[]): InvoiceAmounts {
  const sum = (f: (t: InvoiceTaxRow) => number) => taxes.reduce((s, t) => s + f(t), 0);
  const base = sum((t) => t.baseCents), iva = sum((t) => t.ivaCents), re = sum((t) => t.reCents);
  return { lineBases, taxes, baseCents: base, ivaCents: iva, reCents: re, irpfCents: 0, totalCents: base + iva + re, taxCents: iva + re, grossCents: base + iva + re };
}

/** Checks a recipient (name, country, NIF validated for Spain); pushes field errors, answers the normalised NIF. */
export function checkRecipient(r: DraftRecipient, type: HqInvoiceType, errors: FieldError[]): string | null {
  if (!r.name || r.name.trim() === '' || r.name.length > 200) errors.push({ path: 'recipient.name', message: 'nombre del destinatario obligatorio / recipient name required (1–200)' });
  const country = r.country ?? 'ES';
  if (!/^[A-Z]{2}$/.test(country)) errors.push({ path: 'recipient.country', message: 'país ISO de dos letras / two-letter ISO country' });
  if (r.nif === null || r.nif.trim() === '') {
    // A full invoice identifies its recipient (RD 1619/2012 art. 6.1.d).
    if (type === 'F1' || type === 'F3') errors.push({ path: 'recipient.nif', message: 'NIF del destinatario obligatorio en una factura completa / a full invoice needs the recipient tax id' });
    return null;
  }
  if (country !== 'ES') {
    if (r.nif.length > 20) errors.push({ path: 'recipient.nif', message: 'identificador fiscal extranjero de hasta 20 caracteres / foreign tax id up to 20 characters' });
    return r.nif.trim();
  }
  const v = validateNif(r.nif);
  if (!v.ok) {
    errors.push({ path: 'recipient.nif', message: `NIF no válido / invalid NIF: ${v.error.message}` });
    return null;
  }
  return v.value.nif;
}

/**
 * Writes a draft invoice (lines priced, totals worked out). The caller has checked the actor's permission;
 * the issuing company's scope is checked here.
 */
export async function insertDraftInvoice(m: Db, clock: Clock, by: DocumentActor, input: DraftInvoiceInput): Promise<{ id: string; amounts: InvoiceAmounts }> {
  if (by.kind === 'user' && !canAccessCompany(by.user, input.companyId)) throw refused(404, 'COMPANY_NOT_FOUND', 'empresa no encontrada / company not found', 'companyId');
  const errors: FieldError[] = [];
  const company = await one<{ id: string }>(m, `SELECT id FROM company WHERE id = ?`, [input.companyId]);
  if (!company) errors.push({ path: 'companyId', message: 'empresa desconocida / unknown company' });
  const nif = checkRecipient(input.recipient, input.invoiceType, errors);
  input.lines.forEach((l, i) => {
    if (!l.description || l.description.trim() === '' || l.description.length > 500) errors.push({ path: `lines.${i}.description`, message: 'descripción obligatoria / description required (1–500)' });
  });
  const days = input.paymentDays ?? [0];
  if (days.length > 12 || days.some((d) => !Number.isSafeInteger(d) || d < 0 || d > 365)) errors.push({ path: 'paymentDays', message: 'plazos de 0 a 365 días, hasta 12 / 0–365 days, up to 12 instalments' });
  const isCredit = input.invoiceType.startsWith('R');
  if (isCredit !== (input.rectifies != null)) errors.push({ path: 'rectifies', message: isCredit ? 'una factura rectificativa indica la factura que rectifica / a credit note names the invoice it rectifies' : 'solo una rectificativa rectifica / only a credit note rectifies' });
  if (input.rectifies) {
    const orig = await one<{ status: string; company_id: string; invoice_type: string }>(m, `SELECT status, company_id, invoice_type FROM invoice WHERE id = ?`, [input.rectifies.invoiceId]);
    if (!orig || orig.company_id !== input.companyId) errors.push({ path: 'rectifies.invoiceId', message: 'factura a rectificar desconocida / unknown invoice to rectify' });
    else if (orig.status !== 'posted') errors.push({ path: 'rectifies.invoiceId', message: 'solo se rectifica una factura emitida y no anulada / only a posted, not cancelled invoice can be rectified' });
    else if (orig.invoice_type.startsWith('R')) errors.push({ path: 'rectifies.invoiceId', message: 'una rectificativa no se rectifica con otra / a credit note is not rectified by another' });
    if (!input.rectifies.reason || input.rectifies.reason.trim() === '') errors.push({ path: 'rectifies.reason', message: 'motivo obligatorio / reason required' });
  }
  const amounts = invoiceAmounts(input.lines, input.irpfBp ?? 0);
  if (!amounts.ok) {
    const d = amounts.error.details;
    errors.push({ path: d?.index !== undefined ? `lines.${d.index}.${d.field}` : (d?.field ?? 'lines'), message: amounts.error.message });
  }
  const explicit = input.explicitTaxes ?? null;
  if (explicit && amounts.ok) {
    // One line per fixed row, same base: the lines say what is invoiced, the rows what is taxed.
    const same = explicit.length === input.lines.length && explicit.every((t, i) => amounts.value.lineBases[i] === t.baseCents && input.lines[i]!.ivaRateBp === t.ivaRateBp);
    if (!same || (input.irpfBp ?? 0) !== 0) errors.push({ path: 'lines', message: 'con impuestos fijados, una línea por tipo con su base y sin IRPF / with fixed taxes, one line per rate with its base and no IRPF' });
  }
  if (errors.length > 0 || !amounts.ok) throw invalid('la factura tiene datos no válidos / the invoice has invalid data', errors);
  const a = explicit ? amountsFromTaxes(explicit, amounts.value.lineBases) : amounts.value;

  if (input.sourceKey) {
    const taken = await one<{ id: string; number: string | null }>(m, `SELECT id, number FROM invoice WHERE company_id = ? AND source_key = ?`, [input.companyId, input.sourceKey]);
    if (taken) throw refused(409, 'INVOICE_SOURCE_TAKEN', `ya existe una factura para ${input.sourceKey} (${taken.number ?? 'borrador'}) / an invoice already exists for it`);
  }
  const id = newRowId(clock);
  const now = iso(clock);
  await exec(
    m,
    `INSERT INTO invoice (id, company_id, store_id, invoice_type, source, source_key, status, operation_date, period_from, period_to, language,
       recipient_company_id, recipient_customer_id, recipient_supplier_id, recipient_nif, recipient_name, recipient_address, recipient_country,
       re_regime, irpf_bp, payment_days, payment_method, rectifies_invoice_id, rectification_method, rectification_reason, description, notes,
       base_cents, iva_cents, re_cents, irpf_cents, total_cents, run_id, created_at, created_by, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      id, input.companyId, input.storeId ?? null, input.invoiceType, input.source, input.sourceKey ?? null,
      input.operationDate ?? null, input.periodFrom ?? null, input.periodTo ?? null, input.language ?? 'es',
      input.recipient.companyId ?? null, input.recipient.customerId ?? null, input.recipient.supplierId ?? null, nif,
      input.recipient.name.trim(), input.recipient.address ?? null, input.recipient.country ?? 'ES',
      input.reRegime ?? false, input.irpfBp ?? 0, JSON.stringify(days), input.paymentMethod ?? null,
      input.rectifies?.invoiceId ?? null, input.rectifies?.method ?? null, input.rectifies?.reason ?? null,
      input.description ?? null, input.notes ?? null,
      a.baseCents, a.ivaCents, a.reCents, a.irpfCents, a.totalCents, input.runId ?? null, now, by.kind === 'user' ? by.user.id : null, now,
    ],
  );
  await insertLines(m, id, input.lines, a);
  if (explicit) await exec(m, `UPDATE invoice SET explicit_taxes = ? WHERE id = ?`, [JSON.stringify(explicit), id]);
  return { id, amounts: a };
}

async function insertLines(m: Db, invoiceId: string, lines: readonly DraftInvoiceLine[], a: InvoiceAmounts): Promise<void> {
  // Multi-row inserts (a wholesale invoice has hundreds of lines): 13 params per row, ≤ 900 params per statement.
  const per = 60;
  for (let s = 0; s < lines.length; s += per) {
    const chunk = lines.slice(s, s + per);
    const params: unknown[] = [];
    chunk.forEach((l, k) => {
      const i = s + k;
      params.push(invoiceId, i + 1, l.description.trim(), l.productId ?? null, l.storeId ?? null, l.sourceRef ?? null, l.quantityMilli, l.unitPriceCents, l.discountBp ?? 0, l.ivaRateBp, l.reRateBp ?? 0, l.exemption ?? null, a.lineBases[i]!);
    });
    await exec(
      m,
      `INSERT INTO invoice_line (invoice_id, line_no, description, product_id, store_id, source_ref, quantity_milli, unit_price_cents, discount_bp, iva_rate_bp, re_rate_bp, exemption, base_cents)
       VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      params,
    );
  }
}

/** Replaces a draft's lines and amounts (editing a posted invoice is refused: 409 INVOICE_POSTED). */
export async function replaceDraftLines(m: Db, clock: Clock, invoiceId: string, lines: DraftInvoiceLine[], irpfBp: number): Promise<InvoiceAmounts> {
  const row = await one<{ status: string }>(m, `SELECT status FROM invoice WHERE id = ?${forUpdate(m)}`, [invoiceId]);
  if (!row) throw refused(404, 'INVOICE_NOT_FOUND', 'factura no encontrada / invoice not found');
  if (row.status !== 'draft') throw refused(409, 'INVOICE_POSTED', 'una factura emitida no se modifica; emita una rectificativa / a posted invoice cannot be edited: issue a credit note', 'status');
  const amounts = invoiceAmounts(lines, irpfBp);
  if (!amounts.ok) {
    const d = amounts.error.details;
    throw invalid(amounts.error.message, [{ path: d?.index !== undefined ? `lines.${d.index}.${d.field}` : 'lines', message: amounts.error.message }]);
  }
  const a = amounts.value;
  await exec(m, `DELETE FROM invoice_line WHERE invoice_id = ?`, [invoiceId]);
  await insertLines(m, invoiceId, lines, a);
  await exec(m, `UPDATE invoice SET irpf_bp = ?, base_cents = ?, iva_cents = ?, re_cents = ?, irpf_cents = ?, total_cents = ?, updated_at = ? WHERE id = ?`, [irpfBp, a.baseCents, a.ivaCents, a.reCents, a.irpfCents, a.totalCents, iso(clock), invoiceId]);
  return a;
}

export interface PostedInvoice {
  id: string;
  number: string;
  issueDate: string;
  totalCents: number;
  record: FiscalRecord;
  /** True when this call posted it; false when it was already posted (posting is idempotent). */
  postedNow: boolean;
}

/** The issuing company's back-office installation name in its Veri*Factu chain. */
export const hqInstallation = (nif: string) => `HQ-${nif}`;

/** The last record of a company's back-office chain, locked for the append (null: the chain is empty). */
async function chainTip(m: Db, companyId: string): Promise<{ position: number; hash: string } | null> {
  const row = await one<{ chain_position: unknown; hash: string }>(
    m,
    `SELECT chain_position, hash FROM hq_fiscal_record WHERE company_id = ? ORDER BY chain_position DESC LIMIT 1${forUpdate(m)}`,
    [companyId],
  );
  return row ? { position: Number(row.chain_position), hash: row.hash } : null;
}

async function appendRecord(m: Db, clock: Clock, companyId: string, invoiceId: string, record: FiscalRecord, position: number): Promise<void> {
  await exec(
    m,
    `INSERT INTO hq_fiscal_record (company_id, chain_position, record_kind, invoice_id, invoice_number, hash, previous_hash, record, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [companyId, position, record.kind, invoiceId, record.invoiceNumber, record.hash, record.previousHash, JSON.stringify(record), iso(clock)],
  );
}

/**
 * Posts a draft: number, tax rows, due dates, Veri*Factu alta, audit — in `m`'s transaction. Posting an
 * invoice already posted answers it again (idempotent); a cancelled one is refused. `issueDate` (yyyy-mm-dd)
 * defaults to today in Madrid. For a credit note by difference, the amount credited over all the
 * invoice's credit notes may not exceed the invoice (409 CREDIT_ABOVE_REMAINING).
 */
export async function postInvoice(m: Db, clock: Clock, by: DocumentActor, invoiceId: string, opts: { issueDate?: string } = {}): Promise<PostedInvoice> {
  const inv = await one<Record<string, unknown>>(m, `SELECT * FROM invoice WHERE id = ?${forUpdate(m)}`, [invoiceId]);
  if (!inv) throw refused(404, 'INVOICE_NOT_FOUND', 'factura no encontrada / invoice not found');
  const companyId = String(inv.company_id);
  if (by.kind === 'user' && !canAccessCompany(by.user, companyId)) throw refused(404, 'INVOICE_NOT_FOUND', 'factura no encontrada / invoice not found');
  if (inv.status === 'posted') {
    const rec = await one<{ record: string }>(m, `SELECT record FROM hq_fiscal_record WHERE invoice_id = ? AND record_kind = 'alta'`, [invoiceId]);
    return { id: invoiceId, number: String(inv.number), issueDate: String(inv.issue_date), totalCents: Number(inv.total_cents), record: JSON.parse(rec!.record) as FiscalRecord, postedNow: false };
  }
  if (inv.status !== 'draft') throw refused(409, 'INVOICE_CANCELLED', 'factura anulada / the invoice is cancelled');
  const type = String(inv.invoice_type) as HqInvoiceType;
  const company = await one<{ nif: string }>(m, `SELECT nif FROM company WHERE id = ?`, [companyId]);
  const issueDate = opts.issueDate ?? isoDateOf(fiscalDate(clock.now()));
  const year = Number(issueDate.slice(0, 4));

  let rectified: InvoiceRef | undefined;
  let substituted: InvoiceRef[] | undefined;
  if (type.startsWith('R')) {
    const orig = await one<{ number: string; issue_date: string; total_cents: unknown; status: string }>(m, `SELECT number, issue_date, total_cents, status FROM invoice WHERE id = ?${forUpdate(m)}`, [inv.rectifies_invoice_id]);
    if (!orig || orig.status !== 'posted') throw refused(409, 'INVOICE_NOT_RECTIFIABLE', 'la factura rectificada no está emitida o está anulada / the rectified invoice is not posted or is cancelled', 'rectifies.invoiceId');
    rectified = { invoiceNumber: orig.number, issueDate: aeatDate(orig.issue_date) };
    if (inv.rectification_method === 'I') {
      const credited = await one<{ s: unknown }>(m, `SELECT COALESCE(SUM(total_cents), 0) AS s FROM invoice WHERE rectifies_invoice_id = ? AND status = 'posted' AND rectification_method = 'I'`, [inv.rectifies_invoice_id]);
      const origTotal = Number(orig.total_cents);
      const already = -Number(credited!.s);
      const thisOne = -Number(inv.total_cents);
      if (thisOne <= 0) throw refused(422, 'CREDIT_NOT_NEGATIVE', 'una rectificativa por diferencias reduce el importe / a credit note by difference must reduce the amount', 'lines');
      if (already + thisOne > origTotal) {
        throw refused(409, 'CREDIT_ABOVE_REMAINING', `el abono supera lo que queda de la factura (${((origTotal - already) / 100).toFixed(2)} €) / the credit note is above what remains of the invoice`, 'lines');
      }
    }
  } else if (type === 'F3') {
    const refs = await all<{ number: string; issue_date: string }>(m, `SELECT invoice_number AS number, issue_date FROM invoice_substitution WHERE invoice_id = ? ORDER BY idx`, [invoiceId]);
    substituted = refs.map((r) => ({ invoiceNumber: r.number, issueDate: r.issue_date }));
  }

  const seq = await nextDocumentNumber(m, companyId, invoiceCounterType(type), year);
  const number = invoiceNumber(type, year, seq);
  const total = Number(inv.total_cents) + Number(inv.irpf_cents); // ImporteTotal: before the IRPF withholding
  const taxCents = Number(inv.iva_cents) + Number(inv.re_cents);
  const tip = await chainTip(m, companyId);
  const alta = createAlta(
    {
      installation: hqInstallation(company!.nif),
      issuerNif: company!.nif,
      invoiceNumber: number,
      invoiceType: type,
      taxCents,
      totalCents: total,
      generatedAtMs: clock.now(),
      issueDate: aeatDate(issueDate),
      ...(rectified ? { rectified, rectificationMethod: (inv.rectification_method as 'S' | 'I') ?? 'I' } : {}),
      ...(substituted ? { substituted } : {}),
    },
    tip,
  );
  if (!alta.ok) throw refused(422, alta.error.code, alta.error.message);

  // Tax rows and due dates are derived from the stored lines, the one truth of the amounts.
  const lines = await all<Record<string, unknown>>(m, `SELECT quantity_milli, unit_price_cents, discount_bp, iva_rate_bp, re_rate_bp, exemption FROM invoice_line WHERE invoice_id = ? ORDER BY line_no`, [invoiceId]);
  const amounts = invoiceAmounts(
    lines.map((l) => ({
      quantityMilli: Number(l.quantity_milli),
      unitPriceCents: Number(l.unit_price_cents),
      discountBp: Number(l.discount_bp),
      ivaRateBp: Number(l.iva_rate_bp),
      reRateBp: Number(l.re_rate_bp),
      ...(l.exemption ? { exemption: l.exemption as 'E1' } : {}),
    })),
    Number(inv.irpf_bp),
  );
  if (!amounts.ok) throw refused(422, amounts.error.code, amounts.error.message);
  const fixed = inv.explicit_taxes ? (JSON.parse(String(inv.explicit_taxes)) as InvoiceTaxRow[]) : null;
  const a = fixed ? amountsFromTaxes(fixed, amounts.value.lineBases) : amounts.value;
  for (const [i, t] of a.taxes.entries()) {
    await exec(m, `INSERT INTO invoice_tax (invoice_id, idx, iva_rate_bp, re_rate_bp, exemption, base_cents, iva_cents, re_cents) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, [invoiceId, i, t.ivaRateBp, t.reRateBp, t.exemption ?? null, t.baseCents, t.ivaCents, t.reCents]);
  }
  const days = JSON.parse(String(inv.payment_days ?? '[0]')) as number[];
  for (const [i, d] of dueDatesOf(issueDate, a.totalCents, days).entries()) {
    await exec(m, `INSERT INTO invoice_due (invoice_id, idx, due_date, amount_cents) VALUES (?, ?, ?, ?)`, [invoiceId, i, d.dueDate, d.amountCents]);
  }
  await appendRecord(m, clock, companyId, invoiceId, alta.value, (tip?.position ?? 0) + 1);
  const now = iso(clock);
  await exec(
    m,
    `UPDATE invoice SET status = 'posted', series = ?, year = ?, seq = ?, number = ?, issue_date = ?, base_cents = ?, iva_cents = ?, re_cents = ?, irpf_cents = ?, total_cents = ?, posted_at = ?, posted_by = ?, updated_at = ? WHERE id = ?`,
    [INVOICE_SERIES[type], year, seq, number, issueDate, a.baseCents, a.ivaCents, a.reCents, a.irpfCents, a.totalCents, now, by.kind === 'user' ? by.user.id : null, now, invoiceId],
  );
  await postInvoiceToLedger(m, clock, invoiceId, by.kind === 'user' ? by.user.id : null);
  await documentPosted(m, clock, { type: 'invoice.posted', invoiceId }, by.kind === 'user' ? by.user.id : null);
  await recordAudit(m, clock, { actor: auditActorOf(by), action: 'invoice.post', entity: 'invoice', entityId: invoiceId, companyId, after: { number, issueDate, totalCents: a.totalCents, type } });
  return { id: invoiceId, number, issueDate, totalCents: a.totalCents, record: alta.value, postedNow: true };
}

/**
 * Anulación of an invoice issued in error (it should never have existed): appends the anulación record to
 * the chain and marks the invoice cancelled; the row and its number stay (the series keeps no hole). An
 * invoice with posted credit notes is refused: rectify it instead.
 */
export async function cancelInvoice(m: Db, clock: Clock, by: DocumentActor, invoiceId: string, reason: string): Promise<FiscalRecord> {
  if (!reason || reason.trim() === '') throw refused(422, 'VALUE_REFUSED', 'motivo de la anulación obligatorio / a reason is required', 'reason');
  const inv = await one<{ status: string; company_id: string; number: string; issue_date: string }>(m, `SELECT status, company_id, number, issue_date FROM invoice WHERE id = ?${forUpdate(m)}`, [invoiceId]);
  if (!inv || (by.kind === 'user' && !canAccessCompany(by.user, inv.company_id))) throw refused(404, 'INVOICE_NOT_FOUND', 'factura no encontrada / invoice not found');
  if (inv.status === 'draft') throw refused(409, 'INVOICE_DRAFT', 'un borrador se borra, no se anula / delete a draft instead', 'status');
  if (inv.status === 'cancelled') throw refused(409, 'INVOICE_CANCELLED', 'la factura ya está anulada / already cancelled', 'status');
  const credits = await one<{ n: unknown }>(m, `SELECT COUNT(*) AS n FROM invoice WHERE rectifies_invoice_id = ? AND status = 'posted'`, [invoiceId]);
  if (Number(credits!.n) > 0) throw refused(409, 'INVOICE_HAS_CREDIT_NOTES', 'la factura tiene rectificativas; no se puede anular / it has credit notes: it cannot be cancelled', 'status');
  await cancelInvoiceInLedger(m, clock, invoiceId);
  await documentPosted(m, clock, { type: 'invoice.cancelled', invoiceId }, by.kind === 'user' ? by.user.id : null);
  const company = await one<{ nif: string }>(m, `SELECT nif FROM company WHERE id = ?`, [inv.company_id]);
  const tip = await chainTip(m, inv.company_id);
  const rec = createAnulacion({ installation: hqInstallation(company!.nif), issuerNif: company!.nif, invoiceNumber: inv.number, issueDate: aeatDate(inv.issue_date), generatedAtMs: clock.now() }, tip);
  if (!rec.ok) throw refused(422, rec.error.code, rec.error.message);
  await appendRecord(m, clock, inv.company_id, invoiceId, rec.value, (tip?.position ?? 0) + 1);
  const now = iso(clock);
  await exec(m, `UPDATE invoice SET status = 'cancelled', cancelled_at = ?, cancelled_by = ?, cancel_reason = ?, updated_at = ? WHERE id = ?`, [now, by.kind === 'user' ? by.user.id : null, reason.trim(), now, invoiceId]);
  await recordAudit(m, clock, { actor: auditActorOf(by), action: 'invoice.cancel', entity: 'invoice', entityId: invoiceId, companyId: inv.company_id, after: { reason } });
  return rec.value;
}

/** yyyy-mm-dd from dd-mm-yyyy. */
export const isoDateOf = (aeat: string) => `${aeat.slice(6, 10)}-${aeat.slice(3, 5)}-${aeat.slice(0, 2)}`;

/** A company's back-office chain in order (the verifier CLI and the AEAT export read it). */
export async function hqChain(m: Db, companyId: string, fromPosition = 1, limit = 10_000): Promise<Array<{ position: number; invoiceId: string; record: FiscalRecord }>> {
  const rows = await all<{ chain_position: unknown; invoice_id: string; record: string }>(
    m,
    `SELECT chain_position, invoice_id, record FROM hq_fiscal_record WHERE company_id = ? AND chain_position >= ? ORDER BY chain_position LIMIT ?`,
    [companyId, fromPosition, limit],
  );
  return rows.map((r) => ({ position: Number(r.chain_position), invoiceId: r.invoice_id, record: JSON.parse(r.record) as FiscalRecord }));
}

export interface InvoiceView {
  id: string;
  companyId: string;
  storeId: string | null;
  invoiceType: HqInvoiceType;
  source: InvoiceSource;
  sourceKey: string | null;
  status: 'draft' | 'posted' | 'cancelled';
  number: string | null;
  issueDate: string | null;
  operationDate: string | null;
  periodFrom: string | null;
  periodTo: string | null;
  language: 'es' | 'en';
  recipient: { companyId: string | null; customerId: string | null; supplierId: string | null; nif: string | null; name: string; address: string | null; country: string };
  reRegime: boolean;
  irpfBp: number;
  paymentDays: number[];
  paymentMethod: string | null;
  rectifies: { invoiceId: string; number: string | null; issueDate: string | null; method: RectificationMethod; reason: string | null } | null;
  description: string | null;
  notes: string | null;
  baseCents: number;
  ivaCents: number;
  reCents: number;
  irpfCents: number;
  totalCents: number;
  runId: string | null;
  pdfFileId: string | null;
  createdAt: string;
  postedAt: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  lines: Array<{ lineNo: number; description: string; productId: string | null; storeId: string | null; sourceRef: string | null; quantityMilli: number; unitPriceCents: number; discountBp: number; ivaRateBp: number; reRateBp: number; exemption: string | null; baseCents: number }>;
  taxes: Array<{ ivaRateBp: number; reRateBp: number; exemption: string | null; baseCents: number; ivaCents: number; reCents: number }>;
  dues: Array<{ dueDate: string; amountCents: number }>;
  /** The Veri*Factu records of this invoice (alta, and anulación if cancelled), oldest first. */
  records: FiscalRecord[];
}

/** One invoice with everything a page, a PDF or an export shows (no scope check: the caller's job). */
export async function loadInvoice(m: Db, invoiceId: string): Promise<InvoiceView | null> {
  const r = await one<Record<string, unknown>>(m, `SELECT * FROM invoice WHERE id = ?`, [invoiceId]);
  if (!r) return null;
  const s = (v: unknown) => (v === null || v === undefined ? null : String(v));
  const lines = await all<Record<string, unknown>>(m, `SELECT * FROM invoice_line WHERE invoice_id = ? ORDER BY line_no`, [invoiceId]);
  const taxes = await all<Record<string, unknown>>(m, `SELECT * FROM invoice_tax WHERE invoice_id = ? ORDER BY idx`, [invoiceId]);
  const dues = await all<Record<string, unknown>>(m, `SELECT * FROM invoice_due WHERE invoice_id = ? ORDER BY idx`, [invoiceId]);
  const recs = await all<{ record: string }>(m, `SELECT record FROM hq_fiscal_record WHERE invoice_id = ? ORDER BY chain_position`, [invoiceId]);
  let rectifies: InvoiceView['rectifies'] = null;
  if (r.rectifies_invoice_id) {
    const o = await one<{ number: string | null; issue_date: string | null }>(m, `SELECT number, issue_date FROM invoice WHERE id = ?`, [r.rectifies_invoice_id]);
    rectifies = { invoiceId: String(r.rectifies_invoice_id), number: o?.number ?? null, issueDate: o?.issue_date ?? null, method: (s(r.rectification_method) ?? 'I') as RectificationMethod, reason: s(r.rectification_reason) };
  }
  return {
    id: String(r.id),
    companyId: String(r.company_id),
    storeId: s(r.store_id),
    invoiceType: String(r.invoice_type) as HqInvoiceType,
    source: String(r.source) as InvoiceSource,
    sourceKey: s(r.source_key),
    status: String(r.status) as InvoiceView['status'],
    number: s(r.number),
    issueDate: s(r.issue_date),
    operationDate: s(r.operation_date),
    periodFrom: s(r.period_from),
    periodTo: s(r.period_to),
    language: (s(r.language) ?? 'es') as 'es' | 'en',
    recipient: { companyId: s(r.recipient_company_id), customerId: s(r.recipient_customer_id), supplierId: s(r.recipient_supplier_id), nif: s(r.recipient_nif), name: String(r.recipient_name), address: s(r.recipient_address), country: String(r.recipient_country) },
    reRegime: bool(r.re_regime),
    irpfBp: Number(r.irpf_bp),
    paymentDays: JSON.parse(String(r.payment_days ?? '[0]')) as number[],
    paymentMethod: s(r.payment_method),
    rectifies,
    description: s(r.description),
    notes: s(r.notes),
    baseCents: Number(r.base_cents),
    ivaCents: Number(r.iva_cents),
    reCents: Number(r.re_cents),
    irpfCents: Number(r.irpf_cents),
    totalCents: Number(r.total_cents),
    runId: s(r.run_id),
    pdfFileId: s(r.pdf_file_id),
    createdAt: String(r.created_at),
    postedAt: s(r.posted_at),
    cancelledAt: s(r.cancelled_at),
    cancelReason: s(r.cancel_reason),
    lines: lines.map((l) => ({
      lineNo: Number(l.line_no), description: String(l.description), productId: s(l.product_id), storeId: s(l.store_id), sourceRef: s(l.source_ref),
      quantityMilli: Number(l.quantity_milli), unitPriceCents: Number(l.unit_price_cents), discountBp: Number(l.discount_bp), ivaRateBp: Number(l.iva_rate_bp),
      reRateBp: Number(l.re_rate_bp), exemption: s(l.exemption), baseCents: Number(l.base_cents),
    })),
    taxes: taxes.map((t) => ({ ivaRateBp: Number(t.iva_rate_bp), reRateBp: Number(t.re_rate_bp), exemption: s(t.exemption), baseCents: Number(t.base_cents), ivaCents: Number(t.iva_cents), reCents: Number(t.re_cents) })),
    dues: dues.map((d) => ({ dueDate: String(d.due_date), amountCents: Number(num(d.amount_cents)) })),
    records: recs.map((x) => JSON.parse(x.record) as FiscalRecord),
  };
}

/** For the moment a posting happens in Madrid time: today's yyyy-mm-dd. */
export const todayInMadrid = (clock: Clock) => isoDateOf(fiscalDateTime(clock.now()).date);
