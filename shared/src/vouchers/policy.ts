/**
 * The franchise's gift-voucher policy (pure). A voucher sold is a multi-purpose voucher (bono polivalente,
 * Ley del IVA art. 75 after Directive 2016/1065): no IVA when sold or loaded, only on the goods it pays for —
 * so a sale of a voucher is its own document, never a fiscal ticket line.
 *
 * Refunds: a sale paid with a voucher is refunded in cash or to the card like any refund (shared/src/ticket.ts
 * `settle` refuses voucher refunds at the till); HQ may instead credit the amount back to the voucher
 * (`refund` posting, audited) when the customer asks for it.
 */
export interface VoucherPolicy {
  /** At most this much of one voucher may be spent at one till while HQ cannot be asked. */
  offlineCapCents: number;
  /** A voucher expires this many months after it was issued or last loaded (unspent balance posted `expire`). */
  validityMonths: number;
  minLoadCents: number;
  /** Balance ceiling of one voucher (anti-fraud; anonymous prepaid instruments). */
  maxBalanceCents: number;
  /** An online hold lapses unless a ticket consumes it within this many minutes. */
  holdMinutes: number;
}

export const DEFAULT_VOUCHER_POLICY: VoucherPolicy = {
  offlineCapCents: 5_000,
  validityMonths: 24,
  minLoadCents: 500,
  maxBalanceCents: 100_000,
  holdMinutes: 30,
};

/** ISO date-time `months` later (same day of month, clamped to the month's end). */
export function addMonths(iso: string, months: number): string {
  const d = new Date(iso);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d.toISOString();
}

/** What the till may still accept offline for a voucher: the cap less what it already took offline. */
export function offlineAllowance(policy: Pick<VoucherPolicy, 'offlineCapCents'>, alreadyOfflineCents: number): number {
  return Math.max(0, policy.offlineCapCents - alreadyOfflineCents);
}
