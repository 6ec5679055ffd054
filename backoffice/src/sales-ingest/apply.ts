/**
 * Applies one validated batch of one terminal inside one database transaction (ARCHITECTURE invariant 4):
 * duplicates are acknowledged without effect, tickets beyond a gap wait in ingest_hold until the gap fills,
 * the contiguous run after the last acked seq is written — tickets, lines, payments, fiscal records (chain
 * verified against terminal.last_fiscal_hash; a break is flagged, the ticket is still stored), stock
 * movements and levels, cash session totals, receivables — and the terminal's ack point moves.
 */
import type { TicketAck } from '@tpv/shared/wire/sync';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import { domainError, err, ok, type Result } from '@tpv/shared/result';
import { checkLink } from './chain';
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
  TicketRow,
} from './ledger';
import { checkTicket, type BatchRefusal, type Candidate, type TerminalContext, type ValidBatch } from './validate';

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
}

export interface AppliedTicket {
  id: string;
  seq: number;
  storeId: string;
  productIds: string[];
  /** A credit note's original ticket (the returns posting re-checks it after commit), else null. */
  originalTicketId: string | null;
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

const refuse = (code: BatchRefusal['code'], message: string) => err(domainError(code, message));

export async function applyBatch(
  tx: LedgerTx,
  ctx: TerminalContext,
  batch: ValidBatch,
  deps: ApplyDeps,
): Promise<Result<ApplyOutcome, BatchRefusal>> {
  const state = await tx.lockTerminal(ctx.terminalId);
  if (!state || state.revoked) return refuse('TERMINAL_REVOKED', 'terminal unknown or revoked');
  if (state.storeId !== ctx.storeId) return refuse('FORGED_STORE', 'terminal moved to another store; reconnect');
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
  if (state.minHeldSeq !== null) {
    for (const h of await tx.held(ctx.terminalId, acked, HELD_PAGE)) {
      let raw: unknown;
      try {
        raw = JSON.parse(h.payload);
      } catch {
        raw = {};
      }
      bySeq.set(h.seq, checkTicket(raw, h.seq, h.payload)); // first arrival wins
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

  // Ticket ids must be unique across the franchise: a reused id is refused for good (kept for review).
  const runIds = run.filter((c) => c.rejection === null).map((c) => c.doc!.id);
  const existing = runIds.length > 0 ? await tx.existingTicketIds(runIds) : new Set<string>();
  // So is a fiscal number within its series (a till that reused a number must not block its queue).
  const pairs = run.filter((c) => c.rejection === null).map((c) => ({ series: c.doc!.series, number: c.doc!.number }));
  const numbered = pairs.length > 0 ? await tx.existingFiscalNumbers(pairs) : new Set<string>();
  const seenIds = new Set<string>();
  const seenNumbers = new Set<string>();
  for (const c of run) {
    if (c.rejection !== null) continue;
    const id = c.doc!.id;
    const fiscalKey = `${c.doc!.series}/${c.doc!.number}`;
    if (existing.has(id) || seenIds.has(id)) c.rejection = { code: 'DUPLICATE_TICKET_ID', reason: `ticket id ${id} already used by another seq` };
    else if (numbered.has(fiscalKey) || seenNumbers.has(fiscalKey)) c.rejection = { code: 'DUPLICATE_FISCAL_NUMBER', reason: `fiscal number ${fiscalKey} already issued by another ticket` };
    seenIds.add(id);
    seenNumbers.add(fiscalKey);
  }
  const accepted = run.filter((c) => c.rejection === null).map((c) => c.doc!);

  // Master data the ledger's foreign keys need.
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
  const fiscal: FiscalRow[] = [];
  const movements: MovementRow[] = [];
  const stock = new Map<string, StockDeltaRow>();
  const receivables: ReceivableRow[] = [];
  const reviews: ReviewRow[] = [];
  const applied: AppliedTicket[] = [];
  let previous = state.lastFiscalHash ?? '';
  let chainBreaks = 0;
  let rejectedNow = 0;

  const review = (c: Candidate, kind: ReviewRow['kind'], code: string, reason: string, payload: string | null) =>
    reviews.push({
      id: deps.newId(),
      terminal_id: ctx.terminalId,
      store_id: ctx.storeId,
      seq: c.seq,
      ticket_id: c.ticketId,
      kind,
      code,
      reason,
      payload,
      created_at: deps.now,
    });

  for (const c of run) {
    const doc = c.doc;
    let chainOk = false;
    if (doc) {
      const link = checkLink(doc.fiscal, previous, ctx.installation, ctx.companyNif);
      chainOk = link.verified;
      if (!link.verified) chainBreaks++;
      fiscal.push({
        terminal_id: ctx.terminalId,
        chain_position: c.seq,
        record_kind: doc.fiscal.kind,
        ticket_id: doc.id,
        hash: doc.fiscal.hash,
        previous_hash: doc.fiscal.previousHash === '' ? null : doc.fiscal.previousHash,
        verified: link.verified,
        break_reason: link.breakReason,
      });
      previous = doc.fiscal.hash;
    }
    if (c.rejection !== null) {
      rejectedNow++;
      review(c, 'rejected', c.rejection.code, c.rejection.reason, c.json);
      rejectedAck.push({ seq: c.seq, reason: `${c.rejection.code}: ${c.rejection.reason}`.slice(0, 500) });
      continue;
    }
    const d = doc!;
    writeTicket(d, c, chainOk);
  }

  function writeTicket(d: TicketDocument, c: Candidate, chainOk: boolean) {
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
        store_id: ctx.storeId,
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
      else stock.set(key, { store_id: ctx.storeId, product_id: l.productId, delta, updated_at: deps.now });
    });
    d.payments.forEach((p, idx) => payments.push({ ticket_id: d.id, idx, method: p.method, amount_cents: p.amount }));
    const onAccountCents = onAccount.reduce((a, p) => a + p.amount, 0);
    if (onAccount.length > 0) {
      const cid = onAccount[0]!.customerId;
      if (unknownCustomers.has(cid)) review(c, 'anomaly', 'UNKNOWN_CUSTOMER', `on-account customer ${cid} unknown at HQ; no receivable`, null);
      else receivables.push({ id: deps.newId(), customer_id: cid, store_id: ctx.storeId, ticket_id: d.id, amount_cents: onAccountCents, due_date: addDays(businessDate, RECEIVABLE_TERM_DAYS) });
    }
    const t = sessions.get(d.sessionId)!;
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
    applied.push({ id: d.id, seq: d.seq, storeId: ctx.storeId, productIds: productIdsOfTicket, originalTicketId: d.originalTicket?.id ?? null });
  }

  const cash: CashSessionRow[] = [...sessions].map(([session_id, totals]) => ({
    terminal_id: ctx.terminalId,
    session_id,
    totals: JSON.stringify(totals),
    updated_at: deps.now,
  }));
  const writes: LedgerWrites = {
    tickets,
    lines,
    payments,
    fiscal,
    movements,
    stock: [...stock.values()].sort((a, b) => (a.product_id < b.product_id ? -1 : a.product_id > b.product_id ? 1 : 0)),
    cash,
    receivables,
    reviews,
    holds,
    releaseHeldUpTo: heldUsed || (state.minHeldSeq !== null && state.minHeldSeq <= runEnd) ? runEnd : null,
    terminal: { id: ctx.terminalId, lastAckedSeq: runEnd, lastFiscalHash: previous === '' ? null : previous, lastSeenAt: deps.now },
  };
  await tx.write(writes);
  const ack: TicketAck = { terminalId: ctx.terminalId, ackedSeq: runEnd };
  if (rejectedAck.length > 0) ack.rejected = rejectedAck.sort((a, b) => a.seq - b.seq).slice(0, 200);
  return ok({ ack, applied, rejected: rejectedNow, held: holds.length, duplicates: dups.length, chainBreaks });
}
