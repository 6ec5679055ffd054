/**
 * Office notices at HQ (issue 16), the use cases — each write one transaction:
 * - post: HQ writes a notice for the network, some companies or some stores (a franchisee only for their own
 *   companies' stores), optionally for some till roles; the stores it reaches are fixed when posted, it is
 *   audited and appended to the change feed as `notice` (once network-wide, else once per store), and the
 *   tills are nudged after the commit. The till shows it to the people of the roles named, within its dates.
 * - withdraw: the feed deletes it from the tills; reads stay.
 * - a read confirmed at a till comes up as `office.notice_read` (terminal outbox, exactly once): one row per
 *   person and notice, the first confirmation kept (a second one from another till changes nothing).
 * - the notice's page: the stores it reached and the people there it is for (`noticeReaches`), with when each
 *   confirmed; scoped to the caller's stores and companies.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { noticeReaches, type NoticeRead } from '@tpv/shared/office/notices';
import { HttpProblem, problem } from '@tpv/shared/problem';
import type { NoticeData } from '@tpv/shared/wire/sync-protocol';
import type { NoticeCreateBody, NoticeDetail, NoticeSummary } from '@tpv/shared/wire/http/office-notices';
import { visibleCompanyIds, visibleStoreIds, type AuthUser } from '../auth/service';
import { forbidden, notFound } from '../auth/http';
import { refused } from '../platform/api';
import { recordAudit } from '../platform/audit';
import { isFranchiseWide } from '../platform/permissions';
import { appendChange } from '../persistence/change-log';
import { writeTransaction } from '../persistence/raw';
import { newRowId } from '../persistence/row-id';
import type { Db } from '../persistence/sql';
import type { UpwardTill } from '../modules/types';
import * as repo from './notices-repository';
import { resolveTargetStores } from './targets';

/** Tills to nudge after a commit: a store's, or all (null). */
export type NoticeNudge = (storeId: string | null, version: number) => void;

const iso = (clock: Clock) => new Date(clock.now()).toISOString();
const actorOf = (u: AuthUser) => ({ id: u.id, email: u.email });
const invalid = (errors: Array<{ path: string; message: string }>) =>
  new HttpProblem(problem(422, 'VALIDATION_FAILED', 'Request refused', { detail: errors.map((e) => e.message).join('; '), errors }));

export function noticeFeedRecord(n: repo.NoticeRow): NoticeData {
  return { id: n.id, title: n.title, body: n.body, validUntil: n.endsAt, titleEn: n.titleEn, bodyEn: n.bodyEn, priority: n.priority, startsAt: n.startsAt, roles: [...n.roles] };
}

async function feed(m: Db, n: repo.NoticeRow, op: 'upsert' | 'delete', at: string): Promise<Array<{ storeId: string | null; version: number }>> {
  const targets = n.target === 'all' ? [null] : (await repo.noticeStores(m, n.id, null)).map((s) => s.storeId);
  const out: Array<{ storeId: string | null; version: number }> = [];
  for (const storeId of targets) {
    out.push({ storeId, version: await appendChange(m, { entity: 'notice', entityId: n.id, op, storeId, payload: op === 'upsert' ? noticeFeedRecord(n) : null, createdAt: at }) });
  }
  return out;
}

/** The caller's scope over people: their stores and companies (null: the whole franchise). */
async function peopleScope(ds: DataSource, user: AuthUser): Promise<{ stores: string[]; companies: string[] } | null> {
  const stores = await visibleStoreIds(ds, user);
  return stores === null ? null : { stores, companies: visibleCompanyIds(user) ?? [] };
}

