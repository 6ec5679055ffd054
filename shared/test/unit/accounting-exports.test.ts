/**
 * The gestoría exports' pure writers on a small journal worked out by hand: A3's SUENLACE.DAT (exact records,
 * widths, amounts, cp1252 bytes of ñ/á/€, CR LF), ContaPlus's XDiario/XSubCta dBase III tables (header bytes and
 * one record byte by byte), the plain CSV (decimal comma, totals) — and each read back to the same entries.
 */
import { describe, expect, it } from 'vitest';
import { a3AccountRecord, a3Amount, a3ChartFile, a3EntryRecords, a3JournalFile, readA3File } from '../../src/accounting/exports/a3';
import { readXDiario, readXSubCta, xdiarioFile, xsubctaFile } from '../../src/accounting/exports/contaplus';
import { readDbf, writeDbf } from '../../src/accounting/exports/dbf';
import { cp1252Text, decodeCp1252, encodeCp1252, padText } from '../../src/accounting/exports/encoding';
import type { ExportAccount, ExportEntry } from '../../src/accounting/exports/model';
import { chartCsv, esAmount, journalCsv, journalRows, parseCsv, parseEsAmount } from '../../src/accounting/exports/plain';

// Entry 1: an invoice of 100,00 + IVA 21 % = 121,00 to Peña Núñez S.L. (43000001). Entry 2: its collection
// through the bank, 121,00 (two lines: the other account is ContaPlus's CONTRA).
const ACCOUNTS: ExportAccount[] = [
  { code: '43000001', name: 'Peña Núñez S.L.', nature: 'asset', nif: 'B12345674' },
  { code: '47702100', name: 'H.P. IVA repercutido 21 %', nature: 'liability', nif: null },
  { code: '57200000', name: 'Bancos', nature: 'asset', nif: null },
  { code: '70000000', name: 'Ventas de mercaderías', nature: 'income', nif: null },
];
const name = (code: string) => ACCOUNTS.find((a) => a.code === code)!.name;
const line = (account: string, debitCents: number, creditCents: number, extra: { description?: string; store?: string } = {}) => ({ account, accountName: name(account), debitCents, creditCents, description: extra.description ?? null, store: extra.store ?? null });
const JOURNAL: ExportEntry[] = [
  {
    year: 2026, number: 1, date: '2026-11-03', documentDate: '2026-11-03', description: 'Factura F-2026-000042', sourceRef: 'F-2026-000042',
    lines: [line('43000001', 12_100, 0), line('70000000', 0, 10_000, { store: 'M1' }), line('47702100', 0, 2_100)],
  },
  {
    year: 2026, number: 2, date: '2026-11-05', documentDate: '2026-11-04', description: 'Cobro Peña — 121 €', sourceRef: null,
    lines: [line('57200000', 12_100, 0), line('43000001', 0, 12_100, { description: 'Cobro factura año 2026' })],
  },
];
const OPTS = { companyCode: '7', date: '2026-11-30' };
const sp = (n: number) => ' '.repeat(n);

describe('cp1252 text', () => {
  it('writes ñ, á, € as their single Windows-1252 bytes and replaces what the code page lacks', () => {
    expect([...encodeCp1252('ñáÑ€')]).toEqual([0xf1, 0xe1, 0xd1, 0x80]);
    expect(decodeCp1252(Uint8Array.of(0xf1, 0x80, 0x41))).toBe('ñ€A');
    // ā (not in cp1252) → a; a CJK sign → ?; a newline inside a field → space.
    expect(cp1252Text('ā日\nx')).toBe('a? x');
    expect(padText('Peña', 6)).toBe('Peña  ');
    expect(padText('abcdefgh', 3)).toBe('abc');
  });
});

