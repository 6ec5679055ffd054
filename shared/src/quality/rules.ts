/**
 * Quality control's pure rules (issue 17), shared by the back office (which decides) and the admin UI (the
 * audit page's running score): incident due dates by severity, the incident lifecycle, an audit's weighted
 * score, when an answer fails, time-to-close statistics and the supplier rating. Integers throughout:
 * scores in hundredths (0–10000 = 0–100,00), durations in minutes, halves rounded up.
 */

export const INCIDENT_KINDS = ['delivery_discrepancy', 'damaged_goods', 'customer_complaint', 'equipment_failure', 'food_safety', 'cleanliness'] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];
export const INCIDENT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type IncidentSeverity = (typeof INCIDENT_SEVERITIES)[number];
export const INCIDENT_STATES = ['open', 'assigned', 'in_progress', 'resolved', 'closed'] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];
/** Where an incident was reported: a store's back office, a till, HQ, or another module (a delivery received short). */
export const INCIDENT_SOURCES = ['store', 'till', 'hq', 'system'] as const;
export type IncidentSource = (typeof INCIDENT_SOURCES)[number];

const HOUR_MS = 3_600_000;
/**
 * Time allowed to close an incident, by severity. Critical (food safety, a hazard at the counter) must be
 * dealt with within the day it is reported — 24 h covers a store's full trading day and the next opening;
 * high blocks selling or serving properly, so three days (a weekend) is the most a store can live with it;
 * medium is a weekly visit/delivery cycle (7 days); low waits for the next fortnightly review (14 days).
 */
export const DUE_HOURS: Readonly<Record<IncidentSeverity, number>> = { critical: 24, high: 72, medium: 168, low: 336 };

/** The due instant (ISO, UTC) of an incident reported at `createdAt` with this severity. */
export function dueAtOf(createdAt: string, severity: IncidentSeverity): string {
  return new Date(Date.parse(createdAt) + DUE_HOURS[severity] * HOUR_MS).toISOString();
}

/**
 * The moves an incident's state may make by the state action (assignment has its own action and moves
 * `open` to `assigned`). Closing is possible from any unclosed state as long as a resolution is given;
 * `resolved → in_progress` reopens work the reporter found unfinished.
 */
export const INCIDENT_MOVES: Readonly<Record<IncidentState, readonly IncidentState[]>> = {
  open: ['resolved', 'closed'],
  assigned: ['in_progress', 'resolved', 'closed'],
  in_progress: ['resolved', 'closed'],
  resolved: ['in_progress', 'closed'],
  closed: [],
};
export const mayMove = (from: IncidentState, to: IncidentState) => INCIDENT_MOVES[from].includes(to);
/** Resolving and closing need a resolution text (what was done about it). */
export const needsResolution = (to: IncidentState) => to === 'resolved' || to === 'closed';

// ── store audits ──

export const AUDIT_SECTIONS = ['pricing', 'cleanliness', 'food_safety', 'brand_standards'] as const;
export type AuditSection = (typeof AUDIT_SECTIONS)[number];
export const AUDIT_SCALES = ['yes_no', 'zero_five'] as const;
export type AuditScale = (typeof AUDIT_SCALES)[number];

/** The highest value of a scale: yes/no answers 1 (yes) or 0 (no); 0–5 answers 0…5. */
export const scaleMax = (s: AuditScale) => (s === 'yes_no' ? 1 : 5);
export const inScale = (s: AuditScale, v: number) => Number.isInteger(v) && v >= 0 && v <= scaleMax(s);
/** An answer fails below half its scale: "no" on yes/no, 0–2 on 0–5 (a 3 is acceptable, not good). */
export const answerFails = (s: AuditScale, v: number) => 2 * v < scaleMax(s);

/** Half-up division of non-negative integers: n / d rounded to the nearest, halves up. */
export const divHalfUp = (n: number, d: number) => Math.floor((2 * n + d) / (2 * d));

export interface ScoredAnswer {
  weight: number;
  scale: AuditScale;
  /** null: N/A (left out of the denominator too). */
  value: number | null;
}

/**
 * An audit's score in hundredths: 10000 × Σ weight·value/max ÷ Σ weight over the answers that are not N/A.
 * Exact in integers: every max divides 5, so numerator and denominator are both taken ×5
 * (n = Σ w·v·5/max, d = 5·Σ w) before one half-up division. Null when every answer is N/A.
 */
export function auditScore(answers: readonly ScoredAnswer[]): number | null {
  let n = 0;
  let d = 0;
  for (const a of answers) {
    if (a.value === null) continue;
    n += a.weight * a.value * (5 / scaleMax(a.scale));
    d += 5 * a.weight;
  }
  return d === 0 ? null : divHalfUp(10_000 * n, d);
}

// ── figures ──

/** Mean and median of durations in minutes (each half-up), null for none. */
export function meanMedian(minutes: readonly number[]): { mean: number | null; median: number | null } {
  if (minutes.length === 0) return { mean: null, median: null };
  const xs = [...minutes].sort((a, b) => a - b);
  const sum = xs.reduce((s, x) => s + x, 0);
  const mid = xs.length >> 1;
  const median = xs.length % 2 === 1 ? xs[mid]! : divHalfUp(xs[mid - 1]! + xs[mid]!, 2);
  return { mean: divHalfUp(sum, xs.length), median };
}

export interface SupplierRatingInput {
  /** Goods receipts of the supplier's purchase orders in the period. */
  deliveries: number;
  /** Of those, received after the order's expected date. */
  late: number;
  /** Delivery-discrepancy incidents naming the supplier in the period. */
  discrepancies: number;
  /** Returns to the supplier (documents) in the period. */
  returns: number;
}

/**
 * Supplier rating 0–100 over a period, null without deliveries:
 *   rating = max(0, 100 × (deliveries − late − discrepancies − returns/2) / deliveries), half up.
 * A late delivery or a discrepancy spoils one delivery each; a return counts half, because returns also
 * carry our own recalls and overstock, not only the supplier's faults. In integers: 100·(2R − 2L − 2D − T)
 * over 2R.
 */
export function supplierRating(s: SupplierRatingInput): number | null {
  if (s.deliveries <= 0) return null;
  const n = 100 * (2 * s.deliveries - 2 * s.late - 2 * s.discrepancies - s.returns);
  return n <= 0 ? 0 : divHalfUp(n, 2 * s.deliveries);
}
