/**
 * Gift vouchers at the till (issue 15).
 *
 * Selling / loading: a voucher sold is a multi-purpose voucher (no IVA until it pays for goods), so it is not a
 * ticket line: one local transaction writes the `voucher_sale`, the cash part as a drawer movement of the open
 * session (reason `vale:<code>`, shown as "Vales vendidos" on X/Z), the upward document `vouchers.sale` and the
 * slip (code, barcode, QR). Codes are made here (terminal prefix + 60 random bits + check char) or scanned
 * from a pre-printed card.
 *
 * Redeeming: before the cashier adds a voucher payment the till asks HQ for a hold (`vouchers.hold`); HQ's
 * refusal is final; no answer (offline) → the till's own allowance: at most the policy's offline cap per
 * voucher at this till (Σ of its offline authorizations). The ticket claims its authorizations inside the
 * checkout transaction (`claimInTransaction`): a voucher payment without one is refused.
 */
import { randomBytes } from 'node:crypto';
import { ok, type Result } from '@tpv/shared/result';
import { voucherSlip, type VoucherSlipData } from './slip';
import { DEFAULT_VOUCHER_POLICY, offlineAllowance, type VoucherPolicy } from '@tpv/shared/vouchers/policy';
import { isValidCode, newVoucherCode, normalizeCode, terminalPrefix } from '@tpv/shared/vouchers/codes';
import { VoucherBalanceReplySchema, VoucherHoldReplySchema, VoucherReleaseReplySchema, type VoucherSale } from '@tpv/shared/vouchers/wire';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import { failure, type Failure } from '../app/errors';
import { abort, inTransaction } from '../app/tx';
import { requireIdentity, type TerminalDeps } from '../app/context';
import type { SessionQueries } from '../cash/sessions';
import type { StaffMember } from '../people/pins';
import type { Printing } from '../printing/printing';
import { receiptStore } from '../printing/receipts';
import { createDocumentOutbox } from '../sync/document-outbox';

export interface SellVoucherInput {
  kind: 'issue' | 'load';
  /** Absent on `issue`: a new code is made. A scanned pre-printed card or the voucher to load: its code. */
  code?: string | undefined;
  amountCents: number;
  payments: Array<{ method: 'cash'; amountCents: number } | { method: 'card'; amountCents: number; reference: string }>;
  /** A return refunded as a voucher (a gift receipt's): any amount from one cent, what was returned. */
  refund?: boolean | undefined;
}

export interface VoucherSaleView { id: string; number: string; kind: 'issue' | 'load'; code: string; amountCents: number; changeCents: number }
export type VoucherAuthorization =
  | { id: string; code: string; amountCents: number; mode: 'online'; availableCents: number; expiresAt: string }
  | { id: string; code: string; amountCents: number; mode: 'offline'; offlineCapCents: number; offlineLeftCents: number };
export type VoucherBalanceView =
  | { code: string; mode: 'online'; status: string; balanceCents: number; availableCents: number; expiresAt: string }
  | { code: string; mode: 'offline'; offlineCapCents: number; offlineLeftCents: number };

export interface Vouchers {
  sell(cashier: StaffMember, input: SellVoucherInput): Result<VoucherSaleView, Failure>;
  balance(code: string): Promise<Result<VoucherBalanceView, Failure>>;
  authorize(code: string, amountCents: number): Promise<Result<VoucherAuthorization, Failure>>;
  release(id: string): Promise<Result<{ released: boolean }, Failure>>;
  /** Inside the checkout transaction: each voucher payment claims an open authorization of its code (else abort). */
  claimInTransaction(doc: Pick<TicketDocument, 'id' | 'payments'>): void;
  /** Voucher sales of a cash session (X/Z "Vales vendidos"). */
  soldInSession(sessionId: string): { count: number; cents: number; cashCents: number; cardCents: number };
}

