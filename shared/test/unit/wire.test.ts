import { describe, expect, it } from 'vitest';
import {
  ChangePageSchema,
  MasterDataChangeSchema,
  TerminalHelloSchema,
  TicketAckSchema,
  TicketBatchSchema,
} from '../../src/wire/sync';
import {
  TicketDocumentSchema,
  VerifiedTicketDocumentSchema,
  verifyTicketArithmetic,
  type ArithmeticMismatch,
  type TicketDocument,
} from '../../src/wire/ticket';

const ID1 = '01890a5d-ac96-774b-bcce-b302099a8057';
const ID2 = '01890a5d-ac96-7abc-8bce-b302099a8058';
const HASH_A = 'A'.repeat(64);
const HASH_B = '0123456789ABCDEF'.repeat(4);

// Sale: a 1 × 10,00 € @21 %; b 1 × 5,00 € @10 % −10 % (−0,50) = 4,50; c 1 × 3,33 € @4 %. Ticket −10 %:
// net 1783 → 178.3 → 178; shares by largest remainder over 1000/450/333: 100/45/33 (see ticket.test.ts).
// Line totals 900 / 405 / 300 = 1605. Rows: 900/1.21 = 743.8 → 744 (156); 405/1.1 = 368.2 → 368 (37);
// 300/1.04 = 288.5 → 288 (12). Tax 205. Paid card 10,00 + cash 7,00 = 1700 → change 95.
function saleDoc(): TicketDocument {
  return {
    id: ID1,
    terminalId: 'T01',
    storeId: 'S01',
    seq: 7,
    kind: 'sale',
    series: 'T01-2026',
    number: 42,
    fiscalNumber: 'T01-2026/000042',
    issuedAt: '2026-11-23T09:15:00+01:00',
    cashier: { id: 'E1', name: 'Ana' },
    lines: [
      { id: 'a', productId: 'P1', description: 'Camiseta', taxRate: 2100, unitPrice: 1000, quantity: { kind: 'units', units: 1 }, gross: 1000, lineDiscount: 0, ticketDiscountShare: 100, total: 900 },
      { id: 'b', productId: 'P2', description: 'Pan', taxRate: 1000, unitPrice: 500, quantity: { kind: 'units', units: 1 }, discount: { kind: 'percent', bp: 1000 }, gross: 500, lineDiscount: 50, ticketDiscountShare: 45, total: 405 },
      { id: 'c', productId: 'P3', description: 'Leche', taxRate: 400, unitPrice: 333, quantity: { kind: 'units', units: 1 }, gross: 333, lineDiscount: 0, ticketDiscountShare: 33, total: 300 },
    ],
    ticketDiscount: { kind: 'percent', bp: 1000 },
    totals: { subtotal: 1833, lineDiscounts: 50, ticketDiscount: 178, discountTotal: 228, total: 1605, taxTotal: 205 },
    taxBreakdown: [
      { rate: 2100, reRate: 0, gross: 900, base: 744, ivaCuota: 156, reCuota: 0 },
      { rate: 1000, reRate: 0, gross: 405, base: 368, ivaCuota: 37, reCuota: 0 },
      { rate: 400, reRate: 0, gross: 300, base: 288, ivaCuota: 12, reCuota: 0 },
    ],
    payments: [
      { method: 'card', amount: 1000, reference: 'AUTH-123' },
      { method: 'cash', amount: 700 },
    ],
    change: 95,
    sessionId: 'SES-1',
    fiscal: {
      kind: 'alta',
      installation: 'T01',
      issuerNif: 'B12345674',
      invoiceNumber: 'T01-2026/000042',
      issueDate: '23-11-2026',
      invoiceType: 'F2',
      taxTotal: '2.05',
      grandTotal: '16.05',
      previousHash: HASH_B,
      generatedAt: '2026-11-23T09:15:01+01:00',
      hash: HASH_A,
    },
  };
}

