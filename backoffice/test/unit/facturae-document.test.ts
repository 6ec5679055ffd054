/**
 * The pure parts of the Facturae document: exact decimals, one-line Spanish addresses split at the postcode
 * (province from its first two digits), payment means, and a credit note's line arithmetic (TotalCost −
 * DiscountAmount = GrossAmount, to the cent), worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import { decimal, facturaeXml, parseSpanishAddress, paymentMeansOf, provinceOfPostcode, type FacturaeParty } from '../../src/invoicing/facturae/document';
import type { InvoiceView } from '../../src/invoicing/posting';

describe('Facturae document helpers', () => {
  it.each([
    [123456n, 2, '1234.56'],
    [-10600n, 2, '-106.00'],
    [5n, 2, '0.05'],
    [30875n, 3, '30.875'],
    [1000n, 3, '1.00'],
    [0n, 2, '0.00'],
  ])('decimal(%s, %s) = %s', (units, scale, text) => expect(decimal(units, scale)).toBe(text));

  it.each([
    ['Calle Mayor 5, 46001 Valencia', { street: 'Calle Mayor 5', postCode: '46001', town: 'Valencia', province: 'Valencia' }],
    ['Plaza de España 1, 08001 Barcelona (Barcelona)', { street: 'Plaza de España 1', postCode: '08001', town: 'Barcelona', province: 'Barcelona' }],
    ['Av. Marítima 3 35001 Las Palmas de Gran Canaria', { street: 'Av. Marítima 3', postCode: '35001', town: 'Las Palmas de Gran Canaria', province: 'Las Palmas' }],
  ])('splits "%s"', (text, parts) => expect(parseSpanishAddress(text)).toEqual({ ...parts, country: 'ES' }));

  it('refuses an address without a real postcode, and knows the provinces by prefix', () => {
    expect(parseSpanishAddress('Calle sin código, Madrid')).toBeUndefined();
    expect(parseSpanishAddress('Calle X, 99001 Nada')).toBeUndefined(); // 99: no province
    expect([provinceOfPostcode('01001'), provinceOfPostcode('28009'), provinceOfPostcode('52001'), provinceOfPostcode('53000')]).toEqual(['Álava', 'Madrid', 'Melilla', undefined]);
  });

  it.each([
    [null, '04'], ['transfer', '04'], ['Transferencia', '04'], ['cash', '01'], ['efectivo', '01'], ['direct_debit', '02'], ['Recibo SEPA', '02'], ['card', '19'],
  ])('payment method %s → PaymentMeans %s', (m, code) => expect(paymentMeansOf(m)).toBe(code));

  it('writes a credit note line whose TotalCost less its discount is its GrossAmount', () => {
    // −2,5 × 12,35 = −30,875 → TotalCost −30,88 (half up, away from zero); −10 % → −27,7875 → base −27,79;
    // DiscountAmount = −30,88 − (−27,79) = −3,09. IVA 10 % of −27,79 = −2,779 → −2,78; total −30,57.
    const seller: FacturaeParty = { taxId: 'B87654321', personType: 'J', name: 'Franquicia S.L.', address: { street: 'Calle de Alcalá 100', postCode: '28009', town: 'Madrid', province: 'Madrid', country: 'ES' } };
    const buyer: FacturaeParty = { taxId: 'DE123456789', personType: 'J', name: 'Kunde GmbH', address: { street: 'Hauptstraße 1', postCode: '10115', town: 'Berlin', province: 'Berlin', country: 'DE' } };
    const inv = {
      id: 'x', companyId: 'c', invoiceType: 'R1', number: 'FR-2026-000002', issueDate: '2026-11-30', operationDate: null, periodFrom: null, periodTo: null, language: 'es',
      irpfBp: 0, paymentMethod: null, description: null, baseCents: -2779, ivaCents: -278, reCents: 0, irpfCents: 0, totalCents: -3057,
      rectifies: { invoiceId: 'o', number: 'FV-2026-000009', issueDate: '2026-10-15', method: 'S', reason: 'Devolución' },
      lines: [{ lineNo: 1, description: 'Material', productId: null, storeId: null, sourceRef: null, quantityMilli: -2500, unitPriceCents: 1235, discountBp: 1000, ivaRateBp: 1000, reRateBp: 0, exemption: null, baseCents: -2779 }],
      taxes: [{ ivaRateBp: 1000, reRateBp: 0, exemption: null, baseCents: -2779, ivaCents: -278, reCents: 0 }],
      dues: [{ dueDate: '2026-11-30', amountCents: -3057 }],
    } as unknown as InvoiceView;
    const xml = facturaeXml(inv, seller, buyer);
    expect(xml).toContain('<Quantity>-2.50</Quantity><UnitOfMeasure>01</UnitOfMeasure><UnitPriceWithoutTax>12.35</UnitPriceWithoutTax><TotalCost>-30.88</TotalCost>');
    expect(xml).toContain('<DiscountRate>10.00</DiscountRate><DiscountAmount>-3.09</DiscountAmount></Discount></DiscountsAndRebates><GrossAmount>-27.79</GrossAmount>');
    expect(xml).toContain('<InvoiceTotal>-30.57</InvoiceTotal>');
    expect(xml).toContain('<CorrectionMethod>01</CorrectionMethod><CorrectionMethodDescription>Rectificación íntegra</CorrectionMethodDescription>');
    expect(xml).toContain('<TaxPeriod><StartDate>2026-10-01</StartDate><EndDate>2026-10-31</EndDate></TaxPeriod>');
    expect(xml).toContain('<ResidenceTypeCode>U</ResidenceTypeCode><TaxIdentificationNumber>DE123456789</TaxIdentificationNumber>');
    expect(xml).toContain('<OverseasAddress><Address>Hauptstraße 1</Address><PostCodeAndTown>10115 Berlin</PostCodeAndTown><Province>Berlin</Province><CountryCode>DEU</CountryCode></OverseasAddress>');
  });
});
