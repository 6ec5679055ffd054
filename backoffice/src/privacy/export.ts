/**
 * A customer's data export (GDPR art. 15 access, art. 20 portability): everything we hold about the person as
 * JSON — master data (every column of the customer row), consents (current and history), tickets and
 * invoices naming them, open items, loyalty and voucher rows and any other table keyed by `customer_id`
 * (discovered by name, so the CRM modules' tables appear once they exist), the access log and the requests —
 * and a readable PDF summary (pdfkit, as the invoices). Both are saved in the files area and the request is
 * recorded; reading the data for the export is logged in the access log.
 */
import type { Clock } from '@tpv/shared/clock';
import { CONSENT_LABELS } from '@tpv/shared/privacy/consent';
import { formatMoney } from '@tpv/shared/money';
import type { AuthUser } from '../auth/service';
import type { Files } from '../platform/files/service';
import { a4Pdf } from '../platform/pdf';
import { all, type Db } from '../persistence/sql';
import { newRowId } from '../persistence/row-id';
import { consentsOf, customerUnknown, recordCustomerAccess } from './consents';
import * as repo from './repository';

/** Tables read on purpose above (or ours): the rest with a customer_id column go under loyalty / vouchers / other. */
const KNOWN = new Set(['customer_consent', 'customer_consent_state', 'privacy_request', 'privacy_access_log', 'sale_ticket', 'receivable']);

export interface CustomerExport {
  format: 'tpv.privacy.export/1';
  exportedAt: string;
  customer: Record<string, unknown>;
  consents: Awaited<ReturnType<typeof consentsOf>>;
  tickets: Array<{ id: string; fiscalNumber: string; kind: string; invoiceType: string | null; issuedAt: string; storeId: string; totalCents: number; customerOnTicket: unknown }>;
  invoices: Array<Record<string, unknown>>;
  openItems: Array<Record<string, unknown>>;
  receivables: Array<Record<string, unknown>>;
  loyalty: Record<string, Array<Record<string, unknown>>>;
  vouchers: Record<string, Array<Record<string, unknown>>>;
  other: Record<string, Array<Record<string, unknown>>>;
  accessLog: Array<{ userEmail: string | null; what: string; at: string }>;
  requests: Array<{ kind: string; status: string; createdAt: string }>;
}

const plain = (r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]));

export async function collectExport(m: Db, clock: Clock, customerId: string): Promise<CustomerExport> {
  const c = await repo.customerForUpdate(m, customerId);
  if (!c) throw customerUnknown(customerId);
  const tickets = await all<{ id: string; fiscal_number: string; kind: string; issued_at: string; store_id: string; total_cents: unknown; document: string }>(
    m, `SELECT id, fiscal_number, kind, issued_at, store_id, total_cents, document FROM sale_ticket WHERE customer_id = ? ORDER BY issued_at`, [customerId]);
  const invoices = await all<Record<string, unknown>>(
    m,
    `SELECT id, invoice_type, status, number, issue_date, recipient_nif, recipient_name, recipient_address, base_cents, iva_cents, total_cents, store_id, company_id
       FROM invoice WHERE recipient_customer_id = ? ORDER BY created_at`, [customerId]);
  const openItems = await all<Record<string, unknown>>(
    m, `SELECT id, kind, document_ref, issue_date, due_date, amount_cents, balance_cents, status FROM open_item WHERE counterparty_kind = 'customer' AND counterparty_id = ? ORDER BY issue_date`, [customerId]);
  const receivables = await repo.rowsOf(m, 'receivable', 'customer_id', customerId);
  const loyalty: CustomerExport['loyalty'] = {};
  const vouchers: CustomerExport['vouchers'] = {};
  const other: CustomerExport['other'] = {};
  for (const t of await repo.tablesWithColumn(m, 'customer_id')) {
    if (KNOWN.has(t)) continue;
    const rows = (await repo.rowsOf(m, t, 'customer_id', customerId)).map(plain);
    if (rows.length === 0) continue;
    (t.startsWith('loyalty') ? loyalty : t.startsWith('voucher') ? vouchers : other)[t] = rows;
  }
  const access = await repo.accessLog(m, { customerId, limit: 500 });
  const requests = await repo.listRequests(m, { customerId, limit: 100 });
  return {
    format: 'tpv.privacy.export/1',
    exportedAt: new Date(clock.now()).toISOString(),
    customer: plain(c.raw),
    consents: await consentsOf(m, customerId),
    tickets: tickets.map((t) => {
      const doc = JSON.parse(t.document) as { customer?: unknown; fiscal?: { invoiceType?: string } };
      return { id: t.id, fiscalNumber: t.fiscal_number, kind: t.kind, invoiceType: doc.fiscal?.invoiceType ?? null, issuedAt: t.issued_at, storeId: t.store_id, totalCents: Number(t.total_cents), customerOnTicket: doc.customer ?? null };
    }),
    invoices: invoices.map(plain),
    openItems: openItems.map(plain),
    receivables: receivables.map(plain),
    loyalty, vouchers, other,
    accessLog: access.map((a) => ({ userEmail: a.userEmail, what: a.what, at: a.at })),
    requests: requests.map((r) => ({ kind: r.kind, status: r.status, createdAt: r.createdAt })),
  };
}

