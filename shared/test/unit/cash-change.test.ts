/** Plausible cash: change is always less than the largest euro note (500 €), worked out by hand. */
import { describe, expect, it } from 'vitest';
import { MAX_CASH_CHANGE_CENTS, settle, type Payment } from '../../src/ticket';

const cash = (amount: number): Payment => ({ method: 'cash', amount });
const card = (amount: number): Payment => ({ method: 'card', amount, reference: 'T1' });

describe('cash tendered is plausible', () => {
  it.each([
    // total, payments, expected code or change
    [304, [cash(50_000)], { change: 49_696 }], // a 500 € note for 3,04 €
    [304, [cash(50_303)], { change: 49_999 }], // the most change there can be
    [304, [cash(50_304)], 'CASH_TENDERED_IMPLAUSIBLE'], // 500,00 € of change: a note too many
    [304, [cash(2_147_483_648)], 'CASH_TENDERED_IMPLAUSIBLE'], // the fuzz run's 21 million € of change
    [10_000, [card(4_000), cash(56_000)], 'CASH_TENDERED_IMPLAUSIBLE'], // 500,00 € change on a mixed payment
    [10_000, [card(4_000), cash(55_999)], { change: 49_999 }],
  ] as const)('total %i paid %j → %j', (total, payments, expected) => {
    const r = settle(total, payments);
    if (typeof expected === 'string') {
      expect(r.ok ? 'accepted' : r.error.code).toBe(expected);
    } else {
      expect(r.ok ? r.value.change : r.error.code).toBe(expected.change);
    }
  });

  it('the bound is one cent under 500 €', () => expect(MAX_CASH_CHANGE_CENTS).toBe(49_999));
});
