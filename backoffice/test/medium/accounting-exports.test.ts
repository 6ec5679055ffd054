/**
 * Exports for a gestoría on both engines: a few entries posted with the core (`postEntry`) into Ruiz S.L.'s
 * books, then exported through the HTTP routes. The CSV and XLSX totals equal the journal's; every entry's
 * lines are there; the A3 and ContaPlus files read back (our own readers) to the same entries; the chart carries
 * the customer's sub-account with its NIF; bad input is a problem+json 4xx.
 *
 * Journal worked out by hand (range 2026-11-01 … 2026-11-30; an entry on 2026-10-15 stays out):
 *   #1 03/11 invoice F-2026-000042 to Peña Núñez S.L.: 430 (new sub-account 43000001) D 121,00 /
 *      70000000 H 100,00 (store M001) / 47702100 H 21,00
 *   #2 05/11 its collection: 57200000 D 121,00 / 43000001 H 121,00
 *   #3 20/11 a day's sales at M002: 57000000 D 50,00 + 55500000 D 71,00 / 70002100 H 100,00 / 47702100 H 21,00
 *   9 lines; debit = credit = 121,00 × 3 = 363,00.
 * (The October entry is numbered first in the year, so November's are 2, 3, 4.)
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readA3File } from '@tpv/shared/accounting/exports/a3';
import { readXDiario, readXSubCta } from '@tpv/shared/accounting/exports/contaplus';
import { parseCsv, parseEsAmount } from '@tpv/shared/accounting/exports/plain';
import { engines, F, startHarness, type Harness } from '../support/harness';
import { writeTransaction } from '../../src/persistence/raw';
import { all, num } from '../../src/persistence/sql';
import { postEntry, type EntryInput } from '../../src/accounting/core/journal';

const clock = { now: () => Date.UTC(2026, 10, 30, 9, 0, 0) };
const customer = { group: '430' as const, counterparty: { kind: 'customer' as const, id: 'cust-pena', name: 'Peña Núñez S.L.', nif: 'B12345674' } };
const base = { companyId: F.ruiz.id, mode: 'document' as const, by: null };
const ENTRIES: EntryInput[] = [
  { ...base, date: '2026-10-15', kind: 'manual', description: 'Octubre (fuera del rango)', source: { type: 'test', id: 'oct' }, lines: [{ account: '57000000', debitCents: 1_000, creditCents: 0 }, { account: '57200000', debitCents: 0, creditCents: 1_000 }] },
  { ...base, date: '2026-11-03', kind: 'invoice', description: 'Factura F-2026-000042', source: { type: 'test', id: 'inv', ref: 'F-2026-000042' }, lines: [{ ...customer, debitCents: 12_100, creditCents: 0 }, { account: '70000000', debitCents: 0, creditCents: 10_000, storeId: F.storeM1.id }, { account: '47702100', debitCents: 0, creditCents: 2_100 }] },
  { ...base, date: '2026-11-05', kind: 'payment', description: 'Cobro factura año 2026', source: { type: 'test', id: 'pay' }, lines: [{ account: '57200000', debitCents: 12_100, creditCents: 0 }, { ...customer, debitCents: 0, creditCents: 12_100 }] },
  { ...base, date: '2026-11-20', kind: 'sales', description: 'Ventas del día M002', source: { type: 'test', id: 'day' }, lines: [{ account: '57000000', debitCents: 5_000, creditCents: 0, storeId: F.storeM2.id }, { account: '55500000', debitCents: 7_100, creditCents: 0, storeId: F.storeM2.id }, { account: '70002100', debitCents: 0, creditCents: 10_000, storeId: F.storeM2.id }, { account: '47702100', debitCents: 0, creditCents: 2_100, storeId: F.storeM2.id }] },
];
const FROM = '2026-11-01';
const TO = '2026-11-30';

describe.each(engines)('accounting exports on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let hq: string;
  /** The journal lines in the range as the books hold them: [number, date, account, debit, credit]. */
  let book: Array<[number, string, string, number, number]>;
  const path = (what: 'journal' | 'chart', q: string, company = F.ruiz.id) => `/api/accounting/companies/${company}/exports/${what}?${q}`;
  const download = async (p: string, token = hq) => {
    const res = await fetch(h.url + p, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, type: res.headers.get('content-type') ?? '', disposition: res.headers.get('content-disposition') ?? '', bytes: new Uint8Array(await res.arrayBuffer()) };
  };

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    hq = await h.login(F.hq);
    for (const e of ENTRIES) await writeTransaction(h.ds, (m) => postEntry(m, clock, e));
    const rows = await all<Record<string, unknown>>(h.ds.manager, `SELECT e.number, e.entry_date, l.account, l.debit_cents, l.credit_cents FROM acc_entry e JOIN acc_line l ON l.entry_id = e.id WHERE e.company_id = ? AND e.entry_date BETWEEN ? AND ? ORDER BY e.number, l.line_no`, [F.ruiz.id, FROM, TO]);
    book = rows.map((r) => [num(r.number)!, String(r.entry_date), String(r.account), num(r.debit_cents)!, num(r.credit_cents)!]);
  });
  afterAll(async () => h?.teardown());

  it('holds the journal worked out by hand', () => {
    expect(book).toEqual([
      [2, '2026-11-03', '43000001', 12_100, 0], [2, '2026-11-03', '70000000', 0, 10_000], [2, '2026-11-03', '47702100', 0, 2_100],
      [3, '2026-11-05', '57200000', 12_100, 0], [3, '2026-11-05', '43000001', 0, 12_100],
      [4, '2026-11-20', '57000000', 5_000, 0], [4, '2026-11-20', '55500000', 7_100, 0], [4, '2026-11-20', '70002100', 0, 10_000], [4, '2026-11-20', '47702100', 0, 2_100],
    ]);
  });

  it('exports the CSV: every line, totals 363,00 = the journal', async () => {
    const r = await download(path('journal', `format=csv&from=${FROM}&to=${TO}`));
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/text\/csv/);
    expect(r.disposition).toContain(`diario_${F.ruiz.nif}_${FROM}_${TO}.csv`);
    const rows = parseCsv(new TextDecoder().decode(r.bytes));
    expect(rows).toHaveLength(1 + 9 + 1);
    const lines = rows.slice(1, -1);
    expect(lines.map((l) => [Number(l[0]!.split('/')[1]), l[1], l[3], parseEsAmount(l[6]!), parseEsAmount(l[7]!)])).toEqual(book.map(([n, d, a, db, cr]) => [n, `${d.slice(8)}/${d.slice(5, 7)}/${d.slice(0, 4)}`, a, db, cr]));
    expect(lines[0]!.slice(4, 6)).toEqual(['Peña Núñez S.L.', 'Factura F-2026-000042']);
    expect(lines[1]![8]).toBe('M001');
    expect(lines[0]![9]).toBe('F-2026-000042');
    expect(rows.at(-1)!.slice(5, 8)).toEqual(['Total', '363,00', '363,00']);
    expect(lines.reduce((n, l) => n + parseEsAmount(l[6]!), 0)).toBe(36_300);
  });

  it('exports the XLSX: the same rows as numbers and dates, totals 363,00', async () => {
    const r = await download(path('journal', `format=xlsx&from=${FROM}&to=${TO}`));
    expect(r.status).toBe(200);
    const book2 = new ExcelJS.Workbook();
    await book2.xlsx.load(Buffer.from(r.bytes) as unknown as ArrayBuffer);
    const sheet = book2.getWorksheet('Diario')!;
    const values: unknown[][] = [];
    sheet.eachRow((row) => values.push((row.values as unknown[]).slice(1)));
    expect(values).toHaveLength(11);
    const lines = values.slice(1, -1);
    expect(lines.map((l) => [l[3], Math.round(Number(l[6]) * 100), Math.round(Number(l[7]) * 100)])).toEqual(book.map(([, , a, d, c]) => [a, d, c]));
    expect((lines[0]![1] as Date).toISOString().slice(0, 10)).toBe('2026-11-03');
    const total = values.at(-1)!;
    expect([total[5], total[6], total[7]]).toEqual(['Total', 363, 363]);
    expect(Math.round(lines.reduce((n: number, l) => n + Number(l[6]) * 100, 0))).toBe(36_300);
  });

  it('exports A3 SUENLACE.DAT that reads back to the same entries, with the sub-accounts first', async () => {
    const r = await download(path('journal', `format=a3&from=${FROM}&to=${TO}&a3Company=42`));
    expect(r.status).toBe(200);
    expect(r.disposition).toContain('SUENLACE.DAT');
    expect(r.bytes.length % 256).toBe(0);
    const back = readA3File(r.bytes);
    // The accounts the range uses: 43000001, 47702100, 55500000, 57000000, 57200000, 70000000, 70002100.
    expect(back.accounts.map((a) => a.code)).toEqual(['43000001', '47702100', '55500000', '57000000', '57200000', '70000000', '70002100']);
    expect(back.accounts[0]).toMatchObject({ name: 'Peña Núñez S.L.', companyCode: '00042', date: FROM });
    expect(back.entries.map((e) => e.date)).toEqual(['2026-11-03', '2026-11-05', '2026-11-20']);
    expect(back.entries[0]!.reference).toBe('026-000042');
    expect(back.entries.flatMap((e) => e.lines.map((l) => [e.date, l.account, l.debitCents, l.creditCents]))).toEqual(book.map(([, d, a, db, cr]) => [d, a, db, cr]));
    // ñ is one byte (0xF1) in the file: cp1252, not UTF-8.
    expect(r.bytes.indexOf(0xc3)).toBe(-1);
    expect(r.bytes.indexOf(0xf1)).toBeGreaterThan(0);
  });

  it('exports ContaPlus XDiario.dbf that reads back to the same entries (ASIEN = entry number)', async () => {
    const r = await download(path('journal', `format=contaplus&from=${FROM}&to=${TO}`));
    expect(r.status).toBe(200);
    expect(r.disposition).toContain('XDiario.dbf');
    expect(r.bytes[0]).toBe(0x03);
    expect(r.bytes.at(-1)).toBe(0x1a);
    const back = readXDiario(r.bytes);
    expect(back.map((e) => e.asien)).toEqual([2, 3, 4]);
    expect(back.flatMap((e) => e.lines.map((l) => [e.asien, e.date, l.account, l.debitCents, l.creditCents]))).toEqual(book);
    // The collection has two lines: each names the other as CONTRA.
    expect(back[1]!.lines.map((l) => l.contra)).toEqual(['43000001', '57200000']);
  });

  it('exports the chart: every account in CSV, the sub-accounts with their NIF for ContaPlus and A3', async () => {
    const csv = parseCsv(new TextDecoder().decode((await download(path('chart', 'format=csv'))).bytes));
    expect(csv[0]).toEqual(['Cuenta', 'Nombre', 'Naturaleza', 'NIF']);
    expect(csv.find((r) => r[0] === '43000001')).toEqual(['43000001', 'Peña Núñez S.L.', 'Activo', 'B12345674']);
    expect(csv.find((r) => r[0] === '430')?.[2]).toBe('Activo'); // PGC accounts too
    const sub = readXSubCta((await download(path('chart', 'format=contaplus'))).bytes);
    expect(sub.find((a) => a.code === '43000001')).toEqual({ code: '43000001', name: 'Peña Núñez S.L.', nif: 'B12345674' });
    expect(sub.every((a) => a.code.length === 8)).toBe(true);
    const a3 = readA3File((await download(path('chart', 'format=a3'))).bytes);
    expect(a3.accounts.map((a) => a.code)).toEqual(sub.map((a) => a.code));
    const x = await download(path('chart', 'format=xlsx'));
    expect(x.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(x.bytes) as unknown as ArrayBuffer);
    expect(wb.getWorksheet('Plan de cuentas')!.rowCount).toBe(csv.length);
  });

  it('refuses bad input with problem+json: range backwards, unknown format, bad date, company out of scope or unknown', async () => {
    const back = await h.api('GET', path('journal', `format=csv&from=${TO}&to=${FROM}`), { token: hq });
    expect(back.status).toBe(400);
    expect(back.body.errors).toEqual([expect.objectContaining({ path: 'to' })]);
    const fmt = await h.api('GET', path('journal', `format=pdf&from=${FROM}&to=${TO}`), { token: hq });
    expect(fmt.status).toBe(400);
    expect(fmt.body.errors.map((e: { path: string }) => e.path)).toEqual(['format']);
    expect((await h.api('GET', path('journal', `format=csv&from=2026-02-30&to=${TO}`), { token: hq })).status).toBe(400);
    expect((await h.api('GET', path('chart', 'format=a3&a3Company=123456'), { token: hq })).status).toBe(400);
    const levante = await h.login(F.managerLevante);
    const foreign = await h.api('GET', path('journal', `format=csv&from=${FROM}&to=${TO}`), { token: levante });
    expect(foreign.status).toBe(403);
    expect((await h.api('GET', path('chart', 'format=csv', '00000000-0000-7000-8000-0000000000ff'), { token: hq })).status).toBe(404);
    expect((await h.api('GET', path('chart', 'format=csv'))).status).toBe(401);
    // Ruiz's own manager may export Ruiz's books.
    const ruiz = await h.login(F.managerRuiz);
    expect((await download(path('journal', `format=a3&from=${FROM}&to=${TO}`), ruiz)).status).toBe(200);
  });
});
