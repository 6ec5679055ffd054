import { describe, expect, it } from 'vitest';
import { splitGross, taxBreakdown, type TaxBreakdownRow } from '../../src/tax';
import { priceTicket, type Discount, type LineInput, type TicketInput } from '../../src/ticket';

// Builders: u(price, units, rate) and w(pricePerKg, grams, rate); ids are assigned per ticket.
type L = Omit<LineInput, 'id' | 'productId' | 'description'>;
const u = (unitPrice: number, units: number, taxRate: number, extra: Partial<L> = {}): L => ({
  unitPrice,
  quantity: { kind: 'units', units },
  taxRate,
  ...extra,
});
const w = (unitPrice: number, grams: number, taxRate: number, extra: Partial<L> = {}): L => ({
  unitPrice,
  quantity: { kind: 'weight', grams },
  taxRate,
  ...extra,
});
const pct = (bp: number): Discount => ({ kind: 'percent', bp });
const amt = (cents: number): Discount => ({ kind: 'amount', cents });
const row = (rate: number, reRate: number, gross: number, base: number, ivaCuota: number, reCuota: number, exemption?: string) =>
  (exemption === undefined ? { rate, reRate, gross, base, ivaCuota, reCuota } : { rate, reRate, exemption, gross, base, ivaCuota, reCuota }) as TaxBreakdownRow;

interface Case {
  name: string;
  kind?: 'sale' | 'return';
  re?: boolean;
  lines: L[];
  ticketDiscount?: Discount;
  total: number;
  rows: TaxBreakdownRow[];
}

