/**
 * STAND-IN (fees part) with the agreed signatures of the invoices part's `pdf.ts`; the lead keeps the invoices
 * part's version at merge. A posted invoice as an A4 PDF (pdfkit): issuer and recipient, lines, IVA breakdown,
 * totals, due dates, the QR tributario and the "VERI*FACTU" legend; stored once in the files area.
 */
import QRCode from 'qrcode';
import { buildFiscalQrUrl } from '@tpv/shared/fiscal/qr';
import { formatMoney } from '@tpv/shared/money';
import type { Files } from '../platform/files/service';
import { a4Pdf } from '../platform/pdf';
import { exec, one, type Db } from '../persistence/sql';
import { aeatDate, loadInvoice } from './posting';

const eur = (c: number) => formatMoney(c, 'es');
const pct = (bp: number) => `${(bp / 100).toLocaleString('es-ES')} %`;

export async function invoicePdfBuffer(m: Db, invoiceId: string): Promise<Buffer> {
  const inv = await loadInvoice(m, invoiceId);
  if (!inv || inv.status === 'draft' || !inv.number || !inv.issueDate) throw new Error(`invoice ${invoiceId} is not posted`);
  const issuer = await one<{ legal_name: string; nif: string; address: string | null }>(m, `SELECT legal_name, nif, address FROM company WHERE id = ?`, [inv.companyId]);
  const qrUrl = buildFiscalQrUrl({ environment: 'production', nif: issuer!.nif, invoiceNumber: inv.number, issueDate: aeatDate(inv.issueDate), totalCents: inv.totalCents + inv.irpfCents });
  // The QR drawn as vector squares from its module matrix: no PNG to encode and decode again (a run makes hundreds).
  const qr = QRCode.create(qrUrl, { errorCorrectionLevel: 'M' }).modules;
  const { doc, bytes, left, width } = a4Pdf({ Title: `Factura ${inv.number}`, Author: issuer!.legal_name });
  doc.font('Helvetica-Bold').fontSize(14).text(issuer!.legal_name);
  doc.font('Helvetica').fontSize(10).text(`NIF ${issuer!.nif}${issuer!.address ? ` · ${issuer!.address}` : ''}`);
  doc.moveDown();
  doc.font('Helvetica-Bold').fontSize(12).text(`${inv.invoiceType.startsWith('R') ? 'Factura rectificativa' : 'Factura'} ${inv.number}`);
  doc.font('Helvetica').fontSize(10).text(`Fecha: ${inv.issueDate}${inv.periodFrom && inv.periodTo ? ` · periodo ${inv.periodFrom} – ${inv.periodTo}` : ''}`);
  doc.text(`Cliente: ${inv.recipient.name}${inv.recipient.nif ? ` · NIF ${inv.recipient.nif}` : ''}`);
  if (inv.recipient.address) doc.text(inv.recipient.address);
  doc.moveDown();
  const cols = [0, 0.62, 0.72, 0.86].map((f) => left + f * width);
  const row = (cells: string[], bold = false) => {
    if (doc.y > doc.page.height - doc.page.margins.bottom - 20) doc.addPage();
    const y = doc.y;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
    cells.forEach((c, i) => {
      const w = (i + 1 < cols.length ? cols[i + 1]! : left + width) - cols[i]! - 4;
      doc.text(c, cols[i]!, y, { width: w, align: i === 0 ? 'left' : 'right' });
    });
    doc.x = left;
    doc.moveDown(0.2);
  };
  row(['Concepto', 'Cantidad', 'Precio', 'Base'], true);
  for (const l of inv.lines) row([l.description, (l.quantityMilli / 1000).toLocaleString('es-ES'), eur(l.unitPriceCents), eur(l.baseCents)]);
  doc.moveDown();
  row(['Impuestos', 'Base', 'IVA', 'Cuota'], true);
  for (const t of inv.taxes) row([`IVA ${pct(t.ivaRateBp)}${t.reRateBp ? ` + RE ${pct(t.reRateBp)}` : ''}`, eur(t.baseCents), pct(t.ivaRateBp), eur(t.ivaCents + t.reCents)]);
  doc.moveDown();
  row(['Base imponible', '', '', eur(inv.baseCents)]);
  row(['IVA', '', '', eur(inv.ivaCents + inv.reCents)]);
  if (inv.irpfCents) row(['Retención IRPF', '', '', eur(-inv.irpfCents)]);
  row(['TOTAL', '', '', eur(inv.totalCents)], true);
  doc.moveDown();
  for (const d of inv.dues) row([`Vencimiento ${d.dueDate}${inv.paymentMethod ? ` (${inv.paymentMethod})` : ''}`, '', '', eur(d.amountCents)]);
  doc.moveDown();
  doc.font('Helvetica').fontSize(9).text('QR tributario:', left);
  const cell = 110 / (qr.size + 2);
  const x0 = left + cell;
  const y0 = doc.y + cell;
  for (let r = 0; r < qr.size; r++) for (let c = 0; c < qr.size; c++) if (qr.get(r, c)) doc.rect(x0 + c * cell, y0 + r * cell, cell, cell);
  doc.fillColor('black').fill();
  doc.x = left;
  doc.y = y0 + (qr.size + 1) * cell;
  doc.font('Helvetica-Bold').fontSize(9).text('VERI*FACTU');
  doc.end();
  return bytes;
}

/** Renders and stores the PDF once (answers the stored file when there is one) and sets `invoice.pdf_file_id`. */
export async function storeInvoicePdf(m: Db, files: Files, invoiceId: string): Promise<{ fileId: string }> {
  const row = await one<{ pdf_file_id: string | null; number: string | null; company_id: string }>(m, `SELECT pdf_file_id, number, company_id FROM invoice WHERE id = ?`, [invoiceId]);
  if (!row) throw new Error(`invoice ${invoiceId} not found`);
  if (row.pdf_file_id) return { fileId: row.pdf_file_id };
  const data = await invoicePdfBuffer(m, invoiceId);
  const f = await files.save({ name: `${row.number}.pdf`, mediaType: 'application/pdf', purpose: 'pdf', owner: { companyId: row.company_id, storeId: null, createdBy: null }, data });
  await exec(m, `UPDATE invoice SET pdf_file_id = ? WHERE id = ?`, [f.id, invoiceId]);
  return { fileId: f.id };
}
