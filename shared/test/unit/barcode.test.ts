import { describe, expect, it } from 'vitest';
import {
  classifyBarcode,
  gs1CheckDigit,
  isValidEan13,
  isValidEan8,
  isValidUpcA,
  makeEan13,
  makeEan8,
  makeVariableMeasureBarcode,
  parseScan,
  priceCheckDigit,
  validateTemplate,
  type VariableMeasureTemplate,
} from '../../src/barcode';
import { unwrap } from '../../src/result';

// Check digits worked by hand (weights 3,1,3,… from the rightmost data digit), e.g. 400638133393:
// 4+0+0+18+3+24+1+9+3+9+9+9 = 89 → 1.
describe('GS1 mod-10 check digits', () => {
  it.each([
    ['400638133393', 1], // EAN-13
    ['841234567890', 5], // EAN-13, Spanish prefix 84
    ['9638507', 4], // EAN-8
    ['03600024145', 7], // UPC-A
    ['01234567890', 5], // UPC-A
    ['1001234567890', 2], // GTIN-14
    ['211234501234', 6], // in-store weight code
    ['000000000000', 0],
  ])('%s → %i', (data, check) => {
    expect(gs1CheckDigit(data)).toBe(check);
  });

  it('validates by symbology length', () => {
    expect(isValidEan13('4006381333931')).toBe(true);
    expect(isValidEan13('4006381333932')).toBe(false);
    expect(isValidEan13('96385074')).toBe(false);
    expect(isValidEan8('96385074')).toBe(true);
    expect(isValidEan8('96385075')).toBe(false);
    expect(isValidUpcA('036000241457')).toBe(true);
    expect(isValidUpcA('036000241458')).toBe(false);
  });

  it('makes EAN-13 and EAN-8', () => {
    expect(makeEan13('841234567890')).toBe('8412345678905');
    expect(makeEan13('400638133393')).toBe('4006381333931');
    expect(makeEan8('9638507')).toBe('96385074');
    expect(() => makeEan13('84123456789')).toThrow(RangeError);
    expect(() => makeEan13('84123456789X')).toThrow(RangeError);
  });
});

describe('classifyBarcode', () => {
  it.each([
    ['4006381333931', 'EAN13', '4006381333931'],
    ['8412345678905\r\n', 'EAN13', '8412345678905'],
    ['96385074', 'EAN8', '96385074'],
    ['036000241457', 'UPCA', '0036000241457'],
    ['0036000241457', 'EAN13', '0036000241457'], // same product as the UPC-A above
    ['10012345678902', 'GTIN14', '10012345678902'],
    ['M00101-26T/000123', 'CODE128', 'M00101-26T/000123'],
    ['ABC 12', 'CODE128', 'ABC 12'],
    [']E04006381333931', 'EAN13', '4006381333931'],
    [']E0036000241457', 'UPCA', '0036000241457'],
    [']E496385074', 'EAN8', '96385074'],
    [']C012345', 'CODE128', '12345'],
    [']C1M00101-26T/000123', 'CODE128', 'M00101-26T/000123'],
  ])('%j → %s %s', (text, symbology, normalized) => {
    expect(classifyBarcode(text)).toEqual({ ok: true, value: { symbology, normalized } });
  });

  it.each([
    ['', 'BARCODE_EMPTY'],
    ['  \r\n', 'BARCODE_EMPTY'],
    [']E0', 'BARCODE_EMPTY'],
    ['4006381333932', 'BARCODE_CHECK_DIGIT'],
    ['96385075', 'BARCODE_CHECK_DIGIT'],
    ['036000241458', 'BARCODE_CHECK_DIGIT'],
    ['10012345678903', 'BARCODE_CHECK_DIGIT'],
    ['12345', 'BARCODE_MALFORMED'], // no numeric symbology has 5 digits
    ['40063813339311', 'BARCODE_CHECK_DIGIT'], // 14 digits → GTIN-14, wrong check
    ['400638133393112', 'BARCODE_MALFORMED'],
    ['Ñandú', 'BARCODE_MALFORMED'],
    ['AB\tC', 'BARCODE_MALFORMED'],
    [']E0400638133393X', 'BARCODE_MALFORMED'],
    [']E0400638133', 'BARCODE_MALFORMED'],
  ])('%j → %s', (text, code) => {
    const r = classifyBarcode(text);
    expect(r.ok ? null : r.error.code).toBe(code);
  });

  it('reports the expected check digit', () => {
    const r = classifyBarcode('4006381333932');
    expect(r.ok ? null : r.error.details).toMatchObject({ expected: 1, actual: 2, symbology: 'EAN13' });
  });

  it('honours a symbology hint from the driver', () => {
    expect(unwrap(classifyBarcode('12345', { symbology: 'CODE128' }))).toEqual({ symbology: 'CODE128', normalized: '12345' });
    const wrongLength = classifyBarcode('96385074', { symbology: 'EAN13' });
    expect(wrongLength.ok ? null : wrongLength.error.code).toBe('BARCODE_MALFORMED');
    const letters = classifyBarcode('40063813339A1', { symbology: 'EAN13' });
    expect(letters.ok ? null : letters.error.code).toBe('BARCODE_MALFORMED');
    expect(unwrap(classifyBarcode('036000241457', { symbology: 'UPCA' })).normalized).toBe('0036000241457');
  });
});