// Divisors: 21 % → 1.21, 10 % → 1.10, 4 % → 1.04; with recargo 21+5.2 → 1.262, 10+1.4 → 1.114, 4+0.5 → 1.045.
// base = round½↑(gross / divisor); IVA = gross − base without RE; with RE: IVA = round½↑(base × r), RE = rest.
const cases: Case[] = [
  {
    name: '1. one line 10,00 € at 21 %',
    lines: [u(1000, 1, 2100)],
    total: 1000,
    rows: [row(2100, 0, 1000, 826, 174, 0)], // 1000/1.21 = 826.446 → 826; 1000 − 826 = 174
  },
  {
    name: '2. 0,01 € at 21 %',
    lines: [u(1, 1, 2100)],
    total: 1,
    rows: [row(2100, 0, 1, 1, 0, 0)], // 1/1.21 = 0.826 → 1; tax 0
  },
  {
    name: '3. 0,03 € at 21 % (gross − base ≠ round(base × 21 %))',
    lines: [u(3, 1, 2100)],
    total: 3,
    rows: [row(2100, 0, 3, 2, 1, 0)], // 3/1.21 = 2.479 → 2; 3 − 2 = 1 (2 × 0.21 = 0.42 would give 0)
  },
  {
    name: '4. three rates',
    lines: [u(250, 1, 2100), u(115, 2, 1000), u(99, 3, 400)],
    total: 777, // 250 + 230 + 297
    rows: [
      row(2100, 0, 250, 207, 43, 0), // 250/1.21 = 206.61 → 207; 43
      row(1000, 0, 230, 209, 21, 0), // 230/1.1 = 209.09 → 209; 21
      row(400, 0, 297, 286, 11, 0), // 297/1.04 = 285.58 → 286; 11
    ],
  },
  {
    name: '5. per rate, never per line: three 0,01 € lines at 21 %',
    lines: [u(1, 1, 2100), u(1, 1, 2100), u(1, 1, 2100)],
    total: 3,
    rows: [row(2100, 0, 3, 2, 1, 0)], // Σ = 3; 3/1.21 = 2.479 → 2 (per line it would be 1+1+1 = 3, tax 0)
  },
  {
    name: '6. recargo 21 % + 5,2 %',
    re: true,
    lines: [u(1000, 1, 2100)],
    total: 1000,
    rows: [row(2100, 520, 1000, 792, 166, 42)], // 1000/1.262 = 792.39 → 792; taxes 208; IVA 792×.21 = 166.32 → 166; RE 42
  },
  {
    name: '7. recargo 10 % + 1,4 % (exact)',
    re: true,
    lines: [u(1114, 1, 1000)],
    total: 1114,
    rows: [row(1000, 140, 1114, 1000, 100, 14)], // 1114/1.114 = 1000; IVA 100; RE 14
  },
  {
    name: '8. recargo 4 % + 0,5 % (exact)',
    re: true,
    lines: [u(1045, 2, 400)],
    total: 2090,
    rows: [row(400, 50, 2090, 2000, 80, 10)], // 2090/1.045 = 2000; IVA 80; RE 10
  },
  {
    name: '9. recargo customer with 0 %, exempt E1 and a 21 % line',
    re: true,
    lines: [u(500, 1, 0), u(300, 1, 0, { exemption: 'E1' }), u(100, 1, 2100)],
    total: 900,
    rows: [
      row(2100, 520, 100, 79, 17, 4), // 100/1.262 = 79.24 → 79; taxes 21; IVA 79×.21 = 16.59 → 17; RE 4
      row(0, 0, 500, 500, 0, 0), // 0 %: base = gross, no recargo
      row(0, 0, 300, 300, 0, 0, 'E1'), // exempt: own row, no recargo
    ],
  },
  {
    name: '10. weighed line 12,99 €/kg × 350 g at 10 %',
    lines: [w(1299, 350, 1000)],
    total: 455, // 1299 × 0.350 = 454.65 → 455
    rows: [row(1000, 0, 455, 414, 41, 0)], // 455/1.1 = 413.64 → 414; 41
  },
  {
    name: '11. weighed half-cent tie 9,99 €/kg × 500 g at 4 %',
    lines: [w(999, 500, 400)],
    total: 500, // 499.5 → 500
    rows: [row(400, 0, 500, 481, 19, 0)], // 500/1.04 = 480.77 → 481; 19
  },
  {
    name: '12. base half-cent tie: 0,13 € at 4 %',
    lines: [u(13, 1, 400)],
    total: 13,
    rows: [row(400, 0, 13, 13, 0, 0)], // 13/1.04 = 12.5 exactly → 13 (half up); tax 0
  },
  {
    name: '13. IVA half-cent tie with recargo: 0,63 € at 21 % RE',
    re: true,
    lines: [u(63, 1, 2100)],
    total: 63,
    rows: [row(2100, 520, 63, 50, 11, 2)], // 63/1.262 = 49.92 → 50; taxes 13; IVA 50×.21 = 10.5 → 11; RE 2
  },
  {
    name: '14. line percent discount 10 % on 19,99 €',
    lines: [u(1999, 1, 2100, { discount: pct(1000) })],
    total: 1799, // discount 199.9 → 200; 1999 − 200
    rows: [row(2100, 0, 1799, 1487, 312, 0)], // 1799/1.21 = 1486.78 → 1487; 312
  },
  {
    name: '15. line amount discount 1,50 € on 2 × 5,00 € at 10 %',
    lines: [u(500, 2, 1000, { discount: amt(150) })],
    total: 850,
    rows: [row(1000, 0, 850, 773, 77, 0)], // 850/1.1 = 772.73 → 773; 77
  },
  {
    name: '16. ticket discount 10 % spread over three rates',
    // net 1000 + 500 + 333 = 1833; discount 183.3 → 183; allocate 183 over 1000/500/333:
    // 99 r1533, 49 r1683, 33 r450 → Σ181, +1 to 500-line, +1 to 1000-line → 100/50/33
    lines: [u(1000, 1, 2100), u(500, 1, 1000), u(333, 1, 400)],
    ticketDiscount: pct(1000),
    total: 1650, // 900 + 450 + 300
    rows: [
      row(2100, 0, 900, 744, 156, 0), // 900/1.21 = 743.80 → 744
      row(1000, 0, 450, 409, 41, 0), // 450/1.1 = 409.09 → 409
      row(400, 0, 300, 288, 12, 0), // 300/1.04 = 288.46 → 288
    ],
  },
  {
    name: '17. ticket amount discount 1,00 € over three equal lines',
    // 100 over 100/100/100: 33 r100 each, 1 left → first line: 34/33/33 → totals 66/67/67
    lines: [u(100, 1, 2100), u(100, 1, 2100), u(100, 1, 2100)],
    ticketDiscount: amt(100),
    total: 200,
    rows: [row(2100, 0, 200, 165, 35, 0)], // 200/1.21 = 165.29 → 165
  },
  {
    name: '18. return of ticket 4 mirrors it exactly',
    kind: 'return',
    lines: [u(250, -1, 2100), u(115, -2, 1000), u(99, -3, 400)],
    total: -777,
    rows: [row(2100, 0, -250, -207, -43, 0), row(1000, 0, -230, -209, -21, 0), row(400, 0, -297, -286, -11, 0)],
  },
  {
    name: '19. return with ties: −0,13 € and −500 g × 9,99 €/kg at 4 %',
    kind: 'return',
    lines: [u(13, -1, 400), w(999, -500, 400)],
    total: -513, // −13 + (−499.5 → −500)
    rows: [row(400, 0, -513, -493, -20, 0)], // −513/1.04 = −493.27 → −493; −20
  },
  {
    name: '20. return with recargo and 10 % line discount',
    kind: 'return',
    re: true,
    lines: [u(1045, -2, 400, { discount: pct(1000) })],
    total: -1881, // −2090, discount −209
    rows: [row(400, 50, -1881, -1800, -72, -9)], // −1881/1.045 = −1800; IVA −72; RE −9
  },
  {
    name: '21. exempt E2 and E1 rows after 21 %',
    lines: [u(1000, 1, 0, { exemption: 'E2' }), u(200, 1, 0, { exemption: 'E1' }), u(121, 1, 2100)],
    total: 1321,
    rows: [row(2100, 0, 121, 100, 21, 0), row(0, 0, 200, 200, 0, 0, 'E1'), row(0, 0, 1000, 1000, 0, 0, 'E2')],
  },
  {
    name: '22. 100 % line discount leaves the other line',
    lines: [u(500, 1, 2100, { discount: pct(10000) }), u(242, 1, 2100)],
    total: 242,
    rows: [row(2100, 0, 242, 200, 42, 0)], // 242/1.21 = 200
  },
  {
    name: '23. large amount 1.234.567,89 € at 21 %',
    lines: [u(123456789, 1, 2100)],
    total: 123456789,
    rows: [row(2100, 0, 123456789, 102030404, 21426385, 0)], // 1.21 × 102030404 = 123456788.84 → base 102030404.13 → …404
  },
  {
    name: '24. return ticket with a weighed line and 5 % ticket discount',
    kind: 'return',
    // gross −1000 and −250 g × 20,00 €/kg = −500; net −1500; discount 75 → allocate 75 over 1000/500 = 50/25
    lines: [u(1000, -1, 2100), w(2000, -250, 1000)],
    ticketDiscount: pct(500),
    total: -1425, // −950 − 475
    rows: [
      row(2100, 0, -950, -785, -165, 0), // 950/1.21 = 785.12 → 785
      row(1000, 0, -475, -432, -43, 0), // 475/1.1 = 431.82 → 432
    ],
  },
  {
    name: '25. recargo with line discounts at 10 % and 21 %',
    re: true,
    // 3 × 3,33 = 999, 5 % = 49.95 → 50 → 949;  20,00 − 1,00 = 1900
    lines: [u(333, 3, 1000, { discount: pct(500) }), u(2000, 1, 2100, { discount: amt(100) })],
    total: 2849,
    rows: [
      row(2100, 520, 1900, 1506, 316, 78), // 1900/1.262: 1.262×1505 = 1899.31 → 1505.55 → 1506; taxes 394; IVA 1506×.21 = 316.26 → 316; RE 78
      row(1000, 140, 949, 852, 85, 12), // 949/1.114: 1.114×852 = 949.128 → 851.885 → 852; taxes 97; IVA 85.2 → 85; RE 12
    ],
  },
  {
    name: '26. 0,01 € at 10 % and at 4 %',
    lines: [u(1, 1, 1000), u(1, 1, 400)],
    total: 2,
    rows: [row(1000, 0, 1, 1, 0, 0), row(400, 0, 1, 1, 0, 0)], // 1/1.1 = 0.91 → 1; 1/1.04 = 0.96 → 1
  },
  {
    name: '27. 0,01 € at 21 % with recargo',
    re: true,
    lines: [u(1, 1, 2100)],
    total: 1,
    rows: [row(2100, 520, 1, 1, 0, 0)], // 1/1.262 = 0.79 → 1
  },
  {
    name: '28. 0,03 € at 21 % with recargo: the cent goes to RE',
    re: true,
    lines: [u(3, 1, 2100)],
    total: 3,
    rows: [row(2100, 520, 3, 2, 0, 1)], // 3/1.262 = 2.38 → 2; taxes 1; IVA 2×.21 = 0.42 → 0; RE 1
  },
  {
    name: '29. recargo regime does not touch 0 % or exempt lines only',
    re: true,
    lines: [u(250, 2, 0), u(100, 1, 0, { exemption: 'E6' })],
    total: 600,
    rows: [row(0, 0, 500, 500, 0, 0), row(0, 0, 100, 100, 0, 0, 'E6')],
  },
  {
    name: '30. ticket discount on a 4 % tie line: 0,26 € − 50 % = 0,13 €',
    lines: [u(26, 1, 400)],
    ticketDiscount: pct(5000),
    total: 13, // 26 × 50 % = 13
    rows: [row(400, 0, 13, 13, 0, 0)], // 13/1.04 = 12.5 → 13
  },
];