export function createVouchers(o: { deps: TerminalDeps; sessions: SessionQueries; printing: Printing; policy?: VoucherPolicy }): Vouchers {
  const { deps, sessions, printing } = o;
  const policy = o.policy ?? DEFAULT_VOUCHER_POLICY;
  const db = deps.db;
  const outbox = createDocumentOutbox(db);
  const nowIso = () => new Date(deps.clock.now()).toISOString();
  const countSales = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM voucher_sale');
  const insSale = db.prepare('INSERT INTO voucher_sale (id, number, kind, code, amount_cents, cash_cents, card_cents, change_cents, session_id, staff_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const insMovement = db.prepare(`INSERT INTO cash_movement (id, session_id, kind, amount_cents, reason, ticket_id, at, staff_id) VALUES (?, ?, 'cash_in', ?, ?, NULL, ?, ?)`);
  const offlineTaken = db.prepare<[string], { c: number }>(`SELECT COALESCE(SUM(amount_cents), 0) AS c FROM voucher_authorization WHERE code = ? AND mode = 'offline' AND status <> 'released'`);
  const insAuth = db.prepare(`INSERT INTO voucher_authorization (id, code, amount_cents, mode, status, ticket_id, created_at) VALUES (?, ?, ?, ?, 'open', NULL, ?)`);
  const authById = db.prepare<[string], { id: string; code: string; mode: string; status: string }>('SELECT id, code, mode, status FROM voucher_authorization WHERE id = ?');
  // An online hold lapses at HQ after the policy's minutes: past that the till no longer counts on it.
  const openAuths = db.prepare<[string, string], { id: string; amount_cents: number; mode: string }>(
    `SELECT id, amount_cents, mode FROM voucher_authorization WHERE code = ? AND status = 'open' AND (mode = 'offline' OR created_at > ?) ORDER BY created_at, id`,
  );
  const useAuth = db.prepare(`UPDATE voucher_authorization SET status = 'used', ticket_id = ?, amount_cents = ? WHERE id = ?`);
  const releaseAuth = db.prepare(`UPDATE voucher_authorization SET status = 'released' WHERE id = ? AND status = 'open'`);
  const sessionSales = db.prepare<[string], { n: number; c: number; cash: number; card: number }>(
    'SELECT COUNT(*) AS n, COALESCE(SUM(amount_cents), 0) AS c, COALESCE(SUM(cash_cents - change_cents), 0) AS cash, COALESCE(SUM(card_cents), 0) AS card FROM voucher_sale WHERE session_id = ?',
  );

  const codeOf = (raw: string): Result<string, Failure> => {
    const c = normalizeCode(raw);
    return isValidCode(c) ? ok(c) : failure('VOUCHER_CODE_INVALID', 'código de vale no válido (dígito de control) / invalid voucher code', { field: 'code' });
  };

  return {
    sell(cashier, input) {
      const identity = requireIdentity(deps);
      if (!identity.ok) return identity;
      const session = sessions.open();
      if (!session) return failure('CASH_SESSION_NOT_OPEN', 'open the till (cash session) before selling');
      const amount = input.amountCents;
      if (!Number.isSafeInteger(amount) || amount < (input.refund ? 1 : policy.minLoadCents) || amount > policy.maxBalanceCents) {
        return failure('VOUCHER_AMOUNT_INVALID', `importe entre ${policy.minLoadCents / 100} y ${policy.maxBalanceCents / 100} € / amount out of range`, { field: 'amountCents' });
      }
      let code: string;
      if (input.code !== undefined && input.code.trim() !== '') {
        const c = codeOf(input.code);
        if (!c.ok) return c;
        code = c.value;
      } else if (input.kind === 'load') return failure('VOUCHER_CODE_INVALID', 'escanee el vale a cargar / scan the voucher to load', { field: 'code' });
      else code = newVoucherCode(terminalPrefix(identity.value.storeCode, identity.value.terminalCode), (n) => randomBytes(n));
      const cash = input.payments.reduce((s, p) => s + (p.method === 'cash' ? p.amountCents : 0), 0);
      const card = input.payments.reduce((s, p) => s + (p.method === 'card' ? p.amountCents : 0), 0);
      if (input.payments.some((p) => !Number.isSafeInteger(p.amountCents) || p.amountCents <= 0)) return failure('PAYMENT_AMOUNT_INVALID', 'payment amounts must be positive cents');
      if (card > amount) return failure('CHANGE_FROM_NON_CASH', 'card payments exceed the voucher amount');
      if (cash + card < amount) return failure('PAYMENT_SHORT', `paid ${cash + card} of ${amount}`, { missing: amount - cash - card });
      const change = cash + card - amount;
      if (change > cash) return failure('CHANGE_FROM_NON_CASH', 'change comes only from cash');
      const id = deps.newId();
      const at = nowIso();
      const prefix = terminalPrefix(identity.value.storeCode, identity.value.terminalCode);
      const r = inTransaction(deps.repos.transaction, () => {
        const number = `VV-${prefix}-${String((countSales.get()?.n ?? 0) + 1).padStart(6, '0')}`;
        insSale.run(id, number, input.kind, code, amount, cash, card, change, session.id, cashier.id, at);
        if (cash - change !== 0) insMovement.run(deps.newId(), session.id, cash - change, `vale:${code}`, at, cashier.id);
        const payload: VoucherSale = {
          kind: input.kind, code, amountCents: amount, number, sessionId: session.id, staffId: cashier.id,
          payments: paidNetOfChange(input.payments, change),
          ...(input.code ? { preprinted: input.kind === 'issue' } : {}),
        };
        outbox.enqueue({ id, kind: 'vouchers.sale', createdAt: at, payload });
        const slip: VoucherSlipData = { store: receiptStore(identity.value), terminal: identity.value.terminalName, at: deps.localTime(Date.parse(at)).timestamp, cashier: cashier.name, number, kind: input.kind, code, amountCents: amount, change, validityMonths: policy.validityMonths };
        printing.queueInTransaction(() => voucherSlip(slip), { id: deps.newId(), kind: 'voucher', createdAt: at });
        return number;
      });
      if (!r.ok) return r;
      deps.hq.documentsQueued();
      printing.kick();
      if (cash > 0) deps.drawer.open().catch(() => undefined);
      return ok({ id, number: r.value, kind: input.kind, code, amountCents: amount, changeCents: change });
    },

    async balance(raw) {
      const c = codeOf(raw);
      if (!c.ok) return c;
      const a = await deps.hq.request('vouchers.balance', { code: c.value }, VoucherBalanceReplySchema);
      if (a && 'refused' in a) return failure(a.refused.code, a.refused.message, { field: 'code' });
      if (a) return ok({ mode: 'online', ...a.reply });
      const left = offlineAllowance(policy, offlineTaken.get(c.value)?.c ?? 0);
      return ok({ code: c.value, mode: 'offline', offlineCapCents: policy.offlineCapCents, offlineLeftCents: left });
    },

    async authorize(raw, amountCents) {
      const c = codeOf(raw);
      if (!c.ok) return c;
      if (!Number.isSafeInteger(amountCents) || amountCents <= 0) return failure('PAYMENT_AMOUNT_INVALID', 'amount must be positive cents', { field: 'amountCents' });
      const id = deps.newId();
      const a = await deps.hq.request('vouchers.hold', { holdId: id, code: c.value, amountCents }, VoucherHoldReplySchema);
      if (a && 'refused' in a) return failure(a.refused.code, a.refused.message, { field: 'code' });
      if (a) {
        insAuth.run(id, c.value, amountCents, 'online', nowIso());
        return ok({ id, code: c.value, amountCents, mode: 'online', availableCents: a.reply.availableCents, expiresAt: a.reply.expiresAt });
      }
      // Offline: this till's own allowance, counted and written in one transaction (two quick taps cannot both pass).
      const r = inTransaction(deps.repos.transaction, () => {
        const left = offlineAllowance(policy, offlineTaken.get(c.value)?.c ?? 0);
        if (amountCents > left) {
          abort({ code: 'VOUCHER_OFFLINE_CAP', message: `sin conexión: como máximo ${(left / 100).toFixed(2).replace('.', ',')} € de este vale / offline: at most ${(left / 100).toFixed(2)} EUR of this voucher`, details: { field: 'amountCents', offlineLeftCents: left, offlineCapCents: policy.offlineCapCents } });
        }
        insAuth.run(id, c.value, amountCents, 'offline', nowIso());
        return left - amountCents;
      });
      if (!r.ok) return r;
      return ok({ id, code: c.value, amountCents, mode: 'offline', offlineCapCents: policy.offlineCapCents, offlineLeftCents: r.value });
    },

    async release(id) {
      const a = authById.get(id);
      if (!a) return failure('VOUCHER_AUTHORIZATION_UNKNOWN', 'no such voucher authorization');
      const released = releaseAuth.run(id).changes > 0;
      if (released && a.mode === 'online') await deps.hq.request('vouchers.release', { holdId: id }, VoucherReleaseReplySchema);
      return ok({ released });
    },

    claimInTransaction(doc) {
      for (const p of doc.payments) {
        if (p.method !== 'voucher') continue;
        const code = normalizeCode(p.code);
        const auth = openAuths.all(code, new Date(deps.clock.now() - policy.holdMinutes * 60_000).toISOString()).find((x) => x.amount_cents >= p.amount);
        if (!auth) abort({ code: 'VOUCHER_NOT_AUTHORIZED', message: `vale ${code}: pida el saldo antes de cobrar / ask for the voucher's balance before taking it`, details: { voucherCode: code } });
        // An offline authorization counts for what was really taken (the rest of the cap stays free).
        useAuth.run(doc.id, auth.mode === 'offline' ? p.amount : auth.amount_cents, auth.id);
      }
    },

    soldInSession(sessionId) {
      const r = sessionSales.get(sessionId) ?? { n: 0, c: 0, cash: 0, card: 0 };
      return { count: r.n, cents: r.c, cashCents: r.cash, cardCents: r.card };
    },
  };
}

/** The payments as the voucher's price was paid: the change given back comes off the cash payments. */
export function paidNetOfChange(payments: SellVoucherInput['payments'], change: number): VoucherSale['payments'] {
  let left = change;
  const out: VoucherSale['payments'] = [];
  for (const p of payments) {
    if (p.method === 'card') out.push({ method: 'card', amountCents: p.amountCents, reference: p.reference });
    else {
      const back = Math.min(left, p.amountCents);
      left -= back;
      if (p.amountCents - back > 0) out.push({ method: 'cash', amountCents: p.amountCents - back });
    }
  }
  return out;
}
