/**
 * Applies one validated batch of one terminal inside one database transaction (ARCHITECTURE invariant 4):
 * duplicates are acknowledged without effect, tickets beyond a gap wait in ingest_hold until the gap fills,
 * the contiguous run after the last acked seq is written — tickets, lines, payments, fiscal records (chain
 * verified against terminal.last_fiscal_hash; a break is flagged, the ticket is still stored), stock
 * movements and levels, cash session totals, receivables — and the terminal's ack point moves.
 *
 * Review queue (ingest_review): a ticket refused for good occupies its seq and is kept with its reason and the
 * document as sent; a link that does not verify is a `break` item; tickets held beyond missing seqs open one
 * `gap` item per terminal, resolved by the system when the seqs arrive.
 *
 * Chain semantics: a rejected ticket was still issued and chained at the till, so its fiscal record — when it
 * is readable, even inside a malformed document — is stored and checked like any other and stays the chain
 * head. Only a record that cannot be read at all leaves a hole: the next record is then taken as it claims
 * to continue (checked on its own hash, installation and NIF) instead of being flagged for a break it did not
 * cause; the hole itself is in the queue as the rejected ticket.
 */
import type { TicketAck } from '@tpv/shared/wire/sync';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import { domainError, err, ok, type Result } from '@tpv/shared/result';
import { checkLink } from './chain';
import { seriesRejection } from './series';
import type {
  CashSessionRow,
  FiscalRow,
  HoldRow,
  LedgerTx,
  LedgerWrites,
  LineRow,
  MovementRow,
  PaymentRow,
  ReceivableRow,
  ReviewRow,
  StockDeltaRow,
  SalesDayRow,
  SalesPaySessionRow,
  SalesTaxSessionRow,
  SalesWeekRow,
  SubstitutionRow,
  TerminalState,
  TicketRow,
} from './ledger';
import { candidateOf, type BatchRefusal, type Candidate, type TerminalContext, type ValidBatch } from './validate';
import { weekOf } from '../restocking/weeks';
import { runTicketSteps, type TicketStep } from './steps';

/** A seq further than this beyond the ack point is not a gap but a forgery (or a wiped terminal database). */
export const MAX_SEQ_AHEAD = 1_000_000;
/** Held tickets pulled in at once when a gap fills. */
export const HELD_PAGE = 2_000;
export const RECEIVABLE_TERM_DAYS = 30;

export interface IdCache {
  /** Ids not known to exist yet (to be asked to the database). */
  unknown(ids: Iterable<string>): string[];
  add(ids: Iterable<string>): void;
}

export interface ApplyDeps {
  now: string;
  newId: () => string;
  products: IdCache;
  customers: IdCache;
  /** The enabled modules' posting steps, run over the tickets applied (steps.ts). */
  steps?: readonly TicketStep[];
  engine?: 'sqlite' | 'postgres';
  /** The database's identity for the steps' caches (TicketStepContext.db). */
  db: object;
}

export interface AppliedTicket {
  id: string;
  seq: number;
  storeId: string;
  productIds: string[];
  /** A credit note's original ticket (the returns posting re-checks it after commit), else null. */
  originalTicketId: string | null;
  /**
   * What the ticket adds to its store's day (the live dashboard keeps today's figures from these, as the
   * reports' `report_ticket_hour` rollup counts them): null for an F3 substitution, which counts nothing.
   */
  figures: TicketFigures | null;
}

export interface TicketFigures {
  issuedAt: string;
  isReturn: boolean;
  /** The ticket's total with IVA (negative for a return). */
  grossCents: number;
  /** Units sold (negative returned); a weighed line counts ±1. */
  units: number;
}

export interface ApplyOutcome {
  ack: TicketAck;
  applied: AppliedTicket[];
  rejected: number;
  held: number;
  duplicates: number;
  chainBreaks: number;
}

export interface CashTotals {
  tickets: number;
  salesCount: number;
  salesCents: number;
  returnsCount: number;
  returnsCents: number;
  taxCents: number;
  changeCents: number;
  byMethod: Record<'cash' | 'card' | 'voucher' | 'on_account', number>;
  /** Cash that should be in the drawer from sales: cash payments − change. */
  cashNetCents: number;
}

