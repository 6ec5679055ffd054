/**
 * Invoices we issue → the journal, in the invoice's own transaction.
 *
 * Issuer: the customer's sub-account (430) for the total, sales of goods (700) or services (705) per IVA rate
 * for the base, output IVA and recargo per rate, IRPF the customer withheld (473). Fee invoices are services
 * (705), wholesale invoices goods (700); other lines are goods when they carry a product. F3 invoices replace
 * till tickets whose sales the daily sales entry already holds: they post nothing.
 *
 * Credit notes: by difference (I) they carry negative amounts, so the same lines come out on the other side;
 * by substitution (S) they restate the invoice, so what posts is the note's amounts minus those of the
 * version it replaces (the latest earlier S note, else the invoice). A credit note's lines point at the
 * rectified line (`line:<n>`): goods or services, fee or wholesale, are the rectified invoice's.
 *
 * Recipient (an invoice between companies of the franchise, `recipient_company_id` set): the same invoice
 * also posts in the recipient's books — fees to 621, wholesale to 600, other lines 600 (product) or 629;
 * input IVA 472 per rate; recargo the recipient paid (RE regime) is not deductible, so it goes into the
 * cost; the issuer's sub-account under 400 (goods) or 410 (fees, services) for the total; IRPF the
 * recipient withheld on 4751.
 *
 * Cancellation (anulación): every entry the invoice posted gets its contra entry (`invoice-cancel:<id>`,
 * `invoice-received-cancel:<id>`), kept under the invoice as source so the document shows all of them.
 */
import type { Clock } from '@tpv/shared/clock';
import { reversedLines, signedLine, type DraftLine, type LineAccount } from '@tpv/shared/accounting/entries';
import { accountFor, type RuleOverrides } from '@tpv/shared/accounting/rules';
import { all, exec, forUpdate, num, one, type Db } from '../../persistence/sql';
import { todayInMadrid } from '../../invoicing/posting';
import { entryLines, postEntry, type PostedEntry } from '../core/journal';
import { rulesOf } from '../core/rules';

type Counterparty = Extract<LineAccount, { group: string }>['counterparty'];
/** What the books call an invoice's lines: fee invoices are services, wholesale goods, others by line. */
export type InvoiceKind = 'fee' | 'wholesale' | 'other';

export interface RateFacts {
  ivaRateBp: number;
  reRateBp: number;
  /** Base of the lines with a product. */
  goodsBase: number;
  /** Base of the lines without one. */
  servicesBase: number;
  iva: number;
  re: number;
}

export interface IssuedInvoiceFacts {
  id: string;
  companyId: string;
  storeId: string | null;
  invoiceType: string;
  source: string;
  /** The source that decides the accounts: the rectified invoice's for a credit note. */
  kind: InvoiceKind;
  number: string;
  issueDate: string;
  counterparty: Counterparty;
  /** The other company of the franchise that receives it (its books post too), else null. */
  recipientCompanyId: string | null;
  rectifiesId: string | null;
  method: 'S' | 'I' | null;
  irpfCents: number;
  totalCents: number;
  rates: RateFacts[];
}

const kindOf = (source: string): InvoiceKind => (source === 'fee' ? 'fee' : source === 'wholesale' ? 'wholesale' : 'other');

/** Goods and services bases of a rate as the kind of invoice says. */
function split(kind: InvoiceKind, r: RateFacts): { goods: number; services: number } {
  if (kind === 'fee') return { goods: 0, services: r.goodsBase + r.servicesBase };
  if (kind === 'wholesale') return { goods: r.goodsBase + r.servicesBase, services: 0 };
  return { goods: r.goodsBase, services: r.servicesBase };
}

