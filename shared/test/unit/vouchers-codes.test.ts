/** Gift-voucher codes and policy (pure): check char, typing slips caught, terminal prefixes, offline allowance, validity. */
import { describe, expect, it } from 'vitest';
import { checkChar, CODE_ALPHABET, isValidCode, newVoucherCode, normalizeCode, terminalPrefix } from '../../src/vouchers/codes';
import { addMonths, offlineAllowance } from '../../src/vouchers/policy';

const fixed = (k: number) => Uint8Array.from({ length: k }, (_, i) => i * 5 + 3);

describe('voucher codes', () => {
  it('makes codes of prefix + 12 chars + check char that validate', () => {
    const c = newVoucherCode('M00101', fixed);
    expect(c).toMatch(/^M00101[0-9A-HJKMNP-TV-Z]{13}$/);
    expect(isValidCode(c)).toBe(true);
    expect(c.slice(-1)).toBe(checkChar(c.slice(0, -1)));
  });
  it('catches every single-char slip and every swap of neighbours', () => {
    const c = newVoucherCode('V00101', fixed);
    for (let i = 0; i < c.length; i++) {
      for (const ch of CODE_ALPHABET) if (ch !== c[i]) expect(isValidCode(c.slice(0, i) + ch + c.slice(i + 1))).toBe(false);
      if (i + 1 < c.length && c[i] !== c[i + 1]) expect(isValidCode(c.slice(0, i) + c[i + 1] + c[i] + c.slice(i + 2))).toBe(false);
    }
  });
  it('reads what a cashier types: lower case, spaces, dashes, O for 0, I/L for 1', () => {
    const c = newVoucherCode('M00101', fixed);
    const typed = c.toLowerCase().replace(/0/g, 'o').replace(/(.{4})/g, '$1-');
    expect(normalizeCode(typed)).toBe(c);
    expect(isValidCode(typed)).toBe(true);
    expect(isValidCode('ABC')).toBe(false);
  });
  it('prefixes differ per terminal (offline tills never collide)', () => {
    expect(terminalPrefix('M001', '01')).toBe('M00101');
    expect(terminalPrefix('M001', '02')).not.toBe(terminalPrefix('M001', '01'));
  });
});

describe('voucher policy', () => {
  it.each([
    [0, 5000],
    [4500, 500],
    [5000, 0],
    [6000, 0],
  ])('offline cap 50 €, %i already taken offline → %i left', (taken, left) => expect(offlineAllowance({ offlineCapCents: 5000 }, taken)).toBe(left));
  it('validity: months later, clamped to the month end', () => {
    expect(addMonths('2026-11-30T10:00:00.000Z', 24)).toBe('2028-11-30T10:00:00.000Z');
    expect(addMonths('2026-01-31T10:00:00.000Z', 1)).toBe('2026-02-28T10:00:00.000Z');
  });
});
