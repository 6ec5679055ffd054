/**
 * Modelo 303 boxes and modelo 347 statement from VAT book rows, figures worked out by hand in the comments.
 */
import { describe, expect, it } from 'vitest';
import { bookCuotasByRate, ops347, periodMonths, statement347, vatReturn, type VatBookRow } from '../../src/accounting/vat-return';

let n = 0;
const row = (o: Partial<VatBookRow> & Pick<VatBookRow, 'baseCents' | 'ivaRateBp' | 'ivaCents'>): VatBookRow => {
  const key = o.key ?? `k${++n}`;
  return {
    key, book: 'issued', source: 'invoice', documentId: o.documentId ?? key, date: '2026-11-10', period: '2026-11', number: key, invoiceType: 'F1', status: 'posted',
    counterpartyNif: 'B00000000', counterpartyName: 'X', storeId: null, reRateBp: 0, exemption: null, reCents: 0, irpfCents: 0,
    rowTotalCents: o.baseCents + o.ivaCents + (o.reCents ?? 0), ...o,
  };
};

describe('modelo 303 from the VAT books', () => {
  const issued = [
    // Invoice A to a shop in recargo: 1.000,00 at 21 % (IVA 210,00, recargo 5,2 % 52,00) and 200,00 at 10 % (IVA 20,00, recargo 1,4 % 2,80).
    row({ key: 'A1', documentId: 'A', baseCents: 100_000, ivaRateBp: 2100, ivaCents: 21_000, reRateBp: 520, reCents: 5_200 }),
    row({ key: 'A2', documentId: 'A', baseCents: 20_000, ivaRateBp: 1000, ivaCents: 2_000, reRateBp: 140, reCents: 280 }),
    // Invoice B: 500,00 at 21 % → 105,00.
    row({ key: 'B1', baseCents: 50_000, ivaRateBp: 2100, ivaCents: 10_500 }),
    // Credit note C of A: −100,00 at 21 % → −21,00, recargo −5,20.
    row({ key: 'C1', invoiceType: 'R1', baseCents: -10_000, ivaRateBp: 2100, ivaCents: -2_100, reRateBp: 520, reCents: -520 }),
    // Cancelled and F3 (its tickets are in the day's summary): not counted.
    row({ key: 'D1', status: 'cancelled', baseCents: 99_900, ivaRateBp: 2100, ivaCents: 20_979 }),
    row({ key: 'E1', invoiceType: 'F3', baseCents: 5_000, ivaRateBp: 2100, ivaCents: 1_050 }),
    // Ticket days: 300,00 at 21 % (63,00), 80,00 at 10 % (8,00), 10,00 at 4 % (0,40).
    row({ key: 'T1', source: 'tickets', documentId: null, invoiceType: 'F4', baseCents: 30_000, ivaRateBp: 2100, ivaCents: 6_300 }),
    row({ key: 'T2', source: 'tickets', documentId: null, invoiceType: 'F4', baseCents: 8_000, ivaRateBp: 1000, ivaCents: 800 }),
    row({ key: 'T3', source: 'tickets', documentId: null, invoiceType: 'F4', baseCents: 1_000, ivaRateBp: 400, ivaCents: 40 }),
    // An exempt service: no box of the régimen general takes it.
    row({ key: 'X1', baseCents: 7_000, ivaRateBp: 0, ivaCents: 0, exemption: 'E1' }),
  ];
  const received = [
    // Supplier: 400,00 at 21 % (84,00); 50,00 at 10 % (5,00) + recargo 0,70 (not deductible); a credit −40,00 at 21 % (−8,40).
    row({ key: 'S1', book: 'received', source: 'supplier_invoice', baseCents: 40_000, ivaRateBp: 2100, ivaCents: 8_400 }),
    row({ key: 'S2', book: 'received', source: 'supplier_invoice', baseCents: 5_000, ivaRateBp: 1000, ivaCents: 500, reRateBp: 140, reCents: 70 }),
    row({ key: 'S3', book: 'received', source: 'supplier_invoice', baseCents: -4_000, ivaRateBp: 2100, ivaCents: -840 }),
    // The franchisor's fee invoice: 120,00 at 21 % (25,20).
    row({ key: 'I1', book: 'received', source: 'invoice_received', baseCents: 12_000, ivaRateBp: 2100, ivaCents: 2_520 }),
  ];
  const r = vatReturn(issued, received);
  const box = (b: string) => r.boxes.find((x) => x.box === b)!;

  it.each([
    // box, value, rows
    ['01', 1_000, ['T3']], ['02', 400, []], ['03', 40, ['T3']],
    // 10 %: 200,00 + 80,00 = 280,00; 20,00 + 8,00 = 28,00.
    ['04', 28_000, ['A2', 'T2']], ['05', 1_000, []], ['06', 2_800, ['A2', 'T2']],
    // 21 %: 1.000,00 + 500,00 + 300,00 = 1.800,00; 210,00 + 105,00 + 63,00 = 378,00.
    ['07', 180_000, ['A1', 'B1', 'T1']], ['08', 2_100, []], ['09', 37_800, ['A1', 'B1', 'T1']],
    ['14', -10_000, ['C1']], ['15', -2_100, ['C1']],
    ['16', 0, []], ['18', 0, []],
    ['19', 20_000, ['A2']], ['20', 140, []], ['21', 280, ['A2']],
    ['22', 100_000, ['A1']], ['23', 520, []], ['24', 5_200, ['A1']],
    ['25', -10_000, ['C1']], ['26', -520, ['C1']],
    // 27 = 0,40 + 28,00 + 378,00 − 21,00 + 2,80 + 52,00 − 5,20 = 435,00.
    ['27', 43_500, []],
    // 28 = 400,00 + 50,00 + 120,00 = 570,00; 29 = 84,00 + 5,00 + 25,20 = 114,20.
    ['28', 57_000, ['S1', 'S2', 'I1']], ['29', 11_420, ['S1', 'S2', 'I1']],
    ['40', -4_000, ['S3']], ['41', -840, ['S3']],
    // 45 = 114,20 − 8,40 = 105,80; 46 = 435,00 − 105,80 = 329,20 = 64 = 66 = 69 = 71.
    ['45', 10_580, []], ['46', 32_920, []], ['64', 32_920, []], ['65', 10_000, []], ['66', 32_920, []], ['67', 0, []], ['69', 32_920, []], ['71', 32_920, []],
  ] as const)('box %s = %i', (b, value, rows) => {
    expect(box(b).value).toBe(value);
    expect(box(b).rows).toEqual(rows);
  });

  it('leaves what no box takes for the accountant, and carries earlier credit into 67', () => {
    expect(r.notBoxed).toEqual([{ key: 'X1', reason: 'exempt' }]);
    // 329,20 − 100,00 carried = 229,20.
    expect(vatReturn(issued, received, { carriedCreditCents: 10_000 }).boxes.find((b) => b.box === '71')!.value).toBe(22_920);
  });

  it('gives the cuotas per rate the journal accounts hold (credit notes netted)', () => {
    const c = bookCuotasByRate(issued, received);
    // 477 21 %: 210,00 + 105,00 − 21,00 + 63,00 = 357,00 (the exempt row is a 0 % row: 0).
    expect(c.get('output_vat:2100')!.cents).toBe(35_700);
    expect(c.get('output_vat:1000')!.cents).toBe(2_800);
    expect(c.get('output_vat:400')!.cents).toBe(40);
    // 4771 5,2 %: 52,00 − 5,20 = 46,80.
    expect(c.get('output_re:520')!.cents).toBe(4_680);
    expect(c.get('output_re:140')!.cents).toBe(280);
    // 472 21 %: 84,00 − 8,40 + 25,20 = 100,80; 10 %: 5,00.
    expect(c.get('input_vat:2100')!.cents).toBe(10_080);
    expect(c.get('input_vat:1000')!.cents).toBe(500);
  });
});

