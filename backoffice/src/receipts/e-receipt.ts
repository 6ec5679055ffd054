/**
 * E-receipts (issue 19): the customer's page of a ticket behind a signed link (e-receipt.ts in shared: no
 * login, the signature is the permission), with the fiscal QR and the PDF copy of the tickets module; and
 * the e-mail a till asks for (`receipts.email`): the link and the PDF to the address in the customer's
 * record. A link that does not verify, or names a ticket HQ does not hold, is answered 404 either way.
 */
import QRCode from 'qrcode';
import type { DataSource } from 'typeorm';
import { formatMoney } from '@tpv/shared/money';
import { eReceiptStoreKey, eReceiptToken, eReceiptTokenValid, eReceiptUrl, parseEReceiptToken } from '@tpv/shared/receipts/e-receipt';
import { TillRequestRefused } from '@tpv/shared/wire/till-request';
import type { TicketDetail } from '@tpv/shared/wire/http/tickets';
import type { AuthUser } from '../auth/service';
import { notFound } from '../auth/http';
import { serverSecret } from '../persistence/server-secret';
import { one } from '../persistence/sql';
import { TicketService } from '../tickets/service';
import { ticketPdf } from '../tickets/pdf';
import type { Mailer } from './mail';
import { E_RECEIPT_SECRET } from './service';

/** Reads a ticket for a verified link: franchise-wide read-only, the signature having decided access. */
const LINK_READER = { id: 'e-receipt-link', email: 'e-receipt@tpv.invalid', role: 'auditor', companyIds: [], storeId: null } as unknown as AuthUser;
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const eur = (c: number) => formatMoney(c, 'es');

