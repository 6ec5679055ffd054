/**
 * A3 (Wolters Kluwer a3ECO / a3ASESOR) "enlace contable": the SUENLACE.DAT file its import reads.
 *
 * Layout — format '3' (amounts in euros), records of 254 characters + CR LF, text in Windows-1252. Source: the
 * open-source A3 link of Gestool (github.com/manuelcalerosolis/Gestool, prg/Contaplu.prg, class EnlaceA3,
 * RenderApuntesSinIVA) and the a3 link module of ACP Asociados (254 positions + CRLF, amounts sign + 10 integer
 * digits + '.' + 2 decimals). Apunte sin IVA (tipo de registro '0'), 1-based positions:
 *
 *   1    1  formato '3' (euros)              58   1  'D' debe / 'H' haber
 *   2    5  código de empresa (5 digits)     59  10  referencia del documento
 *   7    8  fecha aaaammdd                   69   1  línea del asiento: I(nicio) / M(edio) / U(ltima)
 *   15   1  tipo de registro '0'             70  30  descripción del apunte
 *   16  12  cuenta (left, space padded)      100 14  importe: '+' + 10 digits + '.' + 2 digits
 *   28  30  descripción de la cuenta         114 138 reserva (spaces)
 *   252  1  analítico (' ')   253  1  moneda 'E'   254  1  generado 'N'
 *
 * Alta/modificación de subcuenta (tipo 'C'): ASSUMED to share positions 1–57 with the apunte (formato,
 * empresa, fecha, 'C', cuenta, descripción) — what both sources show of it; the rest of its layout (NIF,
 * address…) is not in what we could find public, so it is left blank (the gestoría completes the
 * counterparty's data; the NIF travels in the CSV/XLSX chart). Positions 252–254 as in the apunte.
 */
import { compactDate, decodeCp1252, encodeCp1252, isoDate, padText } from './encoding';
import { lineText, type ExportAccount, type ExportEntry } from './model';

export const A3_RECORD_LENGTH = 254;
export const A3_FILE_NAME = 'SUENLACE.DAT';
const CRLF = '\r\n';
const MAX_CENTS = 9_999_999_999_99;

export interface A3Options {
  /** The company's code in A3 (1–5 digits, zero-padded). */
  companyCode: string;
}

/** '+0000000123.45': sign, 10 integer digits, '.', 2 decimals (14 characters). */
export function a3Amount(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new Error(`A3: amount ${cents} is not a whole number of cents`);
  const a = Math.abs(cents);
  if (a > MAX_CENTS) throw new Error(`A3: amount ${cents} does not fit in 10 integer digits`);
  return `${cents < 0 ? '-' : '+'}${String(Math.trunc(a / 100)).padStart(10, '0')}.${String(a % 100).padStart(2, '0')}`;
}

const company = (code: string) => {
  if (!/^\d{1,5}$/.test(code)) throw new Error(`A3: company code ${JSON.stringify(code)} is not 1–5 digits`);
  return code.padStart(5, '0');
};

function record(s: string): string {
  if (s.length !== A3_RECORD_LENGTH) throw new Error(`A3: record of ${s.length} characters, not ${A3_RECORD_LENGTH}`);
  return s;
}

/** The document reference as it fits in 10 characters: its last 10 (where numbers differ). */
const reference = (ref: string | null) => {
  const r = (ref ?? '').trim();
  return r.length > 10 ? r.slice(-10) : r;
};

/** One 'C' record: creates (or renames) a sub-account in A3. */
export function a3AccountRecord(a: Pick<ExportAccount, 'code' | 'name'>, date: string, opts: A3Options): string {
  return record(['3', company(opts.companyCode), compactDate(date), 'C', padText(a.code, 12), padText(a.name, 30), ' '.repeat(194), ' ', 'E', 'N'].join(''));
}

/** The '0' records of one entry: one per line, marked I / M… / U. */
export function a3EntryRecords(e: ExportEntry, opts: A3Options): string[] {
  if (e.lines.length < 2) throw new Error(`A3: entry ${e.number} has fewer than two lines`);
  const last = e.lines.length - 1;
  return e.lines.map((l, i) => {
    if ((l.debitCents > 0) === (l.creditCents > 0)) throw new Error(`A3: entry ${e.number} line ${i + 1} must carry a debit or a credit`);
    const debit = l.debitCents > 0;
    return record([
      '3',
      company(opts.companyCode),
      compactDate(e.date),
      '0',
      padText(l.account, 12),
      padText(l.accountName, 30),
      debit ? 'D' : 'H',
      padText(reference(e.sourceRef) || String(e.number), 10),
      i === 0 ? 'I' : i === last ? 'U' : 'M',
      padText(lineText(e, l), 30),
      a3Amount(debit ? l.debitCents : l.creditCents),
      ' '.repeat(138),
      ' ',
      'E',
      'N',
    ].join(''));
  });
}

