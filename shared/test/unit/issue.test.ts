import { describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/fiscal/record';
import { unwrap } from '../../src/result';
import { priceTicket, returnLinesFor, settle, type Payment } from '../../src/ticket';
import { issueTicketDocument, type IssueTicketInput } from '../../src/wire/issue';
import { VerifiedTicketDocumentSchema } from '../../src/wire/ticket';

const issuer = { terminalId: 'T1', storeId: 'S1', installation: 'M001-01', companyNif: 'B12345674', timezone: 'Europe/Madrid' };
const ID1 = '019a9f2c-0000-7000-8000-000000000001';
const ID2 = '019a9f2c-0000-7000-8000-000000000002';

function base(over: Partial<IssueTicketInput>): IssueTicketInput {
  // 2 × 1,25 € at 10 % + 0,750 kg × 5,05 €/kg = 3,7875 → 3,79 € at 4 %: total 6,29 €
  const priced = unwrap(
    priceTicket({
      kind: 'sale',
      lines: [
        { id: 'a', productId: 'P1', description: 'Yogur', taxRate: 1000, unitPrice: 125, quantity: { kind: 'units', units: 2 } },
        { id: 'b', productId: 'P2', description: 'Manzana', taxRate: 400, unitPrice: 505, quantity: { kind: 'weight', grams: 750 } },
      ],
    }),
  );
  const payments: Payment[] = [{ method: 'cash', amount: 1000 }];
  return {
    id: ID1, seq: 1, kind: 'sale', series: 'M00101-26T', number: 1, issuedAtMs: Date.UTC(2026, 10, 23, 9, 0, 0),
    local: { timestamp: '2026-11-23T10:00:00+01:00', date: '23-11-2026' }, issuer, cashier: { id: 'E1', name: 'Lucía' },
    priced, payments, change: unwrap(settle(priced.totals.total, payments)).change, sessionId: 'SES1', previousHash: null, ...over,
  };
}

describe('issueTicketDocument', () => {
  it('issues a sale whose document verifies and whose F2 record opens the chain', () => {
    const doc = unwrap(issueTicketDocument(base({})));
    expect(doc.totals.total).toBe(629);
    expect(doc.change).toBe(371);
    expect(doc.fiscalNumber).toBe('M00101-26T/000001');
    expect(doc.fiscal).toMatchObject({ invoiceType: 'F2', invoiceNumber: 'M00101-26T/000001', grandTotal: '6.29', previousHash: '', issueDate: '23-11-2026' });
    expect(VerifiedTicketDocumentSchema.safeParse(doc).success).toBe(true);
  });

  it('chains a credit note (R5) to the sale it rectifies, and leaves out a NIF that is not one', () => {
    const sale = unwrap(issueTicketDocument(base({ customer: { id: 'C1', nif: 'not-a-nif', name: 'Ana', reRegime: false } })));
    expect(sale.customer).toEqual({ id: 'C1', name: 'Ana', reRegime: false });
    const saleInput = base({});
    const lines = unwrap(returnLinesFor(sale.id, saleInput.priced.lines, [], [{ lineId: 'a', quantity: { kind: 'units', units: 1 } }]));
    const priced = unwrap(priceTicket({ kind: 'return', lines }));
    const refund: Payment[] = [{ method: 'cash', amount: priced.totals.total }];
    const ret = unwrap(
      issueTicketDocument(
        base({
          id: ID2, seq: 2, kind: 'return', series: 'M00101-26R', number: 1, priced, payments: refund, change: 0,
          original: { id: sale.id, fiscalNumber: sale.fiscalNumber, issueDate: sale.fiscal.issueDate }, previousHash: sale.fiscal.hash,
        }),
      ),
    );
    expect(ret.totals.total).toBe(-125);
    expect(ret.fiscal).toMatchObject({ invoiceType: 'R5', grandTotal: '-1.25', rectified: { invoiceNumber: 'M00101-26T/000001', issueDate: '23-11-2026' } });
    expect(ret.originalTicket).toEqual({ id: sale.id, fiscalNumber: 'M00101-26T/000001' });
    expect(verifyChain([sale.fiscal, ret.fiscal]).ok).toBe(true);
    expect(VerifiedTicketDocumentSchema.safeParse(ret).success).toBe(true);
  });
});