describe('A3 SUENLACE.DAT', () => {
  it('formats amounts as sign, 10 integer digits, point, 2 decimals', () => {
    expect(a3Amount(12_100)).toBe('+0000000121.00');
    expect(a3Amount(5)).toBe('+0000000000.05');
    expect(a3Amount(-123_456)).toBe('-0000001234.56');
    expect(a3Amount(999_999_999_999)).toBe('+9999999999.99');
    expect(() => a3Amount(1_000_000_000_000)).toThrow(/10 integer digits/);
  });

  it('writes a sub-account record (C) of 254 characters', () => {
    const r = a3AccountRecord(ACCOUNTS[0]!, '2026-11-30', OPTS);
    expect(r).toBe('3' + '00007' + '20261130' + 'C' + '43000001    ' + 'Peña Núñez S.L.' + sp(15) + sp(194) + ' ' + 'E' + 'N');
    expect(r).toHaveLength(254);
  });

  it("writes an entry's lines (0) at their positions, I / M / U", () => {
    const [r1, r2, r3] = a3EntryRecords(JOURNAL[0]!, OPTS);
    // 1 '3' | 2-6 empresa | 7-14 fecha | 15 '0' | 16-27 cuenta | 28-57 nombre | 58 D/H | 59-68 referencia
    // (last 10 of F-2026-000042) | 69 I/M/U | 70-99 concepto | 100-113 importe | 114-251 reserva | 252-254 ' EN'
    expect(r1).toBe('3' + '00007' + '20261103' + '0' + '43000001    ' + 'Peña Núñez S.L.               ' + 'D' + '026-000042' + 'I' + 'Factura F-2026-000042         ' + '+0000000121.00' + sp(138) + ' EN');
    expect(r2!.slice(15, 27)).toBe('70000000    ');
    expect(r2!.slice(57, 58)).toBe('H');
    expect(r2!.slice(68, 69)).toBe('M');
    expect(r2!.slice(99, 113)).toBe('+0000000100.00');
    expect(r3!.slice(68, 69)).toBe('U');
    expect(r3!.slice(99, 113)).toBe('+0000000021.00');
    for (const r of [r1, r2, r3]) expect(r).toHaveLength(254);
    // No document: the reference is the entry number; the line's own text wins over the entry's.
    const [c1, c2] = a3EntryRecords(JOURNAL[1]!, OPTS);
    expect(c1!.slice(58, 68)).toBe('2         ');
    expect(c1!.slice(69, 99)).toBe('Cobro Peña — 121 €            ');
    expect(c2!.slice(69, 99)).toBe('Cobro factura año 2026        ');
  });

  it('writes the file in cp1252 with CR LF after every record, C records for the accounts used first', () => {
    const bytes = a3JournalFile(JOURNAL, ACCOUNTS, OPTS);
    // 4 accounts used → 4 C records; 5 lines → 5 records; 256 bytes each (254 + CR LF).
    expect(bytes.length).toBe(9 * 256);
    for (let i = 0; i < 9; i++) expect([bytes[i * 256 + 254], bytes[i * 256 + 255]]).toEqual([0x0d, 0x0a]);
    // 'Peña' in the first record's name (positions 28..): P e ñ a with ñ = 0xF1.
    expect([...bytes.subarray(27, 31)]).toEqual([0x50, 0x65, 0xf1, 0x61]);
    // The € of entry 2's description is 0x80 (record 9 = entry 2's first line, description at 70).
    const rec8 = bytes.subarray(7 * 256, 8 * 256);
    expect(rec8[69 + 'Cobro Peña — 121 '.length]).toBe(0x80);
    expect(rec8[69 + 'Cobro Peña '.length]).toBe(0x97); // the em dash
  });

  it('reads back to the same entries and accounts', () => {
    const back = readA3File(a3JournalFile(JOURNAL, ACCOUNTS, OPTS));
    expect(back.accounts.map((a) => [a.code, a.name])).toEqual(ACCOUNTS.map((a) => [a.code, a.name]));
    expect(back.entries).toEqual(JOURNAL.map((e) => ({
      date: e.date,
      reference: e.sourceRef ? e.sourceRef.slice(-10) : String(e.number),
      lines: e.lines.map((l) => ({ account: l.account, accountName: l.accountName, debitCents: l.debitCents, creditCents: l.creditCents, description: (l.description ?? e.description) })),
    })));
    expect(readA3File(a3ChartFile(ACCOUNTS, OPTS)).accounts).toHaveLength(4);
  });

  it('refuses what A3 cannot hold', () => {
    expect(() => a3EntryRecords(JOURNAL[0]!, { companyCode: '123456' })).toThrow(/company code/);
    expect(() => a3EntryRecords({ ...JOURNAL[0]!, lines: [JOURNAL[0]!.lines[0]!] }, OPTS)).toThrow(/fewer than two/);
  });
});

