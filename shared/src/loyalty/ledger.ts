/**
 * Reading a member's points ledger FIFO by earn date (pure). Credits (earn, positive adjustments, merge
 * transfers in) are lots of the company where they were earned; each debit (redeem, reverse, expire,
 * negative adjustment, merge transfer out) consumes the oldest-earned lots first, in posting order. A debit
 * that finds no lot (an offline redemption that overdrew) waits for the next credit, which covers it first.
 *
 * From this one walk: the lots still outstanding (the liability per company, what expires), and which
 * company's points each debit used (the settlement: points earned at one franchisee redeemed at another).
 */
export type PostingKind = 'earn' | 'redeem' | 'reverse' | 'expire' | 'adjust' | 'merge';

export interface LedgerPosting {
  /** Order of the customer's postings. */
  readonly seq: number;
  readonly kind: PostingKind;
  /** Signed: credits > 0, debits < 0. */
  readonly points: number;
  readonly companyId: string;
  /** Credits: the day the points were earned (YYYY-MM-DD); debits: the day of the posting. */
  readonly day: string;
}

export interface Lot {
  readonly companyId: string;
  readonly earnedOn: string;
  readonly seq: number;
  remaining: number;
}

export interface Consumption {
  /** The debit's seq, kind, company and day. */
  readonly debitSeq: number;
  readonly kind: PostingKind;
  readonly spentAt: string;
  readonly day: string;
  /** The company whose points were used. */
  readonly earnedAt: string;
  readonly points: number;
}

export interface FifoResult {
  /** Lots with points left, oldest earned first. */
  lots: Lot[];
  consumptions: Consumption[];
  /** Debits not covered by any lot yet (Σ, positive): the member's overdraft. */
  overdraft: number;
}

export function walkFifo(postings: readonly LedgerPosting[]): FifoResult {
  const ordered = [...postings].sort((a, b) => a.seq - b.seq);
  const lots: Lot[] = [];
  const pending: Array<{ p: LedgerPosting; left: number }> = [];
  const consumptions: Consumption[] = [];
  const consume = (debit: LedgerPosting, lot: Lot, n: number) => {
    lot.remaining -= n;
    consumptions.push({ debitSeq: debit.seq, kind: debit.kind, spentAt: debit.companyId, day: debit.day, earnedAt: lot.companyId, points: n });
  };
  for (const p of ordered) {
    if (p.points > 0) {
      const lot: Lot = { companyId: p.companyId, earnedOn: p.day, seq: p.seq, remaining: p.points };
      // An earlier overdraft is covered first.
      while (pending.length > 0 && lot.remaining > 0) {
        const d = pending[0]!;
        const n = Math.min(d.left, lot.remaining);
        consume(d.p, lot, n);
        d.left -= n;
        if (d.left === 0) pending.shift();
      }
      if (lot.remaining > 0) {
        let i = lots.length;
        while (i > 0 && (lots[i - 1]!.earnedOn > lot.earnedOn)) i--;
        lots.splice(i, 0, lot);
      }
    } else if (p.points < 0) {
      let left = -p.points;
      while (left > 0 && lots.length > 0) {
        const lot = lots[0]!;
        const n = Math.min(left, lot.remaining);
        consume(p, lot, n);
        left -= n;
        if (lot.remaining === 0) lots.shift();
      }
      if (left > 0) pending.push({ p, left });
    }
  }
  return { lots, consumptions, overdraft: pending.reduce((s, d) => s + d.left, 0) };
}

/** The day `months` months before `day` (YYYY-MM-DD; the 31st of a shorter month falls on its last day). */
export function monthsBefore(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) - months;
  const yy = Math.floor(total / 12);
  const mm = (total % 12) + 1;
  const last = new Date(Date.UTC(yy, mm, 0)).getUTCDate();
  return `${String(yy).padStart(4, '0')}-${String(mm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** Points that expire on `asOf`, per company: lots earned before `asOf − expiryMonths` still outstanding. */
export function expiringPoints(postings: readonly LedgerPosting[], asOf: string, expiryMonths: number): Map<string, number> {
  const out = new Map<string, number>();
  if (expiryMonths <= 0) return out;
  const cutoff = monthsBefore(asOf, expiryMonths);
  for (const lot of walkFifo(postings).lots) {
    if (lot.earnedOn < cutoff && lot.remaining > 0) out.set(lot.companyId, (out.get(lot.companyId) ?? 0) + lot.remaining);
  }
  return out;
}

/** Outstanding points per company where they were earned (the liability, before × point value). */
export function outstandingByCompany(postings: readonly LedgerPosting[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const lot of walkFifo(postings).lots) out.set(lot.companyId, (out.get(lot.companyId) ?? 0) + lot.remaining);
  return out;
}

export interface SettlementLine {
  /** The company whose members' points were redeemed elsewhere: it owes… */
  readonly debtorCompanyId: string;
  /** …the company that gave the discount. */
  readonly creditorCompanyId: string;
  readonly points: number;
  readonly cents: number;
}

/**
 * A month's settlement (YYYY-MM) from the redemptions' consumptions: for each pair of companies, points
 * earned at one and redeemed at the other that month, netted per pair (A owes B x, B owes A y → the larger
 * side owes the difference), valued at `pointValueCents`.
 */
export function settlement(consumptions: readonly Consumption[], month: string, pointValueCents: number): SettlementLine[] {
  const owed = new Map<string, number>();
  for (const c of consumptions) {
    if (c.kind !== 'redeem' || c.earnedAt === c.spentAt || !c.day.startsWith(month)) continue;
    const k = `${c.earnedAt}|${c.spentAt}`;
    owed.set(k, (owed.get(k) ?? 0) + c.points);
  }
  const out: SettlementLine[] = [];
  const done = new Set<string>();
  for (const [k, pts] of [...owed.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const [a, b] = k.split('|') as [string, string];
    if (done.has(k)) continue;
    const back = owed.get(`${b}|${a}`) ?? 0;
    done.add(k).add(`${b}|${a}`);
    const net = pts - back;
    if (net > 0) out.push({ debtorCompanyId: a, creditorCompanyId: b, points: net, cents: net * pointValueCents });
    else if (net < 0) out.push({ debtorCompanyId: b, creditorCompanyId: a, points: -net, cents: -net * pointValueCents });
  }
  return out;
}
