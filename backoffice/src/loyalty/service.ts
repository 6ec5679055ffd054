/**
 * Loyalty at HQ: the programme (edited with audit, sent to the tills on the change feed), the tills' online
 * questions (balance, hold, release), a member's ledger and adjustments, the expiry run, the liability per
 * franchisee and the monthly settlement between franchisees (shared/src/loyalty/ledger.ts reads the ledger).
 *
 * A hold is taken in one write transaction that locks the member's balance row (PostgreSQL `FOR UPDATE`;
 * SQLite's single writer): balance − active holds ≥ points, or refused with nothing written. Two tills
 * asking at once: the second sees the first's hold. Holds lapse after the programme's minutes (lazily: a
 * lapsed hold no longer counts; the expiry run marks them).
 */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { checkRedemption, LOYALTY_PROGRAMME_ID, type LoyaltyProgramme } from '@tpv/shared/loyalty/rules';
import { expiringPoints, settlement, walkFifo } from '@tpv/shared/loyalty/ledger';
import { BalanceRequestSchema, HoldRequestSchema, ReleaseRequestSchema, type BalanceReply, type HoldReply } from '@tpv/shared/loyalty/requests';
import { TillRequestRefused } from '@tpv/shared/wire/till-request';
import { canAccessCompany, visibleCompanyIds, type AuthUser } from '../auth/service';
import { forbidden } from '../auth/http';
import { refused } from '../platform/api';
import { recordAudit } from '../platform/audit';
import { appendChange } from '../persistence/change-log';
import { writeTransaction } from '../persistence/raw';
import { newRowId } from '../persistence/row-id';
import { bool, type Db } from '../persistence/sql';
import type { UpwardTill } from '../modules/types';
import { balanceOf, heldPoints, ledgerPostings, memberCard, post, programmeOf, sqlOf, type Sql } from './ledger';

const iso = (clock: Clock) => new Date(clock.now()).toISOString();
const actorOf = (u: AuthUser) => ({ id: u.id, email: u.email });
const bad = (e: unknown): never => {
  throw new TillRequestRefused('LOYALTY_REQUEST_INVALID', `petición no válida / invalid request: ${String((e as Error).message ?? e).slice(0, 200)}`);
};

export type FeedNudge = (version: number) => void;