/** The issuer's entry lines of an invoice (pure given the rules): table-driven tests call this directly. */
export function issuedInvoiceLines(inv: IssuedInvoiceFacts, rules: RuleOverrides): DraftLine[] {
  const store = { storeId: inv.storeId };
  const lines: DraftLine[] = [
    ...signedLine({ group: '430' as const, counterparty: inv.counterparty }, inv.totalCents, store),
    ...signedLine({ account: accountFor(rules, 'irpf_suffered') }, inv.irpfCents, store),
  ];
  for (const r of inv.rates) {
    const { goods, services } = split(inv.kind, r);
    lines.push(...signedLine({ account: accountFor(rules, 'sales_goods', r.ivaRateBp) }, -goods, store));
    lines.push(...signedLine({ account: accountFor(rules, 'sales_services', r.ivaRateBp) }, -services, store));
    lines.push(...signedLine({ account: accountFor(rules, 'output_vat', r.ivaRateBp) }, -r.iva, store));
    lines.push(...signedLine({ account: accountFor(rules, 'output_re', r.reRateBp) }, -r.re, store));
  }
  return lines;
}

/** Group of the issuer's sub-account in the recipient's books: 400 for goods, 410 for fees and services. */
export function receivedGroup(inv: Pick<IssuedInvoiceFacts, 'kind' | 'rates'>): '400' | '410' {
  if (inv.kind === 'fee') return '410';
  if (inv.kind === 'wholesale') return '400';
  return inv.rates.some((r) => r.goodsBase !== 0) ? '400' : '410';
}

/**
 * The recipient's entry lines of an invoice between companies of the franchise (pure given the recipient's
 * rules). `issuer` is the issuing company as the recipient's counterparty. Recargo goes into the cost of the
 * rate's goods (else its services): the RE regime does not deduct it.
 */
export function receivedInvoiceLines(inv: IssuedInvoiceFacts, issuer: Counterparty, rules: RuleOverrides, group: '400' | '410' = receivedGroup(inv)): DraftLine[] {
  const lines: DraftLine[] = [];
  const serviceRole = inv.kind === 'fee' ? 'fee_expense' : 'services_received';
  for (const r of inv.rates) {
    const { goods, services } = split(inv.kind, r);
    const reOnGoods = goods !== 0 || services === 0;
    lines.push(...signedLine({ account: accountFor(rules, 'purchases') }, goods + (reOnGoods ? r.re : 0)));
    lines.push(...signedLine({ account: accountFor(rules, serviceRole) }, services + (reOnGoods ? 0 : r.re)));
    lines.push(...signedLine({ account: accountFor(rules, 'input_vat', r.ivaRateBp) }, r.iva));
  }
  lines.push(...signedLine({ account: accountFor(rules, 'irpf_withheld') }, -inv.irpfCents));
  lines.push(...signedLine({ group, counterparty: issuer }, -inv.totalCents));
  return mergeDraft(lines);
}

/** One line per fixed account (a rate's goods and recargo on 600 of two rates become one debit). */
function mergeDraft(lines: DraftLine[]): DraftLine[] {
  const out: DraftLine[] = [];
  const fixed = new Map<string, number>();
  for (const l of lines) {
    if (!('account' in l)) continue;
    fixed.set(l.account, (fixed.get(l.account) ?? 0) + l.debitCents - l.creditCents);
  }
  const seen = new Set<string>();
  for (const l of lines) {
    if (!('account' in l)) {
      out.push(l);
      continue;
    }
    if (seen.has(l.account)) continue;
    seen.add(l.account);
    out.push(...signedLine({ account: l.account }, fixed.get(l.account)!));
  }
  return out;
}

/** `a − b` per rate (an S note minus the version it replaces); the header is `a`'s. */
export function factsMinus(a: IssuedInvoiceFacts, b: IssuedInvoiceFacts): IssuedInvoiceFacts {
  const key = (r: RateFacts) => `${r.ivaRateBp}|${r.reRateBp}`;
  const by = new Map<string, RateFacts>();
  for (const r of a.rates) by.set(key(r), { ...r });
  for (const r of b.rates) {
    const cur = by.get(key(r)) ?? { ivaRateBp: r.ivaRateBp, reRateBp: r.reRateBp, goodsBase: 0, servicesBase: 0, iva: 0, re: 0 };
    by.set(key(r), { ...cur, goodsBase: cur.goodsBase - r.goodsBase, servicesBase: cur.servicesBase - r.servicesBase, iva: cur.iva - r.iva, re: cur.re - r.re });
  }
  return { ...a, irpfCents: a.irpfCents - b.irpfCents, totalCents: a.totalCents - b.totalCents, rates: [...by.values()] };
}