/** The readable summary (Spanish with English beside), A4. */
export async function exportPdf(x: CustomerExport): Promise<Buffer> {
  const { doc, bytes, left, width } = a4Pdf({ Title: `Datos personales / Personal data — ${String(x.customer.name)}`, Author: 'TPV' });
  const h = (s: string) => doc.moveDown(0.6).font('Helvetica-Bold').fontSize(12).text(s, left, undefined, { width }).font('Helvetica').fontSize(9);
  const line = (s: string) => doc.text(s, left, undefined, { width });
  doc.font('Helvetica-Bold').fontSize(16).text('Sus datos personales / Your personal data', left, undefined, { width });
  doc.font('Helvetica').fontSize(9).text(`Generado / Generated: ${x.exportedAt}`, { width });
  h('Datos del cliente / Customer data');
  for (const [k, v] of Object.entries(x.customer)) if (v !== null && v !== undefined && k !== 'version') line(`${k}: ${String(v)}`);
  h('Consentimientos / Consents');
  if (x.consents.current.length === 0) line('Ninguno registrado / None recorded');
  for (const s of x.consents.current) line(`${CONSENT_LABELS[s.purpose].es} / ${CONSENT_LABELS[s.purpose].en}: ${s.granted ? 'Sí / Yes' : 'No'} (${s.source}, ${s.givenAt})`);
  if (x.consents.history.length > 0) line(`Historial / History: ${x.consents.history.length} registros / records`);
  h(`Tickets (${x.tickets.length})`);
  for (const t of x.tickets.slice(0, 200)) line(`${t.issuedAt.slice(0, 10)}  ${t.fiscalNumber}  ${t.invoiceType ?? ''}  ${formatMoney(t.totalCents, 'es')}`);
  if (x.tickets.length > 200) line(`… ${x.tickets.length - 200} más / more (JSON)`);
  h(`Facturas / Invoices (${x.invoices.length})`);
  for (const i of x.invoices.slice(0, 200)) line(`${String(i.issue_date ?? '')}  ${String(i.number ?? '(borrador / draft)')}  ${String(i.invoice_type)}  ${formatMoney(Number(i.total_cents), 'es')}`);
  h(`Cuenta / Account (${x.openItems.length})`);
  for (const o of x.openItems.slice(0, 100)) line(`${String(o.document_ref)}  ${String(o.status)}  ${formatMoney(Number(o.balance_cents), 'es')}`);
  const groups = { 'Fidelización / Loyalty': x.loyalty, 'Vales / Vouchers': x.vouchers, 'Otros / Other': x.other };
  for (const [title, g] of Object.entries(groups)) {
    const tables = Object.entries(g);
    if (tables.length === 0) continue;
    h(title);
    for (const [t, rows] of tables) line(`${t}: ${rows.length} filas / rows`);
  }
  h(`Accesos a sus datos / Access to your data (${x.accessLog.length})`);
  for (const a of x.accessLog.slice(0, 50)) line(`${a.at}  ${a.userEmail ?? '—'}  ${a.what}`);
  doc.end();
  return bytes;
}

/** Collects, renders, saves both files and records the request (and the read in the access log). */
export async function exportCustomer(m: Db, clock: Clock, files: Files, user: AuthUser, customerId: string, requestId: string | undefined) {
  const x = await collectExport(m, clock, customerId);
  const stem = `datos-${customerId}-${x.exportedAt.slice(0, 10)}`;
  const owner = { companyId: null, storeId: null, createdBy: user.id };
  const json = await files.save({ name: `${stem}.json`, mediaType: 'application/json', purpose: 'export', owner, data: Buffer.from(JSON.stringify(x, null, 2)) });
  const pdf = await files.save({ name: `${stem}.pdf`, mediaType: 'application/pdf', purpose: 'pdf', owner, data: await exportPdf(x) });
  const row: repo.RequestRow = {
    id: newRowId(clock), customerId, kind: 'export', status: 'done', jsonFileId: json.id, pdfFileId: pdf.id,
    summary: { tickets: x.tickets.length, invoices: x.invoices.length, consents: x.consents.history.length, tables: [...Object.keys(x.loyalty), ...Object.keys(x.vouchers), ...Object.keys(x.other)] },
    requestedBy: user.id, requestedByEmail: user.email, createdAt: x.exportedAt,
  };
  await repo.insertRequest(m, row);
  await recordCustomerAccess(m, clock, user, customerId, 'privacy.export', requestId);
  return row;
}
