/**
 * A report (or the cashiers report's drill-down, cashier-events-table.ts) as a file: CSV (`;`, decimal comma, euros), XLSX (numbers as numbers with euro and % formats, a
 * bold totals row) and PDF (A4 landscape table with title, filters, period and totals). Same rows and totals
 * as the JSON answer; the comparison, when asked, follows as a second block / sheet.
 */
import { excelJs, pdfKit } from '../platform/heavy-libs';
import { stringify } from 'csv-stringify/sync';
import type { ReportColumn, ReportResult, ReportRow } from '@tpv/shared/wire/http/reports';

export type ReportFormat = 'csv' | 'xlsx' | 'pdf';
export const REPORT_MEDIA: Record<ReportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

/** What a file shows: a report's answer, or any table shaped like one (the drill-down has no report key). */
export type ExportTable = Omit<ReportResult, 'key'>;

const label = (c: ReportColumn) => `${c.label.es} / ${c.label.en}`;
const TOTAL = 'Total';

/** A cell as a Spanish reader writes it: 1.234,56 € / 12,5 % / 1.234. */
export function displayValue(c: ReportColumn, v: ReportRow[string] | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  const es = (x: number, d: number) => x.toLocaleString('es-ES', { minimumFractionDigits: d, maximumFractionDigits: d, useGrouping: 'always' } as Intl.NumberFormatOptions);
  if (c.kind === 'cents') return `${es(v / 100, 2)} €`;
  if (c.kind === 'pct') return es(v, Number.isInteger(v) ? 0 : 2);
  return es(v, 0);
}

/** CSV cell: numbers with a decimal comma and no grouping (spreadsheets read them back as numbers). */
function csvValue(c: ReportColumn, v: ReportRow[string] | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  const x = c.kind === 'cents' ? (v / 100).toFixed(2) : String(v);
  return x.replace('.', ',');
}

function filtersLine(r: ExportTable): string {
  const f = Object.entries(r.filters).map(([k, v]) => `${k}=${v}`);
  return `${r.from} – ${r.to}${r.groupBy ? ` · ${r.groupBy}` : ''}${f.length ? ` · ${f.join(', ')}` : ''}`;
}

export function reportCsv(r: ExportTable): Buffer {
  const out: string[][] = [];
  const block = (rows: ReportRow[], totals: ReportRow) => {
    out.push(r.columns.map(label));
    for (const row of rows) out.push(r.columns.map((c) => csvValue(c, row[c.key])));
    out.push(r.columns.map((c, i) => (i === 0 ? TOTAL : csvValue(c, totals[c.key]))));
  };
  block(r.rows, r.totals);
  if (r.compare) {
    out.push([]);
    out.push([`${r.compare.label.es} / ${r.compare.label.en}`]);
    block(r.compare.rows, r.compare.totals);
  }
  return Buffer.from('\uFEFF' + stringify(out, { delimiter: ';' }), 'utf8');
}

const EURO = '#,##0.00 "€";-#,##0.00 "€"';

export async function reportXlsx(r: ExportTable): Promise<Buffer> {
  const book = new (excelJs().Workbook)();
  const sheet = (name: string, rows: ReportRow[], totals: ReportRow, period: string) => {
    const ws = book.addWorksheet(name.slice(0, 31));
    ws.addRow([`${r.title.es} / ${r.title.en}`]).font = { bold: true, size: 13 };
    ws.addRow([period]);
    const head = ws.addRow(r.columns.map(label));
    head.font = { bold: true };
    const value = (c: ReportColumn, v: ReportRow[string] | undefined) => (v === null || v === undefined ? null : typeof v === 'string' ? v : c.kind === 'cents' ? v / 100 : v);
    for (const row of rows) ws.addRow(r.columns.map((c) => value(c, row[c.key])));
    const t = ws.addRow(r.columns.map((c, i) => (i === 0 && c.kind === 'text' ? TOTAL : value(c, totals[c.key]))));
    t.font = { bold: true };
    r.columns.forEach((c, i) => {
      const col = ws.getColumn(i + 1);
      col.width = Math.max(12, Math.min(40, label(c).length + 2));
      if (c.kind === 'cents') col.numFmt = EURO;
      else if (c.kind === 'pct') col.numFmt = '#,##0.00';
      else if (c.kind === 'int') col.numFmt = '#,##0';
    });
  };
  sheet('Informe', r.rows, r.totals, filtersLine(r));
  if (r.compare) sheet('Comparación', r.compare.rows, r.compare.totals, `${r.compare.label.es} / ${r.compare.label.en}`);
  return Buffer.from(await book.xlsx.writeBuffer());
}

export function reportPdf(r: ExportTable, printedAt: string): Promise<Buffer> {
  const doc = new (pdfKit())({ size: 'A4', layout: 'landscape', margin: 36, info: { Title: r.title.es, Author: 'TPV' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const bottom = doc.page.height - doc.page.margins.bottom;
  doc.font('Helvetica-Bold').fontSize(15).text(`${r.title.es} / ${r.title.en}`, left, doc.y);
  doc.font('Helvetica').fontSize(9).text(`Periodo / Period: ${filtersLine(r)}`).text(`Impreso / Printed: ${printedAt}`).moveDown(0.6);

  // Text columns get twice the room of figures.
  const weights = r.columns.map((c) => (c.kind === 'text' ? 2 : 1));
  const unit = width / weights.reduce((a, b) => a + b, 0);
  const widths = weights.map((w) => w * unit);
  const drawRow = (cells: string[], bold: boolean) => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(7.5);
    const h = Math.max(...cells.map((s, i) => doc.heightOfString(s, { width: widths[i]! - 4 }))) + 3;
    if (doc.y + h > bottom) doc.addPage();
    const y = doc.y;
    let x = left;
    cells.forEach((s, i) => {
      const c = r.columns[i]!;
      doc.text(s, x + 2, y, { width: widths[i]! - 4, align: c.kind === 'text' || c.kind === 'date' ? 'left' : 'right', lineBreak: true });
      x += widths[i]!;
    });
    doc.y = y + h;
    doc.x = left;
  };
  const table = (rows: ReportRow[], totals: ReportRow) => {
    drawRow(r.columns.map((c) => c.label.es), true);
    doc.moveTo(left, doc.y).lineTo(left + width, doc.y).stroke();
    for (const row of rows) drawRow(r.columns.map((c) => displayValue(c, row[c.key])), false);
    doc.moveTo(left, doc.y).lineTo(left + width, doc.y).stroke();
    drawRow(r.columns.map((c, i) => (i === 0 && c.kind === 'text' ? TOTAL : displayValue(c, totals[c.key]))), true);
  };
  if (r.rows.length === 0) doc.font('Helvetica').fontSize(10).text('Sin datos en el periodo / No data in the period').moveDown(0.5);
  table(r.rows, r.totals);
  if (r.compare) {
    doc.moveDown(1).font('Helvetica-Bold').fontSize(11).text(`${r.compare.label.es} / ${r.compare.label.en}`, left);
    table(r.compare.rows, r.compare.totals);
  }
  doc.end();
  return done;
}
