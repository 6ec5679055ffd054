/**
 * The PGC PYMES statement layouts: a small company's year worked out by hand (P&L lines, balance-sheet lines with
 * an overdrawn bank and a customer in credit, the sheet balancing), the longest-prefix placement, the trial
 * balance by level; and seeded random balanced entries whose balance sheet always balances.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/prng';
import { balanceSheet, balanceSheetLineOf, pnlLineOf, previousYearMonth, profitAndLoss, resultOf, trialRows, trialTotals, type AccountSums } from '../../src/accounting/statements';

/** Entries as [account, signed cents] (positive debit); summed per account. */
function sumsOf(entries: ReadonlyArray<ReadonlyArray<readonly [string, number]>>): AccountSums[] {
  const by = new Map<string, AccountSums>();
  for (const e of entries) {
    expect(e.reduce((t, [, c]) => t + c, 0)).toBe(0);
    for (const [account, c] of e) {
      const s = by.get(account) ?? { account, debitCents: 0, creditCents: 0 };
      if (c > 0) s.debitCents += c;
      else s.creditCents -= c;
      by.set(account, s);
    }
  }
  return [...by.values()];
}

// A year of a small company (cents):
const YEAR = sumsOf([
  [['57200000', 300_000], ['10000000', -300_000]], // capital paid in: 3.000,00
  [['60000000', 100_000], ['47202100', 21_000], ['40000001', -121_000]], // goods bought 1.000 + IVA 21 %
  [['43000001', 242_000], ['70002100', -200_000], ['47702100', -42_000]], // sold 2.000 + IVA 21 %
  [['64000000', 50_000], ['57200000', -50_000]], // wages 500
  [['62600000', 1_000], ['57200000', -1_000]], // bank fees 10
  [['66200000', 2_000], ['57200000', -2_000]], // loan interest 20
  [['21600000', 120_000], ['57200000', -120_000]], // furniture 1.200
  [['68100000', 10_000], ['28160000', -10_000]], // its depreciation 100
  [['62100000', 30_000], ['57200001', -30_000]], // rent 300 from a second bank: overdrawn
  [['57200000', 5_000], ['43000002', -5_000]], // a customer pays 50 in advance: in credit
]);

describe('profit and loss (PGC PYMES abbreviated)', () => {
  it('gives every line worked out by hand', () => {
    const pnl = new Map(profitAndLoss(YEAR).map((l) => [l.ref, l.cents]));
    expect(pnl.get('1')).toBe(200_000); // 700
    expect(pnl.get('4')).toBe(-100_000); // 600
    expect(pnl.get('6')).toBe(-50_000); // 640
    expect(pnl.get('7')).toBe(-31_000); // 621 300 + 626 10
    expect(pnl.get('8')).toBe(-10_000); // 681
    expect(pnl.get('A')).toBe(9_000); // 2.000 − 1.000 − 500 − 310 − 100 = 90
    expect(pnl.get('14')).toBe(-2_000); // 662
    expect(pnl.get('B')).toBe(-2_000);
    expect(pnl.get('C')).toBe(7_000);
    expect(pnl.get('18')).toBe(0);
    expect(pnl.get('D')).toBe(7_000);
    expect(resultOf(YEAR)).toBe(7_000);
  });

  it('places accounts by their longest prefix; unlisted 6/7 accounts in 7 and 5', () => {
    const cases: [string, string][] = [
      ['70002100', '1'], ['70800000', '1'], ['60000000', '4'], ['61000000', '4'], ['75900000', '5'], ['64200000', '6'], ['62900000', '7'],
      ['63100000', '7'], ['63000000', '18'], ['65000000', '7'], ['68100000', '8'], ['79540000', '7'], ['79520000', '10'], ['74600000', '9'],
      ['67800000', '12'], ['76900000', '13'], ['66200000', '14'], ['67100000', '11'], ['69900000', '17'], ['60900000', '4'], ['67900000', '7'], ['77900000', '5'],
    ];
    for (const [a, ref] of cases) expect([a, pnlLineOf(a)]).toEqual([a, ref]);
  });
});