/** A ticket's part of its cash session's totals (the ingest and the history seeding count the same way). */
export function addToCashTotals(t: CashTotals, d: Pick<TicketDocument, 'kind' | 'totals' | 'change' | 'payments'>): void {
  t.tickets++;
  if (d.kind === 'sale') {
    t.salesCount++;
    t.salesCents += d.totals.total;
  } else {
    t.returnsCount++;
    t.returnsCents += d.totals.total;
  }
  t.taxCents += d.totals.taxTotal;
  t.changeCents += d.change;
  for (const p of d.payments) t.byMethod[p.method] += p.amount;
  t.cashNetCents = t.byMethod.cash - t.changeCents;
}

export function emptyCashTotals(): CashTotals {
  return {
    tickets: 0,
    salesCount: 0,
    salesCents: 0,
    returnsCount: 0,
    returnsCents: 0,
    taxCents: 0,
    changeCents: 0,
    byMethod: { cash: 0, card: 0, voucher: 0, on_account: 0 },
    cashNetCents: 0,
  };
}

function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * A ticket's part of the daily rollup (`sales_day`): its base without IVA is total − tax (= Σ taxBreakdown.base),
 * the same figure the rebuild reads from `sale_ticket` (total_cents − tax_cents).
 */
export function addToSalesDay(into: Map<string, SalesDayRow>, storeId: string, businessDate: string, d: Pick<TicketDocument, 'kind' | 'totals'>): void {
  let r = into.get(businessDate);
  if (!r) {
    r = { store_id: storeId, business_date: businessDate, sales_count: 0, sales_base_cents: 0, sales_tax_cents: 0, returns_count: 0, returns_base_cents: 0, returns_tax_cents: 0 };
    into.set(businessDate, r);
  }
  const base = d.totals.total - d.totals.taxTotal;
  if (d.kind === 'sale') {
    r.sales_count++;
    r.sales_base_cents += base;
    r.sales_tax_cents += d.totals.taxTotal;
  } else {
    r.returns_count++;
    r.returns_base_cents += base;
    r.returns_tax_cents += d.totals.taxTotal;
  }
}

/**
 * A ticket's part of its session's accounting rollups: its tax breakdown per rate, and what paid for it per
 * method — cash is what the ticket's total leaves after the other methods (tendered cash less change), so the
 * payments always add up to base + IVA + recargo. The rebuild (accounting/sales/rollup.ts) counts the same way.
 */
export function addToSalesSession(
  into: { tax: Map<string, SalesTaxSessionRow>; pay: Map<string, SalesPaySessionRow> },
  at: { terminalId: string; storeId: string; businessDate: string },
  d: Pick<TicketDocument, 'sessionId' | 'totals' | 'payments' | 'taxBreakdown'>,
): void {
  const head = { terminal_id: at.terminalId, session_id: d.sessionId, business_date: at.businessDate, store_id: at.storeId };
  for (const t of d.taxBreakdown) {
    const key = `${d.sessionId}|${at.businessDate}|${t.rate}|${t.reRate}`;
    const r = into.tax.get(key) ?? { ...head, iva_rate_bp: t.rate, re_rate_bp: t.reRate, base_cents: 0, iva_cents: 0, re_cents: 0 };
    r.base_cents += t.base;
    r.iva_cents += t.ivaCuota;
    r.re_cents += t.reCuota;
    into.tax.set(key, r);
  }
  let others = 0;
  const add = (method: string, customerId: string, amount: number) => {
    const key = `${d.sessionId}|${at.businessDate}|${method}|${customerId}`;
    const r = into.pay.get(key) ?? { ...head, method, customer_id: customerId, amount_cents: 0 };
    r.amount_cents += amount;
    into.pay.set(key, r);
  };
  for (const p of d.payments) {
    if (p.method === 'cash') continue;
    others += p.amount;
    add(p.method, p.method === 'on_account' ? p.customerId : '', p.amount);
  }
  const cash = d.totals.total - others;
  if (cash !== 0 || d.payments.some((p) => p.method === 'cash')) add('cash', '', cash);
}

const refuse = (code: BatchRefusal['code'], message: string) => err(domainError(code, message));

/** `terminal.last_fiscal_hash` when the chain head is a record HQ could not read (see the chain semantics above). */
export const UNKNOWN_CHAIN_HEAD = '?';