describe('tax breakdown: hand-computed tickets', () => {
  it.each(cases)('$name', (c) => {
    const input: TicketInput = {
      kind: c.kind ?? 'sale',
      reRegime: c.re ?? false,
      ticketDiscount: c.ticketDiscount,
      lines: c.lines.map((l, i) => ({ id: `l${i + 1}`, productId: `p${i + 1}`, description: `line ${i + 1}`, ...l })),
    };
    const r = priceTicket(input);
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    const t = r.value;
    expect(t.taxBreakdown).toEqual(c.rows);
    expect(t.totals.total).toBe(c.total);
    for (const row of t.taxBreakdown) expect(row.base + row.ivaCuota + row.reCuota).toBe(row.gross);
    expect(t.taxBreakdown.reduce((s, row) => s + row.gross, 0)).toBe(c.total);
    expect(t.lines.reduce((s, l) => s + l.total, 0)).toBe(c.total);
    expect(t.totals.taxTotal).toBe(c.rows.reduce((s, row) => s + row.ivaCuota + row.reCuota, 0));
  });

  it('has at least 20 tickets', () => expect(cases.length).toBeGreaterThanOrEqual(20));
});

describe('splitGross symmetry (returns mirror sales)', () => {
  it('splitGross(−g) = −splitGross(g) for every rate, with and without recargo', () => {
    const combos: [2100 | 1000 | 400 | 0, number][] = [
      [2100, 0], [1000, 0], [400, 0], [0, 0], [2100, 520], [1000, 140], [400, 50],
    ];
    for (const [rate, re] of combos) {
      for (let g = 0; g <= 3000; g++) {
        const a = splitGross(g, rate, re);
        const b = splitGross(-g, rate, re);
        expect([b.base, b.ivaCuota, b.reCuota]).toEqual([-a.base || 0, -a.ivaCuota || 0, -a.reCuota || 0]);
        expect(a.base + a.ivaCuota + a.reCuota).toBe(g);
      }
    }
  });
});

describe('taxBreakdown errors', () => {
  it.each([
    [[{ taxRate: 700, gross: 100 }], 'TAX_RATE_UNKNOWN'],
    [[{ taxRate: 2100, exemption: 'E1' as const, gross: 100 }], 'EXEMPTION_NEEDS_ZERO_RATE'],
    [[{ taxRate: 0, exemption: 'E9' as never, gross: 100 }], 'EXEMPTION_UNKNOWN'],
    [[{ taxRate: 2100, gross: 100.5 }], 'TAX_AMOUNT_INVALID'],
  ])('%j → %s', (amounts, code) => {
    const r = taxBreakdown(amounts, false);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe(code);
  });

  it('empty input gives no rows', () => expect(taxBreakdown([], true)).toEqual({ ok: true, value: [] }));
});
