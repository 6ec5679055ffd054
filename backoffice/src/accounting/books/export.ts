/**
 * The books as files: each book or statement becomes a table (header row, rows, a totals row) written as CSV
 * (UTF-8 with BOM, `;`, amounts with a dot and 2 decimals, as the other exports) or XLSX (real numbers in euros,
 * header bold and frozen); the P&L and the balance sheet also as an A4 PDF. What is exported is what the screen
 * shows for the same query.
 */
import { excelJs } from '../../platform/heavy-libs';
import { stringify } from 'csv-stringify/sync';
import type { Journal, Ledger, Statement, TrialBalance } from '@tpv/shared/wire/http/accounting-books';
import { a4Pdf } from '../../platform/pdf';

type Cell = string | number | null;
interface Column {
  header: string;
  kind: 'text' | 'money' | 'int';
  width: number;
}
export interface Table {
  name: string;
  title: string;
  subtitle: string;
  columns: Column[];
  rows: Cell[][];
}

const col = (header: string, kind: Column['kind'] = 'money', width = 14): Column => ({ header, kind, width });
const eur = (cents: number) => cents / 100;
const scope = (c: { legalName: string; nif: string }, storeId: string | null) => `${c.legalName} (${c.nif})${storeId ? ` — tienda ${storeId}` : ''}`;

export function journalTable(j: Journal): Table {
  const rows: Cell[][] = [];
  for (const e of j.items) for (const l of e.lines) rows.push([e.number, e.entryDate, l.account, l.accountName, l.description ?? e.description, eur(l.debitCents), eur(l.creditCents)]);
  rows.push([null, null, null, null, 'Total', eur(j.debitCents), eur(j.creditCents)]);
  return {
    name: `libro-diario-${j.from}-${j.to}`, title: 'Libro diario', subtitle: `${scope(j.company, j.storeId)} — ${j.from} a ${j.to}`,
    columns: [col('Asiento', 'int', 9), col('Fecha', 'text', 11), col('Cuenta', 'text', 11), col('Nombre cuenta', 'text', 32), col('Concepto', 'text', 40), col('Debe'), col('Haber')],
    rows,
  };
}

export function ledgerTable(l: Ledger): Table {
  const rows: Cell[][] = [[null, l.from, null, 'Saldo inicial', null, null, eur(l.openingCents)]];
  for (const x of l.items) rows.push([x.entryNumber, x.entryDate, x.account, x.description, eur(x.debitCents), eur(x.creditCents), eur(x.balanceCents)]);
  rows.push([null, l.to, null, 'Total / saldo final', eur(l.debitCents), eur(l.creditCents), eur(l.closingCents)]);
  return {
    name: `libro-mayor-${l.account}-${l.from}-${l.to}`, title: `Libro mayor ${l.account}${l.accountName ? ` ${l.accountName}` : ''}`, subtitle: `${scope(l.company, l.storeId)} — ${l.from} a ${l.to}`,
    columns: [col('Asiento', 'int', 9), col('Fecha', 'text', 11), col('Cuenta', 'text', 11), col('Concepto', 'text', 40), col('Debe'), col('Haber'), col('Saldo')],
    rows,
  };
}

export function trialBalanceTable(t: TrialBalance): Table {
  const fig = (x: { openingCents: number; debitCents: number; creditCents: number; closingCents: number }) => [eur(x.openingCents), eur(x.debitCents), eur(x.creditCents), eur(x.closingCents)];
  const rows: Cell[][] = t.rows.map((r) => [r.account, r.name, ...fig(r), ...fig(r.previous)]);
  rows.push(['Total', null, ...fig(t.totals), ...fig(t.previousTotals)]);
  const p = `${t.previousFrom}/${t.previousTo}`;
  return {
    name: `sumas-y-saldos-${t.from}-${t.to}`, title: 'Balance de sumas y saldos', subtitle: `${scope(t.company, t.storeId)} — ${t.from} a ${t.to} (comparado con ${t.previousFrom} a ${t.previousTo})`,
    columns: [col('Cuenta', 'text', 11), col('Nombre', 'text', 34), col('Saldo inicial'), col('Debe'), col('Haber'), col('Saldo final'), col(`Saldo inicial ${p}`), col(`Debe ${p}`), col(`Haber ${p}`), col(`Saldo final ${p}`)],
    rows,
  };
}