type ReviewFn = (c: Pick<Candidate, 'seq' | 'ticketId'>, kind: ReviewRow['kind'], code: string, reason: string, payload: string | null) => void;

export function reviewRows(ctx: TerminalContext, deps: ApplyDeps, into: ReviewRow[]): ReviewFn {
  return (c, kind, code, reason, payload) =>
    into.push({
      id: deps.newId(),
      terminal_id: ctx.terminalId,
      store_id: ctx.storeId,
      seq: c.seq,
      ticket_id: c.ticketId,
      kind,
      code,
      reason: reason.slice(0, 2000),
      payload,
      created_at: deps.now,
    });
}

/**
 * Rules on single tickets that need the database, in seq order: the series must be the till's own, then the
 * ticket id and the fiscal number must be new franchise-wide. Sets `rejection` on the candidates that fail.
 */
export async function checkAgainstLedger(tx: LedgerTx, state: TerminalState, run: Candidate[]): Promise<void> {
  const till = { storeCode: state.storeCode, terminalCode: state.code };
  for (const c of run) {
    if (c.rejection === null) c.rejection = seriesRejection(c.doc!.series, c.doc!.kind, till);
  }
  // Ticket ids must be unique across the franchise: a reused id is refused for good (kept for review).
  const runIds = run.filter((c) => c.rejection === null).map((c) => c.doc!.id);
  const existing = runIds.length > 0 ? await tx.existingTicketIds(runIds) : new Set<string>();
  // So is a fiscal number within its series (a till that reused a number must not block its queue).
  const pairs = run.filter((c) => c.rejection === null).map((c) => ({ series: c.doc!.series, number: c.doc!.number }));
  const numbered = pairs.length > 0 ? await tx.existingFiscalNumbers(pairs) : new Set<string>();
  // An F3 replaces a ticket once, whichever till or HQ issued the first one (ticket_substitution).
  const replacing = run.filter((c) => c.rejection === null && c.doc!.substitutes !== undefined).map((c) => c.doc!.substitutes!.id);
  const substituted = replacing.length > 0 ? await tx.substitutedTickets(replacing) : new Map<string, string>();
  const seenIds = new Set<string>();
  const seenNumbers = new Set<string>();
  for (const c of run) {
    if (c.rejection !== null) continue;
    const id = c.doc!.id;
    const fiscalKey = `${c.doc!.series}/${c.doc!.number}`;
    const replaces = c.doc!.substitutes;
    if (existing.has(id) || seenIds.has(id)) c.rejection = { code: 'DUPLICATE_TICKET_ID', reason: `ticket id ${id} already used by another seq` };
    else if (numbered.has(fiscalKey) || seenNumbers.has(fiscalKey)) c.rejection = { code: 'DUPLICATE_FISCAL_NUMBER', reason: `fiscal number ${fiscalKey} already issued by another ticket` };
    else if (replaces !== undefined && substituted.has(replaces.id)) {
      c.rejection = { code: 'TICKET_ALREADY_SUBSTITUTED', reason: `${replaces.fiscalNumber} was already replaced by the invoice ${substituted.get(replaces.id)!}` };
    }
    seenIds.add(id);
    seenNumbers.add(fiscalKey);
    if (c.rejection === null && replaces !== undefined) substituted.set(replaces.id, c.doc!.fiscalNumber);
  }
}

/** The fiscal_record row of a candidate's (readable) record. */
export function fiscalRow(terminalId: string, c: Candidate, link: { verified: boolean; breakReason: string | null }): FiscalRow {
  const r = c.fiscal!;
  const ticketId = c.doc?.id ?? (c.ticketId !== null && c.ticketId.length <= 36 ? c.ticketId : null);
  return {
    terminal_id: terminalId,
    chain_position: c.seq,
    record_kind: r.kind,
    ticket_id: ticketId,
    hash: r.hash,
    previous_hash: r.previousHash === '' ? null : r.previousHash,
    verified: link.verified,
    break_reason: link.breakReason,
  };
}