/** What the books need of a posted invoice, read from its rows (its own amounts: an S note is not netted here). */
export async function issuedInvoiceFacts(m: Db, invoiceId: string): Promise<IssuedInvoiceFacts | null> {
  const i = await one<Record<string, unknown>>(
    m,
    `SELECT id, company_id, store_id, invoice_type, source, number, issue_date, recipient_company_id, recipient_customer_id, recipient_supplier_id, recipient_nif, recipient_name,
            rectifies_invoice_id, rectification_method, irpf_cents, total_cents, status
     FROM invoice WHERE id = ?`,
    [invoiceId],
  );
  if (!i || !i.number) return null;
  const taxes = await all<Record<string, unknown>>(m, `SELECT iva_rate_bp, re_rate_bp, base_cents, iva_cents, re_cents FROM invoice_tax WHERE invoice_id = ? ORDER BY idx`, [invoiceId]);
  const lines = await all<{ product_id: string | null; source_ref: string | null; iva_rate_bp: unknown; re_rate_bp: unknown; base_cents: unknown }>(
    m,
    `SELECT product_id, source_ref, iva_rate_bp, re_rate_bp, base_cents FROM invoice_line WHERE invoice_id = ?`,
    [invoiceId],
  );
  const rectifiesId = (i.rectifies_invoice_id as string | null) ?? null;
  let kind = kindOf(String(i.source));
  // A credit note's line is goods when the rectified line had a product (credit lines carry none of their own).
  let origProduct = new Map<number, boolean>();
  if (rectifiesId) {
    const o = await one<{ source: string }>(m, `SELECT source FROM invoice WHERE id = ?`, [rectifiesId]);
    kind = kindOf(o?.source ?? 'manual');
    const ol = await all<{ line_no: unknown; product_id: string | null }>(m, `SELECT line_no, product_id FROM invoice_line WHERE invoice_id = ?`, [rectifiesId]);
    origProduct = new Map(ol.map((l) => [num(l.line_no)!, l.product_id !== null]));
  }
  const serviceBase = new Map<string, number>();
  for (const l of lines) {
    const ref = rectifiesId ? /^line:(\d+)/.exec(l.source_ref ?? '') : null;
    const goods = ref ? (origProduct.get(Number(ref[1])) ?? l.product_id !== null) : l.product_id !== null;
    if (goods) continue;
    const k = `${num(l.iva_rate_bp)}|${num(l.re_rate_bp)}`;
    serviceBase.set(k, (serviceBase.get(k) ?? 0) + num(l.base_cents)!);
  }
  const nif = (i.recipient_nif as string | null) ?? null;
  const name = String(i.recipient_name ?? nif ?? '');
  const counterparty: Counterparty = i.recipient_company_id
    ? { kind: 'company', id: String(i.recipient_company_id), name, nif }
    : i.recipient_customer_id
      ? { kind: 'customer', id: String(i.recipient_customer_id), name, nif }
      : i.recipient_supplier_id
        ? { kind: 'supplier', id: String(i.recipient_supplier_id), name, nif }
        : { kind: 'other', id: `nif:${nif ?? name}`, name, nif };
  const recipientCompanyId = i.recipient_company_id && i.recipient_company_id !== i.company_id ? String(i.recipient_company_id) : null;
  return {
    id: String(i.id),
    companyId: String(i.company_id),
    storeId: (i.store_id as string | null) ?? null,
    invoiceType: String(i.invoice_type),
    source: String(i.source),
    kind,
    number: String(i.number),
    issueDate: String(i.issue_date),
    counterparty,
    recipientCompanyId,
    rectifiesId,
    method: rectifiesId ? (i.rectification_method === 'S' ? 'S' : 'I') : null,
    irpfCents: num(i.irpf_cents)!,
    totalCents: num(i.total_cents)!,
    rates: taxes.map((t) => {
      // Tax rows are per (IVA, recargo, exemption): the services of a key are split over its rows in order.
      const k = `${num(t.iva_rate_bp)}|${num(t.re_rate_bp)}`;
      const base = num(t.base_cents)!;
      const left = serviceBase.get(k) ?? 0;
      const sb = base >= 0 ? Math.min(left, base) : Math.max(left, base);
      serviceBase.set(k, left - sb);
      return { ivaRateBp: num(t.iva_rate_bp)!, reRateBp: num(t.re_rate_bp)!, goodsBase: base - sb, servicesBase: sb, iva: num(t.iva_cents)!, re: num(t.re_cents)! };
    }),
  };
}