const fileOf = (records: readonly string[]): Uint8Array => encodeCp1252(records.map((r) => r + CRLF).join(''));

/**
 * The journal's SUENLACE.DAT: first a 'C' record for every account the entries use (A3 creates the
 * sub-accounts it lacks — customers' and suppliers' 4300xxxx/4000xxxx), then the entries' lines.
 */
export function a3JournalFile(entries: readonly ExportEntry[], accounts: readonly ExportAccount[], opts: A3Options & { date: string }): Uint8Array {
  const used = new Set(entries.flatMap((e) => e.lines.map((l) => l.account)));
  const alta = accounts.filter((a) => used.has(a.code)).map((a) => a3AccountRecord(a, opts.date, opts));
  return fileOf([...alta, ...entries.flatMap((e) => a3EntryRecords(e, opts))]);
}

/** The chart as 'C' records (sub-accounts only: A3 keeps its own PGC accounts). */
export function a3ChartFile(accounts: readonly ExportAccount[], opts: A3Options & { date: string }): Uint8Array {
  return fileOf(accounts.map((a) => a3AccountRecord(a, opts.date, opts)));
}

// ---- reading back (round-trip tests; a check of what we wrote, not a general A3 reader) ----

export interface A3Read {
  accounts: Array<{ code: string; name: string; date: string; companyCode: string }>;
  entries: Array<{ date: string; reference: string; lines: Array<{ account: string; accountName: string; debitCents: number; creditCents: number; description: string }> }>;
}

const field = (r: string, from: number, width: number) => r.slice(from - 1, from - 1 + width);

export function parseA3Amount(s: string): number {
  const m = /^([+-])(\d{10})\.(\d{2})$/.exec(s);
  if (!m) throw new Error(`A3: bad amount ${JSON.stringify(s)}`);
  const cents = Number(m[2]) * 100 + Number(m[3]);
  return m[1] === '-' ? -cents : cents;
}

export function readA3File(bytes: Uint8Array): A3Read {
  const text = decodeCp1252(bytes);
  if (text.length > 0 && !text.endsWith(CRLF)) throw new Error('A3: the file must end with CR LF');
  const records = text.split(CRLF).slice(0, -1);
  const out: A3Read = { accounts: [], entries: [] };
  let open: A3Read['entries'][number] | null = null;
  records.forEach((r, i) => {
    if (r.length !== A3_RECORD_LENGTH) throw new Error(`A3: record ${i + 1} has ${r.length} characters`);
    if (r[0] !== '3' || r.slice(252) !== 'EN') throw new Error(`A3: record ${i + 1} is not a euro record`);
    const type = r[14];
    if (type === 'C') {
      out.accounts.push({ code: field(r, 16, 12).trim(), name: field(r, 28, 30).trimEnd(), date: isoDate(field(r, 7, 8)), companyCode: field(r, 2, 5) });
      return;
    }
    if (type !== '0') throw new Error(`A3: record ${i + 1} of unknown type ${type}`);
    const mark = r[68];
    if (mark === 'I') {
      if (open) throw new Error(`A3: record ${i + 1} opens an entry before the last one ended`);
      open = { date: isoDate(field(r, 7, 8)), reference: field(r, 59, 10).trim(), lines: [] };
      out.entries.push(open);
    } else if (!open) throw new Error(`A3: record ${i + 1} continues no entry`);
    const cents = parseA3Amount(field(r, 100, 14));
    const side = r[57];
    open.lines.push({ account: field(r, 16, 12).trim(), accountName: field(r, 28, 30).trimEnd(), debitCents: side === 'D' ? cents : 0, creditCents: side === 'H' ? cents : 0, description: field(r, 70, 30).trimEnd() });
    if (mark === 'U') open = null;
  });
  if (open) throw new Error('A3: the last entry has no closing (U) line');
  return out;
}
