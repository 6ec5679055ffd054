/** Voucher reads for HQ's pages, scoped to the caller's companies (null: every company). */
import type { EntityManager } from 'typeorm';
import { normalizeCode } from '@tpv/shared/vouchers/codes';
import { all, bool, inList } from '../persistence/sql';

type Raw = Record<string, unknown>;
const voucherOut = (r: Raw) => ({
  id: String(r.id), code: String(r.code), companyId: String(r.company_id), companyName: (r.company_name as string | null) ?? null, storeId: (r.store_id as string | null) ?? null,
  status: r.status as 'active', balanceCents: Number(r.balance_cents), overdrawn: bool(r.overdrawn) || Number(r.overdrawn) === 1,
  expiresAt: String(r.expires_at), createdAt: String(r.created_at), updatedAt: String(r.updated_at),
});

function scopeSql(companies: readonly string[] | null, col: string): [string, unknown[]] {
  if (companies === null) return ['', []];
  if (companies.length === 0) return [' AND 1 = 0', []];
  return [` AND ${col} IN (${inList(companies.length)})`, [...companies]];
}

const SELECT = `SELECT v.*, c.legal_name AS company_name FROM voucher v LEFT JOIN company c ON c.id = v.company_id`;

export async function searchVouchers(m: EntityManager, companies: readonly string[] | null, q: { q?: string | undefined; status?: string | undefined; overdrawn?: string | undefined; companyId?: string | undefined; limit: number }) {
  const [scope, sp] = scopeSql(companies, 'v.company_id');
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (cond: string, value: unknown) => (where.push(cond), params.push(value));
  if (q.q) add('v.code LIKE ?', `${normalizeCode(q.q)}%`);
  if (q.status) add('v.status = ?', q.status);
  if (q.overdrawn) add('v.overdrawn = ?', q.overdrawn === 'true' ? 1 : 0);
  if (q.companyId) add('v.company_id = ?', q.companyId);
  const rows = await all<Raw>(m, `${SELECT} WHERE 1 = 1${where.map((w) => ` AND ${w}`).join('')}${scope} ORDER BY v.updated_at DESC, v.code LIMIT ${q.limit}`, [...params, ...sp]);
  return rows.map(voucherOut);
}

export async function voucherDetail(m: EntityManager, companies: readonly string[] | null, code: string) {
  const [scope, sp] = scopeSql(companies, 'v.company_id');
  const [r] = await all<Raw>(m, `${SELECT} WHERE v.code = ?${scope}`, [normalizeCode(code), ...sp]);
  if (!r) return undefined;
  const postings = await all<Raw>(m, `SELECT * FROM voucher_posting WHERE voucher_id = ? ORDER BY seq`, [r.id]);
  const holds = await all<Raw>(m, `SELECT * FROM voucher_hold WHERE voucher_id = ? ORDER BY created_at DESC LIMIT 50`, [r.id]);
  const p = postings.map((x) => ({
    id: String(x.id), seq: Number(x.seq), kind: x.kind as 'issue', amountCents: Number(x.amount_cents), balanceAfterCents: Number(x.balance_after_cents), companyId: String(x.company_id),
    storeId: (x.store_id as string | null) ?? null, terminalId: (x.terminal_id as string | null) ?? null, sourceKind: String(x.source_kind), sourceId: String(x.source_id),
    reference: (x.reference as string | null) ?? null, note: (x.note as string | null) ?? null, actor: (x.actor as string | null) ?? null, at: String(x.at),
  }));
  return {
    voucher: voucherOut(r),
    postings: p,
    holds: holds.map((h) => ({ id: String(h.id), terminalId: String(h.terminal_id), amountCents: Number(h.amount_cents), status: String(h.status), expiresAt: String(h.expires_at), ticketId: (h.ticket_id as string | null) ?? null })),
    sumOfPostingsCents: p.reduce((s, x) => s + x.amountCents, 0),
  };
}

export async function outstanding(m: EntityManager, companies: readonly string[] | null, companyId: string | undefined) {
  const [scope, sp] = scopeSql(companies, 'c.id');
  const only = companyId ? ' AND c.id = ?' : '';
  const rows = await all<Raw>(
    m,
    `SELECT c.id AS company_id, c.legal_name AS company_name,
       (SELECT COALESCE(SUM(amount_cents), 0) FROM voucher_posting p WHERE p.company_id = c.id AND p.kind IN ('issue', 'load')) AS sold,
       (SELECT COALESCE(SUM(amount_cents), 0) FROM voucher_posting p WHERE p.company_id = c.id AND p.kind = 'redeem') AS redeemed,
       (SELECT COALESCE(SUM(amount_cents), 0) FROM voucher_posting p WHERE p.company_id = c.id AND p.kind = 'expire') AS expired,
       (SELECT COALESCE(SUM(amount_cents), 0) FROM voucher_posting p WHERE p.company_id = c.id AND p.kind IN ('adjust', 'refund')) AS adjusted,
       (SELECT COALESCE(SUM(balance_cents), 0) FROM voucher v WHERE v.company_id = c.id) AS issued_outstanding,
       (SELECT COUNT(*) FROM voucher v WHERE v.company_id = c.id) AS vouchers
     FROM company c WHERE 1 = 1${only}${scope} ORDER BY c.legal_name`,
    [...(companyId ? [companyId] : []), ...sp],
  );
  const companiesOut = rows
    .map((r) => {
      const sold = Number(r.sold), redeemed = -Number(r.redeemed), expired = -Number(r.expired), adjusted = Number(r.adjusted);
      return { companyId: String(r.company_id), companyName: (r.company_name as string | null) ?? null, soldCents: sold, redeemedCents: redeemed, expiredCents: expired, adjustedCents: adjusted, netCents: sold - redeemed - expired + adjusted, issuedOutstandingCents: Number(r.issued_outstanding), vouchers: Number(r.vouchers) };
    })
    .filter((c) => c.vouchers > 0 || c.soldCents !== 0 || c.redeemedCents !== 0 || companyId !== undefined);
  const [tot] = await all<Raw>(m, `SELECT COALESCE(SUM(v.balance_cents), 0) AS t, COALESCE(SUM(CASE WHEN v.overdrawn = 1 THEN 1 ELSE 0 END), 0) AS o FROM voucher v JOIN company c ON c.id = v.company_id WHERE 1 = 1${only}${scope}`, [...(companyId ? [companyId] : []), ...sp]);
  return { companies: companiesOut, totalOutstandingCents: Number(tot?.t ?? 0), overdrawn: Number(tot?.o ?? 0) };
}
