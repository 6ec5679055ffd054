/**
 * The purchase order the supplier receives (pdfkit, A4): buyer and supplier, where and when to deliver, lines
 * with their reference, quantity, unit cost, discount and net amount, the IVA table per rate and the total —
 * made when the order is sent and kept in the files area.
 */
import { formatMoney } from '@tpv/shared/money';
import { a4Pdf } from '../platform/pdf';
import type { PurchaseOrderDetail } from '@tpv/shared/wire/http/purchasing';

const eur = (c: number) => formatMoney(c, 'es');
const pct = (bp: number) => `${(bp / 100).toLocaleString('es-ES')} %`;

export interface PdfParties {
  buyer: { legalName: string; nif: string; address: string | null };
  supplierAddress: string | null;
  deliverTo: { name: string; address: string | null };
}

export async function purchaseOrderPdf(o: PurchaseOrderDetail, p: PdfParties): Promise<Buffer> {
  const { doc, bytes: done, left, width } = a4Pdf({ Title: `Pedido de compra ${o.number ?? ''}`, Author: p.buyer.legalName });

  doc.font('Helvetica-Bold').fontSize(14).text(p.buyer.legalName);
  doc.font('Helvetica').fontSize(10).text(`NIF ${p.buyer.nif}${p.buyer.address ? ` · ${p.buyer.address}` : ''}`);
  doc.moveDown();
  doc.font('Helvetica-Bold').fontSize(12).text(`Pedido de compra ${o.number ?? '(borrador)'}`);
  doc.font('Helvetica').fontSize(10);
  doc.text(`Proveedor: ${o.supplierName}${o.supplierNif ? ` · NIF ${o.supplierNif}` : ''}`);
  if (p.supplierAddress) doc.text(p.supplierAddress);
  doc.text(`Entregar en: ${p.deliverTo.name}${p.deliverTo.address ? ` · ${p.deliverTo.address}` : ''}`);
  if (o.expectedDate) doc.text(`Fecha prevista de entrega: ${o.expectedDate}`);
  if (o.sentAt) doc.text(`Fecha del pedido: ${o.sentAt.slice(0, 10)}`);
  if (o.note) doc.text(`Observaciones: ${o.note}`);
  doc.moveDown();

  const cols = [0, 0.14, 0.52, 0.64, 0.76, 0.84, 0.9].map((f) => left + f * width);
  const row = (cells: string[], bold = false) => {
    const y = doc.y;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8.5);
    cells.forEach((c, i) => {
      const w = (i + 1 < cols.length ? cols[i + 1]! : left + width) - cols[i]! - 4;
      doc.text(c, cols[i]!, y, { width: w, align: i <= 1 ? 'left' : 'right' });
    });
    doc.x = left;
    doc.moveDown(0.2);
  };
  row(['Ref.', 'Artículo', 'Cantidad', 'Precio', 'Dto.', 'IVA', 'Importe'], true);
  for (const l of o.lines) {
    const qty = l.weighed ? `${(l.quantity / 1000).toLocaleString('es-ES', { minimumFractionDigits: 3 })} kg` : String(l.quantity);
    row([l.supplierRef ?? l.sku, l.name, qty, `${eur(l.unitCostCents)}${l.weighed ? '/kg' : ''}`, l.discountBp ? pct(l.discountBp) : '', pct(l.taxRateBp), eur(l.baseCents)]);
  }
  doc.moveDown();
  row(['', 'Impuestos', 'Base', '', '', 'Cuota', ''], true);
  for (const t of o.taxes) row(['', `IVA ${pct(t.rateBp)}`, eur(t.baseCents), '', '', eur(t.taxCents), '']);
  doc.moveDown();
  row(['', 'Base imponible', '', '', '', '', eur(o.baseCents)]);
  row(['', 'IVA', '', '', '', '', eur(o.taxCents)]);
  row(['', 'TOTAL', '', '', '', '', eur(o.totalCents)], true);
  doc.end();
  return done;
}
