import { describe, expect, it } from 'vitest';
import { fiscalNumber, parseFiscalNumber, seriesFor } from '../../src/fiscal/series';
import { unwrap } from '../../src/result';

describe('seriesFor', () => {
  it.each([
    [{ storeCode: 'M001', terminalCode: '01', year: 2026, kind: 'sale' }, 'M00101-26T'],
    [{ storeCode: 'M001', terminalCode: '01', year: 2026, kind: 'return' }, 'M00101-26R'],
    [{ storeCode: 'B', terminalCode: 'A9', year: 2000, kind: 'sale' }, 'BA9-00T'],
    [{ storeCode: 'STORE123', terminalCode: '99', year: 2099, kind: 'return' }, 'STORE12399-99R'],
  ] as const)('%j → %s', (input, series) => {
    expect(unwrap(seriesFor(input))).toBe(series);
    expect(series.length).toBeLessThanOrEqual(20);
  });

  it.each([
    [{ storeCode: '', terminalCode: '01', year: 2026, kind: 'sale' }],
    [{ storeCode: 'm001', terminalCode: '01', year: 2026, kind: 'sale' }],
    [{ storeCode: 'STORE1234', terminalCode: '01', year: 2026, kind: 'sale' }],
    [{ storeCode: 'M001', terminalCode: '1', year: 2026, kind: 'sale' }],
    [{ storeCode: 'M001', terminalCode: '001', year: 2026, kind: 'sale' }],
    [{ storeCode: 'M001', terminalCode: '01', year: 1999, kind: 'sale' }],
    [{ storeCode: 'M001', terminalCode: '01', year: 2100, kind: 'sale' }],
    [{ storeCode: 'M-01', terminalCode: '01', year: 2026, kind: 'sale' }],
  ] as const)('rejects %j', (input) => {
    const r = seriesFor(input);
    expect(r.ok ? null : r.error.code).toBe('SERIES_INPUT_INVALID');
  });
});

describe('fiscalNumber / parseFiscalNumber', () => {
  it.each([
    [1, 'M00101-26T/000001'],
    [123, 'M00101-26T/000123'],
    [999999, 'M00101-26T/999999'],
    [1000000, 'M00101-26T/1000000'],
  ])('%i → %s and back', (n, text) => {
    expect(fiscalNumber('M00101-26T', n)).toBe(text);
    expect(unwrap(parseFiscalNumber(text))).toEqual({
      series: 'M00101-26T',
      storeCode: 'M001',
      terminalCode: '01',
      year: 2026,
      kind: 'sale',
      number: n,
    });
  });

  it('parses a return with a short store code and trims scanner whitespace', () => {
    expect(unwrap(parseFiscalNumber(' BA9-00R/000042\r\n'))).toEqual({
      series: 'BA9-00R',
      storeCode: 'B',
      terminalCode: 'A9',
      year: 2000,
      kind: 'return',
      number: 42,
    });
  });

  it('throws for a sequence out of range (a bug)', () => {
    expect(() => fiscalNumber('M00101-26T', 0)).toThrow(RangeError);
    expect(() => fiscalNumber('M00101-26T', 1.5)).toThrow(RangeError);
    expect(() => fiscalNumber('M00101-26T', 1_000_000_000)).toThrow(RangeError);
  });

  it.each([
    '',
    'M00101-26T/12345',
    'M00101-26T/000000',
    'M00101-26T/0000001',
    'M00101-26X/000001',
    'M00101-2026T/000001',
    'M00101-26T-000001',
    'm00101-26t/000001',
    '01-26T/000001',
    'M00101-26T/000001/1',
    'M00101-26T/0000000001',
  ])('rejects %j', (text) => {
    const r = parseFiscalNumber(text);
    expect(r.ok ? null : r.error.code).toBe('FISCAL_NUMBER_MALFORMED');
  });
});
