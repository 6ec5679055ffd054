/**
 * Gift vouchers' rules at HQ: a sale/load from a till (upward `vouchers.sale`), the online questions of a
 * till taking a voucher payment (balance, hold, release), the ticket step that posts a redemption and
 * consumes its hold, HQ's corrections (adjust, refund to the voucher, void, block/unblock) and expiry.
 * Every change appends to the ledger (ledger.ts) in the caller's transaction.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { TillRequestRefused } from '@tpv/shared/wire/till-request';
import { addMonths, DEFAULT_VOUCHER_POLICY, type VoucherPolicy } from '@tpv/shared/vouchers/policy';
import { normalizeCode } from '@tpv/shared/vouchers/codes';
import {
  VoucherBalanceRequestSchema, VoucherHoldRequestSchema, VoucherReleaseRequestSchema, VoucherSaleSchema,
  type VoucherBalanceReply, type VoucherHoldReply,
} from '@tpv/shared/vouchers/wire';
import type { TicketStep } from '../sales-ingest/steps';
import type { ModuleContext, UpwardHandler, UpwardTill } from '../modules/types';
import { writeTransaction } from '../persistence/raw';
import { documentPosted } from '../platform/document-events';
import { isPostgres } from '../persistence/sql';
import { newRowId } from '../persistence/row-id';
import {
  closeHold, heldCents, holdById, holdForPayment, insertHold, insertVoucher, lockVoucher, post, postedFrom, sqlOf,
  type Sql, type VoucherRow, type VoucherStatus,
} from './ledger';

export const policy: VoucherPolicy = DEFAULT_VOUCHER_POLICY;
const iso = (clock: Clock) => new Date(clock.now()).toISOString();

// --- the till's voucher sale (upward document) -----------------------------------------------------------

/**
 * A voucher sold or loaded at a till: applied once (upward_document remembers the id; the posting's source
 * key too). The money was taken at the till, so nothing is refused that a till could have sold: a `load` of
 * a code HQ does not know yet issues it (a pre-printed card loaded the first time), an `issue` of a known
 * code loads it. Only a malformed payload (checked by the channel against the schema) is rejected.
 */
export const voucherSaleFromTill: UpwardHandler = async (m, ctx, till, doc) => {
  const parsed = VoucherSaleSchema.safeParse(doc.payload);
  if (!parsed.success) return { rejected: parsed.error.issues[0]?.message ?? 'vale mal formado / malformed voucher sale' };
  const sale = parsed.data;
  const sql = sqlOf(m);
  const source = { kind: 'till' as const, id: doc.id };
  if (await postedFrom(sql, source)) return { reference: `${sale.number} ya aplicado / already applied` };
  const at = iso(ctx.clock);
  const code = normalizeCode(sale.code);
  let v = await lockVoucher(sql, isPostgres(m), code);
  const expiresAt = addMonths(at, policy.validityMonths);
  const kind = v ? 'load' : 'issue';
  v ??= await insertVoucher(sql, { id: newRowId(ctx.clock), code, companyId: till.companyId, storeId: till.storeId, terminalId: till.terminalId, status: 'active', expiresAt, createdAt: at });
  // A load gives the voucher a new validity from today (never shorter than it had).
  const after = { expiresAt: v.expiresAt > expiresAt ? v.expiresAt : expiresAt, ...(v.status === 'expired' ? { status: 'active' as const } : {}) };
  await post(sql, v, { id: newRowId(ctx.clock), kind, amountCents: sale.amountCents, companyId: till.companyId, storeId: till.storeId, terminalId: till.terminalId, source, reference: sale.number, actor: sale.staffId ?? null, at }, after);
  // The books: the money taken against the vouchers outstanding (accounting listens, in this transaction).
  const paid = (method: 'cash' | 'card') => sale.payments.reduce((s, p) => s + (p.method === method ? p.amountCents : 0), 0);
  await documentPosted(m, ctx.clock, { type: 'voucher.sold', saleId: doc.id, companyId: till.companyId, storeId: till.storeId, date: doc.createdAt.slice(0, 10), number: sale.number, cashCents: paid('cash'), cardCents: paid('card') }, null);
  return { reference: `${sale.number} ${kind === 'issue' ? 'emitido / issued' : 'cargado / loaded'}` };
};

// --- online questions of a till ---------------------------------------------------------------------------

