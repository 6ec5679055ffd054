/**
 * Franchise fees of one franchisee and month (pure): royalty % and marketing-fee % of each store's net sales
 * without IVA (sales − returns), under the contract(s) in force. A contract starting mid-month charges only the
 * sales from its first day; two contracts in one month each charge their own days at their own rates. One
 * invoice per franchisee and period: lines per contract segment, store and fee.
 *
 *   fee of a line = roundHalfUp(net sales of the store in the segment × rate bp / 10 000)
 *
 * A line with a net loss (more returned than sold) is a negative line (quantity −1); a store with no net
 * sales gives no line; a franchisee whose fees add up to nothing is skipped with the reason.
 */
import { formatMoney, percentOf, type BasisPoints, type Cents } from '../money';

export interface FeeContract {
  id: string;
  /** yyyy-mm-dd inclusive. */
  startsOn: string;
  /** yyyy-mm-dd inclusive, null: open-ended. */
  endsOn: string | null;
  royaltyBp: BasisPoints;
  marketingFeeBp: BasisPoints;
  paymentDays: number;
  paymentMethod: string;
}

export interface FeeStore {
  id: string;
  code: string;
  name: string;
}

/** Net base without IVA of one store and business date (sales_day: sales_base + returns_base). */
export interface StoreDayNet {
  storeId: string;
  businessDate: string;
  netBaseCents: Cents;
}

export type FeeKind = 'royalty' | 'marketing';

export interface FeeLine {
  contractId: string;
  storeId: string;
  kind: FeeKind;
  rateBp: BasisPoints;
  /** The days charged (the contract's part of the month). */
  from: string;
  to: string;
  netSalesCents: Cents;
  feeCents: Cents;
  description: string;
}

export interface FeePlan {
  period: string;
  /** The contract whose terms (payment days and method) the invoice carries: the last one in force in the month. */
  contract: FeeContract;
  lines: FeeLine[];
  /** Σ fee lines (the invoice's base). */
  baseCents: Cents;
  /** Net sales per store over the contract days of the month. */
  netSalesByStore: Array<{ storeId: string; netSalesCents: Cents }>;
}

export type FeeSkipCode = 'NO_CONTRACT' | 'NO_SALES' | 'NO_FEE';
export interface FeeSkip {
  skip: FeeSkipCode;
  reason: string;
}

export const FEE_SKIP_REASONS: Readonly<Record<FeeSkipCode, string>> = {
  NO_CONTRACT: 'sin contrato en vigor en el periodo / no contract in force in the period',
  NO_SALES: 'sin ventas netas en los días del contrato / no net sales on the contract days',
  NO_FEE: 'los cánones del periodo no suman importe positivo / the fees of the period add up to nothing',
};

/** First and last day of a `yyyy-mm` period. */
export function periodBounds(period: string): { from: string; to: string } {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${period}-01`, to: `${period}-${String(last).padStart(2, '0')}` };
}

/** 500 → "5 %", 450 → "4,5 %", 125 → "1,25 %". */
export function percentLabel(bp: BasisPoints): string {
  const whole = Math.trunc(bp / 100);
  const frac = String(bp % 100).padStart(2, '0').replace(/0+$/, '');
  return `${whole}${frac ? `,${frac}` : ''} %`;
}

const dm = (d: string) => `${Number(d.slice(8, 10))}/${d.slice(5, 7)}`;
const KIND_LABEL: Record<FeeKind, string> = { royalty: 'Royalty', marketing: 'Marketing' };

/**
 * The fee invoice of one franchisee for `period` (yyyy-mm), or why there is none. `days` may hold any dates:
 * only the contract days of the month count.
 */
export function feePlanFor(period: string, contracts: readonly FeeContract[], stores: readonly FeeStore[], days: readonly StoreDayNet[]): FeePlan | FeeSkip {
  const month = periodBounds(period);
  const segments = contracts
    .map((c) => ({ c, from: c.startsOn > month.from ? c.startsOn : month.from, to: c.endsOn !== null && c.endsOn < month.to ? c.endsOn : month.to }))
    .filter((s) => s.from <= s.to)
    .sort((a, b) => (a.from < b.from ? -1 : 1));
  if (segments.length === 0) return { skip: 'NO_CONTRACT', reason: FEE_SKIP_REASONS.NO_CONTRACT };
  const ordered = [...stores].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const lines: FeeLine[] = [];
  const byStore = new Map<string, Cents>();
  let anySales = false;
  for (const seg of segments) {
    const partial = seg.from !== month.from || seg.to !== month.to;
    const net = new Map<string, Cents>();
    for (const d of days) {
      if (d.businessDate < seg.from || d.businessDate > seg.to) continue;
      net.set(d.storeId, (net.get(d.storeId) ?? 0) + d.netBaseCents);
    }
    for (const s of ordered) {
      const n = net.get(s.id) ?? 0;
      if (n === 0) continue;
      anySales = true;
      byStore.set(s.id, (byStore.get(s.id) ?? 0) + n);
      for (const [kind, bp] of [['royalty', seg.c.royaltyBp], ['marketing', seg.c.marketingFeeBp]] as const) {
        if (bp === 0) continue;
        const fee = percentOf(n, bp, 'halfUp');
        if (fee === 0) continue;
        const days = partial ? ` (${dm(seg.from)}–${dm(seg.to)})` : '';
        lines.push({
          contractId: seg.c.id,
          storeId: s.id,
          kind,
          rateBp: bp,
          from: seg.from,
          to: seg.to,
          netSalesCents: n,
          feeCents: fee,
          description: `${KIND_LABEL[kind]} ${percentLabel(bp)} — ${s.name} — ventas netas ${formatMoney(n, 'es')}${days}`,
        });
      }
    }
  }
  if (!anySales) return { skip: 'NO_SALES', reason: FEE_SKIP_REASONS.NO_SALES };
  const baseCents = lines.reduce((a, l) => a + l.feeCents, 0);
  if (baseCents <= 0) return { skip: 'NO_FEE', reason: FEE_SKIP_REASONS.NO_FEE };
  return {
    period,
    contract: segments[segments.length - 1]!.c,
    lines,
    baseCents,
    netSalesByStore: ordered.filter((s) => byStore.has(s.id)).map((s) => ({ storeId: s.id, netSalesCents: byStore.get(s.id)! })),
  };
}

export const isFeeSkip = (p: FeePlan | FeeSkip): p is FeeSkip => 'skip' in p;

/** The invoice line of a fee line: one unit at the fee (a negative fee: −1 unit), IVA 21 %. */
export function feeInvoiceLine(l: FeeLine): { description: string; quantityMilli: number; unitPriceCents: Cents; ivaRateBp: BasisPoints; storeId: string; sourceRef: string } {
  return {
    description: l.description,
    quantityMilli: l.feeCents < 0 ? -1000 : 1000,
    unitPriceCents: Math.abs(l.feeCents),
    ivaRateBp: 2100,
    storeId: l.storeId,
    sourceRef: `store:${l.storeId}:${l.kind}:${l.from}`,
  };
}
