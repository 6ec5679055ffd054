/**
 * HTTP routes of gift vouchers at HQ (thin: parse → scope → call). `vouchers.read`: search and one voucher's
 * ledger, a franchisee's people only their companies' vouchers; `vouchers.write` (HQ operations): adjust,
 * refund to the voucher, void, block/unblock, each audited; `vouchers.admin`: the outstanding balance per
 * company and the expiry run.
 */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import * as W from '@tpv/shared/wire/http/vouchers';
import { normalizeCode } from '@tpv/shared/vouchers/codes';
import { canAccessCompany, visibleCompanyIds, type AuthUser } from '../auth/service';
import { forbidden, notFound } from '../auth/http';
import { apiRouter, defineRoute, refused, type ApiRouter } from '../platform/api';
import { writeTransaction } from '../persistence/raw';
import { isPostgres } from '../persistence/sql';
import { newRowId } from '../persistence/row-id';
import { recordAudit } from '../platform/audit';
import { lockVoucher, post, setStatus, sqlOf } from './ledger';
import { outstanding, searchVouchers, voucherDetail } from './repository';
import { expireDue } from './service';

const TAGS = ['vouchers'];
const scope = (user: AuthUser, companyId?: string) => {
  if (companyId && !canAccessCompany(user, companyId)) throw forbidden();
  return visibleCompanyIds(user);
};

