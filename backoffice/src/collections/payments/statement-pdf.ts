/**
 * The statement of account (extracto de cuenta) as a PDF (pdfkit, A4), in Spanish or English: the
 * counterparty, the period, the opening balance, one line per posting or credit movement with debit, credit
 * and running balance, the totals and the closing balance.
 */
import { formatMoney } from '@tpv/shared/money';
import type { StatementAnswer } from '@tpv/shared/wire/http/collections-payments';
import { a4Pdf } from '../../platform/pdf';

type Lang = 'es' | 'en';
const L = {
  es: {
    title: 'Extracto de cuenta', counterparty: 'Titular', period: 'Periodo', to: 'a', opening: 'Saldo inicial', closing: 'Saldo final', totals: 'Totales',
    date: 'Fecha', document: 'Documento', concept: 'Concepto', ref: 'Referencia', debit: 'Cargo', credit: 'Abono', balance: 'Saldo', held: 'Saldo a cuenta (anticipos)',
    receivable: 'Cobros', payable: 'Pagos',
    kinds: { invoiced: 'Factura', credited: 'Abono', collected: 'Cobro', returned: 'Devolución', written_off: 'Fallido', credit_received: 'Entrega a cuenta', credit_used: 'Aplicación de anticipo' } as Record<string, string>,
  },
  en: {
    title: 'Statement of account', counterparty: 'Account holder', period: 'Period', to: 'to', opening: 'Opening balance', closing: 'Closing balance', totals: 'Totals',
    date: 'Date', document: 'Document', concept: 'Entry', ref: 'Reference', debit: 'Debit', credit: 'Credit', balance: 'Balance', held: 'Credit held (on account)',
    receivable: 'Receivables', payable: 'Payables',
    kinds: { invoiced: 'Invoice', credited: 'Credit note', collected: 'Payment', returned: 'Returned', written_off: 'Written off', credit_received: 'Payment on account', credit_used: 'Credit applied' } as Record<string, string>,
  },
} as const;

export async function renderStatementPdf(s: StatementAnswer, lang: Lang): Promise<Buffer> {
  const t = L[lang];
  const money = (c: number) => formatMoney(c, lang);
  const { doc, bytes, left, width } = a4Pdf({ Title: `${t.title} ${s.counterpartyName ?? s.counterpartyId}`, Author: 'TPV' });
  doc.font('Helvetica-Bold').fontSize(16).text(t.title);
  doc.font('Helvetica').fontSize(10).moveDown(0.5);
  doc.text(`${t.counterparty}: ${s.counterpartyName ?? ''} (${s.counterpartyId})`);
  doc.text(`${t.period}: ${s.from} ${t.to} ${s.to} · ${t[s.side]}`);
  doc.moveDown();
  // Date, document, entry, reference, debit, credit, balance (A4 less margins: 499 pt).
  const cols = [0, 52, 132, 222, 300, 366, 432].map((x) => left + x);
  const widths = [52, 80, 90, 78, 64, 64, width - 432];
  const row = (cells: string[], bold = false) => {
    const y = doc.y;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8);
    cells.forEach((c, i) => doc.text(c, cols[i]!, y, { width: widths[i]!, align: i >= 4 ? 'right' : 'left', lineBreak: false }));
    doc.y = y + 13;
    if (doc.y > doc.page.height - doc.page.margins.bottom - 20) doc.addPage();
  };
  row([t.date, t.document, t.concept, t.ref, t.debit, t.credit, t.balance], true);
  row(['', '', t.opening, '', '', '', money(s.openingCents)]);
  for (const l of s.lines) row([l.on, l.documentRef, t.kinds[l.kind] ?? l.kind, l.ref ?? '', l.debitCents ? money(l.debitCents) : '', l.creditCents ? money(l.creditCents) : '', money(l.balanceCents)]);
  row(['', '', t.totals, '', money(s.debitCents), money(s.creditCents), ''], true);
  row(['', '', t.closing, '', '', '', money(s.closingCents)], true);
  doc.x = left;
  doc.moveDown();
  doc.font('Helvetica').fontSize(9).text(`${t.held}: ${money(s.creditHeldCents)}`, left);
  doc.end();
  return bytes;
}