function refuseUnusable(v: VoucherRow | undefined, now: string): asserts v is VoucherRow {
  if (!v) throw new TillRequestRefused('VOUCHER_UNKNOWN', 'vale desconocido / unknown voucher');
  if (v.status === 'void') throw new TillRequestRefused('VOUCHER_BLOCKED', 'vale anulado / voucher void');
  if (v.status === 'blocked') throw new TillRequestRefused('VOUCHER_BLOCKED', 'vale bloqueado: consulte con la central / voucher blocked: ask HQ');
  if (v.status === 'expired' || v.expiresAt <= now) throw new TillRequestRefused('VOUCHER_EXPIRED', `vale caducado el ${v.expiresAt.slice(0, 10)} / voucher expired`);
}

export async function voucherBalance(ctx: ModuleContext, _till: UpwardTill, payload: unknown): Promise<VoucherBalanceReply> {
  const p = VoucherBalanceRequestSchema.safeParse(payload);
  if (!p.success) throw new TillRequestRefused('VOUCHER_MALFORMED', p.error.issues[0]?.message ?? 'código mal formado / malformed code');
  const sql = sqlOf(ctx.ds.manager);
  const now = iso(ctx.clock);
  const v = await lockVoucher(sql, false, normalizeCode(p.data.code));
  if (!v) throw new TillRequestRefused('VOUCHER_UNKNOWN', 'vale desconocido / unknown voucher');
  const status: VoucherStatus = v.status === 'active' && v.expiresAt <= now ? 'expired' : v.status;
  return { code: v.code, status, balanceCents: v.balanceCents, availableCents: Math.max(0, v.balanceCents - (await heldCents(sql, v.id, now))), expiresAt: v.expiresAt };
}

/**
 * Reserves `amountCents` of a voucher for a payment a till is taking, atomically: the voucher row is locked,
 * balance − live holds ≥ amount or it is refused (nothing written). A retry with the same hold id gets the same hold.
 */
export async function holdVoucher(ctx: ModuleContext, till: UpwardTill, payload: unknown): Promise<VoucherHoldReply> {
  const p = VoucherHoldRequestSchema.safeParse(payload);
  if (!p.success) throw new TillRequestRefused('VOUCHER_MALFORMED', p.error.issues[0]?.message ?? 'petición mal formada / malformed request');
  const req = p.data;
  return writeTransaction(ctx.ds, async (m) => {
    const sql = sqlOf(m);
    const now = iso(ctx.clock);
    const v = await lockVoucher(sql, isPostgres(m), normalizeCode(req.code));
    const existing = await holdById(sql, req.holdId);
    if (existing) {
      if (!v || existing.voucherId !== v.id || existing.terminalId !== till.terminalId) throw new TillRequestRefused('VOUCHER_MALFORMED', 'reserva de otro vale / hold of another voucher');
      return { holdId: existing.id, code: v.code, amountCents: existing.amountCents, availableCents: v.balanceCents - (await heldCents(sql, v.id, now)), expiresAt: existing.expiresAt };
    }
    refuseUnusable(v, now);
    if (v.balanceCents <= 0) throw new TillRequestRefused('VOUCHER_SPENT', 'vale ya gastado: saldo 0,00 € / voucher already spent');
    const available = v.balanceCents - (await heldCents(sql, v.id, now));
    if (available < req.amountCents) {
      throw new TillRequestRefused('VOUCHER_INSUFFICIENT', `saldo disponible ${(available / 100).toFixed(2).replace('.', ',')} € / available balance ${(available / 100).toFixed(2)} EUR`);
    }
    const expiresAt = new Date(ctx.clock.now() + policy.holdMinutes * 60_000).toISOString();
    await insertHold(sql, { id: req.holdId, voucherId: v.id, terminalId: till.terminalId, amountCents: req.amountCents, expiresAt }, now);
    return { holdId: req.holdId, code: v.code, amountCents: req.amountCents, availableCents: available - req.amountCents, expiresAt };
  });
}

/** The cashier removed the payment or cancelled the sale: the hold goes (only this till's own, only if still active). */
export async function releaseHold(ctx: ModuleContext, till: UpwardTill, payload: unknown): Promise<{ holdId: string; released: boolean }> {
  const p = VoucherReleaseRequestSchema.safeParse(payload);
  if (!p.success) throw new TillRequestRefused('VOUCHER_MALFORMED', p.error.issues[0]?.message ?? 'petición mal formada / malformed request');
  return writeTransaction(ctx.ds, async (m) => {
    const sql = sqlOf(m);
    const h = await holdById(sql, p.data.holdId);
    if (!h || h.terminalId !== till.terminalId || h.status !== 'active') return { holdId: p.data.holdId, released: false };
    await closeHold(sql, h.id, 'released', null);
    return { holdId: h.id, released: true };
  });
}