// Return of line a: −1 × 10,00 € @21 % → −1000; −1000/1.21 = −826.4 → −826, IVA −174. Refund to card.
function returnDoc(): TicketDocument {
  return {
    id: ID2,
    terminalId: 'T01',
    storeId: 'S01',
    seq: 8,
    kind: 'return',
    series: 'T01-R-2026',
    number: 1,
    fiscalNumber: 'T01-R-2026/000001',
    issuedAt: '2026-11-24T10:00:00+01:00',
    cashier: { id: 'E1', name: 'Ana' },
    customer: { id: 'C9', nif: '12345678Z', name: 'Luis', reRegime: false },
    lines: [
      { id: 'r1', productId: 'P1', description: 'Camiseta', taxRate: 2100, unitPrice: 1000, quantity: { kind: 'units', units: -1 }, returnOf: { ticketId: ID1, lineId: 'a' }, gross: -1000, lineDiscount: 0, ticketDiscountShare: 0, total: -1000 },
    ],
    totals: { subtotal: -1000, lineDiscounts: 0, ticketDiscount: 0, discountTotal: 0, total: -1000, taxTotal: -174 },
    taxBreakdown: [{ rate: 2100, reRate: 0, gross: -1000, base: -826, ivaCuota: -174, reCuota: 0 }],
    payments: [{ method: 'card', amount: -1000, reference: 'AUTH-124' }],
    change: 0,
    originalTicket: { id: ID1, fiscalNumber: 'T01-2026/000042' },
    sessionId: 'SES-2',
    fiscal: {
      kind: 'alta',
      installation: 'T01',
      issuerNif: 'B12345674',
      invoiceNumber: 'T01-R-2026/000001',
      issueDate: '24-11-2026',
      invoiceType: 'R5',
      taxTotal: '-1.74',
      grandTotal: '-10.00',
      previousHash: HASH_A,
      generatedAt: '2026-11-24T10:00:01+01:00',
      hash: HASH_B,
      rectified: { invoiceNumber: 'T01-2026/000042', issueDate: '23-11-2026' },
    },
  };
}

const mutate = (f: (d: Record<string, unknown> & TicketDocument) => void): unknown => {
  const d = JSON.parse(JSON.stringify(saleDoc())) as Record<string, unknown> & TicketDocument;
  f(d);
  return d;
};

describe('TicketDocumentSchema', () => {
  it('accepts a valid sale and a valid return', () => {
    expect(TicketDocumentSchema.safeParse(saleDoc()).success).toBe(true);
    expect(TicketDocumentSchema.safeParse(returnDoc()).success).toBe(true);
  });

  it.each<[string, unknown]>([
    ['float cents in a line total', mutate((d) => void ((d.lines[0] as { total: number }).total = 900.5))],
    ['float cents in totals', mutate((d) => void ((d.totals as { total: number }).total = 1605.0001))],
    ['float unit price', mutate((d) => void ((d.lines[0] as { unitPrice: number }).unitPrice = 9.99))],
    ['amount as string', mutate((d) => void ((d.totals as unknown as { total: string }).total = '1605'))],
    ['missing sessionId', mutate((d) => void delete (d as Record<string, unknown>).sessionId)],
    ['missing fiscal', mutate((d) => void delete (d as Record<string, unknown>).fiscal)],
    ['missing line total', mutate((d) => void delete (d.lines[0] as Partial<TicketDocument['lines'][0]>).total)],
    ['extra top-level field', mutate((d) => void (d.extra = 1))],
    ['extra field in a line', mutate((d) => void ((d.lines[0] as Record<string, unknown>).color = 'red'))],
    ['extra field in fiscal', mutate((d) => void ((d.fiscal as Record<string, unknown>).qr = 'x'))],
    ['uuid v4 id', mutate((d) => void (d.id = '550e8400-e29b-41d4-a716-446655440000'))],
    ['seq 0', mutate((d) => void (d.seq = 0))],
    ['fiscalNumber not series/number', mutate((d) => void (d.fiscalNumber = 'T01-2026/43'))],
    ['issuedAt without offset', mutate((d) => void (d.issuedAt = '2026-11-23T09:15:00'))],
    ['issuedAt on 30 February', mutate((d) => void (d.issuedAt = '2026-02-30T09:15:00+01:00'))],
    ['issuedAt at 24:00', mutate((d) => void (d.issuedAt = '2026-11-23T24:00:00+01:00'))],
    ['issuedAt in Z', mutate((d) => void (d.issuedAt = '2026-11-23T08:15:00Z'))],
    ['unknown tax rate', mutate((d) => void ((d.lines[0] as { taxRate: number }).taxRate = 700))],
    ['lowercase hash', mutate((d) => void ((d.fiscal as { hash: string }).hash = 'a'.repeat(64)))],
    ['issueDate in ISO', mutate((d) => void ((d.fiscal as { issueDate: string }).issueDate = '2026-11-23'))],
    ['taxTotal with 3 decimals', mutate((d) => void ((d.fiscal as { taxTotal: string }).taxTotal = '2.050'))],
    ['no lines', mutate((d) => void (d.lines = []))],
    ['negative change', mutate((d) => void (d.change = -1))],
    ['originalTicket on a sale', mutate((d) => void (d.originalTicket = { id: ID2, fiscalNumber: 'X/1' }))],
    ['series containing a slash', mutate((d) => Object.assign(d, { series: 'T01/2026', fiscalNumber: 'T01/2026/000042' }))],
    ['card payment without reference', mutate((d) => void (d.payments = [{ method: 'card', amount: 1605 } as never]))],
  ])('rejects: %s', (_name, doc) => {
    expect(TicketDocumentSchema.safeParse(doc).success).toBe(false);
  });
});

