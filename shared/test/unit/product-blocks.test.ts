/**
 * Product blocks (issue 17): reading GS1 element strings (AI 01 GTIN, 10 lot, 15 best before, 17 expiry)
 * and the till's rule — which units a product / lot / best-before block refuses. Oracle values by hand.
 */
import { describe, expect, it } from 'vitest';
import { blockApplies, blockRangeProblem, gs1Date, parseGs1 } from '../../src/blocks/rules';

const GS = '\x1d';

describe('GS1 element strings', () => {
  it.each([
    ['(01)08410000000040(17)261231(10)L42', { gtin: '08410000000040', lot: 'L42', bestBefore: '2026-12-31' }],
    ['(01)08410000000040(15)270200', { gtin: '08410000000040', bestBefore: '2027-02-28' }], // day 00: the month's last day
    ['(01)08410000000040(15)280200', { gtin: '08410000000040', bestBefore: '2028-02-29' }], // leap year
    [`]C1010841000000004017261231${'10'}L42`, { gtin: '08410000000040', lot: 'L42', bestBefore: '2026-12-31' }],
    [`]C10108410000000040${'10'}ABC-7${GS}15261115`, { gtin: '08410000000040', lot: 'ABC-7', bestBefore: '2026-11-15' }],
    [`0108410000000040${'10'}LOT9${GS}17270630\r\n`, { gtin: '08410000000040', lot: 'LOT9', bestBefore: '2027-06-30' }],
    [`]C10108410000000040${'15'}261130${'17'}261231`, { gtin: '08410000000040', bestBefore: '2026-11-30' }], // 15 wins over 17
    ['8410000000040', null], // a plain EAN-13
    ['(10)L42', null], // no GTIN
    ['(01)0841000000004(10)L42', null], // GTIN of 13 digits
  ])('%j → %j', (text, expected) => {
    expect(parseGs1(text)).toEqual(expected);
  });

  it.each([
    ['261231', '2026-12-31'], ['270200', '2027-02-28'], ['240200', '2024-02-29'], ['261131', null], ['261300', null], ['2612', null],
  ])('gs1Date(%s) = %s', (yymmdd, day) => expect(gs1Date(yymmdd)).toBe(day));
});

describe('which units a block refuses', () => {
  const product = { scope: 'product' as const, lot: null, bestBeforeFrom: null, bestBeforeTo: null };
  const lot = { scope: 'lot' as const, lot: 'L42', bestBeforeFrom: null, bestBeforeTo: null };
  const range = { scope: 'best_before' as const, lot: null, bestBeforeFrom: '2026-12-01', bestBeforeTo: '2026-12-31' };
  const from = { scope: 'best_before' as const, lot: null, bestBeforeFrom: '2026-12-01', bestBeforeTo: null };
  it.each([
    [product, {}, true], [product, { lot: 'L1', bestBefore: '2030-01-01' }, true],
    [lot, {}, true], [lot, { lot: 'L42' }, true], [lot, { lot: ' l42 ' }, true], [lot, { lot: 'L43' }, false], [lot, { bestBefore: '2026-12-05' }, true],
    [range, {}, true], [range, { bestBefore: '2026-12-01' }, true], [range, { bestBefore: '2026-12-31' }, true], [range, { bestBefore: '2026-11-30' }, false], [range, { bestBefore: '2027-01-01' }, false],
    [from, { bestBefore: '2099-01-01' }, true], [from, { bestBefore: '2026-11-30', lot: 'L42' }, false],
  ])('%j with %j → %s', (b, unit, refused) => expect(blockApplies(b, unit)).toBe(refused));

  it.each([
    [{ scope: 'product' as const }, null],
    [{ scope: 'lot' as const, lot: '' }, 'lot'],
    [{ scope: 'lot' as const, lot: 'L 42' }, 'lot'],
    [{ scope: 'lot' as const, lot: 'L42' }, null],
    [{ scope: 'best_before' as const }, 'bestBeforeFrom'],
    [{ scope: 'best_before' as const, bestBeforeFrom: '2026-12-31', bestBeforeTo: '2026-12-01' }, 'bestBeforeTo'],
    [{ scope: 'best_before' as const, bestBeforeTo: '2026-12-01' }, null],
    [{ scope: 'product' as const, lot: 'L42' }, 'lot'],
  ])('range check %j → %s', (b, field) => expect(blockRangeProblem(b)?.path ?? null).toBe(field));
});