const STATEMENT_TITLE = { profit_and_loss: 'Cuenta de pérdidas y ganancias', balance_sheet: 'Balance' } as const;

export function statementTable(s: Statement): Table {
  const cur = s.statement === 'balance_sheet' ? s.to : `${s.from}/${s.to}`;
  const prev = s.statement === 'balance_sheet' ? s.previousTo : `${s.previousFrom}/${s.previousTo}`;
  return {
    name: `${s.statement === 'balance_sheet' ? 'balance' : 'perdidas-y-ganancias'}-${s.from}-${s.to}`,
    title: STATEMENT_TITLE[s.statement],
    subtitle: `${scope(s.company, s.storeId)} — ${s.statement === 'balance_sheet' ? `a fin de ${s.to}` : `${s.from} a ${s.to}`}`,
    columns: [col('Ref.', 'text', 6), col('Concepto', 'text', 60), col(cur), col(prev)],
    rows: s.lines.map((l) => [l.ref, `${'  '.repeat(Math.max(l.level - 1, 0))}${l.es}`, eur(l.cents), eur(l.previousCents)]),
  };
}

export function tableCsv(t: Table): Buffer {
  const text = stringify(
    t.rows.map((r) => r.map((v, i) => (v === null ? '' : t.columns[i]!.kind === 'money' ? (v as number).toFixed(2) : String(v)))),
    { delimiter: ';', header: true, columns: t.columns.map((c) => c.header) },
  );
  return Buffer.from(`\uFEFF${text}`, 'utf8');
}

export async function tableXlsx(t: Table): Promise<Buffer> {
  const wb = new (excelJs().Workbook)();
  wb.creator = 'TPV back office';
  wb.title = `${t.title} — ${t.subtitle}`;
  const ws = wb.addWorksheet(t.title.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = t.columns.map((c) => ({ header: c.header, width: c.width, style: c.kind === 'money' ? { numFmt: '#,##0.00' } : {} }));
  ws.getRow(1).font = { bold: true };
  for (const r of t.rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const money = (cents: number) => {
  const s = (Math.abs(cents) / 100).toFixed(2).replace('.', ',').replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return cents < 0 ? `(${s})` : s;
};

/** The P&L or the balance sheet on A4: line, this period, the same period a year earlier (negatives in brackets). */
export async function statementPdf(s: Statement): Promise<Buffer> {
  const t = statementTable(s);
  const { doc, bytes, left, width } = a4Pdf({ Title: `${t.title} — ${s.company.legalName}`, Author: 'TPV back office' });
  doc.font('Helvetica-Bold').fontSize(14).text(t.title, left, undefined, { width });
  doc.font('Helvetica').fontSize(9).text(t.subtitle, { width }).moveDown();
  const amountW = 90;
  const labelW = width - 2 * amountW;
  const row = (label: string, a: string, b: string, bold: boolean, indent: number) => {
    const y = doc.y;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8.5);
    doc.text(label, left + indent, y, { width: labelW - indent });
    const after = doc.y;
    doc.text(a, left + labelW, y, { width: amountW, align: 'right' });
    doc.text(b, left + labelW + amountW, y, { width: amountW, align: 'right' });
    doc.y = Math.max(after, doc.y);
    if (doc.y > doc.page.height - doc.page.margins.bottom - 20) doc.addPage();
  };
  row('', t.columns[2]!.header, t.columns[3]!.header, true, 0);
  for (const l of s.lines) row(`${l.ref ? `${l.ref} ` : ''}${l.es}`, money(l.cents), money(l.previousCents), l.kind !== 'item', Math.max(l.level - 1, 0) * 10);
  doc.end();
  return bytes;
}
