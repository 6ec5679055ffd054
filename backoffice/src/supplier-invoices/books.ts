/**
 * The invoice registers (libros registro de facturas expedidas y recibidas, art. 62–64 RIVA) of a company and
 * period as XLSX or CSV, with the columns of the AEAT's libro registro format: one row per invoice and tax
 * rate (an invoice with two IVA rates takes two rows; its IRPF withholding and total go on its first row only,
 * so a column sum is the book's total).
 *
 * Issued: the core's `invoice` + `invoice_tax`, posted and cancelled (anulada: marked, out of the totals).
 * Received: posted supplier invoices booked in the period (their `period`), numbered RC-yyyy-nnnnnn.
 */
import { excelJs } from '../platform/heavy-libs';
import { stringify } from 'csv-stringify/sync';
import type { InvoiceBookBody } from '@tpv/shared/wire/http/supplier-invoices';
import type { Db } from '../persistence/sql';
import * as repo from './repository';

type Cell = string | number | Date | null;
interface Column {
  header: string;
  kind: 'text' | 'date' | 'money' | 'rate';
  width: number;
}
export interface Book {
  name: string;
  title: string;
  columns: Column[];
  rows: Cell[][];
  /** Posted rows only (cancelled issued invoices are marked, not counted). */
  totals: { baseCents: number; ivaCents: number; totalCents: number };
}

/** The dates and booking months a period covers: yyyy-mm, a quarter yyyy-nT, or a year yyyy. */
export function periodRange(period: string): { from: string; to: string; fromMonth: string; toMonth: string } {
  const year = period.slice(0, 4);
  const q = /^\d{4}-([1-4])T$/.exec(period);
  const [m1, m2] = q ? [(Number(q[1]) - 1) * 3 + 1, Number(q[1]) * 3] : period.length === 7 ? [Number(period.slice(5)), Number(period.slice(5))] : [1, 12];
  const mm = (m: number) => `${year}-${String(m).padStart(2, '0')}`;
  // "-31" closes every month: dates are compared as yyyy-mm-dd strings.
  return { from: `${mm(m1)}-01`, to: `${mm(m2)}-31`, fromMonth: mm(m1), toMonth: mm(m2) };
}

const day = (iso: string | null) => (iso ? new Date(`${iso}T00:00:00Z`) : null);
const eur = (c: number | null) => (c === null ? null : c / 100);
const pct = (bp: number | null) => (bp === null ? null : bp / 100);

const col = (header: string, kind: Column['kind'], width = 14): Column => ({ header, kind, width });
const TAX_COLS = [
  col('Base Imponible', 'money'), col('Tipo de IVA', 'rate', 10), col('Cuota IVA', 'money'), col('Tipo de Recargo eq.', 'rate', 12),
  col('Cuota Recargo eq.', 'money'), col('Retención IRPF', 'money'), col('Total Factura', 'money'),
];

/** One row per tax row; an invoice's IRPF and total on its first row only; totals over the counted rows. */
function perTaxRow<T extends { id: string; baseCents: number | null; ivaCents: number | null; totalCents: number }>(rows: readonly T[], counted: (x: T) => boolean, cells: (x: T, first: boolean) => Cell[]) {
  const totals = { baseCents: 0, ivaCents: 0, totalCents: 0 };
  let prev = '';
  const out = rows.map((x) => {
    const first = x.id !== prev;
    prev = x.id;
    if (counted(x)) {
      totals.baseCents += x.baseCents ?? 0;
      totals.ivaCents += x.ivaCents ?? 0;
      if (first) totals.totalCents += x.totalCents;
    }
    return cells(x, first);
  });
  return { totals, rows: out };
}

