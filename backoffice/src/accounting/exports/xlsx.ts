/**
 * The plain layout as an XLSX workbook, streamed: the journal (one row per line, real dates and amounts in
 * euros with two decimals, the totals row in bold) or the chart of accounts.
 */
import type { Writable } from 'node:stream';
import { excelJs } from '../../platform/heavy-libs';
import type { ExportAccount, ExportEntry } from '@tpv/shared/accounting/exports/model';
import { CHART_HEADERS, JOURNAL_HEADERS, NATURE_ES, journalRows } from '@tpv/shared/accounting/exports/plain';

const MONEY = '#,##0.00';
const DATE = 'dd/mm/yyyy';
const dateCell = (iso: string | null) => (iso ? new Date(`${iso}T00:00:00Z`) : null);

export async function writeJournalXlsx(out: Writable, entries: readonly ExportEntry[]): Promise<void> {
  const book = new (excelJs().stream.xlsx.WorkbookWriter)({ stream: out, useStyles: true });
  const sheet = book.addWorksheet('Diario');
  sheet.columns = JOURNAL_HEADERS.map((header, i) => ({ header, width: [10, 12, 14, 12, 34, 40, 14, 14, 10, 18][i] }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  const rows = journalRows(entries);
  rows.forEach((r, i) => {
    const row = sheet.addRow([r.entry, dateCell(r.date), dateCell(r.documentDate), r.account, r.accountName, r.description, r.debitCents / 100, r.creditCents / 100, r.store, r.document]);
    row.getCell(2).numFmt = DATE;
    row.getCell(3).numFmt = DATE;
    row.getCell(7).numFmt = MONEY;
    row.getCell(8).numFmt = MONEY;
    if (i === rows.length - 1) row.font = { bold: true };
    row.commit();
  });
  await book.commit();
}

export async function writeChartXlsx(out: Writable, accounts: readonly ExportAccount[]): Promise<void> {
  const book = new (excelJs().stream.xlsx.WorkbookWriter)({ stream: out, useStyles: true });
  const sheet = book.addWorksheet('Plan de cuentas');
  sheet.columns = CHART_HEADERS.map((header, i) => ({ header, width: [12, 50, 16, 14][i] }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  for (const a of accounts) sheet.addRow([a.code, a.name, NATURE_ES[a.nature], a.nif ?? '']).commit();
  await book.commit();
}
