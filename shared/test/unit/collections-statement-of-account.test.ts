/**
 * Statement of account of one counterparty, worked out by hand: opening balance from what came before the
 * period, lines in date order with a running balance, a payment whose rest is held as credit and later used.
 */
import { describe, expect, it } from 'vitest';
import { counterpartyPosition, statementOfAccount, type OpenItem } from '../../src/collections';

const inv = (id: string, documentRef: string, postings: OpenItem['postings'], counterpartyId = 'acme'): OpenItem => ({
  id, companyId: 'hq', counterpartyId, side: 'receivable', kind: 'invoice_due', documentRef, issueDate: postings[0]!.on, dueDate: postings[0]!.on, postings,
});

const items = [
  inv('1', 'FV2026-000010', [{ kind: 'invoiced', amountCents: 50_000, on: '2026-09-20' }, { kind: 'collected', amountCents: 20_000, on: '2026-10-05', ref: 'COB-1' }]),
  inv('2', 'FV2026-000020', [
    { kind: 'invoiced', amountCents: 12_100, on: '2026-10-10' },
    { kind: 'collected', amountCents: 12_100, on: '2026-10-31', ref: 'REM-7' },
    { kind: 'returned', amountCents: 12_100, on: '2026-11-06', ref: 'DEV-7 AM04' },
  ]),
  inv('3', 'FV2026-000030', [{ kind: 'invoiced', amountCents: 8_000, on: '2026-10-31' }, { kind: 'credited', amountCents: 1_000, on: '2026-11-02', ref: 'AB2026-000003' }]),
  inv('9', 'FV2026-000099', [{ kind: 'invoiced', amountCents: 99_999, on: '2026-10-15' }], 'other'), // another counterparty
];
// a payment of 400,00 € on 2026-10-20: 300,00 € to item 1, 100,00 € kept as credit; 60,00 € of it used on 11-15 for item 3
items[0] = { ...items[0]!, postings: [...items[0]!.postings, { kind: 'collected', amountCents: 30_000, on: '2026-10-20', ref: 'COB-2' }] };
items[2] = { ...items[2]!, postings: [...items[2]!.postings, { kind: 'collected', amountCents: 6_000, on: '2026-11-15', ref: 'CRED' }] };
const credits = [{ on: '2026-10-20', amountCents: 10_000, ref: 'COB-2' }, { on: '2026-11-15', amountCents: -6_000, ref: 'CRED' }];

describe('statement of account', () => {
  const s = statementOfAccount('acme', items, '2026-10-15', '2026-11-30', credits);

  it('opens with what was owed before the period: 50 000 − 20 000 + 12 100 = 42 100', () => {
    expect(s.openingCents).toBe(42_100);
  });

  it('lists the period in date order with a running balance', () => {
    expect(s.lines.map((l) => [l.on, l.kind, l.documentRef, l.debitCents, l.creditCents, l.balanceCents])).toEqual([
      ['2026-10-20', 'collected', 'FV2026-000010', 0, 30_000, 12_100], // 42 100 − 30 000
      ['2026-10-20', 'credit_received', '', 0, 10_000, 2_100], // the rest of the payment, held for acme
      ['2026-10-31', 'collected', 'FV2026-000020', 0, 12_100, -10_000], // remitted…
      ['2026-10-31', 'invoiced', 'FV2026-000030', 8_000, 0, -2_000],
      ['2026-11-02', 'credited', 'FV2026-000030', 0, 1_000, -3_000],
      ['2026-11-06', 'returned', 'FV2026-000020', 12_100, 0, 9_100], // …and returned: owed again
      ['2026-11-15', 'collected', 'FV2026-000030', 0, 6_000, 3_100], // paid from the credit held
      ['2026-11-15', 'credit_used', '', 6_000, 0, 9_100],
    ]);
    expect(s.lines[0]!.ref).toBe('COB-2');
  });

  it('closes at opening + debits − credits = Σ balances − credit held', () => {
    // debits 8 000 + 12 100 + 6 000 = 26 100; credits 30 000 + 10 000 + 12 100 + 1 000 + 6 000 = 59 100
    expect([s.debitCents, s.creditCents]).toEqual([26_100, 59_100]);
    // 42 100 + 26 100 − 59 100 = 9 100; balances 0 + 12 100 + 1 000 = 13 100, credit held 10 000 − 6 000 = 4 000
    expect(s.closingCents).toBe(9_100);
    expect(counterpartyPosition('acme', items, 4_000).netCents).toBe(9_100);
  });

  it('a period after everything only carries the balance over', () => {
    const later = statementOfAccount('acme', items, '2026-12-01', '2026-12-31', credits);
    expect([later.openingCents, later.lines.length, later.closingCents]).toEqual([9_100, 0, 9_100]);
  });
});
