/**
 * What a cashier types or scans at the returns screen of any till (parseTicketQuery): a ticket id, the fiscal
 * number padded or as printed, or the AEAT QR URL printed on the receipt — the same parser at the till and HQ.
 */
import { describe, expect, it } from 'vitest';
import { buildFiscalQrUrl } from '../../src/fiscal/qr';
import { parseTicketQuery } from '../../src/wire/ticket-lookup';

const qr = (invoiceNumber: string) =>
  buildFiscalQrUrl({ environment: 'test', nif: 'B12345678', invoiceNumber, issueDate: '30-11-2026', totalCents: 24140 });

describe('parseTicketQuery', () => {
  it.each([
    ['0194f3a2-7c1e-7d2a-9b3c-4d5e6f708192', { id: '0194f3a2-7c1e-7d2a-9b3c-4d5e6f708192' }],
    ['0194F3A2-7C1E-7D2A-9B3C-4D5E6F708192', { id: '0194f3a2-7c1e-7d2a-9b3c-4d5e6f708192' }],
    ['M00101-26T/000123', { series: 'M00101-26T', number: 123 }],
    ['  M00101-26T/123 ', { series: 'M00101-26T', number: 123 }],
    ['M00102-26R/7', { series: 'M00102-26R', number: 7 }],
    [qr('M00101-26T/000123'), { series: 'M00101-26T', number: 123 }],
    // The QR percent-encodes the slash; a scanner may also hand it over unencoded.
    ['https://prewww2.aeat.es/wlpl/TIKE-CONT/ValidarQR?nif=B12345678&numserie=M00101-26T/45&fecha=30-11-2026&importe=1.00', { series: 'M00101-26T', number: 45 }],
  ])('%s designates %j', (q, want) => {
    expect(parseTicketQuery(q)).toEqual(want);
  });

  it.each([
    ['M00101-26T/000000', 'number 0 is never issued'],
    ['M00101-26X/12', 'neither T nor R series'],
    ['hello', 'free text'],
    ['https://example.test/ValidarQR?nif=B12345678&fecha=30-11-2026', 'a QR URL without numserie'],
    ['https://example.test/ValidarQR?numserie=%E0%A4%A', 'a malformed percent-encoding'],
    [`${qr('M00101-26T/000123')}&x=${'a'.repeat(500)}`, 'longer than 500 characters'],
  ])('%s designates nothing (%s)', (q) => {
    expect(parseTicketQuery(q)).toBeNull();
  });
});