describe('verifyTicketArithmetic', () => {
  it('accepts documents whose amounts add up', () => {
    expect(verifyTicketArithmetic(saleDoc()).ok).toBe(true);
    expect(verifyTicketArithmetic(returnDoc()).ok).toBe(true);
    expect(VerifiedTicketDocumentSchema.safeParse(saleDoc()).success).toBe(true);
  });

  const mismatch = (doc: TicketDocument): ArithmeticMismatch[] => {
    const r = verifyTicketArithmetic(doc);
    expect(r.ok).toBe(false);
    if (r.ok) return [];
    expect(r.error.code).toBe('TICKET_ARITHMETIC_MISMATCH');
    return r.error.details?.['mismatches'] as ArithmeticMismatch[];
  };

  it.each<[string, (d: TicketDocument) => void, string[]]>([
    ['total off by a cent', (d) => void (d.totals.total = 1606), ['totals.total']],
    ['line share moved between lines', (d) => {
      d.lines[0]!.ticketDiscountShare = 101;
      d.lines[0]!.total = 899;
      d.lines[1]!.ticketDiscountShare = 44;
      d.lines[1]!.total = 406;
    }, ['lines.0.ticketDiscountShare', 'lines.0.total', 'lines.1.ticketDiscountShare', 'lines.1.total']], // re-pricing from the line inputs gives 100/45
    ['base rounded per line instead of per rate', (d) => void (d.taxBreakdown[0]!.base = 743), ['taxBreakdown.0.base']],
    ['a breakdown row missing', (d) => void d.taxBreakdown.pop(), ['taxBreakdown.length']],
    ['wrong change', (d) => void (d.change = 94), ['change']],
    ['fiscal grand total differs', (d) => void (d.fiscal.grandTotal = '16.04'), ['fiscal.grandTotal']],
    ['fiscal tax total differs', (d) => void (d.fiscal.taxTotal = '2.06'), ['fiscal.taxTotal']],
    ['fiscal invoice number differs', (d) => void (d.fiscal.invoiceNumber = 'T01-2026/41'), ['fiscal.invoiceNumber']],
    ['sale registered as R5', (d) => void (d.fiscal.invoiceType = 'R5'), ['fiscal.invoiceType']],
  ])('reports: %s', (_name, f, paths) => {
    const d = saleDoc();
    f(d);
    expect(mismatch(d).map((m) => m.path)).toEqual(paths);
    expect(VerifiedTicketDocumentSchema.safeParse(d).success).toBe(false);
  });

  it('passes ticket rule errors through with their own code', () => {
    const d = saleDoc();
    d.payments = [{ method: 'cash', amount: 1000 }];
    const r = verifyTicketArithmetic(d);
    expect(!r.ok && r.error.code).toBe('PAYMENT_SHORT');
    const d2 = returnDoc();
    d2.lines[0]!.quantity = { kind: 'units', units: 1 };
    const r2 = verifyTicketArithmetic(d2);
    expect(!r2.ok && r2.error.code).toBe('QUANTITY_NOT_NEGATIVE');
  });

  it('re-prices with the customer recargo flag', () => {
    const d = returnDoc();
    d.customer = { id: 'C9', name: 'Luis', reRegime: true };
    // with recargo: −1000/1.262 = −792.39 → −792, IVA −792×.21 = −166.32 → −166, RE −42, tax −208 (not −174):
    // the sent row, the tax total and the fiscal CuotaTotal "-1.74" no longer match
    const paths = mismatch(d).map((m) => m.path);
    expect(paths).toEqual([
      'totals.taxTotal',
      'taxBreakdown.0.reRate',
      'taxBreakdown.0.base',
      'taxBreakdown.0.ivaCuota',
      'taxBreakdown.0.reCuota',
      'fiscal.taxTotal',
    ]);
  });
});

