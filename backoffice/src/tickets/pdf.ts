/**
 * The PDF copy of a ticket (pdfkit, A4): the company's legal name and NIF, store, till, number and date,
 * lines, the tax table per rate (base, IVA, recargo), totals, payments, and the Veri*Factu record (huella,
 * previous huella) with its QR ("QR tributario", error correction M) — what the customer's receipt
 * carried, reprinted from what HQ received.
 */
import QRCode from 'qrcode';
import { formatMoney } from '@tpv/shared/money';
import { a4Pdf } from '../platform/pdf';
import type { TicketDetail } from '@tpv/shared/wire/http/tickets';

const eur = (c: number) => formatMoney(c, 'es');
const pct = (bp: number) => `${(bp / 100).toLocaleString('es-ES')} %`;
const METHOD: Record<string, string> = { cash: 'Efectivo', card: 'Tarjeta', voucher: 'Vale', on_account: 'A cuenta' };

export async function ticketPdf(t: TicketDetail): Promise<Buffer> {
  const qr = t.fiscal?.qrUrl ? await QRCode.toBuffer(t.fiscal.qrUrl, { errorCorrectionLevel: 'M', type: 'png', margin: 1, scale: 4 }) : null;
  const { doc, bytes: done, left, width } = a4Pdf({ Title: `Ticket ${t.fiscalNumber}`, Author: t.company.legalName });
  doc.font('Helvetica-Bold').fontSize(14).text(t.company.legalName);
  doc.font('Helvetica').fontSize(10).text(`NIF ${t.company.nif}`);
  doc.text(`${t.store.name} (${t.store.code})${t.store.address ? ` · ${t.store.address}` : ''}`);
  doc.text(`${t.terminal.name} · instalación ${t.terminal.installation}`);
  doc.moveDown();
  doc.font('Helvetica-Bold').fontSize(12).text(t.kind === 'return' ? 'Factura rectificativa (simplificada)' : 'Factura simplificada');
  doc.font('Helvetica').fontSize(10).text(`Número: ${t.fiscalNumber}`);
  doc.text(`Fecha: ${t.issuedAt}`);
  if (t.cashier) doc.text(`Cajero/a: ${t.cashier.name}`);
  if (t.customer) doc.text(`Cliente: ${t.customer.name}${t.customer.nif ? ` · NIF ${t.customer.nif}` : ''}`);
  if (t.original) doc.text(`Rectifica: ${t.original.fiscalNumber}`);
  doc.moveDown();

  // Lines: description, quantity, unit price, discount, total.
  const cols = [0, 0.5, 0.64, 0.78, 0.9].map((f) => left + f * width);
  const row = (cells: string[], bold = false) => {
    const y = doc.y;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
    cells.forEach((c, i) => {
      const w = (i + 1 < cols.length ? cols[i + 1]! : left + width) - cols[i]! - 4;
      doc.text(c, cols[i]!, y, { width: w, align: i === 0 ? 'left' : 'right' });
    });
    doc.x = left;
    doc.moveDown(0.2);
  };
  row(['Artículo', 'Cantidad', 'Precio', 'Dto.', 'Importe'], true);
  for (const l of t.lines) {
    const qty = l.grams !== null ? `${(l.grams / 1000).toLocaleString('es-ES', { minimumFractionDigits: 3 })} kg` : String(l.units ?? '');
    row([l.description, qty, l.unitPriceCents === null ? '' : eur(l.unitPriceCents), l.discountCents ? eur(-l.discountCents) : '', eur(l.totalCents)]);
  }
  doc.moveDown();

  row(['Impuestos', 'Base', 'IVA', 'Recargo', 'Cuota'], true);
  for (const x of t.taxes) {
    const label = x.exemption ? `Exento (${x.exemption})` : `IVA ${pct(x.rateBp)}${x.reRateBp ? ` + RE ${pct(x.reRateBp)}` : ''}`;
    row([label, eur(x.baseCents), eur(x.ivaCents), eur(x.reCents), eur(x.ivaCents + x.reCents)]);
  }
  doc.moveDown();
  if (t.totals.discountCents) row(['Descuentos', '', '', '', eur(-t.totals.discountCents)]);
  row(['Impuestos incluidos', '', '', '', eur(t.totals.taxCents)]);
  row([`TOTAL ${eur(t.totals.totalCents)}`, '', '', '', eur(t.totals.totalCents)], true);
  doc.moveDown(0.5);
  for (const p of t.payments) row([`${METHOD[p.method] ?? p.method}${p.reference ? ` (${p.reference})` : ''}`, '', '', '', eur(p.amountCents)]);
  if (t.totals.changeCents) row(['Cambio', '', '', '', eur(t.totals.changeCents)]);
  doc.moveDown();

  if (t.fiscal) {
    doc.font('Helvetica-Bold').fontSize(10).text('Registro Veri*Factu', left);
    doc.font('Courier').fontSize(8);
    doc.text(`Huella: ${t.fiscal.hash}`);
    doc.text(`Huella anterior: ${t.fiscal.previousHash ?? '(primer registro)'}`);
    doc.font('Helvetica').fontSize(8).text(`Posición en la cadena: ${t.fiscal.chainPosition} · ${t.fiscal.verified ? 'encadenamiento verificado' : `cadena rota: ${t.fiscal.breakReason ?? ''}`}`);
    if (qr) {
      doc.moveDown(0.5);
      doc.font('Helvetica').fontSize(9).text('QR tributario:');
      doc.image(qr, { width: 120 });
      doc.fontSize(7).text(t.fiscal.qrUrl ?? '', { width });
    }
  }
  doc.end();
  return done;
}
