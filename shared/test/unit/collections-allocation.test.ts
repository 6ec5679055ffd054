/**
 * Allocating a payment over open items: oldest due first (hand-worked), by hand with its refusals, and seeded
 * random payments: never more than the payment, never more than an item's balance, the rest kept as credit,
 * and applying the allocation as postings is always accepted by the ledger.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/prng';
import { allocatePayment, appendPosting, balanceOf, viewOf, type AllocationRequest, type OpenItem, type OpenItemPosting, type OpenItemView } from '../../src/collections';

const view = (id: string, dueDate: string, balanceCents: number, extra: Partial<OpenItemView> = {}): OpenItemView => ({
  id, counterpartyId: 'c1', dueDate, issueDate: '2026-01-01', cancelled: false, balanceCents,
  status: balanceCents > 0 ? 'open' : balanceCents === 0 ? 'paid' : 'overpaid', ...extra,
});

const A = view('A', '2026-01-10', 10_000, { issueDate: '2025-12-10' });
const B = view('B', '2026-02-10', 5_000);
const C = view('C', '2026-01-10', 2_000, { issueDate: '2025-12-01' }); // same due date as A, issued earlier
const D = view('D', '2025-12-01', 7_000, { cancelled: true });
const E = view('E', '2025-11-01', 0);
const items = [B, A, D, E, C];

describe('oldest due first', () => {
  const cases: [number, [string, number][], number, number][] = [
    // C (due 10/01, issued 01/12) 2 000 → A (due 10/01, issued 10/12) 10 000 → B 1 000; D cancelled, E paid skipped
    [13_000, [['C', 2_000], ['A', 10_000], ['B', 1_000]], 13_000, 0],
    // 2 000 + 10 000 + 5 000 = 17 000 owed; 20 000 − 17 000 = 3 000 kept as credit
    [20_000, [['C', 2_000], ['A', 10_000], ['B', 5_000]], 17_000, 3_000],
    [1_500, [['C', 1_500]], 1_500, 0],
    // exactly the first two
    [12_000, [['C', 2_000], ['A', 10_000]], 12_000, 0],
  ];
  it.each(cases)('a payment of %i cents', (payment, lines, allocated, credit) => {
    const r = allocatePayment(payment, items, { mode: 'oldest_first' });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.lines.map((l) => [l.itemId, l.amountCents])).toEqual(lines);
    expect(r.value.allocatedCents).toBe(allocated);
    expect(r.value.creditCents).toBe(credit);
  });

  it('with nothing owed the whole payment is credit', () => {
    const r = allocatePayment(5_000, [D, E], { mode: 'oldest_first' });
    expect(r.ok && r.value).toEqual({ lines: [], allocatedCents: 0, creditCents: 5_000 });
  });
});

describe('by hand', () => {
  it('takes the amounts as given and keeps the rest as credit', () => {
    // 4 000 + 3 000 = 7 000 of 10 000 → 3 000 credit
    const r = allocatePayment(10_000, items, { mode: 'manual', lines: [{ itemId: 'B', amountCents: 4_000 }, { itemId: 'A', amountCents: 3_000 }] });
    expect(r.ok && r.value).toEqual({ lines: [{ itemId: 'B', amountCents: 4_000 }, { itemId: 'A', amountCents: 3_000 }], allocatedCents: 7_000, creditCents: 3_000 });
  });

  const refusals: [string, number, AllocationRequest, string][] = [
    ['a zero payment', 0, { mode: 'oldest_first' }, 'ALLOCATION_PAYMENT_INVALID'],
    ['a negative payment', -100, { mode: 'manual', lines: [] }, 'ALLOCATION_PAYMENT_INVALID'],
    // 10 000 + 2 000 = 12 000 > 11 999
    ['more than the payment', 11_999, { mode: 'manual', lines: [{ itemId: 'A', amountCents: 10_000 }, { itemId: 'C', amountCents: 2_000 }] }, 'ALLOCATION_OVER_PAYMENT'],
    ['more than the balance', 50_000, { mode: 'manual', lines: [{ itemId: 'B', amountCents: 5_001 }] }, 'ALLOCATION_OVER_BALANCE'],
    ['a cancelled invoice', 1_000, { mode: 'manual', lines: [{ itemId: 'D', amountCents: 1_000 }] }, 'ALLOCATION_ITEM_CANCELLED'],
    ['an item already paid', 1_000, { mode: 'manual', lines: [{ itemId: 'E', amountCents: 1_000 }] }, 'ALLOCATION_ITEM_SETTLED'],
    ['an unknown item', 1_000, { mode: 'manual', lines: [{ itemId: 'Z', amountCents: 1_000 }] }, 'ALLOCATION_ITEM_UNKNOWN'],
    ['the same item twice', 5_000, { mode: 'manual', lines: [{ itemId: 'A', amountCents: 1_000 }, { itemId: 'A', amountCents: 1_000 }] }, 'ALLOCATION_ITEM_DUPLICATE'],
    ['a zero line', 5_000, { mode: 'manual', lines: [{ itemId: 'A', amountCents: 0 }] }, 'ALLOCATION_AMOUNT_INVALID'],
    ['a fractional line', 5_000, { mode: 'manual', lines: [{ itemId: 'A', amountCents: 0.5 }] }, 'ALLOCATION_AMOUNT_INVALID'],
  ];
  it.each(refusals)('refuses %s', (_name, payment, request, code) => {
    const r = allocatePayment(payment, items, request);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe(code);
      expect(r.error.message).toMatch(/ \/ /);
    }
  });
});

describe('property: random payments (seeded)', () => {
  it('never allocates more than the payment or a balance; the ledger accepts every line', () => {
    const rnd = seededRandom(4_2026);
    const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
    for (let run = 0; run < 400; run++) {
      const n = int(0, 8);
      const ledger: OpenItem[] = Array.from({ length: n }, (_, i) => {
        const invoiced = int(1, 200_000);
        const collected = rnd() < 0.4 ? int(0, invoiced) : 0;
        const postings: OpenItemPosting[] = [{ kind: 'invoiced', amountCents: invoiced, on: '2026-01-01' }];
        if (collected > 0) postings.push({ kind: 'collected', amountCents: collected, on: '2026-02-01' });
        return {
          id: `i${i}`, companyId: 'hq', counterpartyId: 'c', side: 'receivable', kind: 'invoice_due', documentRef: `F${i}`,
          issueDate: `2026-0${int(1, 9)}-01`, dueDate: `2026-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`,
          cancelled: rnd() < 0.1, postings,
        };
      });
      const views = ledger.map(viewOf);
      const payment = int(1, 600_000);
      let request: AllocationRequest = { mode: 'oldest_first' };
      if (rnd() < 0.5) {
        // by hand: random amounts, some over the balance or the payment — refused ones must be refused for a reason
        request = { mode: 'manual', lines: views.filter(() => rnd() < 0.6).map((v) => ({ itemId: v.id, amountCents: int(1, Math.max(1, v.balanceCents + 100)) })) };
      }
      const r = allocatePayment(payment, views, request);
      if (!r.ok) {
        const lines = request.mode === 'manual' ? request.lines : [];
        const sum = lines.reduce((s, l) => s + l.amountCents, 0);
        const explained = sum > payment || lines.some((l) => {
          const v = views.find((x) => x.id === l.itemId)!;
          return v.cancelled || v.balanceCents <= 0 || l.amountCents > v.balanceCents;
        });
        expect(explained).toBe(true);
        continue;
      }
      const a = r.value;
      expect(a.allocatedCents).toBeLessThanOrEqual(payment);
      expect(a.allocatedCents + a.creditCents).toBe(payment);
      expect(a.lines.reduce((s, l) => s + l.amountCents, 0)).toBe(a.allocatedCents);
      for (const line of a.lines) {
        const i = ledger.findIndex((x) => x.id === line.itemId);
        expect(line.amountCents).toBeGreaterThan(0);
        expect(line.amountCents).toBeLessThanOrEqual(views[i]!.balanceCents);
        const applied = appendPosting(ledger[i]!, { kind: 'collected', amountCents: line.amountCents, on: '2026-03-01' });
        expect(applied.ok).toBe(true);
        if (applied.ok) expect(balanceOf(applied.value.postings)).toBeGreaterThanOrEqual(0);
      }
      if (request.mode === 'oldest_first') {
        // the credit only remains when every payable item was paid in full
        const owed = views.filter((v) => !v.cancelled && v.balanceCents > 0).reduce((s, v) => s + v.balanceCents, 0);
        expect(a.allocatedCents).toBe(Math.min(payment, owed));
      }
    }
  });
});
