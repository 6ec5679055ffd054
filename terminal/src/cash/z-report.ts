/**
 * X / Z report arithmetic (pure). Inputs are the session's tickets (in seq order), its cash movements and the
 * voided lines; the report adds them up per payment method, per IVA rate, and reconciles the drawer.
 * Signs: return tickets carry negative amounts, so every "net" figure is a plain sum.
 */
import type { Cents } from '@tpv/shared/money';
import type { TaxBreakdownRow } from '@tpv/shared/tax';

export interface ReportTicket {
  kind: 'sale' | 'return';
  fiscalNumber: string;
  totals: { total: Cents; discountTotal: Cents };
  taxBreakdown: readonly TaxBreakdownRow[];
  payments: ReadonlyArray<{ method: string; amount: Cents }>;
  change: Cents;
  /** The ticket's promotions and loyalty redemptions (each once, positive cents). */
  benefits?: ReadonlyArray<{ kind: string; id: string; name: string; cents: Cents }> | undefined;
}

export interface ReportMovement {
  /** `voucher_sale`: the cash part of a gift voucher sold (a `cash_in` movement whose reason is `vale:<code>`). */
  kind: 'float' | 'sale' | 'refund' | 'cash_in' | 'cash_out' | 'voucher_sale';
  /** Signed drawer delta (cash_out and refunds negative). */
  amountCents: Cents;
}

export interface CashReportInput {
  tickets: readonly ReportTicket[];
  movements: readonly ReportMovement[];
  voids: { count: number; cents: Cents };
  /** Counted cash at close (Z); absent for an X report. */
  counted?: Cents | undefined;
  /** Gift vouchers sold or loaded in the session (their own documents, not tickets: no IVA). */
  vouchersSold?: { count: number; cents: Cents; cashCents: Cents; cardCents: Cents } | undefined;
}

export interface TaxTotal { rate: number; reRate: number; exemption?: string; gross: Cents; base: Cents; ivaCuota: Cents; reCuota: Cents }

export interface CashReportFigures {
  tickets: { count: number; first?: string; last?: string };
  sales: { count: number; total: Cents };
  returns: { count: number; total: Cents; first?: string; last?: string };
  /** sales.total + returns.total */
  netSales: Cents;
  discounts: { count: number; cents: Cents };
  /** What each promotion took off the session's sales (tickets it applied on), largest first. */
  promotions: Array<{ id: string; name: string; tickets: number; cents: Cents }>;
  /** Σ promotions' cents. */
  promotionsTotal: Cents;
  voids: { count: number; cents: Cents };
  /** Net per method: cash is tendered − change; refunds are negative. Methods in a fixed order. */
  payments: Array<{ method: string; amountCents: Cents }>;
  taxes: TaxTotal[];
  cash: { float: Cents; sales: Cents; refunds: Cents; cashIn: Cents; cashOut: Cents; vouchers?: Cents; expected: Cents; counted?: Cents; difference?: Cents };
  /** "Vales vendidos": gift vouchers sold/loaded (outside sales and IVA), by how they were paid; absent when none. */
  vouchersSold?: { count: number; cents: Cents; cashCents: Cents; cardCents: Cents };
}

const METHOD_ORDER = ['cash', 'card', 'voucher', 'on_account'];

