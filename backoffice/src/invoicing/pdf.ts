/**
 * The PDF of an issued invoice or credit note (pdfkit, A4), in Spanish or English per `invoice.language`:
 * the issuing company (name, NIF, address), the recipient, the lines, the IVA / recargo breakdown per rate,
 * the IRPF withholding, the totals, the due dates, for a credit note the invoice it rectifies (and, by
 * substitution, the amounts it replaces), and the QR tributario of the Veri*Factu record (AEAT ValidarQR URL
 * with the record's ImporteTotal) under the legend "VERI*FACTU".
 *
 * `storeInvoicePdf` keeps it in the files area once (idempotent: a stored PDF is answered again) and sets
 * `invoice.pdf_file_id`; `invoicePdfBuffer` renders without storing (a draft renders as a preview, no QR).
 */
import QRCode from 'qrcode';
import { buildFiscalQrUrl } from '@tpv/shared/fiscal/qr';
import { CREDIT_NOTE_REASONS, type CreditNoteType } from '@tpv/shared/invoicing/documents';
import { formatMoney, parseDecimalString } from '@tpv/shared/money';
import { refused } from '../platform/api';
import type { Files } from '../platform/files/service';
import { a4Pdf } from '../platform/pdf';
import { exec, one, type Db } from '../persistence/sql';
import { aeatDate, loadInvoice, type InvoiceView } from './posting';

type Lang = 'es' | 'en';
const L = {
  es: {
    invoice: 'Factura', credit: 'Factura rectificativa', draft: 'BORRADOR — sin validez fiscal', cancelled: 'ANULADA', number: 'Número', issueDate: 'Fecha de expedición',
    operationDate: 'Fecha de operación', recipient: 'Destinatario', nif: 'NIF', rectifies: 'Rectifica la factura', of: 'de', method: 'Tipo de rectificación',
    byDifference: 'por diferencias (I)', bySubstitution: 'por sustitución (S)', reason: 'Motivo', cause: 'Causa', description: 'Concepto', quantity: 'Cantidad',
    price: 'Precio', discount: 'Dto.', iva: 'IVA', amount: 'Importe', taxes: 'Desglose de impuestos', base: 'Base imponible', rate: 'Tipo', cuota: 'Cuota',
    re: 'Recargo de equivalencia', irpf: 'Retención IRPF', total: 'TOTAL FACTURA', toPay: 'Total a pagar', dues: 'Vencimientos', exempt: 'Exenta',
    replaced: 'Importes de la factura sustituida', corrected: 'Importes tras la rectificación', record: 'Registro Veri*Factu', hash: 'Huella', qr: 'QR tributario:',
    payment: { transfer: 'Transferencia', direct_debit: 'Domiciliación', card: 'Tarjeta', cash: 'Efectivo' } as Record<string, string>,
  },
  en: {
    invoice: 'Invoice', credit: 'Credit note', draft: 'DRAFT — not a valid invoice', cancelled: 'CANCELLED', number: 'Number', issueDate: 'Issue date',
    operationDate: 'Operation date', recipient: 'Bill to', nif: 'Tax id', rectifies: 'Rectifies invoice', of: 'of', method: 'Rectification method',
    byDifference: 'by difference (I)', bySubstitution: 'by substitution (S)', reason: 'Reason', cause: 'Cause', description: 'Description', quantity: 'Quantity',
    price: 'Unit price', discount: 'Disc.', iva: 'VAT', amount: 'Amount', taxes: 'Tax breakdown', base: 'Taxable base', rate: 'Rate', cuota: 'Tax',
    re: 'Equivalence surcharge', irpf: 'IRPF withholding', total: 'INVOICE TOTAL', toPay: 'Amount due', dues: 'Due dates', exempt: 'Exempt',
    replaced: 'Amounts of the replaced invoice', corrected: 'Amounts after rectification', record: 'Veri*Factu record', hash: 'Hash', qr: 'Tax QR code:',
    payment: { transfer: 'Bank transfer', direct_debit: 'Direct debit', card: 'Card', cash: 'Cash' } as Record<string, string>,
  },
} as const;

export interface IssuerData {
  legalName: string;
  nif: string;
  address: string | null;
}

