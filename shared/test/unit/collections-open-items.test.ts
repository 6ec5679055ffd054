/**
 * Open items of the receivables ledger: balance = invoiced − credited − collected + returned − written off,
 * worked out by hand per row; then seeded random histories (invoices, partial payments, credit notes,
 * returns, write-offs) where the balance must equal the running sum of the postings and never go negative
 * without a credit note recorded.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/prng';
import {
  appendPosting,
  balanceOf,
  checkPosting,
  counterpartyPosition,
  postingTotals,
  signedAmount,
  statusOf,
  type OpenItem,
  type OpenItemPosting,
  type PostingKind,
} from '../../src/collections';

const p = (kind: PostingKind, amountCents: number, on = '2026-11-01'): OpenItemPosting => ({ kind, amountCents, on });
const item = (id: string, counterpartyId: string, postings: OpenItemPosting[], cancelled = false): OpenItem => ({
  id, companyId: 'hq', counterpartyId, side: 'receivable', kind: 'invoice_due', documentRef: `FV2026-${id}`,
  issueDate: '2026-10-01', dueDate: '2026-10-31', cancelled, postings,
});

describe('balance and status of an open item', () => {
  const cases: [string, OpenItemPosting[], number, string][] = [
    ['nothing posted: nothing owed', [], 0, 'paid'],
    ['invoiced 121,00 €', [p('invoiced', 12_100)], 12_100, 'open'],
    // 12 100 − 5 000 = 7 100
    ['partly collected', [p('invoiced', 12_100), p('collected', 5_000)], 7_100, 'partial'],
    ['collected in full', [p('invoiced', 12_100), p('collected', 12_100)], 0, 'paid'],
    // 12 100 − 12 100 + 12 100 = 12 100: the returned debit reopens the item
    ['direct debit returned', [p('invoiced', 12_100), p('collected', 12_100), p('returned', 12_100)], 12_100, 'open'],
    ['returned then collected again', [p('invoiced', 12_100), p('collected', 12_100), p('returned', 12_100), p('collected', 12_100)], 0, 'paid'],
    // 12 100 − 2 100 − 10 000 = 0
    ['credit note and the rest collected', [p('invoiced', 12_100), p('credited', 2_100), p('collected', 10_000)], 0, 'paid'],
    // 12 100 − 12 100 − 2 100 = −2 100: owed back
    ['credit note after payment', [p('invoiced', 12_100), p('collected', 12_100), p('credited', 2_100)], -2_100, 'overpaid'],
    // 12 100 − 6 000 − 6 100 = 0
    ['rest written off', [p('invoiced', 12_100), p('collected', 6_000), p('written_off', 6_100)], 0, 'written_off'],
    ['fully credited', [p('invoiced', 10_000), p('credited', 10_000)], 0, 'paid'],
    // 10 000 − 3 000 + 3 000 − 1 000 = 9 000
    ['return and a credit note', [p('invoiced', 10_000), p('collected', 3_000), p('returned', 3_000), p('credited', 1_000)], 9_000, 'partial'],
    // two due dates are two items; one item may carry a later re-invoice (recharged bank fee): 10 000 + 350 − 10 000 = 350
    ['bank fee recharged after a return', [p('invoiced', 10_000), p('collected', 10_000), p('returned', 10_000), p('invoiced', 350), p('collected', 10_000)], 350, 'partial'],
  ];
  it.each(cases)('%s', (_name, postings, balance, status) => {
    expect(balanceOf(postings)).toBe(balance);
    expect(statusOf(postings)).toBe(status);
    expect(postings.reduce((s, x) => s + signedAmount(x), 0)).toBe(balance);
  });

  it('sums each kind apart', () => {
    expect(postingTotals([p('invoiced', 10_000), p('collected', 3_000), p('returned', 3_000), p('credited', 1_000), p('written_off', 500), p('collected', 200)])).toEqual({
      invoicedCents: 10_000, creditedCents: 1_000, collectedCents: 3_200, returnedCents: 3_000, writtenOffCents: 500,
    });
  });
});

describe('postings refused', () => {
  const base = item('1', 'c1', [p('invoiced', 10_000), p('collected', 4_000)]);
  const cases: [string, Pick<OpenItem, 'cancelled' | 'postings'>, OpenItemPosting, string][] = [
    ['zero amount', base, p('collected', 0), 'POSTING_AMOUNT_INVALID'],
    ['negative amount', base, p('credited', -100), 'POSTING_AMOUNT_INVALID'],
    ['fractional cents', base, p('collected', 10.5), 'POSTING_AMOUNT_INVALID'],
    ['bad date', base, p('collected', 100, '2026-02-30'), 'POSTING_DATE_INVALID'],
    ['unknown kind', base, { kind: 'refunded' as PostingKind, amountCents: 100, on: '2026-11-01' }, 'POSTING_KIND_INVALID'],
    ['paying a cancelled invoice', item('2', 'c1', [p('invoiced', 10_000)], true), p('collected', 100), 'POSTING_ITEM_CANCELLED'],
    ['collection before the invoice', item('3', 'c1', []), p('collected', 100), 'POSTING_FIRST_NOT_INVOICED'],
    // balance 10 000 − 4 000 = 6 000
    ['collecting more than the balance', base, p('collected', 6_001), 'POSTING_COLLECTED_OVER_BALANCE'],
    ['returning more than was collected', base, p('returned', 4_001), 'POSTING_RETURNED_OVER_COLLECTED'],
    ['writing off more than is owed', base, p('written_off', 6_001), 'POSTING_WRITE_OFF_OVER_BALANCE'],
    ['crediting more than was invoiced', base, p('credited', 10_001), 'POSTING_CREDIT_OVER_INVOICED'],
  ];
  it.each(cases)('%s', (_name, it_, posting, code) => {
    const r = checkPosting(it_, posting);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe(code);
      expect(r.error.message).toMatch(/ \/ /); // Spanish / English
    }
  });

  it('accepts the limits exactly and never edits the original', () => {
    expect(checkPosting(base, p('collected', 6_000)).ok).toBe(true);
    expect(checkPosting(base, p('returned', 4_000)).ok).toBe(true);
    expect(checkPosting(base, p('written_off', 6_000)).ok).toBe(true);
    expect(checkPosting(base, p('credited', 10_000)).ok).toBe(true); // a credit note may leave it overpaid (−4 000)
    const r = appendPosting(base, p('collected', 6_000));
    expect(r.ok && r.value.postings.length).toBe(3);
    expect(base.postings).toHaveLength(2);
  });
});

describe('counterparty position', () => {
  it('adds what is owed and what is owed back, with the unapplied credit', () => {
    const items = [
      item('a', 'c1', [p('invoiced', 10_000), p('collected', 2_500)]), // 7 500 owed
      item('b', 'c1', [p('invoiced', 5_000), p('collected', 5_000), p('credited', 800)]), // −800: owed back
      item('c', 'c2', [p('invoiced', 99_999)]), // other counterparty
    ];
    // owed 7 500; credit 800 + 1 200 unapplied = 2 000; net 5 500
    expect(counterpartyPosition('c1', items, 1_200)).toEqual({ counterpartyId: 'c1', owedCents: 7_500, creditCents: 2_000, netCents: 5_500 });
  });
});

describe('property: random histories (seeded)', () => {
  it('the balance is the sum of the postings and is negative only after a credit note', () => {
    const rnd = seededRandom(13_2026);
    const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
    const kinds: PostingKind[] = ['credited', 'collected', 'returned', 'written_off', 'invoiced'];
    let refused = 0;
    let accepted = 0;
    for (let run = 0; run < 500; run++) {
      let it_: OpenItem = item(`r${run}`, 'c', [p('invoiced', int(1, 500_000))]);
      let running = it_.postings[0]!.amountCents;
      for (let step = 0; step < int(0, 12); step++) {
        const kind = kinds[int(0, kinds.length - 1)]!;
        const bal = balanceOf(it_.postings);
        // aim at the interesting amounts: the whole balance, a part of it, or a bit more
        const amount = rnd() < 0.3 ? Math.max(1, bal) : rnd() < 0.5 ? int(1, Math.max(1, bal)) : int(1, 600_000);
        const r = appendPosting(it_, p(kind, amount));
        if (!r.ok) { refused++; continue; }
        accepted++;
        it_ = r.value;
        running += kind === 'invoiced' || kind === 'returned' ? amount : -amount;
        const t = postingTotals(it_.postings);
        const b = balanceOf(it_.postings);
        expect(b).toBe(running);
        expect(b).toBe(t.invoicedCents - t.creditedCents - t.collectedCents + t.returnedCents - t.writtenOffCents);
        if (b < 0) expect(t.creditedCents).toBeGreaterThan(0);
        expect(t.returnedCents).toBeLessThanOrEqual(t.collectedCents);
        const s = statusOf(it_.postings);
        expect(s === 'overpaid').toBe(b < 0);
        expect(s === 'open' || s === 'partial').toBe(b > 0);
      }
    }
    // both branches were exercised
    expect(accepted).toBeGreaterThan(500);
    expect(refused).toBeGreaterThan(100);
  });
});
