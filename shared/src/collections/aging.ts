/**
 * Aging of receivables (or payables) at a date: each open balance goes to one bucket by its days past due —
 * not due (due today or later), 1–30, 31–60, 61–90, over 90 — per counterparty and in total; and days sales
 * outstanding. Every non-zero balance is aged as it is (an overpaid item counts negative), so the total of
 * the report is the ledger's balance.
 */
import { mulDiv, type Cents } from '../money';
import { dayNumber } from './days';

export type AgingBucket = 'not_due' | 'd1_30' | 'd31_60' | 'd61_90' | 'over_90';
export const AGING_BUCKETS: readonly AgingBucket[] = ['not_due', 'd1_30', 'd31_60', 'd61_90', 'over_90'];
export const AGING_BUCKET_LABELS: Readonly<Record<AgingBucket, { es: string; en: string }>> = {
  not_due: { es: 'No vencido', en: 'Not due' },
  d1_30: { es: '1–30 días', en: '1–30 days' },
  d31_60: { es: '31–60 días', en: '31–60 days' },
  d61_90: { es: '61–90 días', en: '61–90 days' },
  over_90: { es: 'Más de 90 días', en: 'Over 90 days' },
};

export type AgingBuckets = Record<AgingBucket, Cents>;

export interface AgingInputItem {
  readonly counterpartyId: string;
  readonly dueDate: string;
  readonly balanceCents: Cents;
}

export interface AgingRow {
  readonly counterpartyId: string;
  readonly buckets: AgingBuckets;
  readonly totalCents: Cents;
  /** Items with a non-zero balance. */
  readonly items: number;
  /** Days past due of its oldest overdue item (0 when nothing is overdue). */
  readonly maxDaysPastDue: number;
}

export interface AgingReport {
  readonly asOf: string;
  /** Sorted by counterparty id. */
  readonly rows: readonly AgingRow[];
  readonly total: AgingRow;
}

/** Days past due at `asOf`: 0 on the due date itself and before it. */
export function daysPastDue(dueDate: string, asOf: string): number {
  return Math.max(0, dayNumber(asOf) - dayNumber(dueDate));
}

export function bucketOf(days: number): AgingBucket {
  if (days <= 0) return 'not_due';
  if (days <= 30) return 'd1_30';
  if (days <= 60) return 'd31_60';
  if (days <= 90) return 'd61_90';
  return 'over_90';
}

const emptyBuckets = (): AgingBuckets => ({ not_due: 0, d1_30: 0, d31_60: 0, d61_90: 0, over_90: 0 });

interface Acc { buckets: AgingBuckets; total: number; items: number; maxDays: number }

/**
 * The aging report at `asOf`. One pass; due dates are parsed once each (a million items share few due
 * dates). Throws RangeError on a malformed date (the ledger stores only valid ones).
 */
export function agingReport(items: Iterable<AgingInputItem>, asOf: string): AgingReport {
  const today = dayNumber(asOf);
  const dayCache = new Map<string, number>();
  const byCounterparty = new Map<string, Acc>();
  const total: Acc = { buckets: emptyBuckets(), total: 0, items: 0, maxDays: 0 };
  for (const item of items) {
    const b = item.balanceCents;
    if (b === 0) continue;
    let due = dayCache.get(item.dueDate);
    if (due === undefined) {
      due = dayNumber(item.dueDate);
      dayCache.set(item.dueDate, due);
    }
    const days = today - due > 0 ? today - due : 0;
    const bucket = bucketOf(days);
    let acc = byCounterparty.get(item.counterpartyId);
    if (acc === undefined) {
      acc = { buckets: emptyBuckets(), total: 0, items: 0, maxDays: 0 };
      byCounterparty.set(item.counterpartyId, acc);
    }
    acc.buckets[bucket] += b;
    acc.total += b;
    acc.items += 1;
    total.buckets[bucket] += b;
    total.total += b;
    total.items += 1;
    if (b > 0 && days > acc.maxDays) acc.maxDays = days;
    if (b > 0 && days > total.maxDays) total.maxDays = days;
  }
  const rows = [...byCounterparty.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([counterpartyId, a]) => ({ counterpartyId, buckets: a.buckets, totalCents: a.total, items: a.items, maxDaysPastDue: a.maxDays }));
  return { asOf, rows, total: { counterpartyId: '*', buckets: total.buckets, totalCents: total.total, items: total.items, maxDaysPastDue: total.maxDays } };
}

/**
 * Days sales outstanding = receivables / credit sales of the period × days of the period, in tenths of a day
 * rounded half-up (an integer: 456 = 45.6 days). Null when there were no credit sales to measure against.
 */
export function dsoTenths(receivablesCents: Cents, creditSalesCents: Cents, periodDays: number): number | null {
  if (creditSalesCents <= 0 || !Number.isSafeInteger(periodDays) || periodDays <= 0) return null;
  return mulDiv(receivablesCents, periodDays * 10, creditSalesCents, 'halfUp');
}

/** DSO in days with one decimal (dsoTenths / 10), for display. */
export function daysSalesOutstanding(receivablesCents: Cents, creditSalesCents: Cents, periodDays: number): number | null {
  const t = dsoTenths(receivablesCents, creditSalesCents, periodDays);
  return t === null ? null : t / 10;
}