export function computeCashReport(input: CashReportInput): CashReportFigures {
  let salesCount = 0, salesTotal = 0, returnsCount = 0, returnsTotal = 0, discountCount = 0, discountCents = 0;
  let first: string | undefined, last: string | undefined, rFirst: string | undefined, rLast: string | undefined;
  const byMethod = new Map<string, number>();
  const taxes = new Map<string, TaxTotal>();
  const promos = new Map<string, { id: string; name: string; tickets: number; cents: Cents }>();
  for (const t of input.tickets) {
    if (t.kind === 'sale') {
      for (const b of t.benefits ?? []) {
        if (b.kind !== 'promotion') continue;
        const p = promos.get(b.id) ?? { id: b.id, name: b.name, tickets: 0, cents: 0 };
        p.tickets++;
        p.cents += b.cents;
        promos.set(b.id, p);
      }
    }
    if (t.kind === 'sale') {
      salesCount++;
      salesTotal += t.totals.total;
      first ??= t.fiscalNumber;
      last = t.fiscalNumber;
      if (t.totals.discountTotal !== 0) {
        discountCount++;
        discountCents += t.totals.discountTotal;
      }
    } else {
      returnsCount++;
      returnsTotal += t.totals.total;
      rFirst ??= t.fiscalNumber;
      rLast = t.fiscalNumber;
    }
    for (const p of t.payments) byMethod.set(p.method, (byMethod.get(p.method) ?? 0) + p.amount);
    if (t.change !== 0) byMethod.set('cash', (byMethod.get('cash') ?? 0) - t.change);
    for (const r of t.taxBreakdown) {
      const key = `${r.rate}|${r.reRate}|${r.exemption ?? ''}`;
      const acc = taxes.get(key) ?? { rate: r.rate, reRate: r.reRate, ...(r.exemption ? { exemption: r.exemption } : {}), gross: 0, base: 0, ivaCuota: 0, reCuota: 0 };
      acc.gross += r.gross;
      acc.base += r.base;
      acc.ivaCuota += r.ivaCuota;
      acc.reCuota += r.reCuota;
      taxes.set(key, acc);
    }
  }
  const cash = { float: 0, sales: 0, refunds: 0, cashIn: 0, cashOut: 0 };
  let vouchers = 0;
  let expected = 0;
  for (const m of input.movements) {
    expected += m.amountCents;
    if (m.kind === 'float') cash.float += m.amountCents;
    else if (m.kind === 'sale') cash.sales += m.amountCents;
    else if (m.kind === 'refund') cash.refunds += m.amountCents;
    else if (m.kind === 'cash_in') cash.cashIn += m.amountCents;
    else if (m.kind === 'voucher_sale') vouchers += m.amountCents;
    else cash.cashOut += -m.amountCents;
  }
  const payments = [...byMethod.entries()]
    .sort(([a], [b]) => (METHOD_ORDER.indexOf(a) + 99) % 99 - (METHOD_ORDER.indexOf(b) + 99) % 99 || a.localeCompare(b))
    .map(([method, amountCents]) => ({ method, amountCents }));
  const taxRows = [...taxes.values()].sort((a, b) => b.rate - a.rate || b.reRate - a.reRate || (a.exemption ?? '').localeCompare(b.exemption ?? ''));
  return {
    tickets: { count: salesCount + returnsCount, ...(first ? { first } : {}), ...(last ? { last } : {}) },
    sales: { count: salesCount, total: salesTotal },
    returns: { count: returnsCount, total: returnsTotal, ...(rFirst ? { first: rFirst } : {}), ...(rLast ? { last: rLast } : {}) },
    netSales: salesTotal + returnsTotal,
    discounts: { count: discountCount, cents: discountCents },
    promotions: [...promos.values()].sort((a, b) => b.cents - a.cents || a.id.localeCompare(b.id)),
    promotionsTotal: [...promos.values()].reduce((x, p) => x + p.cents, 0),
    voids: input.voids,
    payments,
    taxes: taxRows,
    ...(input.vouchersSold && input.vouchersSold.count > 0 ? { vouchersSold: input.vouchersSold } : {}),
    cash: {
      ...cash,
      ...(vouchers !== 0 ? { vouchers } : {}),
      expected,
      ...(input.counted !== undefined ? { counted: input.counted, difference: input.counted - expected } : {}),
    },
  };
}

/** Euro notes and coins the drawer counts in, in cents. */
export const EURO_DENOMINATIONS = [50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1] as const;

/** Σ denomination × count; undefined when a key is not a euro denomination or a count is not a whole ≥ 0. */
export function countDenominations(counts: Record<string, number>): Cents | undefined {
  let total = 0;
  for (const [k, n] of Object.entries(counts)) {
    const d = Number(k);
    if (!(EURO_DENOMINATIONS as readonly number[]).includes(d) || String(d) !== k) return undefined;
    if (!Number.isSafeInteger(n) || n < 0 || n > 100_000) return undefined;
    total += d * n;
  }
  return total;
}
