import vectors from '../../../../shared/fixtures/verifactu-vectors.json';
import { describe, expect, it } from 'vitest';
import { AEAT_QR_BASE_URLS, buildFiscalQrUrl, formatQrAmount } from '../../src/fiscal/qr';

// Imported as JSON: the lint fence (no Node built-ins) covers all of shared/, tests included.
const fixture: { qr: { example: string; production_base: string; non_verifactu_base: string } } = vectors;

describe('AEAT ValidarQR URL', () => {
  it('reproduces the fixture example exactly (minimal amount format)', () => {
    const url = buildFiscalQrUrl({
      environment: 'test',
      nif: '89890001K',
      invoiceNumber: '12345678&G33',
      issueDate: '01-01-2024',
      totalCents: 24140,
      amountFormat: 'minimal',
    });
    expect(url).toBe(fixture.qr.example);
    expect(url).toBe('https://prewww2.aeat.es/wlpl/TIKE-CONT/ValidarQR?nif=89890001K&numserie=12345678%26G33&fecha=01-01-2024&importe=241.4');
  });

  it('knows the fixture base URLs', () => {
    expect(AEAT_QR_BASE_URLS.production).toBe(fixture.qr.production_base);
    expect(AEAT_QR_BASE_URLS.productionNoVerifactu).toBe(fixture.qr.non_verifactu_base);
  });

  it('emits two decimals by default, for our receipts, and encodes the series slash', () => {
    const url = buildFiscalQrUrl({
      environment: 'production',
      nif: 'B12345674',
      invoiceNumber: 'M00101-26T/000123',
      issueDate: '02-03-2026',
      totalCents: 24140,
    });
    expect(url).toBe(
      'https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQR?nif=B12345674&numserie=M00101-26T%2F000123&fecha=02-03-2026&importe=241.40',
    );
  });

  it('stays pure ASCII with non-ASCII input', () => {
    const url = buildFiscalQrUrl({ environment: 'test', nif: 'B12345674', invoiceNumber: 'AÑO €/1', issueDate: '02-03-2026', totalCents: -5 });
    expect(url).toMatch(/^[\x21-\x7e]+$/);
    expect(url).toContain('numserie=A%C3%91O%20%E2%82%AC%2F1');
    expect(url).toContain('importe=-0.05');
  });

  it.each([
    [24140, 'fixed2', '241.40'],
    [24140, 'minimal', '241.4'],
    [24100, 'minimal', '241'],
    [10000, 'minimal', '100'],
    [0, 'minimal', '0'],
    [0, 'fixed2', '0.00'],
    [-5, 'minimal', '-0.05'],
    [-1050, 'minimal', '-10.5'],
    [12345, 'minimal', '123.45'],
  ] as const)('formatQrAmount(%i, %s) → %s', (cents, format, text) => {
    expect(formatQrAmount(cents, format)).toBe(text);
  });
});
