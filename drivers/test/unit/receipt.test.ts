import { describe, expect, it } from 'vitest';
import {
  buildCashMovementSlip,
  buildCashReport,
  buildSaleReceipt,
  documentLines,
  formatAmount,
  formatEuro,
  formatRate,
  formatWeight,
  markAsCopy,
  receiptToText,
  saleReceiptQrUrl,
  splitIsoLocal,
  taxTableLines,
  twoColumns,
  wrapText,
} from '@tpv/shared/receipt';
import { cashOut, ret, sale, SALE_QR_URL, xReport, zReport } from '../fixtures/receipts';

describe('formatting', () => {
  it.each([
    [0, '0,00'],
    [5, '0,05'],
    [-5, '-0,05'],
    [123456, '1.234,56'],
    [100000000, '1.000.000,00'],
    [-76500, '-765,00'],
  ])('formatAmount(%i) = %s', (c, s) => expect(formatAmount(c)).toBe(s));

  it('formatEuro appends the euro sign', () => expect(formatEuro(1735)).toBe('17,35 €'));

  it.each([
    [2100, '21%'],
    [1000, '10%'],
    [400, '4%'],
    [0, '0%'],
    [520, '5,2%'],
    [140, '1,4%'],
    [50, '0,5%'],
  ])('formatRate(%i) = %s', (bp, s) => expect(formatRate(bp)).toBe(s));

  it.each([
    [512, '0,512 kg'],
    [1500, '1,500 kg'],
    [5, '0,005 kg'],
  ])('formatWeight(%i) = %s', (g, s) => expect(formatWeight(g)).toBe(s));

  it('takes date and time as written, with no zone shift', () => {
    expect(splitIsoLocal('2026-01-02T23:59:07+01:00')).toEqual({ date: '02/01/2026', time: '23:59:07', aeatDate: '02-01-2026' });
  });
});

describe('layout', () => {
  it('wraps words and cuts long ones', () => {
    expect(wrapText('uno dos tres', 7)).toEqual(['uno dos', 'tres']);
    expect(wrapText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
  });

  it('puts two columns on one line, or wraps the left part', () => {
    expect(twoColumns('TOTAL', '17,35 €', 20)).toEqual(['TOTAL        17,35 €']);
    expect(twoColumns('Vino tinto Rioja crianza 75cl', '8,50', 20)).toEqual(['Vino tinto Rioja', 'crianza 75cl    8,50']);
    expect(twoColumns('Cajero:', 'Nombre larguísimo de cajera', 12)).toEqual(['Cajero:', '      Nombre', '  larguísimo', '   de cajera']);
  });

  it('lays out the IVA table in fixed columns', () => {
    expect(taxTableLines([{ kind: 'iva', rateBp: 2100, base: 731, cuota: 154 }, { kind: 're', rateBp: 520, base: 731, cuota: 38 }], 32)).toEqual([
      'Tipo             Base      Cuota',
      'IVA 21%          7,31       1,54',
      'RE 5,2%          7,31       0,38',
    ]);
  });

  it.each([32, 48] as const)('never exceeds %i columns', (columns) => {
    for (const doc of [buildSaleReceipt(sale), buildSaleReceipt(ret), buildCashReport(zReport), buildCashReport(xReport), buildCashMovementSlip(cashOut)]) {
      for (const l of documentLines(doc, columns)) expect(l.text.length).toBeLessThanOrEqual(columns / l.width);
    }
  });
});

describe('buildSaleReceipt', () => {
  const text48 = receiptToText(buildSaleReceipt(sale), 48);

  it('has the header, number, cashier, lines, IVA, total, payments and QR', () => {
    for (const s of [
      'Comercial Peñalver Núñez, S.L.',
      'NIF: B12345674',
      'C/ Mayor, 1',
      'FACTURA SIMPLIFICADA',
      'T01-2026/000123',
      '23/11/2026 10:15:30',
      'María Ibáñez',
      '  2 x 0,95 €',
      '  0,512 kg x 12,90 €/kg',
      'Dto. 10%',
      '-0,85',
      'IVA 4%',
      'IVA 21%',
      'Cambio',
      '2,65 €',
      'QR tributario:',
      'VERI*FACTU',
      'Gracias por su visita',
    ])
      expect(text48).toContain(s);
    expect(text48).toMatch(/^TOTAL +17,35 €$/m);
    expect(text48).toMatch(/^Efectivo +20,00 €$/m);
    expect(text48).toMatch(/^IVA 10% +6,00 +0,60$/m);
  });

  it('carries the AEAT ValidarQR URL, ASCII, error correction M, and a CODE128 of the fiscal number', () => {
    const doc = buildSaleReceipt(sale);
    expect(saleReceiptQrUrl(sale)).toBe(SALE_QR_URL);
    expect(doc.blocks).toContainEqual({ kind: 'qr', data: SALE_QR_URL, ecc: 'M', moduleSize: 4 });
    expect(doc.blocks).toContainEqual({ kind: 'barcode', symbology: 'CODE128', data: 'T01-2026/000123', height: 60 });
    expect(doc.blocks[doc.blocks.length - 1]).toEqual({ kind: 'cut' });
  });

  it('lays a return out as a factura rectificativa naming the original', () => {
    const t = receiptToText(buildSaleReceipt(ret), 32);
    expect(t).toContain('FACTURA RECTIFICATIVA');
    expect(t).toMatch(/^Rectifica a: +T01-2026\/000123$/m);
    expect(t).toMatch(/^TOTAL +-7,65 €$/m);
    expect(t).toContain('importe=-7.65');
  });

  it('marks a reprint as COPIA once', () => {
    const copy = markAsCopy(markAsCopy(buildSaleReceipt(sale)));
    expect(receiptToText(copy, 48).match(/\*\*\* COPIA \*\*\*/g)).toHaveLength(1);
  });
});

describe('cash reports and slips', () => {
  it('Z report has totals by rate with RE, payments and the count', () => {
    const t = receiptToText(buildCashReport(zReport), 48);
    expect(t).toContain('CIERRE Z');
    expect(t).toMatch(/^RE 5,2% +100,00 +5,20$/m);
    expect(t).toMatch(/^Descuadre +-0,50 €$/m);
    expect(t).toMatch(/^Tarjeta +778,56 €$/m);
  });

  it('X report says it does not close', () => {
    const t = receiptToText(buildCashReport(xReport), 32);
    expect(t).toContain('INFORME X');
    expect(t).not.toContain('Descuadre');
  });

  it('cash-out slip shows a negative amount and a signature line', () => {
    const t = receiptToText(buildCashMovementSlip(cashOut), 32);
    expect(t).toContain('SALIDA DE CAJA');
    expect(t).toMatch(/^Importe +-50,00 €$/m);
    expect(t).toContain('Firma:');
  });
});
