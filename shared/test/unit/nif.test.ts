import { describe, expect, it } from 'vitest';
import { companyNifControl, validateNif } from '../../src/nif';

describe('Spanish NIF validation', () => {
  // DNI letter = TRWAGMYFPDXBNJZSQVHLCKE[n mod 23]: 12345678 mod 23 = 14 → Z; 00000000 → T; 99999999 mod 23 = 1 → R
  // NIE: X→0, Y→1, Z→2; X1234567 → 01234567 mod 23 = 19 → L; Y0000000 → 10000000 mod 23 = 14 (23 × 434782 = 9999986) → Z
  // Company: B1234567 → odd positions 1,3,5,7 doubled 2,6,10,14 → digit sums 2+6+1+5 = 14; even 2+4+6 = 12;
  //   total 26 → control (10 − 6) mod 10 = 4 → B12345674. Q2826000 (the AEAT's own NIF, Q2826000H) → odd positions 2,2,0,0 doubled 4,4,0,0 = 8;
  //   even 8+6+0 = 14; total 22 → control 8 → letter JABCDEFGHI[8] = H
  it.each([
    ['12345678Z', 'dni'],
    ['00000000T', 'dni'],
    ['99999999R', 'dni'],
    ['12.345.678-z', 'dni'],
    ['X1234567L', 'nie'],
    ['Y0000000Z', 'nie'],
    ['B12345674', 'company'],
    ['Q2826000H', 'company'],
  ])('%s is a valid %s', (text, kind) => {
    const r = validateNif(text);
    expect(r.ok && r.value.kind).toBe(kind);
  });

  it.each([
    ['12345678A', 'NIF_CONTROL'],
    ['X1234567T', 'NIF_CONTROL'],
    ['B12345675', 'NIF_CONTROL'],
    ['Q28260008', 'NIF_CONTROL'], // Q requires a letter
    ['A1234567D', 'NIF_CONTROL'], // A requires a digit
    ['1234567Z', 'NIF_MALFORMED'],
    ['', 'NIF_MALFORMED'],
    ['I1234567A', 'NIF_MALFORMED'],
  ])('%s is refused with %s', (text, code) => {
    const r = validateNif(text);
    expect(r.ok ? null : r.error.code).toBe(code);
  });

  it('computes company control values', () => {
    expect(companyNifControl('1234567')).toBe(4);
    expect(companyNifControl('2826000')).toBe(8);
    expect(companyNifControl('0000000')).toBe(0);
  });
});
