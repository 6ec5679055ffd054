/** Pure rules of issue 19: dates of the promotion and of the gift receipt's exchange, gift codes, e-receipt tokens, where the design goes. */
import { describe, expect, it } from 'vitest';
import { buildSaleReceipt } from '../../src/receipt';
import { addDays, applyReceiptDesign, promoActive, type ReceiptDesignData } from '../../src/receipts/design';
import { eReceiptStoreKey, eReceiptToken, eReceiptTokenValid, parseEReceiptToken } from '../../src/receipts/e-receipt';
import { exchangeUntil, giftCode, parseGiftCode } from '../../src/receipts/gift';

const ID = '01937a2b-0000-7000-8000-00000000abcd';

describe('receipt design rules', () => {
  it.each([
    // day, days, expected (month and year ends, leap year 2028)
    ['2026-11-30', 1, '2026-12-01'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2026-11-30', 30, '2026-12-30'],
  ] as const)('addDays(%s, %i) = %s', (day, n, want) => expect(addDays(day, n)).toBe(want));

  it.each([
    ['2026-11-30', false], ['2026-12-01', true], ['2026-12-31', true], ['2027-01-01', false],
  ] as const)('a promotion 1–31 Dec shows on %s: %s', (day, want) => expect(promoActive({ text: 'x', from: '2026-12-01', to: '2026-12-31' }, day)).toBe(want));

  it('gift codes: made from the ticket id, read back (any case, spaces), anything else is not one', () => {
    expect(giftCode(ID.toUpperCase())).toBe(`REGALO-${ID}`);
    expect(parseGiftCode(` regalo-${ID.toUpperCase()} `)).toBe(ID);
    for (const s of [ID, `REGALO-${ID}x`, 'REGALO-', `GIFT-${ID}`]) expect(parseGiftCode(s)).toBeNull();
    // The local day of the sale counts, not UTC: 23:30 in Madrid on the 30th is the 30th.
    expect(exchangeUntil('2026-11-30T23:30:00+01:00', 15)).toBe('2026-12-15');
  });

  it('e-receipt tokens verify under their store key only; a changed character fails', () => {
    const key = eReceiptStoreKey(new Uint8Array(32).fill(1), 'store-1');
    const other = eReceiptStoreKey(new Uint8Array(32).fill(1), 'store-2');
    const token = eReceiptToken(key, ID);
    expect(parseEReceiptToken(token)).toEqual({ ticketId: ID, signature: token.slice(-22) });
    expect(eReceiptTokenValid(key, token)).toBe(true);
    expect(eReceiptTokenValid(other, token)).toBe(false);
    expect(eReceiptTokenValid(key, `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).toBe(false);
  });

  it('puts the logo first, header lines after the store header, footer/policy/promo before the cut; not policy or promo on a Z report', () => {
    const doc = buildSaleReceipt({
      kind: 'sale', store: { tradeName: 'T', legalName: 'L', nif: 'B12345674', addressLines: [] }, fiscalNumber: 'A-26T/1', issuedAt: '2026-12-05T10:00:00+01:00',
      cashier: 'Ana', lines: [], taxes: [], total: 0, payments: [], change: 0, barcode: false,
    });
    const design: ReceiptDesignData = {
      storeId: 's', companyId: 'c', revision: '1.0', publishedAt: 'x', logo: { id: 'aaaaaaaa', p384: { widthDots: 8, heightDots: 1, bits: 'gA==' }, p576: { widthDots: 16, heightDots: 1, bits: '//8=' } },
      headerLines: ['H'], footerLines: ['F'], returnPolicy: 'P', exchangeDays: 30, giftRefund: 'voucher', promo: { text: 'PROMO', from: '2026-12-01', to: '2026-12-31' },
    };
    const kinds = (purpose: 'sale' | 'other') => applyReceiptDesign(doc, design, { columns: 48, today: '2026-12-05', purpose }).blocks.map((b) => (b.kind === 'text' ? b.text : b.kind === 'logo' ? `logo ${b.widthDots}` : b.kind));
    const sale = kinds('sale');
    expect(sale[0]).toBe('logo 16');
    expect(sale.indexOf('H')).toBe(sale.indexOf('NIF: B12345674') + 1);
    expect(sale.slice(-8)).toEqual(['separator', 'F', 'separator', 'P', 'separator', 'PROMO', 'feed', 'cut']);
    const z = kinds('other');
    expect(z).toContain('F');
    expect(z).not.toContain('P');
    expect(z).not.toContain('PROMO');
  });
});