describe('modelo 347', () => {
  const op = (nif: string | null, cents: number, period = '2026-11', o: Partial<VatBookRow> = {}) =>
    row({ counterpartyNif: nif, counterpartyName: nif, baseCents: cents, ivaRateBp: 0, ivaCents: 0, rowTotalCents: cents, period, ...o });

  it.each([
    // Art. 31 RGAT: "hayan superado" 3.005,06 €: the threshold itself is out, one cent more is in.
    [300_507, true],
    [300_506, false],
    [300_505, false],
    // A negative year over the threshold in absolute value is declared with its sign.
    [-300_507, true],
  ])('a counterparty with %i cents in the year is declared: %s', (cents, declared) => {
    const s = statement347(ops347([op('B11111111', cents)], []));
    expect(s.declared.length).toBe(declared ? 1 : 0);
    expect(s.under.length).toBe(declared ? 0 : 1);
  });

  it('sums per NIF and key by quarter, and leaves out what other returns carry', () => {
    const issued = [
      // B22222222 (written two ways): 1.000,00 in February + 2.005,07 in November = 3.005,07 → declared.
      op('B22222222', 100_000, '2026-02'),
      op('b 22222222', 200_507, '2026-11'),
      // A professional with IRPF withheld (on the first row only): both rows out (190, not 347).
      op('12345678Z', 300_000, '2026-05', { key: 'P1', documentId: 'P', irpfCents: 45_000 }),
      op('12345678Z', 300_000, '2026-05', { key: 'P2', documentId: 'P' }),
      // Without NIF, to a recipient abroad, tickets, cancelled: out.
      op(null, 500_000, '2026-03', { key: 'N1' }),
      op('FR12345678901', 500_000, '2026-03', { key: 'F1', documentId: 'FOREIGN' }),
      op(null, 900_000, '2026-03', { source: 'tickets', documentId: null }),
      op('B22222222', 900_000, '2026-03', { status: 'cancelled' }),
    ];
    const received = [
      // The same NIF as a supplier is a separate key A line: 5.000,00 in Q1 − 1.000,00 credit in Q2 = 4.000,00.
      op('B22222222', 500_000, '2026-01', { book: 'received', source: 'supplier_invoice' }),
      op('B22222222', -100_000, '2026-04', { book: 'received', source: 'supplier_invoice' }),
    ];
    const s = statement347(ops347(issued, received, new Set(['FOREIGN'])));
    expect(s.declared.map((c) => [c.key, c.nif, c.totalCents, c.quarters])).toEqual([
      ['A', 'B22222222', 400_000, [500_000, -100_000, 0, 0]],
      ['B', 'B22222222', 300_507, [100_000, 0, 0, 200_507]],
    ]);
    expect(s.excluded.map((e) => [e.rowKey, e.reason])).toEqual([
      ['P1', 'irpf_withheld'],
      ['P2', 'irpf_withheld'],
      ['N1', 'no_nif'],
      ['F1', 'foreign'],
    ]);
  });
});

describe('periods', () => {
  it.each([
    ['2026-4T', { fromMonth: '2026-10', toMonth: '2026-12', from: '2026-10-01', to: '2026-12-31' }],
    ['2026-02', { fromMonth: '2026-02', toMonth: '2026-02', from: '2026-02-01', to: '2026-02-31' }],
    ['2026', { fromMonth: '2026-01', toMonth: '2026-12', from: '2026-01-01', to: '2026-12-31' }],
  ])('%s', (p, want) => expect(periodMonths(p)).toEqual(want));
});
