import { describe, expect, it } from 'vitest';
import {
  allocate,
  centsToDecimalString,
  formatMoney,
  isCents,
  mulDiv,
  parseDecimalString,
  parseMoney,
  percentOf,
  roundHalfEven,
  roundHalfUp,
  type MoneyLocale,
  type Rounding,
} from '../../src/money';

describe('isCents', () => {
  it.each([
    [1, true],
    [-5, true],
    [0, true],
    [Number.MAX_SAFE_INTEGER, true],
    [1.5, false],
    [Number.NaN, false],
    [Infinity, false],
    [2 ** 53, false],
    ['1', false],
    [null, false],
  ])('%s → %s', (v, expected) => expect(isCents(v)).toBe(expected));
});

describe('mulDiv', () => {
  // [amount, num, den, rounding, expected]  — arithmetic by hand in the comment
  const rows: [number, number, number, Rounding, number][] = [
    [1000, 10000, 12100, 'halfUp', 826], // 10,000,000 / 12,100 = 826.446 → 826
    [5, 1, 2, 'halfUp', 3], // 2.5 → 3 (away from zero)
    [-5, 1, 2, 'halfUp', -3], // −2.5 → −3 (mirror)
    [5, 1, -2, 'halfUp', -3], // negative denominator: −2.5 → −3
    [5, 1, 2, 'halfEven', 2], // 2.5 → 2 (even)
    [7, 1, 2, 'halfEven', 4], // 3.5 → 4 (even)
    [-7, 1, 2, 'halfEven', -4], // −3.5 → −4
    [5, 1, 2, 'floor', 2], // 2.5 → 2
    [-5, 1, 2, 'floor', -3], // −2.5 → −3
    [5, 1, 2, 'ceil', 3], // 2.5 → 3
    [-5, 1, 2, 'ceil', -2], // −2.5 → −2
    [-5, 1, 2, 'towardZero', -2], // −2.5 → −2
    [7, 1, 3, 'halfUp', 2], // 2.333 → 2
    [8, 1, 3, 'halfUp', 3], // 2.667 → 3
    [1299, 350, 1000, 'halfUp', 455], // 454,650 / 1000 = 454.65 → 455
    [999, 500, 1000, 'halfUp', 500], // 499.5 → 500
    [999, -500, 1000, 'halfUp', -500], // −499.5 → −500
    [12, 0, 7, 'halfUp', 0], // 0
    // BigInt path: (2^53 − 1) × 3 / 3 = 9007199254740991 exactly
    [9007199254740991, 3, 3, 'halfUp', 9007199254740991],
    // (2^53 − 1) × 2 / 4 = 4503599627370495.5 → 4503599627370496
    [9007199254740991, 2, 4, 'halfUp', 4503599627370496],
    // 10^15 × 2100 / 10000 = 2.1 × 10^14 exactly
    [1_000_000_000_000_000, 2100, 10000, 'halfUp', 210_000_000_000_000],
  ];
  it.each(rows)('%d × %d / %d (%s) = %d', (a, n, d, r, expected) => expect(mulDiv(a, n, d, r)).toBe(expected));

  it('throws on non-integers, zero denominator and unsafe results (programming errors)', () => {
    expect(() => mulDiv(1.5, 1, 1)).toThrow(RangeError);
    expect(() => mulDiv(1, 1, 0)).toThrow(RangeError);
    expect(() => mulDiv(Number.MAX_SAFE_INTEGER, 2, 1)).toThrow(RangeError);
  });

  it('roundHalfUp / roundHalfEven / percentOf', () => {
    expect(roundHalfUp(25, 10)).toBe(3); // 2.5 → 3
    expect(roundHalfUp(-25, 10)).toBe(-3); // −2.5 → −3
    expect(roundHalfUp(24, 10)).toBe(2); // 2.4 → 2
    expect(roundHalfEven(25, 10)).toBe(2); // 2.5 → 2
    expect(roundHalfEven(35, 10)).toBe(4); // 3.5 → 4
    expect(percentOf(1999, 1000)).toBe(200); // 10 % of 19.99 = 1.999 → 2.00
    expect(percentOf(-1999, 1000)).toBe(-200);
    expect(percentOf(1995, 1000)).toBe(200); // 199.5 → 200
    expect(percentOf(1994, 1000)).toBe(199); // 199.4 → 199
    expect(percentOf(1995, 1000, 'halfEven')).toBe(200); // 199.5 → 200 (even)
    expect(percentOf(1985, 1000, 'halfEven')).toBe(198); // 198.5 → 198 (even)
  });
});

