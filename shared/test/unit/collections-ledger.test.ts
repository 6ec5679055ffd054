/**
 * The modules together, on seeded random histories of one counterparty (issue 13, must-be-true 1 in pure
 * form): invoices with due dates, credit notes, payments allocated oldest first with the rest kept as credit,
 * that credit applied later, returned debits, write-offs. After every step:
 *   - each item's balance = invoiced − credited − collected + returned − written off, never negative
 *     without a credit note on it;
 *   - money: payments − returns = Σ collected − Σ returned + unapplied credit (nothing lost, nothing twice);
 *   - the counterparty's net position = Σ invoiced − Σ credited − Σ written off − (payments − returns);
 *   - the aging total is the sum of the balances;
 *   - the statement of account closes at the position, and carries over from one period to the next.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/prng';
import {
  agingReport,
  allocatePayment,
  appendPosting,
  balanceOf,
  counterpartyPosition,
  postingTotals,
  statementOfAccount,
  viewOf,
  type CreditMovement,
  type OpenItem,
  type PostingKind,
} from '../../src/collections';

describe('property: a counterparty ledger under random operations (seeded)', () => {
  it('keeps every balance, the money and the aging consistent', () => {
    const rnd = seededRandom(20_261_130);
    const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
    const date = (d: number) => new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10);
    let steps = 0;
    const problems: string[] = [];
    let returns = 0;
    let overpaid = 0;
    for (let run = 0; run < 40; run++) {
      let items: OpenItem[] = [];
      let credit = 0;
      let paymentsIn = 0;
      let returnsOut = 0;
      // collections that may come back (a direct debit), per item
      const returnable: { itemId: string; amount: number }[] = [];
      const creditMovements: CreditMovement[] = [];
      const post = (id: string, kind: PostingKind, amountCents: number, on: string): boolean => {
        const i = items.findIndex((x) => x.id === id);
        const r = appendPosting(items[i]!, { kind, amountCents, on });
        if (!r.ok) return false;
        items = items.map((x, k) => (k === i ? r.value : x));
        return true;
      };
      for (let day = 0; day < 100; day++) {
        const on = date(day);
        const op = rnd();
        if (op < 0.3 || items.length === 0) {
          const id = `F${run}-${items.length}`;
          items.push({ id, companyId: 'hq', counterpartyId: 'cp', side: 'receivable', kind: 'invoice_due', documentRef: id, issueDate: on, dueDate: date(day + int(0, 60)), postings: [{ kind: 'invoiced', amountCents: int(1, 300_000), on }] });
        } else if (op < 0.4) {
          // credit note: never more than what was invoiced and not yet credited
          const it_ = items[int(0, items.length - 1)]!;
          const t = postingTotals(it_.postings);
          const room = t.invoicedCents - t.creditedCents;
          if (room > 0) expect(post(it_.id, 'credited', int(1, room), on)).toBe(true);
        } else if (op < 0.65 || (op < 0.75 && credit === 0)) {
          const payment = int(1, 400_000);
          paymentsIn += payment;
          const a = allocatePayment(payment, items.map(viewOf), { mode: 'oldest_first' });
          if (!a.ok) throw new Error(a.error.message);
          for (const l of a.value.lines) {
            expect(post(l.itemId, 'collected', l.amountCents, on)).toBe(true);
            if (rnd() < 0.5) returnable.push({ itemId: l.itemId, amount: l.amountCents });
          }
          credit += a.value.creditCents;
          if (a.value.creditCents > 0) creditMovements.push({ on, amountCents: a.value.creditCents });
        } else if (op < 0.75) {
          // apply the credit held to what is owed
          const a = allocatePayment(credit, items.map(viewOf), { mode: 'oldest_first' });
          if (!a.ok) throw new Error(a.error.message);
          for (const l of a.value.lines) expect(post(l.itemId, 'collected', l.amountCents, on)).toBe(true);
          credit -= a.value.allocatedCents;
          if (a.value.allocatedCents > 0) creditMovements.push({ on, amountCents: -a.value.allocatedCents });
        } else if (op < 0.88 && returnable.length > 0) {
          const k = int(0, returnable.length - 1);
          const ret = returnable[k]!;
          returnable.splice(k, 1);
          if (post(ret.itemId, 'returned', ret.amount, on)) {
            returnsOut += ret.amount;
            returns++;
          }
        } else if (op < 0.92) {
          const it_ = items[int(0, items.length - 1)]!;
          const b = balanceOf(it_.postings);
          if (b > 0) expect(post(it_.id, 'written_off', int(1, b), on)).toBe(true);
        }
        steps++;
        let invoiced = 0, credited = 0, collected = 0, returned = 0, writtenOff = 0, sumBalances = 0;
        for (const it_ of items) {
          const t = postingTotals(it_.postings);
          const b = balanceOf(it_.postings);
          // plain checks in the hot loop (thousands of items × steps), reported together below
          if (b !== t.invoicedCents - t.creditedCents - t.collectedCents + t.returnedCents - t.writtenOffCents) problems.push(`${it_.id} ${on}: balance ${b} is not the sum of its postings`);
          if (b < 0) {
            if (t.creditedCents === 0) problems.push(`${it_.id} ${on}: negative ${b} without a credit note`);
            overpaid++;
          }
          invoiced += t.invoicedCents; credited += t.creditedCents; collected += t.collectedCents; returned += t.returnedCents; writtenOff += t.writtenOffCents;
          sumBalances += b;
        }
        if (credit < 0) problems.push(`${on}: negative credit ${credit}`);
        if (paymentsIn - returnsOut !== collected - returned + credit) problems.push(`${on}: money in ${paymentsIn - returnsOut} ≠ collected − returned + credit ${collected - returned + credit}`);
        const pos = counterpartyPosition('cp', items, credit);
        if (pos.netCents !== invoiced - credited - writtenOff - (paymentsIn - returnsOut) || pos.netCents !== sumBalances - credit) problems.push(`${on}: position ${pos.netCents} does not add up`);
        const aging = agingReport(items.map((x) => ({ counterpartyId: x.counterpartyId, dueDate: x.dueDate, balanceCents: balanceOf(x.postings) })), on);
        if (aging.total.totalCents !== sumBalances) problems.push(`${on}: aging ${aging.total.totalCents} ≠ balances ${sumBalances}`);
      }
      // the statement of the whole history closes at the counterparty's position; split in two it carries over
      const whole = statementOfAccount('cp', items, date(0), date(99), creditMovements);
      const first = statementOfAccount('cp', items, date(0), date(49), creditMovements);
      const second = statementOfAccount('cp', items, date(50), date(99), creditMovements);
      const net = counterpartyPosition('cp', items, credit).netCents;
      if (whole.openingCents !== 0 || whole.closingCents !== net || whole.openingCents + whole.debitCents - whole.creditCents !== whole.closingCents) problems.push(`run ${run}: statement ${whole.closingCents} ≠ position ${net}`);
      if (first.closingCents !== second.openingCents || second.closingCents !== net) problems.push(`run ${run}: statement halves do not carry over`);
    }
    expect(problems).toEqual([]);
    expect(steps).toBe(40 * 100);
    // the interesting cases did happen
    expect(returns).toBeGreaterThan(50);
    expect(overpaid).toBeGreaterThan(0);
  });
});
