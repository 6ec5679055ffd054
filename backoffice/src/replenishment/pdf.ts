/**
 * Printed documents of a replenishment order (pdfkit, A4): the pick list the warehouse works from (ordered and
 * approved quantities, on hand, an empty column to write the picked quantity) and the delivery note (both
 * companies, lines with wholesale price and IVA, shipped / received / damaged).
 */
import { pdfKit } from '../platform/heavy-libs';
import { formatMoney } from '@tpv/shared/money';
import type { NoteDetail, OrderDetail } from '@tpv/shared/wire/http/replenishment';

const eur = (c: number) => formatMoney(c, 'es');
const qty = (n: number | null, weighed: boolean) => (n === null ? '' : weighed ? `${(n / 1000).toLocaleString('es-ES', { minimumFractionDigits: 3 })} kg` : String(n));

function table(doc: PDFKit.PDFDocument, fractions: number[], header: string[], rows: string[][]) {
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const cols = fractions.map((f) => left + f * width);
  const row = (cells: string[], bold = false) => {
    if (doc.y > doc.page.height - doc.page.margins.bottom - 20) doc.addPage();
    const y = doc.y;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
    cells.forEach((c, i) => {
      const w = (i + 1 < cols.length ? cols[i + 1]! : left + width) - cols[i]! - 4;
      doc.text(c, cols[i]!, y, { width: w, align: i < 2 ? 'left' : 'right' });
    });
    doc.x = left;
    doc.moveDown(0.3);
  };
  row(header, true);
  for (const r of rows) row(r);
}

function render(title: string, draw: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  const doc = new (pdfKit())({ size: 'A4', margin: 48, info: { Title: title } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  draw(doc);
  doc.end();
  return done;
}

export function pickListPdf(o: OrderDetail): Promise<Buffer> {
  return render(`Lista de preparación ${o.number}`, (doc) => {
    doc.font('Helvetica-Bold').fontSize(14).text(`Lista de preparación / Pick list ${o.number}`);
    doc.font('Helvetica').fontSize(10).text(`Almacén: ${o.warehouseName}`);
    doc.text(`Destino: ${o.storeName} (${o.storeCode})`);
    doc.text(`Registrado: ${o.createdAt}${o.approvedAt ? ` · aprobado ${o.approvedAt}` : ''}`);
    doc.moveDown();
    table(doc, [0, 0.15, 0.6, 0.72, 0.85], ['SKU', 'Artículo', 'Pedido', 'Existencias', 'Preparado'], o.items.map((l) => [l.sku, l.name, qty(l.approved, l.weighed), qty(l.warehouseOnHand, l.weighed), l.picked === null ? '______' : qty(l.picked, l.weighed)]));
  });
}

export function deliveryNotePdf(n: NoteDetail): Promise<Buffer> {
  return render(`Albarán ${n.number}`, (doc) => {
    doc.font('Helvetica-Bold').fontSize(14).text(`Albarán / Delivery note ${n.number}`);
    doc.font('Helvetica').fontSize(10).text(`De: ${n.fromCompanyName} · ${n.warehouseName}`);
    doc.text(`Para: ${n.toCompanyName} · ${n.storeName} (${n.storeCode})`);
    doc.text(`Pedido ${n.orderNumber} · enviado ${n.shippedAt}${n.receivedAt ? ` · recibido ${n.receivedAt}` : ''}`);
    doc.moveDown();
    table(
      doc,
      [0, 0.12, 0.45, 0.55, 0.65, 0.75, 0.85],
      ['SKU', 'Artículo', 'Enviado', 'Recibido', 'Dañado', 'Precio', 'IVA'],
      n.items.map((l) => [l.sku, l.name, qty(l.shipped, l.weighed), qty(l.received, l.weighed), qty(l.damaged, l.weighed), eur(l.unitPriceCents), `${l.taxRateBp / 100} %`]),
    );
    doc.moveDown();
    doc.font('Helvetica').fontSize(9).text('Precios mayoristas sin IVA; la factura se emite desde los albaranes. / Wholesale prices net of IVA; invoiced from delivery notes.');
  });
}