// --- redemption at ingest ---------------------------------------------------------------------------------

/**
 * Posts each voucher payment of the applied tickets as a redemption (once per ticket and payment index) and
 * consumes this till's hold for it. Without a hold (taken offline, within the till's cap) the redemption is
 * posted all the same — the goods were sold; if it overdraws the voucher, the voucher is blocked and the
 * ticket flagged for review. An unknown code is flagged (nothing to post to). Never throws for content.
 */
export const redeemStep: TicketStep = {
  id: 'vouchers.redeem',
  async apply(ctx, tickets) {
    const sql: Sql = ctx.sql;
    for (const t of tickets) {
      for (const [idx, p] of t.payments.entries()) {
        if (p.method !== 'voucher' || p.amount <= 0) continue;
        const source = { kind: 'ticket' as const, id: t.id, idx };
        if (await postedFrom(sql, source)) continue;
        const code = normalizeCode(p.code);
        const v = await lockVoucher(sql, ctx.engine === 'postgres', code);
        if (!v) {
          await ctx.flag(t, 'VOUCHER_UNKNOWN', `vale ${code} desconocido: ${p.amount} céntimos cobrados sin asiento / unknown voucher, payment not posted`);
          continue;
        }
        const hold = await holdForPayment(sql, v.id, ctx.terminalId, p.amount);
        if (hold) await closeHold(sql, hold.id, 'consumed', t.id);
        const overdraws = v.balanceCents - p.amount < 0;
        const unusable = !hold && v.status !== 'active';
        await post(sql, v, { id: ctx.newId(), kind: 'redeem', amountCents: -p.amount, companyId: ctx.companyId, storeId: ctx.storeId, terminalId: ctx.terminalId, source, reference: t.fiscalNumber, note: hold ? null : 'offline', at: ctx.now }, overdraws ? { status: v.status === 'void' ? 'void' : 'blocked', overdrawn: true } : undefined);
        // Without HQ's hold the till may take at most the offline cap: more says a hold was stretched or skipped.
        if (!hold && p.amount > DEFAULT_VOUCHER_POLICY.offlineCapCents) {
          await ctx.flag(t, 'VOUCHER_OVER_OFFLINE_CAP', `vale ${code}: ${p.amount} céntimos sin autorización de la central, más que el tope sin conexión (${DEFAULT_VOUCHER_POLICY.offlineCapCents}) / over the offline cap without HQ's hold`);
        } else if (hold && p.amount > hold.amountCents) {
          await ctx.flag(t, 'VOUCHER_OVER_HOLD', `vale ${code}: ${p.amount} céntimos cobrados con una autorización de ${hold.amountCents} / more than HQ's hold`);
        }
        if (overdraws) await ctx.flag(t, 'VOUCHER_OVERDRAWN', `vale ${code}: ${p.amount} céntimos sobre un saldo de ${v.balanceCents} (cobro sin conexión): bloqueado / voucher overdrawn offline: blocked for review`);
        else if (unusable) await ctx.flag(t, 'VOUCHER_NOT_ACTIVE', `vale ${code} en estado ${v.status} usado sin conexión / ${v.status} voucher redeemed offline`);
      }
    }
  },
};

// --- HQ corrections and expiry ----------------------------------------------------------------------------

export interface HqActor { id: string; email: string }

/** Expires every active voucher past its date: its balance posted `expire` (the issuing company's). */
export async function expireDue(ds: DataSource, clock: Clock): Promise<{ expired: number; cents: number }> {
  const now = iso(clock);
  return writeTransaction(ds, async (m) => {
    const sql = sqlOf(m);
    const due = await sql<{ code: string }>(`SELECT code FROM voucher WHERE status IN ('active', 'blocked') AND expires_at <= ? ORDER BY code`, [now]);
    let cents = 0;
    for (const d of due) {
      const v = (await lockVoucher(sql, isPostgres(m), d.code))!;
      if (v.balanceCents > 0) {
        cents += v.balanceCents;
        await post(sql, v, { id: newRowId(clock), kind: 'expire', amountCents: -v.balanceCents, companyId: v.companyId, storeId: null, terminalId: null, source: { kind: 'job', id: newRowId(clock) }, at: now }, { status: 'expired' });
      } else {
        await sql(`UPDATE voucher SET status = 'expired', updated_at = ? WHERE id = ?`, [now, v.id]);
      }
    }
    return { expired: due.length, cents };
  });
}

export type { EntityManager };