/** The AEAT QR URL of a posted invoice: the issuer, number, date and the record's ImporteTotal (before IRPF). */
export function invoiceQrUrl(inv: InvoiceView, issuerNif: string): string | null {
  const alta = inv.records.find((r) => r.kind === 'alta');
  if (!alta || !alta.grandTotal || !inv.number) return null;
  const cents = parseDecimalString(alta.grandTotal);
  if (!cents.ok) return null;
  return buildFiscalQrUrl({ environment: 'production', nif: issuerNif, invoiceNumber: inv.number, issueDate: alta.issueDate, totalCents: cents.value });
}

const qty = (milli: number, lang: Lang) => (milli / 1000).toLocaleString(lang === 'es' ? 'es-ES' : 'en-GB', { maximumFractionDigits: 3 });

/** Renders an invoice already loaded (the bench and `invoicePdfBuffer` use it). */
export async function renderInvoicePdf(inv: InvoiceView, issuer: IssuerData, replaced: InvoiceView | null = null): Promise<Buffer> {
  const lang: Lang = inv.language === 'en' ? 'en' : 'es';
  const t = L[lang];
  const eur = (c: number) => formatMoney(c, lang);
  const pct = (bp: number) => `${(bp / 100).toLocaleString(lang === 'es' ? 'es-ES' : 'en-GB')} %`;
  const isCredit = inv.invoiceType.startsWith('R');
  const qrUrl = inv.status === 'draft' ? null : invoiceQrUrl(inv, issuer.nif);
  const qr = qrUrl ? QRCode.create(qrUrl, { errorCorrectionLevel: 'M' }).modules : null;
  const title = `${isCredit ? t.credit : t.invoice} ${inv.number ?? ''}`.trim();
  const { doc, bytes: done, left, width } = a4Pdf({ Title: title, Author: issuer.legalName });

  // The QR tributario and its "VERI*FACTU" legend head the invoice (top right, as the Veri*Factu order asks:
  // at the start of the document); the issuer and the document's identity run beside it.
  const top = doc.y;
  const hw = qr ? width - 130 : width;
  if (qr) {
    drawQr(doc, qr, left + width - 110, top - 8, 110);
    doc.font('Helvetica-Bold').fontSize(10).text('VERI*FACTU', left + width - 110, top + 104, { width: 110, align: 'center', lineBreak: false });
    doc.x = left;
    doc.y = top;
  }
  doc.font('Helvetica-Bold').fontSize(14).text(issuer.legalName, { width: hw });
  doc.font('Helvetica').fontSize(10).text(`${t.nif} ${issuer.nif}`, { width: hw });
  if (issuer.address) doc.text(issuer.address, { width: hw });
  doc.moveDown();
  doc.font('Helvetica-Bold').fontSize(13).text(isCredit ? `${t.credit} (${inv.invoiceType})` : t.invoice, { width: hw });
  if (inv.status === 'draft') doc.fillColor('#b00').text(t.draft, { width: hw }).fillColor('black');
  if (inv.status === 'cancelled') doc.fillColor('#b00').text(t.cancelled, { width: hw }).fillColor('black');
  doc.font('Helvetica').fontSize(10);
  doc.text(`${t.number}: ${inv.number ?? '—'}`, { width: hw });
  doc.text(`${t.issueDate}: ${inv.issueDate ? aeatDate(inv.issueDate) : '—'}`, { width: hw });
  if (inv.operationDate) doc.text(`${t.operationDate}: ${aeatDate(inv.operationDate)}`, { width: hw });
  if (inv.rectifies) {
    const r = inv.rectifies;
    doc.text(`${t.rectifies}: ${r.number ?? ''} ${t.of} ${r.issueDate ? aeatDate(r.issueDate) : ''}`, { width: hw });
    doc.text(`${t.method}: ${r.method === 'S' ? t.bySubstitution : t.byDifference}`, { width: hw });
    doc.text(`${t.cause}: ${CREDIT_NOTE_REASONS[inv.invoiceType as CreditNoteType]?.[lang] ?? ''}`, { width: hw });
    if (r.reason) doc.text(`${t.reason}: ${r.reason}`, { width: hw });
  }
  doc.moveDown(0.5);
  doc.font('Helvetica-Bold').text(t.recipient, { width: hw });
  doc.font('Helvetica').text(inv.recipient.name, { width: hw });
  if (inv.recipient.nif) doc.text(`${t.nif} ${inv.recipient.nif}${inv.recipient.country !== 'ES' ? ` (${inv.recipient.country})` : ''}`, { width: hw });
  if (inv.recipient.address) doc.text(inv.recipient.address, { width: hw });
  if (inv.description) doc.moveDown(0.3).text(inv.description, { width: hw });
  if (qr) doc.y = Math.max(doc.y, top + 120);
  doc.moveDown();

  const cols = [0, 0.46, 0.58, 0.71, 0.79, 0.87].map((f) => left + f * width);
  const row = (cells: string[], bold = false) => {
    const y = doc.y;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
    let bottom = y;
    cells.forEach((c, i) => {
      const right = (i + 1 < cols.length ? cols[i + 1]! : left + width) - 4;
      if (i === 0) {
        // The description wraps; the figures are one line each, right-aligned without pdfkit's line wrapper (3× faster).
        if (doc.widthOfString(c) <= right - cols[0]!) {
          doc.text(c, cols[0]!, y, { lineBreak: false });
          bottom = Math.max(bottom, y + doc.currentLineHeight(true));
        } else {
          doc.text(c, cols[0]!, y, { width: right - cols[0]! });
          bottom = Math.max(bottom, doc.y);
        }
      } else if (c) {
        doc.text(c, right - doc.widthOfString(c), y, { lineBreak: false });
      }
    });
    doc.x = left;
    doc.y = bottom;
    doc.moveDown(0.2);
  };
  row([t.description, t.quantity, t.price, t.discount, t.iva, t.amount], true);
  for (const l of inv.lines) {
    const rate = l.exemption ? `${t.exempt} ${l.exemption}` : pct(l.ivaRateBp);
    row([l.description, qty(l.quantityMilli, lang), eur(l.unitPriceCents), l.discountBp ? pct(l.discountBp) : '', rate, eur(l.baseCents)]);
  }
  doc.moveDown();

  if (inv.taxes.length > 0) {
    doc.font('Helvetica-Bold').fontSize(10).text(t.taxes, left);
    row([t.rate, t.base, t.iva, `RE %`, `RE`, t.cuota], true);
    for (const x of inv.taxes) {
      const label = x.exemption ? `${t.exempt} ${x.exemption}` : `${t.iva} ${pct(x.ivaRateBp)}`;
      row([label, eur(x.baseCents), eur(x.ivaCents), x.reRateBp ? pct(x.reRateBp) : '', x.reRateBp ? eur(x.reCents) : '', eur(x.ivaCents + x.reCents)]);
    }
    doc.moveDown(0.5);
  }
  const totalRow = (label: string, cents: number, bold = false) => row([label, '', '', '', '', eur(cents)], bold);
  totalRow(t.base, inv.baseCents);
  totalRow(t.iva, inv.ivaCents);
  if (inv.reCents !== 0) totalRow(t.re, inv.reCents);
  totalRow(t.total, inv.baseCents + inv.ivaCents + inv.reCents, true);
  if (inv.irpfBp > 0) {
    totalRow(`${t.irpf} (${pct(inv.irpfBp)})`, -inv.irpfCents);
    totalRow(t.toPay, inv.totalCents, true);
  }
  if (replaced) {
    doc.moveDown(0.5);
    doc.font('Helvetica-Bold').fontSize(10).text(t.replaced, left);
    totalRow(t.base, replaced.baseCents);
    totalRow(t.cuota, replaced.ivaCents + replaced.reCents);
    totalRow(t.total, replaced.baseCents + replaced.ivaCents + replaced.reCents);
  }
  doc.moveDown();

  if (inv.dues.length > 0 && inv.status !== 'draft') {
    doc.font('Helvetica-Bold').fontSize(10).text(t.dues, left);
    doc.font('Helvetica').fontSize(9);
    for (const d of inv.dues) doc.text(`${aeatDate(d.dueDate)}   ${eur(d.amountCents)}${inv.paymentMethod ? `   ${t.payment[inv.paymentMethod] ?? inv.paymentMethod}` : ''}`);
    doc.moveDown();
  }
  if (inv.notes) doc.font('Helvetica').fontSize(9).text(inv.notes, left).moveDown();

  const alta = inv.records.find((r) => r.kind === 'alta');
  if (alta && qrUrl) {
    doc.font('Helvetica-Bold').fontSize(9).text(t.record, left);
    doc.font('Helvetica').fontSize(7).text(`${t.qr} ${qrUrl}`, { width });
    doc.font('Courier').fontSize(7).text(`${t.hash}: ${alta.hash}`, { width });
  }
  doc.end();
  return done;
}

