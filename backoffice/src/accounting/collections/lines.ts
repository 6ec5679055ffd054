/**
 * Collections and payments → journal lines, as pure functions of a document's facts and the company's rules
 * (table-driven tests call them directly). The counterparty's sub-account carries the whole of a payment —
 * what went to its items and what stays as its credit (an advance is still owed back) — so a counterparty's
 * 430/400/410 balance equals its open items' balance less the credit its payments hold.
 *
 * Where the money is: cash → cash (570); card → card_clearing (555): the acquirer pays later, net of its
 * commission, like the tills' card takings, and the bank settlement clears it; offset (compensación) → the same
 * 555 "partidas pendientes de aplicación": the collection and the payment that compensate each other are two
 * documents, one crediting 430 and one debiting 400 against 555, which nets to zero once both are recorded;
 * transfer, direct debit, cheque → bank (572).
 */
import { signedLine, type DraftLine, type LineAccount } from '@tpv/shared/accounting/entries';
import { accountFor, type PostingRole, type RuleOverrides } from '@tpv/shared/accounting/rules';

export type Counterparty = Extract<LineAccount, { group: string }>['counterparty'];
export type Side = 'receivable' | 'payable';

/** The account role where a payment's money lands or leaves from. */
export function moneyRole(method: string): PostingRole {
  if (method === 'cash') return 'cash';
  if (method === 'card' || method === 'offset') return 'card_clearing';
  return 'bank';
}

/** A receivable is on 430; a payable on 400, or 410 when the creditor is a company of the franchise (its fees). */
export const groupOf = (side: Side, kind: Counterparty['kind']): '430' | '400' | '410' => (side === 'receivable' ? '430' : kind === 'company' ? '410' : '400');

const cpLine = (side: Side, cp: Counterparty) => ({ group: groupOf(side, cp.kind), counterparty: cp });

export interface PaymentFacts {
  id: string;
  companyId: string;
  side: Side;
  number: string;
  method: string;
  amountCents: number;
  receivedOn: string;
  counterparty: Counterparty;
  /** The amount by store of the items it paid (the rest, its credit, under `null`); sums to `amountCents`. */
  byStore: ReadonlyArray<{ storeId: string | null; cents: number }>;
}

/**
 * A collection received: debit the money, credit the customer's 430. A payment made: debit the creditor's
 * 400/410, credit the money. One pair per store, so every store's lines balance on their own.
 */
export function paymentLines(p: Pick<PaymentFacts, 'side' | 'method' | 'counterparty' | 'byStore'>, rules: RuleOverrides): DraftLine[] {
  const money = { account: accountFor(rules, moneyRole(p.method)) };
  const party = cpLine(p.side, p.counterparty);
  const sign = p.side === 'receivable' ? 1 : -1;
  const lines: DraftLine[] = [];
  for (const s of p.byStore) {
    const pair: DraftLine[] = [...signedLine(money, sign * s.cents, { storeId: s.storeId }), ...signedLine(party, -sign * s.cents, { storeId: s.storeId })];
    // The debit first, as an entry reads.
    lines.push(...pair.sort((a, b) => b.debitCents - a.debitCents));
  }
  return lines;
}

/** A payment voided: its lines the other way round (when it has no entry of its own to reverse). */
export const voidLines = (p: Pick<PaymentFacts, 'side' | 'method' | 'counterparty' | 'byStore'>, rules: RuleOverrides): DraftLine[] =>
  paymentLines({ ...p, byStore: p.byStore.map((s) => ({ ...s, cents: -s.cents })) }, rules);

/** Credit a payment held, paid back: the payment's lines the other way round, for that amount. */
export function refundLines(p: Pick<PaymentFacts, 'side' | 'method' | 'counterparty'>, cents: number, rules: RuleOverrides): DraftLine[] {
  return paymentLines({ ...p, byStore: [{ storeId: null, cents: -cents }] }, rules);
}

export interface RemittanceSettledFacts {
  id: string;
  companyId: string;
  number: string;
  settledOn: string;
  /** One per debit the bank collected. */
  debits: ReadonlyArray<{ counterparty: Counterparty; storeId: string | null; cents: number }>;
  /** The bank's fee for the remittance, if the bank charged one (the remittance model has none yet: 0). */
  feeCents: number;
}

/** The bank's credit for a remittance: debit the bank what it collected (less its fee → 626), credit each debtor's 430. */
export function remittanceSettledLines(r: RemittanceSettledFacts, rules: RuleOverrides): DraftLine[] {
  const bank = { account: accountFor(rules, 'bank') };
  const byStore = new Map<string | null, number>();
  for (const d of r.debits) byStore.set(d.storeId, (byStore.get(d.storeId) ?? 0) + d.cents);
  const lines: DraftLine[] = [];
  for (const [storeId, cents] of byStore) lines.push(...signedLine(bank, cents, { storeId }));
  if (r.feeCents > 0) {
    lines.push(...signedLine({ account: accountFor(rules, 'bank_fees') }, r.feeCents));
    lines.push(...signedLine(bank, -r.feeCents));
  }
  for (const d of r.debits) lines.push(...signedLine(cpLine('receivable', d.counterparty), -d.cents, { storeId: d.storeId }));
  return lines;
}

export interface DebitReturnFacts {
  lineId: string;
  companyId: string;
  ref: string;
  returnedOn: string;
  counterparty: Counterparty;
  storeId: string | null;
  /** What the bank took back (0 when the debit was rejected before it was settled). */
  returnedCents: number;
  /** The bank's fee for the return. */
  feeCents: number;
  /** The fee recharged to the debtor (a receivable of its own). */
  rechargedCents: number;
}

/** A returned direct debit: the debtor owes it again (430 / bank), the bank's fee (626 / bank), the fee recharged (430 / 759). */
export function debitReturnLines(r: DebitReturnFacts, rules: RuleOverrides): DraftLine[] {
  const bank = { account: accountFor(rules, 'bank') };
  const debtor = cpLine('receivable', r.counterparty);
  const store = { storeId: r.storeId };
  return [
    ...signedLine(debtor, r.returnedCents, store),
    ...signedLine(bank, -r.returnedCents, store),
    ...signedLine({ account: accountFor(rules, 'bank_fees') }, r.feeCents, store),
    ...signedLine(bank, -r.feeCents, store),
    ...signedLine(debtor, r.rechargedCents, store),
    ...signedLine({ account: accountFor(rules, 'recharged_fees') }, -r.rechargedCents, store),
  ];
}

/** A bad debt written off: debit 650, credit the debtor's 430. */
export function writeOffLines(w: { counterparty: Counterparty; storeId: string | null; cents: number }, rules: RuleOverrides): DraftLine[] {
  return [...signedLine({ account: accountFor(rules, 'bad_debts') }, w.cents, { storeId: w.storeId }), ...signedLine(cpLine('receivable', w.counterparty), -w.cents, { storeId: w.storeId })];
}