export function createLoyaltyService(ds: DataSource, clock: Clock, nudge: FeedNudge = () => undefined) {
  const read = <T>(fn: (sql: Sql, m: Db) => Promise<T>) => fn(sqlOf(ds.manager), ds.manager);

  return {
    async getProgramme() {
      const [r] = await sqlOf(ds.manager)<{ updated_at: string }>(`SELECT updated_at FROM loyalty_programme WHERE id = ?`, [LOYALTY_PROGRAMME_ID]);
      return { programme: await programmeOf(sqlOf(ds.manager)), updatedAt: r?.updated_at ?? null };
    },

    /** Replaces the programme: audited, appended to the feed (every till), tills nudged after the commit. */
    async putProgramme(user: AuthUser, p: LoyaltyProgramme) {
      const at = iso(clock);
      const version = await writeTransaction(ds, async (m) => {
        const sql = sqlOf(m);
        const before = await programmeOf(sql);
        await sql(
          `INSERT INTO loyalty_programme (id, rules, updated_at, updated_by) VALUES (?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET rules = excluded.rules, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
          [LOYALTY_PROGRAMME_ID, JSON.stringify(p), at, user.id],
        );
        await recordAudit(m, clock, { actor: actorOf(user), action: 'loyalty_programme.update', entity: 'loyalty_programme', entityId: LOYALTY_PROGRAMME_ID, before, after: p });
        return appendChange(m, { entity: 'loyalty_programme', entityId: LOYALTY_PROGRAMME_ID, op: 'upsert', payload: p, createdAt: at });
      });
      nudge(version);
      return { programme: p, updatedAt: at };
    },

    async balance(_till: UpwardTill | null, payload: unknown): Promise<BalanceReply> {
      const q = BalanceRequestSchema.safeParse(payload);
      if (!q.success) return bad(q.error);
      return read(async (sql) => {
        const points = await balanceOf(sql, q.data.customerId);
        const held = await heldPoints(sql, q.data.customerId, iso(clock));
        return { customerId: q.data.customerId, points, held, available: points - held };
      });
    },

    /** Holds points for a till's redemption, or refuses (nothing written). */
    async hold(till: UpwardTill, payload: unknown): Promise<HoldReply> {
      const q = HoldRequestSchema.safeParse(payload);
      if (!q.success) return bad(q.error);
      const { customerId, points } = q.data;
      return writeTransaction(ds, async (m) => {
        const sql = sqlOf(m);
        const programme = await programmeOf(sql);
        if (!programme) throw new TillRequestRefused('LOYALTY_INACTIVE', 'no hay programa de puntos / there is no loyalty programme');
        const member = await memberCard(sql, customerId);
        if (!member?.card) throw new TillRequestRefused('LOYALTY_NOT_MEMBER', 'el cliente no tiene tarjeta de puntos / the customer is not a loyalty member');
        const now = iso(clock);
        const balance = await balanceOf(sql, customerId, m.connection.options.type === 'postgres');
        const held = await heldPoints(sql, customerId, now);
        const ok = checkRedemption(programme, points, balance - held);
        if (!ok.ok) throw new TillRequestRefused(ok.error.code, ok.error.message);
        const id = newRowId(clock);
        const expiresAt = new Date(clock.now() + programme.holdMinutes * 60_000).toISOString();
        await sql(
          `INSERT INTO loyalty_hold (id, customer_id, points, cents, status, terminal_id, store_id, company_id, created_at, expires_at) VALUES (?, ?, ?, ?, 'active', ?, ?, ?, ?, ?)`,
          [id, customerId, points, ok.value, till.terminalId, till.storeId, till.companyId, now, expiresAt],
        );
        return { holdId: id, customerId, points, cents: ok.value, expiresAt, available: balance - held - points };
      });
    },

    /** The till gives a hold back (cart cleared, redemption removed): only its own, only while active. */
    async release(till: UpwardTill, payload: unknown): Promise<{ released: boolean }> {
      const q = ReleaseRequestSchema.safeParse(payload);
      if (!q.success) return bad(q.error);
      return writeTransaction(ds, async (m) => {
        const rows = await sqlOf(m)(`UPDATE loyalty_hold SET status = 'released', closed_at = ? WHERE id = ? AND terminal_id = ? AND status = 'active' RETURNING id`, [iso(clock), q.data.holdId, till.terminalId]);
        return { released: rows.length > 0 };
      });
    },

    async memberLedger(customerId: string) {
      return read(async (sql) => {
        const member = await memberCard(sql, customerId);
        if (!member) throw refused(404, 'CUSTOMER_UNKNOWN', `cliente desconocido / unknown customer ${customerId}`);
        const rows = await sql<Record<string, unknown>>(`SELECT * FROM loyalty_posting WHERE customer_id = ? ORDER BY seq DESC`, [customerId]);
        const byCompany = walkFifo((await ledgerPostings(sql, customerId)).get(customerId) ?? []).lots.reduce((acc, l) => acc.set(l.companyId, (acc.get(l.companyId) ?? 0) + l.remaining), new Map<string, number>());
        return {
          customerId, name: member.name, card: member.card, points: await balanceOf(sql, customerId), held: await heldPoints(sql, customerId, iso(clock)),
          byCompany: [...byCompany].map(([companyId, points]) => ({ companyId, points })),
          postings: rows.map((r) => ({
            id: String(r.id), seq: Number(r.seq), kind: String(r.kind), points: Number(r.points), amountCents: Number(r.amount_cents), companyId: String(r.company_id),
            storeId: (r.store_id as string | null) ?? null, ticketId: (r.ticket_id as string | null) ?? null, refId: (r.ref_id as string | null) ?? null, day: String(r.day),
            flagged: bool(r.flagged), note: (r.note as string | null) ?? null, createdAt: String(r.created_at),
          })),
        };
      });
    },

    /** A manual adjustment at HQ (goodwill, correction): audited; never takes the balance below zero. */
    async adjust(user: AuthUser, b: { customerId: string; points: number; companyId: string; note: string }) {
      if (!canAccessCompany(user, b.companyId)) throw forbidden();
      return writeTransaction(ds, async (m) => {
        const sql = sqlOf(m);
        const member = await memberCard(sql, b.customerId);
        if (!member) throw refused(422, 'CUSTOMER_UNKNOWN', `cliente desconocido / unknown customer ${b.customerId}`, 'customerId');
        const [company] = await sql(`SELECT id FROM company WHERE id = ?`, [b.companyId]);
        if (!company) throw refused(422, 'REFERENCE_UNKNOWN', `empresa desconocida / unknown company ${b.companyId}`, 'companyId');
        const balance = await balanceOf(sql, b.customerId, m.connection.options.type === 'postgres');
        if (balance + b.points < 0) throw refused(422, 'LOYALTY_INSUFFICIENT_POINTS', `el saldo es ${balance} puntos: no se pueden quitar ${-b.points} / the balance is ${balance} points`, 'points');
        const at = iso(clock);
        const r = await post(sql, { id: newRowId(clock), customerId: b.customerId, kind: 'adjust', points: b.points, companyId: b.companyId, day: at.slice(0, 10), note: b.note, createdBy: user.id, at });
        await recordAudit(m, clock, { actor: actorOf(user), action: 'loyalty.adjust', entity: 'customer', entityId: b.customerId, companyId: b.companyId, after: { points: b.points, note: b.note, balance: r.balance } });
        return r;
      });
    },

    /** The expiry run: points older than the programme's expiry (FIFO by earn date) expire, per company; lapsed holds are marked. */
    async expire(asOf: string): Promise<{ customers: number; points: number }> {
      const programme = await programmeOf(sqlOf(ds.manager));
      const at = iso(clock);
      await writeTransaction(ds, (m) => sqlOf(m)(`UPDATE loyalty_hold SET status = 'expired', closed_at = ? WHERE status = 'active' AND expires_at <= ?`, [at, at]));
      if (!programme || programme.expiryMonths === 0) return { customers: 0, points: 0 };
      const all = await ledgerPostings(sqlOf(ds.manager));
      let customers = 0;
      let points = 0;
      for (const customerId of all.keys()) {
        // Each customer in its own transaction, re-read there so a posting that arrived meanwhile counts.
        const n = await writeTransaction(ds, async (m) => {
          const sql = sqlOf(m);
          await balanceOf(sql, customerId, m.connection.options.type === 'postgres');
          const postings = (await ledgerPostings(sql, customerId)).get(customerId) ?? [];
          let total = 0;
          for (const [companyId, pts] of expiringPoints(postings, asOf, programme.expiryMonths)) {
            await post(sql, { id: newRowId(clock), customerId, kind: 'expire', points: -pts, companyId, day: asOf, at, note: `caducidad / expiry ${programme.expiryMonths} m` });
            total += pts;
          }
          return total;
        });
        if (n > 0) {
          customers++;
          points += n;
        }
      }
      return { customers, points };
    },

    /** Outstanding points × value per company where they were earned (companies the caller sees). */
    async liability(user: AuthUser) {
      return read(async (sql) => {
        const programme = await programmeOf(sql);
        const value = programme?.pointValueCents ?? 0;
        const per = new Map<string, number>();
        let overdraft = 0;
        for (const postings of (await ledgerPostings(sql)).values()) {
          const w = walkFifo(postings);
          overdraft += w.overdraft;
          for (const l of w.lots) per.set(l.companyId, (per.get(l.companyId) ?? 0) + l.remaining);
        }
        const names = await companyNames(sql);
        const visible = visibleCompanyIds(user);
        const rows = [...per]
          .filter(([c]) => visible === null || visible.includes(c))
          .map(([companyId, points]) => ({ companyId, companyName: names.get(companyId) ?? companyId, points, cents: points * value }))
          .sort((a, b) => a.companyName.localeCompare(b.companyName));
        return { pointValueCents: value, rows, overdraftPoints: visible === null ? overdraft : 0 };
      });
    },

    /** The month's settlement between franchisees: who owes whom for points earned at one and redeemed at another. */
    async settlement(user: AuthUser, month: string) {
      return read(async (sql) => {
        const programme = await programmeOf(sql);
        const value = programme?.pointValueCents ?? 0;
        const consumptions = [...(await ledgerPostings(sql)).values()].flatMap((p) => walkFifo(p).consumptions);
        const names = await companyNames(sql);
        const visible = visibleCompanyIds(user);
        const lines = settlement(consumptions, month, value)
          .filter((l) => visible === null || visible.includes(l.debtorCompanyId) || visible.includes(l.creditorCompanyId))
          .map((l) => ({ ...l, debtorName: names.get(l.debtorCompanyId) ?? l.debtorCompanyId, creditorName: names.get(l.creditorCompanyId) ?? l.creditorCompanyId }));
        return { month, pointValueCents: value, lines };
      });
    },
  };
}

async function companyNames(sql: Sql): Promise<Map<string, string>> {
  const rows = await sql<{ id: string; legal_name: string }>(`SELECT id, legal_name FROM company`);
  return new Map(rows.map((r) => [r.id, r.legal_name]));
}

export type LoyaltyService = ReturnType<typeof createLoyaltyService>;