export async function issuedBook(m: Db, companyId: string, period: string): Promise<Book> {
  const r = periodRange(period);
  const { totals, rows: out } = perTaxRow(await repo.issuedBookRows(m, companyId, r.from, r.to), (x) => x.status === 'posted', (x, first) => [
    Number(x.issueDate.slice(0, 4)), x.issueDate.slice(5, 7), x.invoiceType, day(x.issueDate), day(x.operationDate ?? x.issueDate), x.series, x.number,
    x.recipientNif, x.recipientName, x.exemption, eur(x.baseCents), pct(x.ivaRateBp), eur(x.ivaCents), pct(x.reRateBp), eur(x.reCents),
    first ? eur(x.irpfCents) : null, first ? eur(x.totalCents) : null, x.status === 'cancelled' ? 'Anulada' : 'Registrada',
  ]);
  return {
    name: `libro-expedidas-${period}`, title: 'Libro registro de facturas expedidas', totals, rows: out,
    columns: [
      col('Ejercicio', 'text', 9), col('Periodo', 'text', 8), col('Tipo de Factura', 'text', 9), col('Fecha Expedición', 'date'), col('Fecha Operación', 'date'),
      col('Serie', 'text', 8), col('Número', 'text', 18), col('NIF Destinatario', 'text'), col('Nombre Destinatario', 'text', 30), col('Causa Exención', 'text', 9),
      ...TAX_COLS, col('Estado', 'text', 11),
    ],
  };
}

export async function receivedBook(m: Db, companyId: string, period: string): Promise<Book> {
  const r = periodRange(period);
  const { totals, rows: out } = perTaxRow(await repo.receivedBookRows(m, companyId, r.fromMonth, r.toMonth), () => true, (x, first) => [
    Number(x.period.slice(0, 4)), x.period.slice(5, 7), x.registerNumber, 'F1', day(x.invoiceDate), day(x.operationDate ?? x.invoiceDate), day(x.receivedDate),
    x.supplierNumber, x.supplierNif, x.supplierName, eur(x.baseCents), pct(x.ivaRateBp), eur(x.ivaCents), pct(x.reRateBp), eur(x.reCents),
    first ? eur(x.irpfCents) : null, first ? eur(x.totalCents) : null,
  ]);
  return {
    name: `libro-recibidas-${period}`, title: 'Libro registro de facturas recibidas', totals, rows: out,
    columns: [
      col('Ejercicio', 'text', 9), col('Periodo', 'text', 8), col('Nº Recepción', 'text', 16), col('Tipo de Factura', 'text', 9), col('Fecha Expedición', 'date'),
      col('Fecha Operación', 'date'), col('Fecha Recepción', 'date'), col('Serie-Número', 'text', 18), col('NIF Expedidor', 'text'), col('Nombre Expedidor', 'text', 30),
      ...TAX_COLS.map((c) => (c.header === 'Cuota IVA' ? { ...c, header: 'Cuota IVA Soportada' } : c)),
    ],
  };
}

export async function bookOf(m: Db, b: Pick<InvoiceBookBody, 'companyId' | 'period' | 'book'>): Promise<Book> {
  return b.book === 'issued' ? issuedBook(m, b.companyId, b.period) : receivedBook(m, b.companyId, b.period);
}

const ddmmyyyy = (d: Date) => `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`;

/** CSV: UTF-8 with BOM, `;` separated (as the other exports), dates dd/mm/yyyy, amounts with a dot and 2 decimals. */
export function bookCsv(book: Book): Buffer {
  const text = stringify(
    book.rows.map((r) => r.map((v, i) => (v === null ? '' : v instanceof Date ? ddmmyyyy(v) : book.columns[i]!.kind === 'money' ? (v as number).toFixed(2) : String(v)))),
    { delimiter: ';', header: true, columns: book.columns.map((c) => c.header) },
  );
  return Buffer.from(`\uFEFF${text}`, 'utf8');
}

/** XLSX: one sheet, header row bold and frozen, real dates and numbers (euros with 2 decimals). */
export async function bookXlsx(book: Book, company: { nif: string; legalName: string }, period: string): Promise<Buffer> {
  const wb = new (excelJs().Workbook)();
  wb.creator = 'TPV back office';
  const ws = wb.addWorksheet(book.title.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = book.columns.map((c) => ({
    header: c.header, width: c.width,
    style: c.kind === 'money' ? { numFmt: '#,##0.00' } : c.kind === 'date' ? { numFmt: 'dd/mm/yyyy' } : c.kind === 'rate' ? { numFmt: '0.00' } : {},
  }));
  ws.getRow(1).font = { bold: true };
  for (const r of book.rows) ws.addRow(r);
  wb.title = `${book.title} — ${company.legalName} (${company.nif}) — ${period}`;
  return Buffer.from(await wb.xlsx.writeBuffer());
}