export function createEReceipts(ds: DataSource, now: () => number) {
  const tickets = new TicketService(ds);
  const keyOf = async (storeId: string) => eReceiptStoreKey(await serverSecret(ds, E_RECEIPT_SECRET, now), storeId);

  /** The ticket a token names when its signature verifies under the ticket's store key. */
  async function verified(token: string): Promise<TicketDetail> {
    const p = parseEReceiptToken(token);
    const row = p ? await one<{ store_id: string }>(ds.manager, 'SELECT store_id FROM sale_ticket WHERE id = ?', [p.ticketId]) : undefined;
    if (!p || !row || !eReceiptTokenValid(await keyOf(row.store_id), token)) throw notFound('e-receipt');
    return tickets.detail(LINK_READER, p.ticketId);
  }

  async function page(token: string): Promise<string> {
    const t = await verified(token);
    const qr = t.fiscal?.qrUrl ? await QRCode.toString(t.fiscal.qrUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 }) : '';
    const lines = t.lines.map((l) => `<tr><td>${esc(l.description)}</td><td class="n">${l.grams !== null ? `${(l.grams / 1000).toLocaleString('es-ES')} kg` : l.units}</td><td class="n">${eur(l.totalCents)}</td></tr>`).join('');
    const taxes = t.taxes.map((x) => `<tr><td>IVA ${(x.rateBp / 100).toLocaleString('es-ES')} % s/ ${eur(x.baseCents)}</td><td></td><td class="n">${eur(x.ivaCents + x.reCents)}</td></tr>`).join('');
    return `<!doctype html><html lang="es"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ticket ${esc(t.fiscalNumber)}</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:1rem auto;padding:0 1rem}table{width:100%;border-collapse:collapse}td{padding:.2rem 0}.n{text-align:right}.qr svg{width:10rem;height:10rem}.total td{font-weight:700;border-top:1px solid #000}</style></head>
<body><h1>${esc(t.company.tradeName ?? t.company.legalName)}</h1><p>${esc(t.company.legalName)} · NIF ${esc(t.company.nif)}<br>${esc(t.store.name)}${t.store.address ? ` · ${esc(t.store.address)}` : ''}</p>
<h2>${t.kind === 'return' ? 'Factura rectificativa' : 'Factura simplificada'} <span data-testid="fiscal-number">${esc(t.fiscalNumber)}</span></h2><p>Fecha / date: ${esc(t.issuedAt)}</p>
<table data-testid="lines">${lines}${taxes}<tr class="total"><td>TOTAL</td><td></td><td class="n" data-testid="total">${eur(t.totals.totalCents)}</td></tr></table>
<h3>QR tributario (VERI*FACTU)</h3><div class="qr" data-testid="fiscal-qr" data-url="${esc(t.fiscal?.qrUrl ?? '')}">${qr}</div>
<p><a data-testid="pdf" href="${esc(token)}/pdf" download>Descargar PDF / download the PDF</a></p></body></html>`;
  }

  async function pdf(token: string): Promise<{ name: string; bytes: Buffer }> {
    const t = await verified(token);
    return { name: `ticket-${t.fiscalNumber.replace(/[^A-Za-z0-9-]+/g, '_')}.pdf`, bytes: await ticketPdf(t) };
  }

  /** The link of a ticket of this store (the till could make it too; HQ makes it for the e-mail). */
  async function linkOf(storeId: string, ticketId: string, baseUrl: string): Promise<string> {
    return eReceiptUrl(baseUrl, eReceiptToken(await keyOf(storeId), ticketId));
  }

  /**
   * A till's `receipts.email`: the ticket (of the asking till's store, already at HQ) to its customer's
   * e-mail address. Refused for good: not this store's, no customer or no address; "retry": not arrived yet.
   */
  /** The public address the store's tills print links to (its last published design), unless configured. */
  async function baseUrlOf(storeId: string): Promise<string | null> {
    const configured = process.env.TPV_PUBLIC_URL?.trim();
    if (configured) return configured;
    const r = await one<{ payload: unknown }>(ds.manager, `SELECT payload FROM change_log WHERE entity = 'receipt_design' AND entity_id = ? ORDER BY version DESC LIMIT 1`, [storeId]);
    const p = (typeof r?.payload === 'string' ? JSON.parse(r.payload) : r?.payload) as { eReceipt?: { baseUrl?: string } } | undefined;
    return p?.eReceipt?.baseUrl ?? null;
  }

  async function email(mailer: Mailer | null, till: { storeId: string }, ticketId: string, typedTo?: string): Promise<{ sentTo: string; messageId: string }> {
    const row = await one<{ store_id: string; customer_id: string | null }>(ds.manager, 'SELECT store_id, customer_id FROM sale_ticket WHERE id = ?', [ticketId]);
    if (!row) throw new Error('ticket not at HQ yet');
    if (row.store_id !== till.storeId) throw new TillRequestRefused('TICKET_UNKNOWN', 'ticket de otra tienda / not a ticket of this store');
    // An address typed at the till wins; else the one in the ticket's customer record.
    if (!row.customer_id && !typedTo) throw new TillRequestRefused('NO_CUSTOMER', 'el ticket no tiene cliente / the ticket has no customer');
    const customer = row.customer_id ? await one<{ email: string | null; name: string }>(ds.manager, 'SELECT email, name FROM customer WHERE id = ?', [row.customer_id]) : undefined;
    const c = { email: typedTo ?? customer?.email ?? null, name: customer?.name ?? 'cliente' };
    if (!c.email) throw new TillRequestRefused('NO_EMAIL', 'el cliente no tiene correo electrónico / the customer has no e-mail address');
    if (!mailer) throw new TillRequestRefused('MAIL_NOT_CONFIGURED', 'no hay servidor de correo configurado / no mail server configured');
    const baseUrl = await baseUrlOf(row.store_id);
    if (!baseUrl) throw new TillRequestRefused('NO_PUBLIC_URL', 'publique el diseño del ticket o configure TPV_PUBLIC_URL / publish the receipt design or set TPV_PUBLIC_URL');
    const link = await linkOf(row.store_id, ticketId, baseUrl);
    const t = await tickets.detail(LINK_READER, ticketId);
    const file = await pdf(link.slice(link.lastIndexOf('/') + 1));
    const sent = await mailer.send({
      to: c.email,
      subject: `Su ticket ${t.fiscalNumber} · ${t.company.tradeName ?? t.company.legalName}`,
      text: `Hola ${c.name},\n\nSu ticket ${t.fiscalNumber} por ${eur(t.totals.totalCents)}: ${link}\n\nGracias por su compra.`,
      html: `<p>Hola ${esc(c.name)},</p><p>Su ticket <b>${esc(t.fiscalNumber)}</b> por ${eur(t.totals.totalCents)}: <a href="${esc(link)}">${esc(link)}</a></p><p>Gracias por su compra.</p>`,
      attachments: [{ filename: file.name, content: file.bytes, contentType: 'application/pdf' }],
    });
    return { sentTo: c.email, messageId: sent.messageId };
  }

  return { page, pdf, linkOf, email, verified };
}
