/**
 * F3 at HQ: a full invoice of the ticket's company for a till's simplified ticket, replacing it.
 *
 * Amounts: the ticket's tax breakdown was worked out from gross prices (base = gross / (1 + rate), cuota the
 * rest), so re-pricing lines at net prices could move a cent. The F3 carries one line per rate of the
 * ticket, its base as the net price, and the ticket's rows as fixed taxes (`explicitTaxes` of the core):
 * base, IVA, recargo and total are the ticket's to the cent.
 *
 * Once: `ticket_substitution` (primary key on the ticket) is shared with the ingest of till-made F3s, so a
 * ticket already replaced at a till — or here — is refused with 409 and nothing is written.
 */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import type { InvoiceTaxRow } from '@tpv/shared/invoicing/amounts';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import type { TicketInvoiceBody } from '@tpv/shared/wire/http/till-invoicing';
import { canAccessCompany, type AuthUser } from '../auth/service';
import { insertDraftInvoice, postInvoice, type DraftInvoiceLine } from '../invoicing/posting';
import { refused } from '../platform/api';
import { recordAudit } from '../platform/audit';
import { exec, one } from '../persistence/sql';
import { writeTransaction } from '../persistence/raw';

const rateLabel = (bp: number) => `${(bp / 100).toLocaleString('es-ES')} %`;

export async function invoiceTicket(ds: DataSource, clock: Clock, user: AuthUser, ticketId: string, body: TicketInvoiceBody) {
  return writeTransaction(ds, async (m) => {
    const t = await one<{ id: string; kind: string; store_id: string; company_id: string; fiscal_number: string; document: string }>(
      m,
      `SELECT t.id, t.kind, t.store_id, s.company_id, t.fiscal_number, t.document FROM sale_ticket t JOIN store s ON s.id = t.store_id WHERE t.id = ?`,
      [ticketId],
    );
    if (!t || !canAccessCompany(user, t.company_id)) throw refused(404, 'TICKET_NOT_FOUND', 'tique no encontrado / ticket not found');
    const doc = JSON.parse(t.document) as TicketDocument;
    if (t.kind !== 'sale' || doc.fiscal.invoiceType !== 'F2') {
      throw refused(409, 'NOT_A_SIMPLIFIED_TICKET', `${t.fiscal_number} no es un tique (factura simplificada) / is not a simplified invoice`, 'ticket');
    }
    const before = await one<{ fiscal_number: string }>(m, `SELECT fiscal_number FROM ticket_substitution WHERE ticket_id = ?`, [t.id]);
    if (before) throw refused(409, 'TICKET_ALREADY_SUBSTITUTED', `${t.fiscal_number} ya se sustituyó por la factura ${before.fiscal_number} / was already replaced by an invoice`, 'ticket');

    const rows = doc.taxBreakdown;
    const lines: DraftInvoiceLine[] = rows.map((r) => ({
      description: `Tique ${t.fiscal_number} · IVA ${rateLabel(r.rate)}${r.reRate ? ` + RE ${rateLabel(r.reRate)}` : ''}`,
      storeId: t.store_id,
      sourceRef: `ticket:${t.id}`,
      quantityMilli: 1000,
      unitPriceCents: r.base,
      ivaRateBp: r.rate,
      reRateBp: r.reRate,
      ...(r.exemption ? { exemption: r.exemption } : {}),
    }));
    const taxes: InvoiceTaxRow[] = rows.map((r) => ({ ivaRateBp: r.rate, reRateBp: r.reRate, ...(r.exemption ? { exemption: r.exemption } : {}), baseCents: r.base, ivaCents: r.ivaCuota, reCents: r.reCuota }));
    const by = { kind: 'user' as const, user };
    const rc = body.recipient;
    const a = rc.address;
    const draft = await insertDraftInvoice(m, clock, by, {
      companyId: t.company_id,
      storeId: t.store_id,
      invoiceType: 'F3',
      source: 'ticket',
      sourceKey: `ticket:${t.id}`,
      recipient: { customerId: rc.customerId ?? null, nif: rc.nif, name: rc.name, address: `${a.street}, ${a.postalCode} ${a.city}`, country: a.country ?? 'ES' },
      reRegime: doc.customer?.reRegime === true,
      operationDate: doc.issuedAt.slice(0, 10),
      description: `Factura que sustituye al tique ${t.fiscal_number}`,
      lines,
      explicitTaxes: taxes,
    });
    await exec(m, `INSERT INTO invoice_substitution (invoice_id, idx, ticket_id, invoice_number, issue_date) VALUES (?, 0, ?, ?, ?)`, [draft.id, t.id, t.fiscal_number, doc.fiscal.issueDate]);
    const posted = await postInvoice(m, clock, by, draft.id);
    await exec(m, `INSERT INTO ticket_substitution (ticket_id, invoice_ticket_id, invoice_id, fiscal_number, issue_date, created_at) VALUES (?, NULL, ?, ?, ?, ?)`, [
      t.id, draft.id, posted.number, posted.record.issueDate, new Date(clock.now()).toISOString(),
    ]);
    await recordAudit(m, clock, {
      actor: { id: user.id, email: user.email },
      action: 'ticket.invoice',
      entity: 'sale_ticket',
      entityId: t.id,
      companyId: t.company_id,
      after: { invoiceId: draft.id, number: posted.number, type: 'F3', replaces: t.fiscal_number, totalCents: posted.totalCents },
    });
    return { invoiceId: draft.id, number: posted.number, issueDate: posted.issueDate, totalCents: posted.totalCents, ticket: { id: t.id, fiscalNumber: t.fiscal_number } };
  });
}