/**
 * What an invoice changes in the books: its own amounts, or for a note by substitution its amounts minus the
 * version it replaces (the latest S note of the same invoice posted before it, else the invoice itself).
 */
export async function invoiceEffect(m: Db, invoiceId: string): Promise<IssuedInvoiceFacts | null> {
  const inv = await issuedInvoiceFacts(m, invoiceId);
  if (!inv || inv.method !== 'S' || !inv.rectifiesId) return inv;
  // Same order as the invoicing module's (creation order): the note before this one is what it restates.
  const notes = await all<{ id: string }>(
    m,
    `SELECT id FROM invoice WHERE rectifies_invoice_id = ? AND rectification_method = 'S' AND (status = 'posted' OR id = ?) ORDER BY created_at, id`,
    [inv.rectifiesId, inv.id],
  );
  const at = notes.findIndex((n) => n.id === inv.id);
  const earlier = notes.slice(0, Math.max(0, at)).map((n) => n.id);
  const replaced = await issuedInvoiceFacts(m, earlier.at(-1) ?? inv.rectifiesId);
  return replaced ? factsMinus(inv, replaced) : inv;
}

/** The issuing company as its sub-account in the recipient's books. */
async function issuerCounterparty(m: Db, companyId: string): Promise<Counterparty> {
  const c = await one<{ legal_name: string; nif: string | null }>(m, `SELECT legal_name, nif FROM company WHERE id = ?`, [companyId]);
  return { kind: 'company', id: companyId, name: c?.legal_name ?? companyId, nif: c?.nif ?? null };
}

/** F3 invoices replace till tickets the daily sales already posted. A credit note of an F3 posts (it reduces those sales). */
const postsNothing = (inv: IssuedInvoiceFacts) => inv.invoiceType === 'F3';

const nonEmpty = (lines: readonly DraftLine[]) => lines.some((l) => l.debitCents !== 0 || l.creditCents !== 0);

/** Posts the issuer's entry of a posted invoice (once). F3 invoices post nothing: their tickets already did. */
export async function postIssuedInvoice(m: Db, clock: Clock, invoiceId: string, by: string | null): Promise<PostedEntry | null> {
  const inv = await invoiceEffect(m, invoiceId);
  if (!inv || postsNothing(inv)) return null;
  const rules = await rulesOf(m, inv.companyId);
  const lines = issuedInvoiceLines(inv, rules);
  if (!nonEmpty(lines)) return null;
  const credit = inv.invoiceType.startsWith('R');
  return postEntry(m, clock, {
    companyId: inv.companyId,
    date: inv.issueDate,
    kind: 'invoice',
    description: `${credit ? 'Factura rectificativa' : 'Factura emitida'} ${inv.number} · ${inv.counterparty.name}`,
    lines,
    source: { type: 'invoice', id: inv.id, ref: inv.number },
    mode: 'document',
    by,
  });
}