describe('dBase III (ContaPlus)', () => {
  it('writes the XSubCta header and record byte by byte', () => {
    const b = xsubctaFile([ACCOUNTS[0]!], '2026-11-30');
    // Header: version 3, 2026-11-30 as 126/11/30, 1 record, header 32 + 3×32 + 1 = 129, record 1 + 12 + 40 + 15 = 68.
    expect([...b.subarray(0, 12)]).toEqual([0x03, 126, 11, 30, 1, 0, 0, 0, 129, 0, 68, 0]);
    expect(b[29]).toBe(0x03); // language driver: Windows ANSI
    // Field 1: 'COD' NUL-padded to 11, 'C', width 12, 0 decimals.
    expect([...b.subarray(32, 50)]).toEqual([0x43, 0x4f, 0x44, 0, 0, 0, 0, 0, 0, 0, 0, 0x43, 0, 0, 0, 0, 12, 0]);
    expect(decodeCp1252(b.subarray(64, 70))).toBe('TITULO');
    expect(b[64 + 16]).toBe(40);
    expect(b[128]).toBe(0x0d);
    expect(decodeCp1252(b.subarray(129, 197))).toBe(' ' + '43000001    ' + 'Peña Núñez S.L.'.padEnd(40) + 'B12345674      ');
    expect(b[129 + 1 + 12 + 2]).toBe(0xf1);
    expect(b[197]).toBe(0x1a);
    expect(b.length).toBe(198);
    expect(readXSubCta(b)).toEqual([{ code: '43000001', name: 'Peña Núñez S.L.', nif: 'B12345674' }]);
  });

  it('writes XDiario: 32 fields, one record per line, euros in EURODEBE / EUROHABER', () => {
    const b = xdiarioFile(JOURNAL, '2026-11-30');
    const view = new DataView(b.buffer, b.byteOffset);
    // Widths 6+8+12+12+12+25+12+7+11+5+5+6+3+6+1+6+1+6+16+16+16+1+1+4+1+16+1+16+16+16+1+10 = 275 → record 276.
    expect(view.getUint32(4, true)).toBe(5);
    expect(view.getUint16(8, true)).toBe(32 + 32 * 32 + 1);
    expect(view.getUint16(10, true)).toBe(276);
    const rec = decodeCp1252(b.subarray(1057, 1057 + 276));
    expect(rec.slice(0, 1 + 6 + 8 + 12 + 12 + 12 + 25)).toBe(' ' + '     1' + '20261103' + '43000001    ' + sp(12) + '           0' + 'Factura F-2026-000042    ');
    // MONEDAUSO ends the first 216 characters of fields (+1 for the deletion flag): '2', euros; then EURODEBE
    // 121,00 and EUROHABER 0,00, 16 wide each.
    expect(rec.slice(216, 217)).toBe('2');
    expect(rec.slice(217, 249)).toBe('          121.00' + '            0.00');
    // Entry 2 has two lines: CONTRA is the other account.
    const rec4 = decodeCp1252(b.subarray(1057 + 3 * 276, 1057 + 4 * 276));
    expect(rec4.slice(15, 39)).toBe('57200000    43000001    ');
    expect(b.length).toBe(1057 + 5 * 276 + 1);
  });

  it('reads XDiario back to the same entries', () => {
    const back = readXDiario(xdiarioFile(JOURNAL, '2026-11-30'));
    expect(back).toEqual(JOURNAL.map((e) => ({
      asien: e.number,
      date: e.date,
      lines: e.lines.map((l, i) => ({ account: l.account, contra: e.lines.length === 2 ? e.lines[1 - i]!.account : '', debitCents: l.debitCents, creditCents: l.creditCents, concept: (l.description ?? e.description).slice(0, 25) })),
    })));
  });

  it('keeps N, D, L values and refuses a number wider than its field', () => {
    const fields = [{ name: 'N', type: 'N' as const, width: 5, decimals: 2 }, { name: 'D', type: 'D' as const, width: 8 }, { name: 'L', type: 'L' as const, width: 1 }];
    const t = readDbf(writeDbf(fields, [{ N: { cents: -150 }, D: '2026-01-02', L: true }, { N: null, D: null, L: false }], '2026-01-02'));
    expect(t.rows).toEqual([{ N: -1.5, D: '2026-01-02', L: true }, { N: null, D: null, L: false }]);
    expect(() => writeDbf(fields, [{ N: { cents: 100_000 }, D: null, L: null }], '2026-01-02')).toThrow(/wider/);
  });
});

describe('plain CSV', () => {
  it('writes one row per line with a decimal comma, then the totals', () => {
    const csv = journalCsv(JOURNAL);
    expect(csv.startsWith('\uFEFFAsiento;Fecha;Fecha documento;Cuenta;Nombre de la cuenta;Concepto;Debe;Haber;Tienda;Documento\r\n')).toBe(true);
    const rows = parseCsv(csv);
    expect(rows).toHaveLength(1 + 5 + 1);
    expect(rows[1]).toEqual(['2026/1', '03/11/2026', '03/11/2026', '43000001', 'Peña Núñez S.L.', 'Factura F-2026-000042', '121,00', '0,00', '', 'F-2026-000042']);
    expect(rows[2]![8]).toBe('M1');
    expect(rows[4]!.slice(0, 3)).toEqual(['2026/2', '05/11/2026', '04/11/2026']);
    // Totals: 121,00 + 121,00 = 242,00 on each side.
    expect(rows[6]).toEqual(['', '', '', '', '', 'Total', '242,00', '242,00', '', '']);
    expect(rows.slice(1, 6).reduce((n, r) => n + parseEsAmount(r[6]!), 0)).toBe(24_200);
    expect(journalRows(JOURNAL).at(-1)).toMatchObject({ debitCents: 24_200, creditCents: 24_200 });
  });

  it('quotes fields with ; or quotes, and formats small and negative amounts', () => {
    expect(esAmount(5)).toBe('0,05');
    expect(esAmount(-123_456)).toBe('-1234,56');
    const csv = chartCsv([{ code: '43000002', name: 'Bar "El Puerto"; S.L.', nature: 'asset', nif: null }]);
    expect(csv).toBe('\uFEFFCuenta;Nombre;Naturaleza;NIF\r\n43000002;"Bar ""El Puerto""; S.L.";Activo;\r\n');
    expect(parseCsv(csv)[1]).toEqual(['43000002', 'Bar "El Puerto"; S.L.', 'Activo', '']);
  });
});