// Price/weight check digits worked by hand with the GS1 tables (§7.9.3):
//   2-: 0 2 4 6 8 9 1 3 5 7   3: 0 3 6 9 2 5 8 1 4 7   5+: 0 5 1 6 2 7 3 8 4 9   5-: 0 5 9 4 8 3 7 2 6 1
// 4 digits, weights 2-,2-,3,5-, check = units of 3×sum:
//   2875: 4+5+1+3 = 13 → 39 → 9 (GS1's own example)    1234: 2+4+9+8 = 23 → 69 → 9
//   9999: 7+7+7+1 = 22 → 66 → 6                          0000 → 0
// 5 digits, weights 5+,2-,5-,5+,2-, r = 10 − sum mod 10, check = digit whose 5- product is r:
//   14685: 5+8+7+4+9 = 33 → r 7 → 6 (GS1's own example)  12345: 5+4+4+2+9 = 24 → r 6 → 8
//   00100: 5 → r 5 → 1                                     00000 → 0
describe('priceCheckDigit', () => {
  it.each([
    ['2875', 9],
    ['1234', 9],
    ['9999', 6],
    ['0000', 0],
    ['14685', 6],
    ['12345', 8],
    ['00100', 1],
    ['00000', 0],
  ])('%s → %i', (value, check) => {
    expect(priceCheckDigit(value)).toBe(check);
  });

  it('throws on other lengths', () => {
    expect(() => priceCheckDigit('123')).toThrow(RangeError);
    expect(() => priceCheckDigit('123456')).toThrow(RangeError);
  });
});

const WEIGHT: VariableMeasureTemplate = { prefix: '21', kind: 'weight', itemDigits: 5, valueDigits: 5, valueCheckDigit: false };
const PRICE: VariableMeasureTemplate = { prefix: '22', kind: 'price', itemDigits: 5, valueDigits: 5, valueCheckDigit: false };
const PRICE_CHECKED4: VariableMeasureTemplate = { prefix: '23', kind: 'price', itemDigits: 5, valueDigits: 4, valueCheckDigit: true };
const WEIGHT_CHECKED5: VariableMeasureTemplate = { prefix: '24', kind: 'weight', itemDigits: 4, valueDigits: 5, valueCheckDigit: true };
const TEMPLATES = [WEIGHT, PRICE, PRICE_CHECKED4, WEIGHT_CHECKED5];

