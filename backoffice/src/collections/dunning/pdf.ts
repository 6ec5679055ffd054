/** A dunning letter as a PDF (pdfkit, A4): the level's text per item, the items table, interest when claimed. */
import { renderDunningText, type DunningLevel } from '@tpv/shared/collections/dunning';
import { formatMoney } from '@tpv/shared/money';
import { a4Pdf } from '../../platform/pdf';
import type { LetterView } from './service';

const L = {
  es: { title: 'Reclamación de pago', date: 'Fecha', to: 'A la atención de', doc: 'Documento', due: 'Vencimiento', days: 'Días', owed: 'Pendiente', interest: 'Intereses', principal: 'Principal', compensation: 'Indemnización costes de cobro (art. 8 Ley 3/2004)', total: 'Total reclamado', level: 'Nivel' },
  en: { title: 'Payment demand', date: 'Date', to: 'To', doc: 'Document', due: 'Due date', days: 'Days', owed: 'Outstanding', interest: 'Interest', principal: 'Principal', compensation: 'Recovery-cost compensation (art. 8 Ley 3/2004)', total: 'Total claimed', level: 'Level' },
};

export async function renderDunningLetterPdf(x: { company: { legalName: string; nif: string }; letter: LetterView; level: DunningLevel; language: 'es' | 'en' }): Promise<Buffer> {
  const t = L[x.language];
  const eur = (c: number) => formatMoney(c, x.language);
  const { doc, bytes, left, width } = a4Pdf({ Title: `${t.title} ${x.letter.counterpartyName ?? x.letter.counterpartyId}`, Author: x.company.legalName });
  doc.font('Helvetica-Bold').fontSize(14).text(x.company.legalName, { width });
  doc.font('Helvetica').fontSize(10).text(`NIF ${x.company.nif}`, { width }).moveDown();
  doc.font('Helvetica-Bold').fontSize(13).text(`${t.title} — ${x.level.name[x.language]} (${t.level} ${x.level.level})`, { width });
  doc.font('Helvetica').fontSize(10).text(`${t.date}: ${x.letter.letterDate}`, { width });
  doc.text(`${t.to}: ${x.letter.counterpartyName ?? x.letter.counterpartyId}`, { width }).moveDown();
  for (const it of x.letter.items) {
    doc.text(renderDunningText(x.level.text[x.language], { counterparty: x.letter.counterpartyName ?? x.letter.counterpartyId, document: it.documentRef, dueDate: it.dueDate, amount: eur(it.balanceCents), days: String(it.daysPastDue) }), { width });
    doc.moveDown(0.5);
  }
  doc.moveDown();
  const cols = [0, 0.3, 0.5, 0.6, 0.8].map((f) => left + f * width);
  const row = (cells: string[], bold = false) => {
    const y = doc.y;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
    cells.forEach((c, i) => doc.text(c, cols[i]!, y, { width: width * 0.19, lineBreak: false }));
    doc.x = left;
    doc.y = y + 14;
  };
  row([t.doc, t.due, t.days, t.owed, t.interest], true);
  for (const it of x.letter.items) row([it.documentRef, it.dueDate, String(it.daysPastDue), eur(it.balanceCents), eur(it.interestCents)]);
  doc.moveDown();
  doc.font('Helvetica').fontSize(10).text(`${t.principal}: ${eur(x.letter.principalCents)}`, left, doc.y, { width });
  if (x.level.claimsInterest) {
    doc.text(`${t.interest}: ${eur(x.letter.interestCents)}`, { width });
    doc.text(`${t.compensation}: ${eur(x.letter.compensationCents)}`, { width });
  }
  doc.font('Helvetica-Bold').text(`${t.total}: ${eur(x.letter.principalCents + x.letter.interestCents + x.letter.compensationCents)}`, { width });
  doc.end();
  return bytes;
}