describe('allocate (largest remainder)', () => {
  // [total, weights, expected] — floor shares, remainders, who gets the leftover cents
  const rows: [number, number[], number[]][] = [
    [100, [1, 1, 1], [34, 33, 33]], // 33 each rem 1; 1 left → tie → index 0
    [-100, [1, 1, 1], [-34, -33, -33]], // sign mirrored
    [10, [0, 1, 0], [0, 10, 0]], // zero weights get nothing
    [0, [0, 0], [0, 0]], // nothing to split
    [0, [5, 7], [0, 0]],
    [183, [1000, 500, 333], [100, 50, 33]], // 99 r1533, 49 r1683, 33 r450 → Σ181, +1 to B then A
    [-183, [1000, 500, 333], [-100, -50, -33]],
    [7, [3, 3, 1], [3, 3, 1]], // exact: 21/7, 21/7, 7/7
    [1, [1, 2], [0, 1]], // 1/3 → 0 r1, 2/3 → 0 r2 → B
    [-1, [1, 2], [0, -1]],
    [2, [1, 1, 1, 1], [1, 1, 0, 0]], // 0 r2 each, 2 left → indices 0,1
    [10, [3, 3, 3], [4, 3, 3]], // 3 r3 each, 1 left → index 0
    [75, [1000, 500], [50, 25]], // exact
    [1, [0, 0, 5], [0, 0, 1]],
  ];
  it.each(rows)('allocate(%d, %j) = %j', (total, weights, expected) => {
    const r = allocate(total, weights);
    expect(r).toEqual({ ok: true, value: expected });
    if (r.ok) expect(r.value.reduce((a, b) => a + b, 0)).toBe(total);
    if (r.ok) for (const v of r.value) expect(Object.is(v, -0)).toBe(false);
  });

  it.each([
    [5, [0, 0], 'ALLOCATION_WEIGHTS_ZERO'],
    [5, [], 'ALLOCATION_WEIGHTS_EMPTY'],
    [5, [1, -1], 'ALLOCATION_WEIGHT_INVALID'],
    [5, [1.5], 'ALLOCATION_WEIGHT_INVALID'],
    [1.5, [1], 'MONEY_NOT_INTEGER'],
  ] as const)('allocate(%d, %j) fails with %s', (total, weights, code) => {
    const r = allocate(total, [...weights]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe(code);
  });
});

describe('formatMoney', () => {
  const rows: [number, MoneyLocale, string][] = [
    [123456, 'es', '1.234,56 €'],
    [-5, 'es', '-0,05 €'],
    [123456700, 'es', '1.234.567,00 €'],
    [0, 'es', '0,00 €'],
    [5, 'es', '0,05 €'],
    [99999, 'es', '999,99 €'],
    [100000, 'es', '1.000,00 €'],
    [-123456, 'es', '-1.234,56 €'],
    [123456, 'en', '€1,234.56'],
    [-5, 'en', '-€0.05'],
    [123456700, 'en', '€1,234,567.00'],
    [0, 'en', '€0.00'],
    [100, 'en', '€1.00'],
  ];
  it.each(rows)('%d (%s) → %s', (c, l, s) => expect(formatMoney(c, l)).toBe(s));

  it('centsToDecimalString', () => {
    expect(centsToDecimalString(1235)).toBe('12.35');
    expect(centsToDecimalString(-5)).toBe('-0.05');
    expect(centsToDecimalString(0)).toBe('0.00');
    expect(centsToDecimalString(123456700)).toBe('1234567.00');
  });
});

describe('parseMoney', () => {
  const good: [string, MoneyLocale, number][] = [
    ['1.234,56', 'es', 123456],
    ['1234,56', 'es', 123456],
    ['1234,5', 'es', 123450],
    ['12 €', 'es', 1200],
    ['12€', 'es', 1200],
    ['€12', 'es', 1200],
    ['-0,05 €', 'es', -5],
    ['1.234', 'es', 123400], // a thousands dot, not decimals
    ['0,5', 'es', 50],
    ['  7  ', 'es', 700],
    ['1.234.567,00 €', 'es', 123456700],
    ['0', 'es', 0],
    ['€1,234.56', 'en', 123456],
    ['1234.56', 'en', 123456],
    ['-€0.05', 'en', -5],
    ['€-0.05', 'en', -5],
    ['1,234', 'en', 123400],
    ['12 €', 'en', 1200],
    ['0.5', 'en', 50],
  ];
  it.each(good)('"%s" (%s) → %d', (text, locale, cents) => expect(parseMoney(text, locale)).toEqual({ ok: true, value: cents }));

  it('"-0" parses to +0, not −0', () => {
    const r = parseMoney('-0', 'es');
    expect(r.ok && Object.is(r.value, 0)).toBe(true);
  });

  const bad: [string, MoneyLocale, string][] = [
    ['', 'es', 'MONEY_PARSE_EMPTY'],
    ['   ', 'en', 'MONEY_PARSE_EMPTY'],
    ['1,234', 'es', 'MONEY_PARSE_TOO_MANY_DECIMALS'],
    ['12,345 €', 'es', 'MONEY_PARSE_TOO_MANY_DECIMALS'],
    ['1.234', 'en', 'MONEY_PARSE_TOO_MANY_DECIMALS'],
    ['abc', 'es', 'MONEY_PARSE_INVALID'],
    ['1.23,45', 'es', 'MONEY_PARSE_INVALID'], // bad grouping
    ['12.3', 'es', 'MONEY_PARSE_INVALID'], // a dot is not a decimal separator in es
    ['1234.56', 'es', 'MONEY_PARSE_INVALID'],
    ['€ 12 €', 'es', 'MONEY_PARSE_INVALID'],
    ['12,', 'es', 'MONEY_PARSE_INVALID'],
    [',50', 'es', 'MONEY_PARSE_INVALID'],
    ['--5', 'es', 'MONEY_PARSE_INVALID'],
    ['1 234,56', 'es', 'MONEY_PARSE_INVALID'],
    ['1,23', 'en', 'MONEY_PARSE_INVALID'],
    ['12$', 'en', 'MONEY_PARSE_INVALID'],
    ['1e3', 'en', 'MONEY_PARSE_INVALID'],
    ['99999999999999999', 'en', 'MONEY_OUT_OF_RANGE'],
  ];
  it.each(bad)('"%s" (%s) fails with %s', (text, locale, code) => {
    const r = parseMoney(text, locale);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe(code);
  });

  it('round-trips formatMoney for both locales', () => {
    for (const c of [0, 1, -1, 99, 100, 123456, -123456700, 100000]) {
      for (const l of ['es', 'en'] as const) expect(parseMoney(formatMoney(c, l), l)).toEqual({ ok: true, value: c });
    }
  });

  it('parseDecimalString', () => {
    expect(parseDecimalString('12.35')).toEqual({ ok: true, value: 1235 });
    expect(parseDecimalString('-0.05')).toEqual({ ok: true, value: -5 });
    expect(parseDecimalString('12')).toEqual({ ok: true, value: 1200 });
    expect(parseDecimalString('12.5')).toEqual({ ok: true, value: 1250 });
    expect(parseDecimalString('12,50').ok).toBe(false);
    expect(parseDecimalString('12.345').ok).toBe(false);
  });
});