/** Posts the recipient company's entry of an invoice between companies of the franchise (once). */
export async function postReceivedInvoice(m: Db, clock: Clock, invoiceId: string, by: string | null): Promise<PostedEntry | null> {
  const inv = await invoiceEffect(m, invoiceId);
  // An F3 posts here too: the recipient's books never saw the tickets it replaces.
  if (!inv || !inv.recipientCompanyId) return null;
  const rules = await rulesOf(m, inv.recipientCompanyId);
  const issuer = await issuerCounterparty(m, inv.companyId);
  // A credit note credits the same sub-account its invoice did.
  const group = inv.rectifiesId ? receivedGroup((await issuedInvoiceFacts(m, inv.rectifiesId)) ?? inv) : receivedGroup(inv);
  const lines = receivedInvoiceLines(inv, issuer, rules, group);
  if (!nonEmpty(lines)) return null;
  const credit = inv.invoiceType.startsWith('R');
  return postEntry(m, clock, {
    companyId: inv.recipientCompanyId,
    date: inv.issueDate,
    kind: inv.kind === 'fee' ? 'fee_received' : 'supplier_invoice',
    description: `${credit ? 'Rectificativa recibida' : 'Factura recibida'} ${inv.number} · ${issuer.name}`,
    lines,
    source: { type: 'invoice', id: inv.id, key: `invoice-received:${inv.id}`, ref: inv.number },
    mode: 'document',
    by,
  });
}

/**
 * The contra entry of a document's entry (every debit a credit), kept under the document as source so the
 * document lists it; marks the original reversed. Once per key: a repeat answers the first.
 */
export async function contraEntry(m: Db, clock: Clock, entryId: string, opts: { key: string; kind: 'invoice_cancel'; description: string; date: string; by: string | null }): Promise<PostedEntry | null> {
  const e = await one<Record<string, unknown>>(m, `SELECT id, company_id, year, number, entry_date, source_type, source_id, source_ref, reversed_by_id FROM acc_entry WHERE id = ?${forUpdate(m)}`, [entryId]);
  if (!e || e.reversed_by_id) return null;
  const lines = reversedLines(await entryLines(m, entryId)).map(({ lineNo: _n, ...l }) => l);
  const date = opts.date < String(e.entry_date) ? String(e.entry_date) : opts.date;
  const posted = await postEntry(m, clock, {
    companyId: String(e.company_id),
    date,
    kind: opts.kind,
    description: `${opts.description} (anula el asiento ${num(e.year)}/${num(e.number)})`.slice(0, 300),
    lines,
    source: { type: String(e.source_type), id: String(e.source_id), key: opts.key, ref: (e.source_ref as string | null) ?? null },
    mode: 'document',
    by: opts.by,
    reverses: entryId,
  });
  await exec(m, `UPDATE acc_entry SET reversed_by_id = ? WHERE id = ?`, [posted.id, entryId]);
  return posted;
}

/** A cancelled invoice: the contra of each entry it posted (issuer's and recipient's), dated the day it is cancelled. */
export async function cancelInvoiceEntries(m: Db, clock: Clock, invoiceId: string, by: string | null): Promise<PostedEntry[]> {
  const entries = await all<{ id: string; source_key: string }>(
    m,
    `SELECT id, source_key FROM acc_entry WHERE source_type = 'invoice' AND source_id = ? AND reverses_id IS NULL AND reversed_by_id IS NULL ORDER BY created_at, number`,
    [invoiceId],
  );
  const number = await one<{ number: string | null }>(m, `SELECT number FROM invoice WHERE id = ?`, [invoiceId]);
  const out: PostedEntry[] = [];
  for (const e of entries) {
    const prefix = e.source_key.startsWith('invoice-received:') ? 'invoice-received-cancel' : 'invoice-cancel';
    const posted = await contraEntry(m, clock, e.id, { key: `${prefix}:${invoiceId}`, kind: 'invoice_cancel', description: `Anulación de la factura ${number?.number ?? ''}`, date: todayInMadrid(clock), by });
    if (posted) out.push(posted);
  }
  return out;
}
