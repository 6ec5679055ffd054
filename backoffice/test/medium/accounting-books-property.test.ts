/**
 * Property on both engines: for random balanced entries (random accounts across the chart, dates over two
 * years, lines with or without a store), the trial balance read from acc_balance equals the sums of acc_line
 * for every account, range and store; debits equal credits and closing balances sum to zero; the balance sheet
 * balances and its year's result is the P&L's; the ledger's closing equals the trial balance's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { seededRandom } from '@tpv/shared/prng';
import { engines, F, seedFranchise } from '../support/harness';
import { writeTransaction } from '../../src/persistence/raw';
import { all, num } from '../../src/persistence/sql';
import { postEntry } from '../../src/accounting/core/journal';
import { balanceSheetStatement, ledger, profitAndLossStatement, trialBalance } from '../../src/accounting/books/books';

const clock = { now: () => Date.UTC(2026, 10, 30, 9, 0, 0) };
const ACCOUNTS = [
  '10000000', '11300000', '12000000', '17000000', '21600000', '28160000', '30000000', '40000001', '40000002', '41000001', '43000001', '43000002', '47202100',
  '47300000', '47510000', '47702100', '52000000', '55500000', '57000000', '57200000', '57200001', '60000000', '61000000', '62100000', '62600000', '64000000',
  '65000000', '66200000', '68100000', '70002100', '70500000', '75900000', '76900000', '63000000',
];
const STORES = [null, F.storeM1.id, F.storeM2.id];

describe.each(engines)('books property on $name', (engine) => {
  let ds: DataSource;
  let teardown: () => Promise<void>;
  beforeAll(async () => {
    ({ ds, teardown } = await engine.open());
    await seedFranchise(ds);
  });
  afterAll(async () => teardown?.());

  it('trial balance from acc_balance = sums of acc_line; balanced; the balance sheet balances', async () => {
    const rnd = seededRandom(engine.name === 'sqlite' ? 14 : 41);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
    for (let i = 0; i < 120; i++) {
      const month = 1 + Math.floor(rnd() * 12);
      const date = `${rnd() < 0.4 ? 2025 : 2026}-${String(month).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`;
      const n = 1 + Math.floor(rnd() * 4);
      const signed = Array.from({ length: n }, () => (rnd() < 0.5 ? 1 : -1) * (1 + Math.floor(rnd() * 500_000)));
      signed.push(-signed.reduce((t, c) => t + c, 0));
      const lines = signed.filter((c) => c !== 0).map((c) => ({ account: pick(ACCOUNTS), debitCents: Math.max(c, 0), creditCents: Math.max(-c, 0), storeId: pick(STORES) }));
      if (lines.length < 2) continue;
      await writeTransaction(ds, (m) => postEntry(m, clock, { companyId: F.ruiz.id, date, kind: 'manual', description: `P${i}`, mode: 'manual', by: null, lines }));
    }

    const ranges: Array<[string, string]> = [['2026-01', '2026-12'], ['2026-03', '2026-03'], ['2025-06', '2026-02'], ['2026-07', '2026-09']];
    for (const [from, to] of ranges) {
      for (const storeId of [undefined, F.storeM1.id, '']) {
        const t = await trialBalance(ds.manager, F.ruiz.id, { from, to, level: 8, storeId });
        // The same figures from the lines themselves.
        const params: unknown[] = [`${from}-01`, `${from}-01`, `${to}-31`, `${from}-01`, `${to}-31`, F.ruiz.id, `${to}-31`];
        const storeSql = storeId === undefined ? '' : storeId === '' ? ' AND store_id IS NULL' : ' AND store_id = ?';
        if (storeId) params.push(storeId);
        const lines = await all<{ account: string; o: unknown; d: unknown; c: unknown }>(
          ds.manager,
          `SELECT account, SUM(CASE WHEN entry_date < ? THEN debit_cents - credit_cents ELSE 0 END) AS o,
                  SUM(CASE WHEN entry_date >= ? AND entry_date <= ? THEN debit_cents ELSE 0 END) AS d,
                  SUM(CASE WHEN entry_date >= ? AND entry_date <= ? THEN credit_cents ELSE 0 END) AS c
             FROM acc_line WHERE company_id = ? AND entry_date <= ?${storeSql} GROUP BY account`,
          params,
        );
        const expected = lines
          .map((l) => ({ account: l.account, openingCents: num(l.o)!, debitCents: num(l.d)!, creditCents: num(l.c)!, closingCents: num(l.o)! + num(l.d)! - num(l.c)! }))
          .filter((r) => r.openingCents || r.debitCents || r.creditCents)
          .sort((a, b) => a.account.localeCompare(b.account));
        const got = t.rows.filter((r) => r.openingCents || r.debitCents || r.creditCents).map(({ account, openingCents, debitCents, creditCents, closingCents }) => ({ account, openingCents, debitCents, creditCents, closingCents }));
        expect([from, to, storeId, got]).toEqual([from, to, storeId, expected]);
        if (storeId === undefined) {
          expect(t.totals.debitCents).toBe(t.totals.creditCents);
          expect(t.totals.closingCents).toBe(0);
          expect(t.totals.openingCents).toBe(0);
          expect(t.previousTotals.closingCents).toBe(0);
          const b = await balanceSheetStatement(ds.manager, F.ruiz.id, { from, to, storeId });
          expect(b.totals.assetsCents).toBe(b.totals.equityLiabilitiesCents);
          expect(b.totals.previousAssetsCents).toBe(b.totals.previousEquityLiabilitiesCents);
          const yearPnl = await profitAndLossStatement(ds.manager, F.ruiz.id, { from: `${to.slice(0, 4)}-01`, to, storeId });
          expect(b.totals.resultCents).toBe(yearPnl.totals.resultCents);
        }
        // A ledger's closing on 57 (every account under it) = the trial balance's 57x closings.
        const l = await ledger(ds.manager, F.ruiz.id, { account: rnd() < 0.5 ? '57' : '4', from: `${from}-01`, to: `${to}-31`, storeId: storeId || undefined, page: 1, pageSize: 7 });
        if (storeId !== '') expect(l.closingCents).toBe(t.rows.filter((r) => r.account.startsWith(l.account)).reduce((s, r) => s + r.closingCents, 0));
      }
    }
  });
});