/**
 * The QR as vector squares (error correction M, a quiet zone of 4 modules): sharper than an embedded bitmap at
 * any zoom or print resolution, and no PNG to encode and decode per invoice. Dark runs of a row are one rectangle.
 */
function drawQr(doc: PDFKit.PDFDocument, modules: { size: number; data: Uint8Array }, x: number, y: number, width: number): void {
  const quiet = 4;
  const cell = width / (modules.size + 2 * quiet);
  for (let r = 0; r < modules.size; r++) {
    let c = 0;
    while (c < modules.size) {
      if (!modules.data[r * modules.size + c]) {
        c++;
        continue;
      }
      const start = c;
      while (c < modules.size && modules.data[r * modules.size + c]) c++;
      doc.rect(x + (quiet + start) * cell, y + (quiet + r) * cell, (c - start) * cell, cell);
    }
  }
  doc.fill('black');
}

async function issuerOf(m: Db, companyId: string): Promise<IssuerData> {
  const c = await one<{ legal_name: string; nif: string; address: string | null }>(m, `SELECT legal_name, nif, address FROM company WHERE id = ?`, [companyId]);
  return { legalName: c?.legal_name ?? '', nif: c?.nif ?? '', address: c?.address ?? null };
}

/** The PDF of an invoice or credit note, rendered now (a draft: a preview without QR). */
export async function invoicePdfBuffer(m: Db, invoiceId: string): Promise<Buffer> {
  const inv = await loadInvoice(m, invoiceId);
  if (!inv) throw refused(404, 'INVOICE_NOT_FOUND', 'factura no encontrada / invoice not found');
  const replaced = inv.rectifies?.method === 'S' ? await loadInvoice(m, inv.rectifies.invoiceId) : null;
  return renderInvoicePdf(inv, await issuerOf(m, inv.companyId), replaced);
}