describe('parseScan', () => {
  it.each([
    // 21|12345|01234|6: 1.234 kg of item 12345 (EAN sum 54 → 6).
    ['2112345012346', { kind: 'weight', itemCode: '12345', grams: 1234, prefix: '21', barcode: '2112345012346' }],
    // 22|00042|00250|7: 2.50 € of item 00042 (EAN sum 33 → 7).
    ['2200042002507', { kind: 'price', itemCode: '00042', cents: 250, prefix: '22', barcode: '2200042002507' }],
    // 23|12345|9|2875|7: 28.75 € with price check digit 9 (EAN sum 113 → 7).
    ['2312345928757', { kind: 'price', itemCode: '12345', cents: 2875, prefix: '23', barcode: '2312345928757' }],
    // 24|0001|6|14685|9: 14.685 kg with check digit 6 (EAN sum 71 → 9).
    ['2400016146859', { kind: 'weight', itemCode: '0001', grams: 14685, prefix: '24', barcode: '2400016146859' }],
    // Plain codes, including an in-store prefix with no template.
    ['4006381333931', { kind: 'plain', code: '4006381333931', symbology: 'EAN13' }],
    ['036000241457', { kind: 'plain', code: '0036000241457', symbology: 'UPCA' }],
    ['96385074', { kind: 'plain', code: '96385074', symbology: 'EAN8' }],
    [makeEan13('200000000017'), { kind: 'plain', code: '2000000000176', symbology: 'EAN13' }],
    ['M00101-26T/000123', { kind: 'plain', code: 'M00101-26T/000123', symbology: 'CODE128' }],
  ])('%s', (text, expected) => {
    expect(unwrap(parseScan(text, TEMPLATES))).toEqual(expected);
  });

  it('rejects a wrong price check digit even when the EAN check digit is right', () => {
    // 23|12345|8|2875|0: EAN sum 110 → 0 is valid, but 2875's price check digit is 9.
    const r = parseScan('2312345828750', TEMPLATES);
    expect(r.ok ? null : [r.error.code, r.error.details?.expected, r.error.details?.actual]).toEqual(['BARCODE_CHECK_DIGIT', 9, 8]);
  });

  it.each([
    ['', 'BARCODE_EMPTY'],
    ['2112345012347', 'BARCODE_CHECK_DIGIT'],
    ['21123450123', 'BARCODE_MALFORMED'],
  ])('%j → %s', (text, code) => {
    const r = parseScan(text, TEMPLATES);
    expect(r.ok ? null : r.error.code).toBe(code);
  });

  it('prefers the longest matching prefix', () => {
    const broad: VariableMeasureTemplate = { prefix: '2', kind: 'price', itemDigits: 6, valueDigits: 5, valueCheckDigit: false };
    expect(unwrap(parseScan('2112345012346', [broad, WEIGHT]))).toMatchObject({ kind: 'weight', itemCode: '12345' });
    expect(unwrap(parseScan('2112345012346', [broad]))).toMatchObject({ kind: 'price', itemCode: '112345', cents: 1234 });
  });

  it('treats everything as plain without templates', () => {
    expect(unwrap(parseScan('2112345012346', []))).toEqual({ kind: 'plain', code: '2112345012346', symbology: 'EAN13' });
  });
});

describe('makeVariableMeasureBarcode', () => {
  it.each([
    [WEIGHT, '12345', 1234, '2112345012346'],
    [PRICE, '42', 250, '2200042002507'],
    [PRICE_CHECKED4, '12345', 2875, '2312345928757'],
    [WEIGHT_CHECKED5, '1', 14685, '2400016146859'],
  ])('%j item %s value %i → %s', (template, item, value, code) => {
    expect(unwrap(makeVariableMeasureBarcode(template, item, value))).toBe(code);
  });

  it('round-trips through parseScan', () => {
    for (const template of TEMPLATES) {
      const max = 10 ** template.valueDigits - 1;
      for (const value of [0, 1, 9, 10, 99, 1234, 5000, max]) {
        const code = unwrap(makeVariableMeasureBarcode(template, '7', value));
        const scan = unwrap(parseScan(code, TEMPLATES));
        expect(scan).toMatchObject({ kind: template.kind, itemCode: '7'.padStart(template.itemDigits, '0') });
        expect(scan.kind === 'weight' ? scan.grams : scan.kind === 'price' ? scan.cents : null).toBe(value);
      }
    }
  });

  it.each([
    [WEIGHT, '123456', 1, 'BARCODE_MALFORMED'],
    [WEIGHT, '12a', 1, 'BARCODE_MALFORMED'],
    [WEIGHT, '1', 100000, 'BARCODE_MALFORMED'],
    [WEIGHT, '1', -1, 'BARCODE_MALFORMED'],
    [WEIGHT, '1', 1.5, 'BARCODE_MALFORMED'],
    [PRICE_CHECKED4, '1', 10000, 'BARCODE_MALFORMED'],
    [{ ...WEIGHT, itemDigits: 6 }, '1', 1, 'BARCODE_TEMPLATE_INVALID'],
    [{ ...WEIGHT, prefix: '31' }, '1', 1, 'BARCODE_TEMPLATE_INVALID'],
    [{ ...WEIGHT, valueCheckDigit: true }, '1', 1, 'BARCODE_TEMPLATE_INVALID'],
    [{ ...WEIGHT, itemDigits: 2, valueDigits: 3, valueCheckDigit: true, prefix: '2' }, '1', 1, 'BARCODE_TEMPLATE_INVALID'],
  ] as const)('%j item %s value %s → %s', (template, item, value, code) => {
    const r = makeVariableMeasureBarcode(template, item, value);
    expect(r.ok ? null : r.error.code).toBe(code);
  });

  it('validateTemplate accepts the usual layouts', () => {
    for (const t of TEMPLATES) expect(validateTemplate(t).ok).toBe(true);
  });
});