export function voucherRoutes(ds: DataSource, clock: Clock): ApiRouter {
  const at = () => new Date(clock.now()).toISOString();

  /** A correction of one voucher in one transaction: locked, scope-checked, posted, audited; the detail after it. */
  async function correct(user: AuthUser, code: string, requestId: string | undefined, action: string, change: (ctx: { v: NonNullable<Awaited<ReturnType<typeof lockVoucher>>>; sql: ReturnType<typeof sqlOf>; now: string }) => Promise<unknown>) {
    await writeTransaction(ds, async (m) => {
      const sql = sqlOf(m);
      const v = await lockVoucher(sql, isPostgres(m), normalizeCode(code));
      if (!v || !canAccessCompany(user, v.companyId)) throw notFound(`voucher ${code}`);
      const now = at();
      const after = await change({ v, sql, now });
      await recordAudit(m, clock, { actor: { id: user.id, email: user.email }, action, entity: 'voucher', entityId: v.id, companyId: v.companyId, storeId: v.storeId, before: v, after, requestId: requestId ?? null });
    });
    return (await voucherDetail(ds.manager, null, code))!;
  }

  return apiRouter(ds, clock, [
    defineRoute({
      method: 'get', path: '/api/vouchers', summary: 'Gift vouchers by code (or its first characters), status, overdraft flag and company, most recently moved first', tags: TAGS, access: 'vouchers.read',
      query: W.VoucherSearchQuery, response: W.VoucherListAnswer,
      handler: async ({ query: q, user }) => ({ items: await searchVouchers(ds.manager, scope(user, q.companyId), q) }),
    }),
    defineRoute({
      method: 'get', path: '/api/vouchers/outstanding', summary: 'Outstanding voucher balance (liability) per company: sold, redeemed, expired and adjusted at its stores, and the balance of the vouchers it issued', tags: TAGS, access: 'vouchers.admin',
      query: W.OutstandingQuery, response: W.OutstandingAnswer,
      handler: ({ query: q, user }) => outstanding(ds.manager, scope(user, q.companyId), q.companyId),
    }),
    defineRoute({
      method: 'post', path: '/api/vouchers/expire', summary: 'Expire every voucher past its date now: the unspent balance is posted `expire` (also run daily)', tags: TAGS, access: 'vouchers.admin',
      response: W.ExpireAnswer,
      async handler({ user, requestId }) {
        const r = await expireDue(ds, clock);
        await writeTransaction(ds, (m) => recordAudit(m, clock, { actor: { id: user.id, email: user.email }, action: 'voucher.expire_run', entity: 'voucher', entityId: '*', after: r, requestId: requestId ?? null }));
        return r;
      },
    }),
    defineRoute({
      method: 'get', path: '/api/vouchers/:code', summary: 'One voucher: balance, its ledger (Σ postings = balance) and its recent holds', tags: TAGS, access: 'vouchers.read',
      params: W.VoucherCodeParam, response: W.VoucherDetailAnswer, errors: { 404: 'no such voucher in your scope' },
      async handler({ params, user }) {
        const d = await voucherDetail(ds.manager, scope(user), params.code);
        if (!d) throw notFound(`voucher ${params.code}`);
        return d;
      },
    }),
    defineRoute({
      method: 'post', path: '/api/vouchers/:code/adjust', summary: 'Adjust a voucher’s balance, or credit a refund back to it (kind `refund`), with the reason (audited)', tags: TAGS, access: 'vouchers.write',
      params: W.VoucherCodeParam, body: W.VoucherAdjustBody, response: W.VoucherDetailAnswer, errors: { 404: 'no such voucher', 409: 'void voucher', 422: 'the balance would go below zero, or a refund that is not positive' },
      handler: ({ params, body, user, requestId }) =>
        correct(user, params.code, requestId, `voucher.${body.kind}`, async ({ v, sql, now }) => {
          if (v.status === 'void') throw refused(409, 'VOUCHER_VOID', 'el vale está anulado / the voucher is void');
          if (body.kind === 'refund' && body.amountCents < 0) throw refused(422, 'REFUND_NOT_POSITIVE', 'un abono al vale debe ser positivo / a refund to the voucher must be positive', 'amountCents');
          if (v.balanceCents + body.amountCents < 0) throw refused(422, 'VOUCHER_BELOW_ZERO', `el saldo quedaría en ${v.balanceCents + body.amountCents} céntimos / the balance would go below zero`, 'amountCents');
          return post(sql, v, { id: newRowId(clock), kind: body.kind, amountCents: body.amountCents, companyId: v.companyId, storeId: null, terminalId: null, source: { kind: 'hq', id: newRowId(clock) }, note: body.note, actor: user.email, at: now });
        }),
    }),
    defineRoute({
      method: 'post', path: '/api/vouchers/:code/status', summary: 'Void a voucher (its balance posted off), block it, or release a block (clears the overdraft flag once reviewed), with the reason (audited)', tags: TAGS, access: 'vouchers.write',
      params: W.VoucherCodeParam, body: W.VoucherStatusBody, response: W.VoucherDetailAnswer, errors: { 404: 'no such voucher', 409: 'already void, or released while still below zero' },
      handler: ({ params, body, user, requestId }) =>
        correct(user, params.code, requestId, `voucher.${body.status === 'void' ? 'void' : body.status === 'blocked' ? 'block' : 'unblock'}`, async ({ v, sql, now }) => {
          if (v.status === 'void') throw refused(409, 'VOUCHER_VOID', 'el vale ya está anulado / the voucher is already void');
          if (body.status === 'void') {
            if (v.balanceCents !== 0) return post(sql, v, { id: newRowId(clock), kind: 'adjust', amountCents: -v.balanceCents, companyId: v.companyId, storeId: null, terminalId: null, source: { kind: 'hq', id: newRowId(clock) }, note: `anulado / void: ${body.note}`, actor: user.email, at: now }, { status: 'void', overdrawn: false });
            await setStatus(sql, v, 'void', now);
            return { ...v, status: 'void' };
          }
          if (body.status === 'active' && v.balanceCents < 0) throw refused(409, 'VOUCHER_BELOW_ZERO', 'saldo negativo: ajústelo antes de desbloquear / negative balance: adjust it before releasing', 'status');
          await sql(`UPDATE voucher SET status = ?, overdrawn = 0, updated_at = ? WHERE id = ?`, [body.status, now, v.id]);
          return { ...v, status: body.status, overdrawn: false };
        }),
    }),
  ]);
}