export async function applyBatch(
  tx: LedgerTx,
  ctx: TerminalContext,
  batch: ValidBatch,
  deps: ApplyDeps,
): Promise<Result<ApplyOutcome, BatchRefusal>> {
  const state = await tx.lockTerminal(ctx.terminalId);
  if (!state || state.revoked) return refuse('TERMINAL_REVOKED', 'terminal unknown or revoked');
  if (state.storeId !== ctx.storeId) return refuse('TERMINAL_MOVED', 'terminal moved to another store; reconnect');
  const acked = state.lastAckedSeq;
  const rejectedAck: Array<{ seq: number; reason: string }> = [];

  const dups = batch.tickets.filter((t) => t.seq <= acked);
  const fresh = batch.tickets.filter((t) => t.seq > acked);
  const tooFar = fresh.find((t) => t.seq > acked + MAX_SEQ_AHEAD);
  if (tooFar) return refuse('FORGED_SEQ', `seq ${tooFar.seq} is more than ${MAX_SEQ_AHEAD} beyond the acked seq ${acked}`);

  if (dups.length > 0) {
    const seqs = dups.map((d) => d.seq);
    const stored = await tx.storedIdsBySeq(ctx.terminalId, seqs);
    for (const d of dups) {
      const id = stored.get(d.seq);
      if (id !== undefined && d.ticketId !== id) return refuse('FORGED_SEQ', `seq ${d.seq} was applied as ticket ${id}, not ${String(d.ticketId)}`);
    }
    const rejected = await tx.rejectedSeqs(ctx.terminalId, seqs);
    for (const [seq, code] of rejected) rejectedAck.push({ seq, reason: `${code} (already reviewed)` });
  }

  // The contiguous run from acked+1, from this batch and from what was held earlier.
  const bySeq = new Map<number, Candidate>();
  for (const c of fresh) bySeq.set(c.seq, c);
  let heldUsed = false;
  let heldMore = false;
  if (state.minHeldSeq !== null) {
    const page = await tx.held(ctx.terminalId, acked, HELD_PAGE);
    heldMore = page.length === HELD_PAGE;
    for (const h of page) {
      let raw: unknown;
      try {
        raw = JSON.parse(h.payload);
      } catch {
        raw = {};
      }
      bySeq.set(h.seq, candidateOf(raw, h.seq, h.payload)); // first arrival wins
      heldUsed = true;
    }
  }
  const run: Candidate[] = [];
  for (let s = acked + 1; bySeq.has(s); s++) run.push(bySeq.get(s)!);
  const runEnd = acked + run.length;
  // Beyond the gap: wait in ingest_hold (a re-sent held ticket is ignored there).
  const holds: HoldRow[] = fresh
    .filter((c) => c.seq > runEnd)
    .map((c) => ({ terminal_id: ctx.terminalId, seq: c.seq, payload: c.json, received_at: deps.now }));

  await checkAgainstLedger(tx, state, run);
  const accepted = run.filter((c) => c.rejection === null).map((c) => c.doc!);
  const reviews: ReviewRow[] = [];
  const review = reviewRows(ctx, deps, reviews);
  const writer = await ticketWriter(tx, { ...ctx, companyId: state.companyId }, deps, accepted, review);

  const fiscal: FiscalRow[] = [];
  // null: the head is a record HQ could not read; the next record is taken as it claims to continue.
  let previous: string | null = state.lastFiscalHash === UNKNOWN_CHAIN_HEAD ? null : (state.lastFiscalHash ?? '');
  let chainBreaks = 0;
  let rejectedNow = 0;

  for (const c of run) {
    let chainOk = false;
    if (c.fiscal) {
      const link = checkLink(c.fiscal, previous ?? c.fiscal.previousHash, ctx.installation, ctx.companyNif);
      chainOk = link.verified;
      fiscal.push(fiscalRow(ctx.terminalId, c, link));
      if (!link.verified) {
        chainBreaks++;
        review(c, 'break', link.breakReason!.split(':')[0]!, link.breakReason!, c.json);
      }
      previous = c.fiscal.hash;
    } else {
      previous = null;
    }
    if (c.rejection !== null) {
      rejectedNow++;
      review(c, 'rejected', c.rejection.code, c.rejection.reason, c.json);
      rejectedAck.push({ seq: c.seq, reason: `${c.rejection.code}: ${c.rejection.reason}`.slice(0, 500) });
      continue;
    }
    writer.write(c.doc!, c, chainOk);
  }

  // Gaps: one open item per terminal, resolved by the system once the missing seqs have arrived.
  const beyond = [...fresh.filter((c) => c.seq > runEnd).map((c) => c.seq), ...[...bySeq.keys()].filter((s) => s > runEnd)];
  const stillHeld = beyond.length > 0 || heldMore;
  let resolveGapsUpTo: number | null = null;
  if (stillHeld || state.minHeldSeq !== null) {
    const gapSeq = await tx.openGapSeq(ctx.terminalId);
    if (gapSeq !== null && gapSeq <= runEnd) resolveGapsUpTo = runEnd;
    if (stillHeld && (gapSeq === null || gapSeq <= runEnd)) {
      const nextHeld = Math.min(...beyond, Number.MAX_SAFE_INTEGER);
      const missing = nextHeld === runEnd + 2 || nextHeld === Number.MAX_SAFE_INTEGER ? `seq ${runEnd + 1}` : `seqs ${runEnd + 1}–${nextHeld - 1}`;
      const heldCount = new Set(beyond).size;
      review({ seq: runEnd + 1, ticketId: null }, 'gap', 'SEQ_GAP', `${missing} missing (${heldCount}${heldMore ? '+' : ''} held beyond the gap); the till must resend them`, null);
    }
  }

  const writes: LedgerWrites = {
    ...writer.rows(),
    fiscal,
    reviews,
    holds,
    releaseHeldUpTo: heldUsed || (state.minHeldSeq !== null && state.minHeldSeq <= runEnd) ? runEnd : null,
    resolveGapsUpTo,
    terminal: {
      id: ctx.terminalId,
      lastAckedSeq: runEnd,
      lastFiscalHash: previous === null ? UNKNOWN_CHAIN_HEAD : previous === '' ? null : previous,
      lastSeenAt: deps.now,
    },
  };
  await tx.write(writes);
  await runTicketSteps(deps.steps, tx, deps.engine ?? 'sqlite', { terminalId: ctx.terminalId, storeId: ctx.storeId, companyId: state.companyId, now: deps.now, newId: deps.newId, db: deps.db }, appliedDocs(accepted, writer.applied));
  const ack: TicketAck = { terminalId: ctx.terminalId, ackedSeq: runEnd };
  if (rejectedAck.length > 0) ack.rejected = rejectedAck.sort((a, b) => a.seq - b.seq).slice(0, 200);
  return ok({ ack, applied: writer.applied, rejected: rejectedNow, held: holds.length, duplicates: dups.length, chainBreaks });
}