/** File name of an invoice's PDF: `factura-FV-2026-000001.pdf`. */
export const invoicePdfName = (inv: Pick<InvoiceView, 'number' | 'id' | 'invoiceType' | 'language'>) =>
  `${inv.invoiceType.startsWith('R') ? (inv.language === 'en' ? 'credit-note' : 'rectificativa') : inv.language === 'en' ? 'invoice' : 'factura'}-${(inv.number ?? inv.id).replace(/[^A-Za-z0-9-]+/g, '_')}.pdf`;

/**
 * Renders a posted (or cancelled) invoice, keeps it in the files area (owned by the issuing company) and sets
 * `invoice.pdf_file_id`; a second call answers the stored file. A draft is refused (409): it has no number.
 */
export async function storeInvoicePdf(m: Db, files: Files, invoiceId: string): Promise<{ fileId: string }> {
  const row = await one<{ pdf_file_id: string | null; status: string; company_id: string; number: string | null; invoice_type: string; language: string }>(
    m,
    `SELECT pdf_file_id, status, company_id, number, invoice_type, language FROM invoice WHERE id = ?`,
    [invoiceId],
  );
  if (!row) throw refused(404, 'INVOICE_NOT_FOUND', 'factura no encontrada / invoice not found');
  if (row.pdf_file_id) return { fileId: row.pdf_file_id };
  if (row.status === 'draft') throw refused(409, 'INVOICE_DRAFT', 'un borrador no tiene PDF definitivo / a draft has no final PDF', 'status');
  const bytes = await invoicePdfBuffer(m, invoiceId);
  const f = await files.save({
    name: invoicePdfName({ id: invoiceId, number: row.number, invoiceType: row.invoice_type as InvoiceView['invoiceType'], language: row.language === 'en' ? 'en' : 'es' }),
    mediaType: 'application/pdf',
    purpose: 'pdf',
    owner: { companyId: row.company_id, storeId: null, createdBy: null },
    data: bytes,
  });
  // Two concurrent first downloads may both render; the first stored id wins, the other file stays unreferenced.
  await exec(m, `UPDATE invoice SET pdf_file_id = ? WHERE id = ? AND pdf_file_id IS NULL`, [f.id, invoiceId]);
  const after = await one<{ pdf_file_id: string }>(m, `SELECT pdf_file_id FROM invoice WHERE id = ?`, [invoiceId]);
  return { fileId: after!.pdf_file_id };
}
