/**
 * The plain layout (CSV and XLSX): one row per journal line — entry number, date, document date, account, its
 * name, description, debit, credit, store, source document — then a totals row; the chart as code, name,
 * nature, counterparty NIF. Headers in Spanish (the gestoría's). The CSV is what Spanish spreadsheets open as
 * they are: UTF-8 with BOM, ';' between fields, ',' as the decimal mark, dd/mm/yyyy dates, CR LF.
 */
import type { AccountNature } from '../pgc';
import { journalTotals, lineText, type ExportAccount, type ExportEntry } from './model';

export const JOURNAL_HEADERS = ['Asiento', 'Fecha', 'Fecha documento', 'Cuenta', 'Nombre de la cuenta', 'Concepto', 'Debe', 'Haber', 'Tienda', 'Documento'] as const;
export const CHART_HEADERS = ['Cuenta', 'Nombre', 'Naturaleza', 'NIF'] as const;
export const TOTAL_LABEL = 'Total';

export const NATURE_ES: Record<AccountNature, string> = { asset: 'Activo', liability: 'Pasivo', equity: 'Patrimonio neto', expense: 'Gasto', income: 'Ingreso' };

/** A row of the journal layout (amounts in cents; `null` entry fields on the totals row). */
export interface JournalRow {
  entry: string | null;
  date: string | null;
  documentDate: string | null;
  account: string;
  accountName: string;
  description: string;
  debitCents: number;
  creditCents: number;
  store: string;
  document: string;
}

/** The journal's rows, the totals row last. The entry shows as year/number (numbers restart every year). */
export function journalRows(entries: readonly ExportEntry[]): JournalRow[] {
  const rows: JournalRow[] = entries.flatMap((e) =>
    e.lines.map((l) => ({
      entry: `${e.year}/${e.number}`,
      date: e.date,
      documentDate: e.documentDate,
      account: l.account,
      accountName: l.accountName,
      description: lineText(e, l),
      debitCents: l.debitCents,
      creditCents: l.creditCents,
      store: l.store ?? '',
      document: e.sourceRef ?? '',
    })),
  );
  const t = journalTotals(entries);
  rows.push({ entry: null, date: null, documentDate: null, account: '', accountName: '', description: TOTAL_LABEL, debitCents: t.debitCents, creditCents: t.creditCents, store: '', document: '' });
  return rows;
}

/** 123456 → '1234,56'; -5 → '-0,05'. No thousands separator (it would read as text). */
export function esAmount(cents: number): string {
  const a = Math.abs(cents);
  return `${cents < 0 ? '-' : ''}${Math.trunc(a / 100)},${String(a % 100).padStart(2, '0')}`;
}
/** yyyy-mm-dd → dd/mm/yyyy. */
export const esDate = (iso: string | null): string => (iso ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : '');

function csvField(v: string): string {
  return /[";\r\n]/.test(v) || v.startsWith(' ') || v.endsWith(' ') ? `"${v.replaceAll('"', '""')}"` : v;
}
const csvLine = (fields: readonly string[]) => fields.map(csvField).join(';') + '\r\n';
const BOM = '\uFEFF';

export function journalCsv(entries: readonly ExportEntry[]): string {
  return BOM + csvLine(JOURNAL_HEADERS) + journalRows(entries)
    .map((r) => csvLine([r.entry ?? '', esDate(r.date), esDate(r.documentDate), r.account, r.accountName, r.description, esAmount(r.debitCents), esAmount(r.creditCents), r.store, r.document]))
    .join('');
}

export function chartCsv(accounts: readonly ExportAccount[]): string {
  return BOM + csvLine(CHART_HEADERS) + accounts.map((a) => csvLine([a.code, a.name, NATURE_ES[a.nature], a.nif ?? ''])).join('');
}

/** Reads our CSV back (tests): the rows as text fields, header and totals included. */
export function parseCsv(text: string): string[][] {
  const s = text.startsWith(BOM) ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let f = '';
  let quoted = false;
  const endField = () => {
    row.push(f);
    f = '';
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        f += '"';
        i++;
      } else if (c === '"') quoted = false;
      else f += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') endField();
    else if (c === '\r' && s[i + 1] === '\n') {
      endField();
      rows.push(row);
      row = [];
      i++;
    } else f += c;
  }
  if (f !== '' || row.length) {
    endField();
    rows.push(row);
  }
  return rows;
}

/** '1234,56' → 123456. */
export function parseEsAmount(s: string): number {
  const m = /^(-?)(\d+),(\d{2})$/.exec(s);
  if (!m) throw new Error(`not an amount: ${s}`);
  const c = Number(m[2]) * 100 + Number(m[3]);
  return m[1] ? -c : c;
}