/** The documents of the tickets the writer applied, in order. */
export function appliedDocs(accepted: readonly TicketDocument[], applied: readonly AppliedTicket[]): TicketDocument[] {
  const ids = new Set(applied.map((a) => a.id));
  return accepted.filter((d) => ids.has(d.id));
}

/**
 * The rows of accepted tickets — ticket, lines, payments, stock movements and levels, cash session totals,
 * receivables — built with the master data the ledger's foreign keys need (loaded once per batch).
 */
/** `companyId`: the store's owner as locked with the terminal (stock levels record whose stock they are). */
export async function ticketWriter(tx: LedgerTx, ctx: TerminalContext & { companyId: string }, deps: ApplyDeps, accepted: TicketDocument[], review: ReviewFn) {
  const productIds = new Set<string>();
  const customerIds = new Set<string>();
  for (const d of accepted) {
    for (const l of d.lines) productIds.add(l.productId);
    for (const p of d.payments) if (p.method === 'on_account') customerIds.add(p.customerId);
  }
  const missingProducts = deps.products.unknown(productIds);
  if (missingProducts.length > 0) deps.products.add(await tx.existingProducts(missingProducts));
  const unknownProducts = new Set(deps.products.unknown(productIds));
  const missingCustomers = deps.customers.unknown(customerIds);
  if (missingCustomers.length > 0) deps.customers.add(await tx.existingCustomers(missingCustomers));
  const unknownCustomers = new Set(deps.customers.unknown(customerIds));

  const sessions = new Map<string, CashTotals>();
  const sessionIds = [...new Set(accepted.map((d) => d.sessionId))];
  if (sessionIds.length > 0) {
    const storedTotals = await tx.sessionTotals(ctx.terminalId, sessionIds);
    for (const id of sessionIds) {
      const text = storedTotals.get(id);
      sessions.set(id, text ? { ...emptyCashTotals(), ...(JSON.parse(text) as CashTotals) } : emptyCashTotals());
    }
  }

  const tickets: TicketRow[] = [];
  const lines: LineRow[] = [];
  const payments: PaymentRow[] = [];
  const movements: MovementRow[] = [];
  const stock = new Map<string, StockDeltaRow>();
  const salesWeeks = new Map<string, SalesWeekRow>();
  const salesDays = new Map<string, SalesDayRow>();
  const salesSession = { tax: new Map<string, SalesTaxSessionRow>(), pay: new Map<string, SalesPaySessionRow>() };
  const receivables: ReceivableRow[] = [];
  const substitutions: SubstitutionRow[] = [];
  const applied: AppliedTicket[] = [];

  function write(d: TicketDocument, c: Pick<Candidate, 'seq' | 'ticketId' | 'json'>, chainOk: boolean) {
    if (d.substitutes !== undefined) return writeSubstitution(d, c, chainOk);
    const businessDate = d.issuedAt.slice(0, 10);
    const at = new Date(d.issuedAt).toISOString();
    const onAccount = d.payments.filter((p) => p.method === 'on_account');
    const customerId = d.customer?.id ?? onAccount[0]?.customerId ?? null;
    tickets.push({
      id: d.id,
      terminal_id: ctx.terminalId,
      store_id: ctx.storeId,
      seq: d.seq,
      kind: d.kind,
      series: d.series,
      number: d.number,
      fiscal_number: d.fiscalNumber,
      issued_at: d.issuedAt,
      business_date: businessDate,
      cashier_id: d.cashier.id,
      customer_id: customerId,
      session_id: d.sessionId,
      total_cents: d.totals.total,
      tax_cents: d.totals.taxTotal,
      discount_cents: d.totals.discountTotal,
      original_ticket_id: d.originalTicket?.id ?? null,
      document: c.json,
      received_at: deps.now,
      chain_ok: chainOk,
    });
    const productIdsOfTicket: string[] = [];
    d.lines.forEach((l, i) => {
      const qty = l.quantity.kind === 'units' ? l.quantity.units : l.quantity.grams;
      lines.push({
        ticket_id: d.id,
        line_no: i + 1,
        product_id: l.productId,
        units: l.quantity.kind === 'units' ? l.quantity.units : Math.sign(qty),
        grams: l.quantity.kind === 'weight' ? l.quantity.grams : null,
        total_cents: l.total,
        tax_rate_bp: l.taxRate,
      });
      if (unknownProducts.has(l.productId)) {
        review(c, 'anomaly', 'UNKNOWN_PRODUCT', `line ${i + 1}: product ${l.productId} unknown at HQ; no stock movement`, null);
        return;
      }
      productIdsOfTicket.push(l.productId);
      // A sale takes stock out, a return (negative quantity) puts it back.
      const delta = -qty;
      movements.push({
        id: deps.newId(),
        location_id: ctx.storeId,
        product_id: l.productId,
        delta,
        reason: qty < 0 ? 'return' : 'sale',
        ticket_id: d.id,
        line_no: i + 1,
        at,
      });
      const key = `${ctx.storeId}|${l.productId}`;
      const s = stock.get(key);
      if (s) s.delta += delta;
      else stock.set(key, { location_id: ctx.storeId, company_id: ctx.companyId, product_id: l.productId, delta, updated_at: deps.now });
      // The restocking rollup: what left the shelf this week (a return brings it down), same rows as the movement.
      const week = weekOf(businessDate);
      const wkey = `${week}|${l.productId}`;
      const sw = salesWeeks.get(wkey);
      if (sw) sw.quantity += qty;
      else salesWeeks.set(wkey, { location_id: ctx.storeId, week, product_id: l.productId, quantity: qty });
    });
    d.payments.forEach((p, idx) => payments.push({ ticket_id: d.id, idx, method: p.method, amount_cents: p.amount }));
    const onAccountCents = onAccount.reduce((a, p) => a + p.amount, 0);
    if (onAccount.length > 0) {
      const cid = onAccount[0]!.customerId;
      if (unknownCustomers.has(cid)) review(c, 'anomaly', 'UNKNOWN_CUSTOMER', `on-account customer ${cid} unknown at HQ; no receivable`, null);
      else receivables.push({ id: deps.newId(), customer_id: cid, store_id: ctx.storeId, ticket_id: d.id, amount_cents: onAccountCents, due_date: addDays(businessDate, RECEIVABLE_TERM_DAYS) });
    }
    addToCashTotals(sessions.get(d.sessionId)!, d);
    addToSalesDay(salesDays, ctx.storeId, businessDate, d);
    addToSalesSession(salesSession, { terminalId: ctx.terminalId, storeId: ctx.storeId, businessDate }, d);
    let units = 0;
    for (const l of d.lines) units += l.quantity.kind === 'units' ? l.quantity.units : Math.sign(l.quantity.grams);
    applied.push({
      id: d.id, seq: d.seq, storeId: ctx.storeId, productIds: productIdsOfTicket, originalTicketId: d.originalTicket?.id ?? null,
      figures: { issuedAt: d.issuedAt, isReturn: d.kind === 'return', grossCents: d.totals.total, units },
    });
  }

  /**
   * A till's F3: kept in sale_ticket (its place in the till's seq, series and chain; `document` is what the AEAT
   * export reads) as kind 'invoice' with zero amounts in the columns — it replaces a ticket whose sale, tax,
   * stock and cash were counted already; its real amounts are in the document. No lines, payments, stock or
   * cash. `ticket_substitution` records the replaced ticket.
   */
  function writeSubstitution(d: TicketDocument, c: Pick<Candidate, 'seq' | 'ticketId' | 'json'>, chainOk: boolean) {
    tickets.push({
      id: d.id,
      terminal_id: ctx.terminalId,
      store_id: ctx.storeId,
      seq: d.seq,
      kind: 'invoice',
      series: d.series,
      number: d.number,
      fiscal_number: d.fiscalNumber,
      issued_at: d.issuedAt,
      business_date: d.issuedAt.slice(0, 10),
      cashier_id: d.cashier.id,
      customer_id: d.customer?.id ?? null,
      session_id: d.sessionId,
      total_cents: 0,
      tax_cents: 0,
      discount_cents: 0,
      original_ticket_id: null,
      document: c.json,
      received_at: deps.now,
      chain_ok: chainOk,
    });
    substitutions.push({ ticket_id: d.substitutes!.id, invoice_ticket_id: d.id, fiscal_number: d.fiscalNumber, issue_date: d.fiscal.issueDate, created_at: deps.now });
    applied.push({ id: d.id, seq: d.seq, storeId: ctx.storeId, productIds: [], originalTicketId: null, figures: null });
  }

  const rows = () => ({
    substitutions,
    tickets,
    lines,
    payments,
    movements,
    stock: [...stock.values()].sort((a, b) => (a.product_id < b.product_id ? -1 : a.product_id > b.product_id ? 1 : 0)),
    salesWeeks: [...salesWeeks.values()].sort((a, b) => (a.week !== b.week ? (a.week < b.week ? -1 : 1) : a.product_id < b.product_id ? -1 : a.product_id > b.product_id ? 1 : 0)),
    salesDays: [...salesDays.values()].sort((a, b) => (a.business_date < b.business_date ? -1 : a.business_date > b.business_date ? 1 : 0)),
    salesTax: [...salesSession.tax.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r),
    salesPay: [...salesSession.pay.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r),
    lateDemand: lateDemandOf(salesWeeks.values(), weekOf(deps.now.slice(0, 10))),
    cash: [...sessions].map(([session_id, totals]): CashSessionRow => ({ terminal_id: ctx.terminalId, session_id, totals: JSON.stringify(totals), updated_at: deps.now })),
    receivables,
  });
  return { write, rows, applied };
}

/**
 * The (store, product) pairs of rollup rows for a week before `currentWeek` (distinct, sorted): restocking's
 * demand statistics of those pairs may be out of date (see restocking/demand.ts). A ticket of this week: none.
 */
export function lateDemandOf(rows: Iterable<SalesWeekRow>, currentWeek: string): Array<{ location_id: string; product_id: string }> {
  const late = new Map<string, { location_id: string; product_id: string }>();
  for (const r of rows) if (r.week < currentWeek) late.set(`${r.location_id}|${r.product_id}`, { location_id: r.location_id, product_id: r.product_id });
  return [...late.values()].sort((a, b) => (a.location_id !== b.location_id ? (a.location_id < b.location_id ? -1 : 1) : a.product_id < b.product_id ? -1 : a.product_id > b.product_id ? 1 : 0));
}