/** Who the notice reaches within the scope, with their reads; readers no longer reached stay listed (`targeted` false). */
async function peopleOf(m: Db, n: repo.NoticeRow, scope: { stores: string[]; companies: string[] } | null) {
  // The notice's own stores, unscoped, name the companies a store target reaches.
  const companyOf = new Map((await repo.noticeStores(m, n.id, null)).map((s) => [s.storeId, s.companyId]));
  const target = { kind: n.target, ids: n.targetIds, roles: n.roles };
  const candidates = await repo.noticeCandidates(m, n.id, scope);
  return candidates
    .map((c) => ({ ...c, targeted: c.active && noticeReaches(target, c, (s) => companyOf.get(s)) }))
    .filter((c) => c.targeted || c.readAt !== null)
    .map(({ active: _active, ...c }) => c);
}

export function createNoticeService(ds: DataSource, clock: Clock, nudge: NoticeNudge = () => undefined) {
  const tell = (changes: ReadonlyArray<{ storeId: string | null; version: number }>) => {
    for (const c of changes) nudge(c.storeId, c.version);
  };

  async function summaryOf(m: Db, n: repo.NoticeRow, mine: string[] | null, scope: { stores: string[]; companies: string[] } | null): Promise<{ summary: NoticeSummary; detail: NoticeDetail }> {
    const stores = await repo.noticeStores(m, n.id, mine);
    const people = await peopleOf(m, n, scope);
    const reached = people.filter((p) => p.targeted);
    const storeRows = stores.map((s) => ({
      ...s,
      people: reached.filter((p) => p.storeId === s.storeId).length,
      read: people.filter((p) => p.readStoreId === s.storeId).length,
    }));
    const summary: NoticeSummary = {
      id: n.id, title: n.title, body: n.body, titleEn: n.titleEn, bodyEn: n.bodyEn, priority: n.priority, startsAt: n.startsAt, endsAt: n.endsAt,
      target: n.target, targetIds: n.targetIds, roles: n.roles, createdAt: n.createdAt, createdBy: n.createdBy, withdrawnAt: n.withdrawnAt,
      stores: stores.length, people: reached.length, read: reached.filter((p) => p.readAt !== null).length,
    };
    return { summary, detail: { notice: summary, stores: storeRows, people } };
  }

  async function detail(user: AuthUser, id: string): Promise<NoticeDetail> {
    const n = await repo.noticeById(ds.manager, id);
    if (!n) throw notFound(`notice ${id}`);
    const mine = await visibleStoreIds(ds, user);
    if (mine !== null && (await repo.noticeStores(ds.manager, id, mine)).length === 0) throw notFound(`notice ${id}`);
    return (await summaryOf(ds.manager, n, mine, await peopleScope(ds, user))).detail;
  }

  return {
    detail,

    async list(user: AuthUser, q: { status: 'current' | 'all'; limit: number }): Promise<{ items: NoticeSummary[] }> {
      const mine = await visibleStoreIds(ds, user);
      const scope = await peopleScope(ds, user);
      const rows = await repo.listNotices(ds.manager, mine, { ...q, now: iso(clock) });
      const items: NoticeSummary[] = [];
      for (const n of rows) items.push((await summaryOf(ds.manager, n, mine, scope)).summary);
      return { items };
    },

    async post(user: AuthUser, body: NoticeCreateBody, requestId?: string): Promise<NoticeDetail> {
      const at = iso(clock);
      const startsAt = body.startsAt ? new Date(body.startsAt).toISOString() : at;
      const endsAt = body.endsAt ? new Date(body.endsAt).toISOString() : null;
      const errors: Array<{ path: string; message: string }> = [];
      if (endsAt !== null && endsAt <= startsAt) errors.push({ path: 'endsAt', message: 'el aviso debe acabar después de empezar / the notice must end after it starts' });
      if (endsAt !== null && endsAt <= at) errors.push({ path: 'endsAt', message: 'la fecha de fin ya pasó / the end date is past' });
      if (body.bodyEn && !body.titleEn) errors.push({ path: 'titleEn', message: 'con texto en inglés, escriba también el título en inglés / with English text, write the English title too' });
      if (errors.length) throw invalid(errors);
      const id = newRowId(clock);
      const changes = await writeTransaction(ds, async (m) => {
        const stores = await resolveTargetStores(m, user, body.target, body.targetIds);
        if (stores.length === 0) throw refused(422, 'NO_STORES', 'El aviso no llega a ninguna tienda / the notice reaches no store', 'targetIds');
        await repo.insertNotice(m, {
          id, title: body.title, body: body.body, titleEn: body.titleEn || null, bodyEn: body.bodyEn || null, priority: body.priority, startsAt, endsAt,
          target: body.target, targetIds: [...new Set(body.targetIds)], roles: [...new Set(body.roles)], createdAt: at, createdBy: user.id,
        }, stores);
        const n = (await repo.noticeById(m, id))!;
        await recordAudit(m, clock, { actor: actorOf(user), action: 'office_notice.post', entity: 'office_notice', entityId: id, after: { ...noticeFeedRecord(n), target: n.target, targetIds: n.targetIds, stores: stores.length }, requestId: requestId ?? null });
        return feed(m, n, 'upsert', at);
      });
      tell(changes);
      return detail(user, id);
    },

    async withdraw(user: AuthUser, id: string, requestId?: string): Promise<NoticeDetail> {
      const at = iso(clock);
      const changes = await writeTransaction(ds, async (m) => {
        const n = await repo.noticeById(m, id);
        if (!n) throw notFound(`notice ${id}`);
        if (!isFranchiseWide(user.role)) {
          // A franchisee withdraws only a notice all of whose stores are theirs (one they could have written).
          const stores = await repo.noticeStores(m, id, null);
          const mine = visibleCompanyIds(user) ?? [];
          if (!stores.some((s) => mine.includes(s.companyId))) throw notFound(`notice ${id}`);
          if (n.target === 'all' || stores.some((s) => !mine.includes(s.companyId))) throw forbidden('Ese aviso no es sólo de tus tiendas / that notice is not only for your stores.');
        }
        if (n.withdrawnAt !== null) throw refused(409, 'NOTICE_WITHDRAWN', 'El aviso ya está retirado / the notice was already withdrawn');
        await repo.setWithdrawn(m, id, at, user.id);
        await recordAudit(m, clock, { actor: actorOf(user), action: 'office_notice.withdraw', entity: 'office_notice', entityId: id, before: { withdrawnAt: null }, after: { withdrawnAt: at }, requestId: requestId ?? null });
        return feed(m, n, 'delete', at);
      });
      tell(changes);
      return detail(user, id);
    },
  };
}