describe('sync schemas', () => {
  it('hello', () => {
    const ok = { terminalId: 'T01', token: 'x'.repeat(32), lastAckedSeq: 0, catalogVersion: 12 };
    expect(TerminalHelloSchema.safeParse(ok).success).toBe(true);
    expect(TerminalHelloSchema.safeParse({ ...ok, lastAckedSeq: -1 }).success).toBe(false);
    expect(TerminalHelloSchema.safeParse({ ...ok, catalogVersion: 1.5 }).success).toBe(false);
    expect(TerminalHelloSchema.safeParse({ ...ok, extra: true }).success).toBe(false);
    expect(TerminalHelloSchema.safeParse({ ...ok, token: 'short' }).success).toBe(false);
    const { token: _t, ...noToken } = ok;
    expect(TerminalHelloSchema.safeParse(noToken).success).toBe(false);
  });

  it('ticket batch', () => {
    const ok = { terminalId: 'T01', batchId: ID2, tickets: [saleDoc(), returnDoc()] };
    expect(TicketBatchSchema.safeParse(ok).success).toBe(true);
    expect(TicketBatchSchema.safeParse({ ...ok, tickets: [] }).success).toBe(false);
    expect(TicketBatchSchema.safeParse({ ...ok, terminalId: 'T02' }).success).toBe(false); // tickets from T01
    expect(TicketBatchSchema.safeParse({ ...ok, tickets: [returnDoc(), saleDoc()] }).success).toBe(false); // seq 8, 7
    expect(TicketBatchSchema.safeParse({ ...ok, batchId: 'nope' }).success).toBe(false);
  });

  it('ack', () => {
    expect(TicketAckSchema.safeParse({ terminalId: 'T01', ackedSeq: 7 }).success).toBe(true);
    expect(TicketAckSchema.safeParse({ terminalId: 'T01', ackedSeq: 7, rejected: [{ seq: 8, reason: 'TICKET_ARITHMETIC_MISMATCH' }] }).success).toBe(true);
    expect(TicketAckSchema.safeParse({ terminalId: 'T01', ackedSeq: 7, rejected: [{ seq: 0, reason: 'x' }] }).success).toBe(false);
    expect(TicketAckSchema.safeParse({ terminalId: 'T01', ackedSeq: 7.5 }).success).toBe(false);
    expect(TicketAckSchema.safeParse({ terminalId: 'T01' }).success).toBe(false);
  });

  it('master-data change and change page', () => {
    const up = { version: 5, entity: 'product', id: 'P1', op: 'upsert', data: { name: 'Pan', price: 120 } };
    const del = { version: 6, entity: 'price', id: 'PR1', op: 'delete' };
    expect(MasterDataChangeSchema.safeParse(up).success).toBe(true);
    expect(MasterDataChangeSchema.safeParse(del).success).toBe(true);
    expect(MasterDataChangeSchema.safeParse({ ...del, data: null }).success).toBe(true);
    expect(MasterDataChangeSchema.safeParse({ ...up, op: 'merge' }).success).toBe(false);
    expect(MasterDataChangeSchema.safeParse({ ...up, entity: 'spaceship' }).success).toBe(false);
    expect(MasterDataChangeSchema.safeParse({ ...up, data: undefined }).success).toBe(false);
    expect(MasterDataChangeSchema.safeParse({ ...del, data: { a: 1 } }).success).toBe(false);
    expect(MasterDataChangeSchema.safeParse({ ...up, version: 0 }).success).toBe(false);

    const page = { fromVersion: 4, toVersion: 6, changes: [up, del], hasMore: false };
    expect(ChangePageSchema.safeParse(page).success).toBe(true);
    expect(ChangePageSchema.safeParse({ ...page, changes: [del, up] }).success).toBe(false); // not ascending
    expect(ChangePageSchema.safeParse({ ...page, fromVersion: 5 }).success).toBe(false); // 5 not > fromVersion
    expect(ChangePageSchema.safeParse({ ...page, toVersion: 5 }).success).toBe(false); // 6 > toVersion
    expect(ChangePageSchema.safeParse({ fromVersion: 9, toVersion: 9, changes: [], hasMore: false }).success).toBe(true);
    expect(ChangePageSchema.safeParse({ ...page, hasMore: 'no' }).success).toBe(false);
  });
});