describe('balance sheet (Balance PYMES)', () => {
  it('gives every line worked out by hand and balances', () => {
    const b = balanceSheet(YEAR, YEAR);
    const line = new Map(b.lines.map((l) => [l.id, l.cents]));
    expect(line.get('tangible')).toBe(110_000); // 216 1.200 − 281 100
    expect(line.get('non_current_assets')).toBe(110_000);
    expect(line.get('customers')).toBe(242_000); // 43000001
    expect(line.get('other_debtors')).toBe(21_000); // 472
    expect(line.get('trade_debtors')).toBe(263_000);
    expect(line.get('cash')).toBe(132_000); // 3.000 − 500 − 10 − 20 − 1.200 + 50
    expect(line.get('current_assets')).toBe(395_000);
    expect(b.assetsCents).toBe(505_000);
    expect(line.get('capital')).toBe(300_000);
    expect(line.get('year_result')).toBe(7_000); // the P&L's D)
    expect(line.get('equity')).toBe(307_000);
    expect(line.get('st_bank_debts')).toBe(30_000); // the overdrawn 57200001
    expect(line.get('suppliers')).toBe(121_000);
    expect(line.get('other_creditors')).toBe(47_000); // 477 420 + the customer in credit 50
    expect(line.get('current_liabilities')).toBe(198_000);
    expect(line.get('non_current_liabilities')).toBe(0);
    expect(b.equityLiabilitiesCents).toBe(505_000);
    expect(b.yearResultCents).toBe(7_000);
  });

  it('puts an earlier year’s unclosed result in prior results', () => {
    // Last year: sold 100 cash. This year: nothing on P&L accounts.
    const cum = sumsOf([[['57000000', 10_000], ['70500000', -10_000]]]);
    const b = balanceSheet(cum, []);
    const line = new Map(b.lines.map((l) => [l.id, l.cents]));
    expect([line.get('prior_results'), line.get('year_result'), b.assetsCents, b.equityLiabilitiesCents]).toEqual([10_000, 0, 10_000, 10_000]);
  });

  it('places mixed accounts by the sign of their balance', () => {
    const cases: [string, number, string][] = [
      ['57200000', 1, 'cash'], ['57200000', -1, 'st_bank_debts'], ['57000000', 0, 'cash'],
      ['43000001', 5, 'customers'], ['43000001', -5, 'other_creditors'], ['40000001', -5, 'suppliers'], ['40000001', 5, 'other_debtors'],
      ['47200000', 5, 'other_debtors'], ['47700000', -5, 'other_creditors'], ['47510000', -5, 'other_creditors'], ['47300000', 5, 'other_debtors'],
      ['55500000', 5, 'st_financial_investments'], ['55500000', -5, 'st_other_debts'], ['52000000', -5, 'st_bank_debts'], ['17000000', -5, 'lt_bank_debts'],
      ['11200000', -5, 'reserves'], ['12000000', -5, 'prior_results'], ['12900000', -5, 'year_result'], ['30000000', 5, 'inventories'],
    ];
    for (const [a, bal, id] of cases) expect([a, bal, balanceSheetLineOf(a, bal)]).toEqual([a, bal, id]);
  });

  it('balances for random balanced entries over the whole chart (seeded)', () => {
    const accounts = ['10000000', '11300000', '12000000', '12900000', '17000000', '21600000', '28160000', '30000000', '40000001', '41000001', '43000001', '43800000', '47200000',
      '47300000', '47510000', '47702100', '52000000', '55500000', '57000000', '57200000', '60000000', '61000000', '62100000', '64000000', '65000000', '66200000', '68100000',
      '70002100', '70500000', '75900000', '76900000', '63000000', '44000000', '48000000', '56000000'];
    for (let seed = 1; seed <= 200; seed++) {
      const rnd = seededRandom(seed);
      const pick = () => accounts[Math.floor(rnd() * accounts.length)]!;
      const cur: Array<Array<[string, number]>> = [];
      const prior: Array<Array<[string, number]>> = [];
      for (let i = 0; i < 1 + Math.floor(rnd() * 12); i++) {
        const n = 1 + Math.floor(rnd() * 3);
        const lines: Array<[string, number]> = Array.from({ length: n }, () => [pick(), 1 + Math.floor(rnd() * 100_000)]);
        lines.push([pick(), -lines.reduce((t, [, c]) => t + c, 0)]);
        (rnd() < 0.3 ? prior : cur).push(lines);
      }
      const b = balanceSheet(sumsOf([...prior, ...cur]), sumsOf(cur));
      expect([seed, b.assetsCents]).toEqual([seed, b.equityLiabilitiesCents]);
      expect(b.yearResultCents).toBe(resultOf(sumsOf(cur)));
    }
  });
});

describe('trial balance', () => {
  it('groups by level with opening, range sums and closing; totals balance', () => {
    const sums = [
      { account: '57200000', openingCents: 10_000, debitCents: 5_000, creditCents: 2_000 },
      { account: '57200001', openingCents: 0, debitCents: 0, creditCents: 1_000 },
      { account: '57000000', openingCents: 500, debitCents: 0, creditCents: 0 },
      { account: '10000000', openingCents: -10_500, debitCents: 0, creditCents: 0 },
      { account: '70002100', openingCents: 0, debitCents: 0, creditCents: 2_000 },
      { account: '62600000', openingCents: 0, debitCents: 0, creditCents: 0 }, // nothing: left out
    ];
    expect(trialRows(sums, 3)).toEqual([
      { account: '100', openingCents: -10_500, debitCents: 0, creditCents: 0, closingCents: -10_500 },
      { account: '570', openingCents: 500, debitCents: 0, creditCents: 0, closingCents: 500 },
      // 57200000 and 57200001 together: 10.000 + 5.000 − 2.000 − 1.000 = 12.000
      { account: '572', openingCents: 10_000, debitCents: 5_000, creditCents: 3_000, closingCents: 12_000 },
      { account: '700', openingCents: 0, debitCents: 0, creditCents: 2_000, closingCents: -2_000 },
    ]);
    expect(trialRows(sums, 8).map((r) => r.account)).toEqual(['10000000', '57000000', '57200000', '57200001', '70002100']);
    expect(trialRows(sums, 4).map((r) => r.account)).toEqual(['1000', '5700', '5720', '7000']);
    // Opening 0, debits 5.000 ≠ credits 5.000 … the sample is balanced: closing sums to 0.
    expect(trialTotals(trialRows(sums, 3))).toEqual({ openingCents: 0, debitCents: 5_000, creditCents: 5_000, closingCents: 0 });
    expect(previousYearMonth('2026-03')).toBe('2025-03');
  });
});