/**
 * A read confirmed at a till (`office.notice_read`), inside the channel's transaction: the person must be
 * the till's company's and work at its store (or company-wide); the notice must exist (office or catalog
 * notice). The first confirmation per person and notice is kept; a later one answers with it, writing nothing.
 */
export async function applyNoticeRead(m: EntityManager, clock: Clock, till: UpwardTill, docId: string, read: NoticeRead): Promise<{ reference: string } | { rejected: string }> {
  const staff = await repo.staffOf(m, read.staffId);
  if (!staff || staff.companyId !== till.companyId || (staff.storeId !== null && staff.storeId !== till.storeId)) {
    return { rejected: `Empleado desconocido en esta tienda / staff ${read.staffId} unknown at this store` };
  }
  if (!(await repo.anyNoticeExists(m, read.noticeId))) return { rejected: `Aviso desconocido / unknown notice ${read.noticeId}` };
  const prev = await repo.readOf(m, read.noticeId, read.staffId);
  if (prev) return { reference: `ya leído / already read ${prev.readAt}` };
  await repo.insertRead(m, { noticeId: read.noticeId, staffId: read.staffId, companyId: till.companyId, storeId: till.storeId, terminalId: till.terminalId, readAt: read.readAt, receivedAt: iso(clock), documentId: docId });
  return { reference: 'leído / read' };
}
