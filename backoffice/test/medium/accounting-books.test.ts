/**
 * A company's books and statements on both engines, figures worked out by hand: a handful of entries of Ruiz
 * (stores M001, M002) over March 2025 and Q1 2026 give the journal, the ledger of 572 (opening, running balance
 * across pages, closing) and of 570 (opening mid-month), the trial balance of March 2026 beside March 2025 by
 * sub-account and by 3 digits, a store filter, the P&L of Q1 and the balance sheet at the end of March (which
 * balances, with last year's result still in the books under prior results); the exports (CSV, XLSX, PDF) say
 * the same; a franchisee manager sees only their companies.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, F, startHarness, type Harness } from '../support/harness';
import { writeTransaction } from '../../src/persistence/raw';
import { postEntry } from '../../src/accounting/core/journal';

const clock = { now: () => Date.UTC(2026, 10, 30, 9, 0, 0) };
const M1 = F.storeM1.id;
const M2 = F.storeM2.id;
type L = readonly [account: string, signedCents: number, store?: string];

// The entries of Ruiz, in the order posted (numbers per year: 2025 #1–#3, 2026 #1–#6).
const ENTRIES: ReadonlyArray<readonly [date: string, description: string, lines: readonly L[]]> = [
  ['2025-02-10', 'E1 capital', [['57200000', 1_000_000], ['10000000', -1_000_000]]],
  ['2025-03-15', 'E2 ventas M1', [['57000000', 121_000, M1], ['70002100', -100_000, M1], ['47702100', -21_000, M1]]],
  ['2025-03-20', 'E3 alquiler M2', [['62100000', 40_000, M2], ['57200000', -40_000, M2]]],
  ['2026-01-20', 'E4 compra M1', [['60000000', 50_000, M1], ['47202100', 10_500, M1], ['40000001', -60_500, M1]]],
  ['2026-03-05', 'E5 factura M1', [['43000001', 242_000, M1], ['70002100', -200_000, M1], ['47702100', -42_000, M1]]],
  ['2026-03-10', 'E6 ventas M2', [['57000000', 60_500, M2], ['70002100', -50_000, M2], ['47702100', -10_500, M2]]],
  ['2026-03-31', 'E7 nóminas', [['64000000', 80_000], ['57200000', -80_000]]],
  ['2026-03-31', 'E8 alquiler M1', [['62100000', 40_000, M1], ['57200001', -40_000, M1]]],
  ['2026-04-02', 'E9 pago proveedor', [['40000001', 60_500], ['57200000', -60_500]]],
];

describe.each(engines)('books and statements on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let hq: string;
  let ruiz: string;
  const base = `/api/accounting/companies/${F.ruiz.id}`;
  const get = async (p: string, token = hq) => {
    const r = await h.api('GET', p, { token });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  };
  const download = async (p: string) => {
    const res = await fetch(h.url + p, { headers: { authorization: `Bearer ${hq}` } });
    expect(res.status).toBe(200);
    return { type: res.headers.get('content-type') ?? '', bytes: Buffer.from(await res.arrayBuffer()) };
  };

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    for (const [date, description, lines] of ENTRIES) {
      await writeTransaction(h.ds, (m) =>
        postEntry(m, clock, {
          companyId: F.ruiz.id, date, kind: 'manual', description, mode: 'manual', by: null,
          lines: lines.map(([account, c, storeId]) => ({ account, debitCents: Math.max(c, 0), creditCents: Math.max(-c, 0), storeId: storeId ?? null })),
        }),
      );
    }
    hq = await h.login(F.hq);
    ruiz = await h.login(F.managerRuiz);
  });
  afterAll(async () => h?.teardown());

  it('journal: the range in number order with lines, paged, store filter', async () => {
    const j = await get(`${base}/journal?from=2026-03-01&to=2026-03-31&pageSize=3`);
    expect(j.items.map((e: { number: number; description: string }) => [e.number, e.description])).toEqual([[2, 'E5 factura M1'], [3, 'E6 ventas M2'], [4, 'E7 nóminas']]);
    // E5 + E6 + E7 + E8 = 2.420 + 605 + 800 + 400 = 4.225,00 on each side.
    expect(j).toMatchObject({ total: 4, hasMore: true, debitCents: 422_500, creditCents: 422_500 });
    expect(j.items[0].lines.map((l: { account: string; debitCents: number; creditCents: number }) => [l.account, l.debitCents, l.creditCents])).toEqual([
      ['43000001', 242_000, 0], ['70002100', 0, 200_000], ['47702100', 0, 42_000],
    ]);
    const p2 = await get(`${base}/journal?from=2026-03-01&to=2026-03-31&pageSize=3&page=2`);
    expect(p2.items.map((e: { number: number }) => e.number)).toEqual([5]);
    const m2 = await get(`${base}/journal?from=2026-01-01&to=2026-12-31&storeId=${M2}`);
    expect(m2.items.map((e: { description: string }) => e.description)).toEqual(['E6 ventas M2']);
  });

  it('ledger of a prefix: opening, running balance across pages, closing', async () => {
    // 572 before March 2026: 10.000 − 400 = 9.600; then E7 −800, E8 −400 (57200001), E9 −605.
    const l = await get(`${base}/ledger?account=572&from=2026-03-15&to=2026-04-30&pageSize=2`);
    expect(l).toMatchObject({ openingCents: 960_000, debitCents: 0, creditCents: 180_500, closingCents: 779_500, total: 3, hasMore: true });
    expect(l.items.map((x: { account: string; balanceCents: number }) => [x.account, x.balanceCents])).toEqual([['57200000', 880_000], ['57200001', 840_000]]);
    const p2 = await get(`${base}/ledger?account=572&from=2026-03-15&to=2026-04-30&pageSize=2&page=2`);
    expect(p2.items.map((x: { entryNumber: number; balanceCents: number }) => [x.entryNumber, x.balanceCents])).toEqual([[6, 779_500]]);
    // 570 from 12 March: 1.210 (2025) + 605 (E6 on 10 March) opening, nothing in the range.
    const c = await get(`${base}/ledger?account=57000000&from=2026-03-12&to=2026-03-31`);
    expect(c).toMatchObject({ openingCents: 181_500, closingCents: 181_500, total: 0, accountName: expect.any(String) });
    // Store M1 on 570: only E2 (2025).
    expect(await get(`${base}/ledger?account=570&from=2025-01-01&to=2026-12-31&storeId=${M1}`)).toMatchObject({ openingCents: 0, debitCents: 121_000, closingCents: 121_000 });
  });

  it('trial balance of March 2026 beside March 2025, by sub-account and by 3 digits', async () => {
    const t = await get(`${base}/trial-balance?from=2026-03&to=2026-03&level=8`);
    const rows = Object.fromEntries(t.rows.map((r: { account: string; openingCents: number; debitCents: number; creditCents: number; closingCents: number; previous: { openingCents: number; debitCents: number; creditCents: number; closingCents: number } }) => [r.account, [r.openingCents, r.debitCents, r.creditCents, r.closingCents, r.previous.openingCents, r.previous.debitCents, r.previous.creditCents, r.previous.closingCents]]));
    expect(rows).toEqual({
      // account:   opening    debit    credit   closing  | March 2025: opening  debit  credit  closing
      '10000000': [-1_000_000, 0, 0, -1_000_000, -1_000_000, 0, 0, -1_000_000],
      '40000001': [-60_500, 0, 0, -60_500, 0, 0, 0, 0],
      '43000001': [0, 242_000, 0, 242_000, 0, 0, 0, 0],
      '47202100': [10_500, 0, 0, 10_500, 0, 0, 0, 0],
      '47702100': [-21_000, 0, 52_500, -73_500, 0, 0, 21_000, -21_000],
      '57000000': [121_000, 60_500, 0, 181_500, 0, 121_000, 0, 121_000],
      '57200000': [960_000, 0, 80_000, 880_000, 1_000_000, 0, 40_000, 960_000],
      '57200001': [0, 0, 40_000, -40_000, 0, 0, 0, 0],
      '60000000': [50_000, 0, 0, 50_000, 0, 0, 0, 0],
      '62100000': [40_000, 40_000, 0, 80_000, 0, 40_000, 0, 40_000],
      '64000000': [0, 80_000, 0, 80_000, 0, 0, 0, 0],
      '70002100': [-100_000, 0, 250_000, -350_000, 0, 0, 100_000, -100_000],
    });
    expect(t.totals).toEqual({ openingCents: 0, debitCents: 422_500, creditCents: 422_500, closingCents: 0 });
    expect(t.previousTotals).toEqual({ openingCents: 0, debitCents: 161_000, creditCents: 161_000, closingCents: 0 });
    const t3 = await get(`${base}/trial-balance?from=2026-03&to=2026-03&level=3`);
    const r572 = t3.rows.find((r: { account: string }) => r.account === '572');
    // 57200000 and 57200001 together: 9.600 − 800 − 400 = 8.400.
    expect(r572).toMatchObject({ openingCents: 960_000, debitCents: 0, creditCents: 120_000, closingCents: 840_000, name: expect.stringContaining('Bancos') });
    expect(t3.totals).toEqual(t.totals);
    // Store M1 in March: E5 and E8 only (2.420 + 400 a side).
    const m1 = await get(`${base}/trial-balance?from=2026-03&to=2026-03&level=8&storeId=${M1}`);
    expect([m1.totals.debitCents, m1.totals.creditCents, m1.totals.closingCents]).toEqual([282_000, 282_000, 0]);
  });

  it('P&L of Q1 2026 beside Q1 2025, and for a store', async () => {
    const p = await get(`${base}/profit-and-loss?from=2026-01&to=2026-03`);
    const line = (s: { lines: Array<{ ref: string; cents: number; previousCents: number }> }, ref: string) => {
      const l = s.lines.find((x) => x.ref === ref)!;
      return [l.cents, l.previousCents];
    };
    expect(line(p, '1')).toEqual([250_000, 100_000]); // 700: 2.000 + 500 | 1.000
    expect(line(p, '4')).toEqual([-50_000, 0]); // 600
    expect(line(p, '6')).toEqual([-80_000, 0]); // 640
    expect(line(p, '7')).toEqual([-40_000, -40_000]); // 621
    expect(line(p, 'A')).toEqual([80_000, 60_000]);
    expect(line(p, 'B')).toEqual([0, 0]);
    expect(line(p, 'D')).toEqual([80_000, 60_000]);
    expect(p.totals).toMatchObject({ resultCents: 80_000, previousResultCents: 60_000 });
    const m2 = await get(`${base}/profit-and-loss?from=2026-01&to=2026-03&storeId=${M2}`);
    expect(line(m2, 'D')).toEqual([50_000, -40_000]); // E6 sales 500 | E3 rent 400
  });

  it('balance sheet at the end of March 2026 beside March 2025: balances', async () => {
    const b = await get(`${base}/balance-sheet?from=2026-01&to=2026-03`);
    const v = Object.fromEntries(b.lines.map((l: { id: string; cents: number; previousCents: number }) => [l.id, [l.cents, l.previousCents]]));
    expect(v.customers).toEqual([242_000, 0]);
    expect(v.other_debtors).toEqual([10_500, 0]); // 472
    expect(v.cash).toEqual([1_061_500, 1_081_000]); // 570 1.815 + 572 8.800 | 1.210 + 9.600
    expect(v.assets).toEqual([1_314_000, 1_081_000]);
    expect(v.capital).toEqual([1_000_000, 1_000_000]);
    expect(v.prior_results).toEqual([60_000, 0]); // 2025's result, never closed
    expect(v.year_result).toEqual([80_000, 60_000]);
    expect(v.st_bank_debts).toEqual([40_000, 0]); // 57200001 overdrawn
    expect(v.suppliers).toEqual([60_500, 0]);
    expect(v.other_creditors).toEqual([73_500, 21_000]); // 477
    expect(v.current_liabilities).toEqual([174_000, 21_000]);
    expect(v.equity_liabilities).toEqual([1_314_000, 1_081_000]);
    expect(b.totals).toMatchObject({ assetsCents: 1_314_000, equityLiabilitiesCents: 1_314_000, previousAssetsCents: 1_081_000, previousEquityLiabilitiesCents: 1_081_000 });
  });

  it('exports say what the screen says (CSV, XLSX, PDF)', async () => {
    const csv = await download(`${base}/trial-balance?from=2026-03&to=2026-03&level=3&format=csv`);
    expect(csv.type).toContain('text/csv');
    const text = csv.bytes.toString('utf8');
    expect(text).toContain('572;Bancos');
    expect(text.trim().split('\n').at(-1)).toBe('Total;;0.00;4225.00;4225.00;0.00;0.00;1610.00;1610.00;0.00');
    const x = await download(`${base}/profit-and-loss?from=2026-01&to=2026-03&format=xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.bytes as never);
    const ws = wb.worksheets[0]!;
    const last = ws.getRow(ws.rowCount);
    expect([last.getCell(1).value, last.getCell(3).value, last.getCell(4).value]).toEqual(['D', 800, 600]);
    const j = await download(`${base}/journal?from=2026-03-01&to=2026-03-31&format=xlsx`);
    const wj = new ExcelJS.Workbook();
    await wj.xlsx.load(j.bytes as never);
    const sj = wj.worksheets[0]!;
    expect(sj.rowCount).toBe(1 + 10 + 1); // header, E5–E8's 3 + 3 + 2 + 2 lines, total
    expect([sj.getRow(sj.rowCount).getCell(6).value, sj.getRow(sj.rowCount).getCell(7).value]).toEqual([4225, 4225]);
    const pdf = await download(`${base}/balance-sheet?from=2026-01&to=2026-03&format=pdf`);
    expect(pdf.type).toContain('application/pdf');
    const dir = mkdtempSync(path.join(tmpdir(), 'books-pdf-'));
    writeFileSync(path.join(dir, 'b.pdf'), pdf.bytes);
    const pdfText = execFileSync('pdftotext', ['-layout', path.join(dir, 'b.pdf'), '-'], { encoding: 'utf8' });
    expect(pdfText).toContain('Balance');
    expect(pdfText).toMatch(/TOTAL ACTIVO \(A \+ B\)\s+13\.140,00\s+10\.810,00/);
    execFileSync('pdftoppm', ['-png', '-r', '40', '-singlefile', path.join(dir, 'b.pdf'), path.join(dir, 'page')]);
    expect(statSync(path.join(dir, 'page.png')).size).toBeGreaterThan(1000);
  });

  it('scope: a franchisee manager reads their company, not another; bad input is a 400 with the field', async () => {
    await get(`${base}/trial-balance?from=2026-03&to=2026-03`, ruiz);
    expect((await h.api('GET', `/api/accounting/companies/${F.levante.id}/trial-balance?from=2026-03&to=2026-03`, { token: ruiz })).status).toBe(403);
    expect((await h.api('GET', `/api/accounting/companies/00000000-0000-7000-8001-0000000000ff/journal?from=2026-03-01&to=2026-03-31`, { token: hq })).status).toBe(404);
    const bad = await h.api('GET', `${base}/trial-balance?from=2026-04&to=2026-03&level=5`, { token: hq });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/level/);
  });
});
