/**
 * Sage ContaPlus: the journal as XDiario (one record per journal line) and the chart as XSubCta, both dBase III
 * tables ContaPlus imports ("Importación de asientos / subcuentas", files XDiario.dbf and XSubCta.dbf).
 *
 * XDiario's fields, widths and decimals follow the Diario structure in Gestool (github.com/manuelcalerosolis/
 * Gestool, prg/Contaplu.prg: ASIEN N6 … NUMEROINV C10). Euros go in EURODEBE / EUROHABER (N16.2) with
 * MONEDAUSO '2' (euro); the peseta columns PTADEBE / PTAHABER stay 0 (ContaPlus in euros ignores them); the VAT
 * fields (BASEIMPO, IVA, RECEQUIV, FACTURA, BASEEURO) stay 0 — the entries are plain apuntes, the VAT books are
 * exported by the taxes part. CONTRA carries the other account when an entry has exactly two lines.
 *
 * XSubCta: COD C12 and TITULO C40 are ContaPlus's SUBCTA fields as public readers of real backups show them; NIF
 * C15 is ASSUMED from the same table (its name and width as ContaPlus shows the sub-account's NIF). An importer
 * matches fields by name, so the address fields we do not keep are simply absent.
 */
import { writeDbf, readDbf, type DbfField, type DbfRow } from './dbf';
import { lineText, type ExportAccount, type ExportEntry } from './model';

export const XDIARIO_FILE_NAME = 'XDiario.dbf';
export const XSUBCTA_FILE_NAME = 'XSubCta.dbf';

export const XDIARIO_FIELDS: readonly DbfField[] = [
  { name: 'ASIEN', type: 'N', width: 6 },
  { name: 'FECHA', type: 'D', width: 8 },
  { name: 'SUBCTA', type: 'C', width: 12 },
  { name: 'CONTRA', type: 'C', width: 12 },
  { name: 'PTADEBE', type: 'N', width: 12 },
  { name: 'CONCEPTO', type: 'C', width: 25 },
  { name: 'PTAHABER', type: 'N', width: 12 },
  { name: 'FACTURA', type: 'N', width: 7 },
  { name: 'BASEIMPO', type: 'N', width: 11 },
  { name: 'IVA', type: 'N', width: 5, decimals: 2 },
  { name: 'RECEQUIV', type: 'N', width: 5, decimals: 2 },
  { name: 'DOCUMENTO', type: 'C', width: 6 },
  { name: 'DEPARTA', type: 'C', width: 3 },
  { name: 'CLAVE', type: 'C', width: 6 },
  { name: 'ESTADO', type: 'C', width: 1 },
  { name: 'NCASADO', type: 'N', width: 6 },
  { name: 'TCASADO', type: 'N', width: 1 },
  { name: 'TRANS', type: 'N', width: 6 },
  { name: 'CAMBIO', type: 'N', width: 16, decimals: 6 },
  { name: 'DEBEME', type: 'N', width: 16, decimals: 6 },
  { name: 'HABERME', type: 'N', width: 16, decimals: 6 },
  { name: 'AUXILIAR', type: 'C', width: 1 },
  { name: 'SERIE', type: 'C', width: 1 },
  { name: 'SUCURSAL', type: 'C', width: 4 },
  { name: 'CODDIVISA', type: 'C', width: 1 },
  { name: 'IMPAUXME', type: 'N', width: 16, decimals: 6 },
  { name: 'MONEDAUSO', type: 'C', width: 1 },
  { name: 'EURODEBE', type: 'N', width: 16, decimals: 2 },
  { name: 'EUROHABER', type: 'N', width: 16, decimals: 2 },
  { name: 'BASEEURO', type: 'N', width: 16, decimals: 2 },
  { name: 'NOCONV', type: 'L', width: 1 },
  { name: 'NUMEROINV', type: 'C', width: 10 },
];

export const XSUBCTA_FIELDS: readonly DbfField[] = [
  { name: 'COD', type: 'C', width: 12 },
  { name: 'TITULO', type: 'C', width: 40 },
  { name: 'NIF', type: 'C', width: 15 },
];

const NO_CENTS = { cents: 0 };
const MAX_ASIEN = 999_999;

/** The XDiario records of entries: one per line; ASIEN is the entry's number in its year. */
export function xdiarioRows(entries: readonly ExportEntry[]): DbfRow[] {
  return entries.flatMap((e) => {
    if (e.number > MAX_ASIEN) throw new Error(`ContaPlus: entry number ${e.number} does not fit ASIEN (6 digits)`);
    const two = e.lines.length === 2;
    // One literal per record, no spread: journals run to hundreds of thousands of lines.
    return e.lines.map((l, i) => ({
      ASIEN: e.number,
      FECHA: e.date,
      SUBCTA: l.account,
      CONTRA: two ? e.lines[1 - i]!.account : '',
      PTADEBE: 0,
      CONCEPTO: lineText(e, l),
      PTAHABER: 0,
      FACTURA: 0,
      BASEIMPO: 0,
      IVA: 0,
      RECEQUIV: 0,
      DOCUMENTO: (e.sourceRef ?? '').slice(-6),
      DEPARTA: '',
      CLAVE: '',
      ESTADO: '',
      NCASADO: 0,
      TCASADO: 0,
      TRANS: 0,
      CAMBIO: 0,
      DEBEME: 0,
      HABERME: 0,
      AUXILIAR: '',
      SERIE: '',
      SUCURSAL: '',
      CODDIVISA: '',
      IMPAUXME: 0,
      MONEDAUSO: '2',
      EURODEBE: { cents: l.debitCents },
      EUROHABER: { cents: l.creditCents },
      BASEEURO: NO_CENTS,
      NOCONV: false,
      NUMEROINV: '',
    }));
  });
}

export const xdiarioFile = (entries: readonly ExportEntry[], updated: string): Uint8Array => writeDbf(XDIARIO_FIELDS, xdiarioRows(entries), updated);

export const xsubctaFile = (accounts: readonly ExportAccount[], updated: string): Uint8Array =>
  writeDbf(XSUBCTA_FIELDS, accounts.map((a) => ({ COD: a.code, TITULO: a.name, NIF: a.nif ?? '' })), updated);

// ---- reading back (round-trip tests) ----

export interface XDiarioEntry {
  asien: number;
  date: string;
  lines: Array<{ account: string; contra: string; debitCents: number; creditCents: number; concept: string }>;
}

const cents = (v: unknown) => Math.round(Number(v ?? 0) * 100);

/** XDiario records grouped back into entries (consecutive records with the same ASIEN and FECHA). */
export function readXDiario(bytes: Uint8Array): XDiarioEntry[] {
  const out: XDiarioEntry[] = [];
  for (const r of readDbf(bytes).rows) {
    const asien = Number(r.ASIEN);
    const date = String(r.FECHA);
    let last = out.at(-1);
    if (!last || last.asien !== asien || last.date !== date) out.push((last = { asien, date, lines: [] }));
    last.lines.push({ account: String(r.SUBCTA), contra: String(r.CONTRA), debitCents: cents(r.EURODEBE), creditCents: cents(r.EUROHABER), concept: String(r.CONCEPTO) });
  }
  return out;
}

export function readXSubCta(bytes: Uint8Array): Array<{ code: string; name: string; nif: string }> {
  return readDbf(bytes).rows.map((r) => ({ code: String(r.COD), name: String(r.TITULO), nif: String(r.NIF) }));
}
