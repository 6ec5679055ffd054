/**
 * Tasks and checklists (issue 16), the use cases — each write one transaction:
 * - assign: HQ (a franchisee for their own companies' stores) asks stores for something by a due moment, as
 *   numbered items; audited; sent down the change feed to each store's tills (`office_task`, store-scoped).
 * - tick: an item done at a store, in the back office (a user who may act on the store) or at a till (an
 *   `office.task_check` document, applied once): who and when are kept; the first tick of an item stands.
 *   When every item is ticked the store's task is complete (and leaves its tills).
 * - the list per store (soonest due first, overdue flagged, counters) and a task's page, scoped to the
 *   caller's stores.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { storeTaskStatus, type TaskCheck, type TaskData } from '@tpv/shared/office/tasks';
import { HttpProblem, problem } from '@tpv/shared/problem';
import type { TaskCreateBody, TaskDetail } from '@tpv/shared/wire/http/office-tasks';
import { canAccessStore, visibleStoreIds, type AuthUser } from '../auth/service';
import { forbidden, notFound } from '../auth/http';
import { refused } from '../platform/api';
import { recordAudit } from '../platform/audit';
import { appendChange } from '../persistence/change-log';
import { writeTransaction } from '../persistence/raw';
import { newRowId } from '../persistence/row-id';
import type { Db } from '../persistence/sql';
import type { FeedChanged, UpwardTill } from '../modules/types';
import * as repo from './tasks-repository';
import { resolveTargetStores } from './targets';

export type TaskNudge = (storeId: string | null, version: number) => void;
const iso = (clock: Clock) => new Date(clock.now()).toISOString();
const actorOf = (u: AuthUser) => ({ id: u.id, email: u.email });

export const taskFeedRecord = (t: repo.TaskRow): TaskData => ({ id: t.id, title: t.title, kind: t.kind, description: t.description, dueAt: t.dueAt, items: t.items });

/**
 * Ticks one item of a store's task inside the caller's transaction; the first tick stands (a repeat answers
 * `already`). Completing the last item takes the task off the store's tills.
 */
async function tick(
  m: Db, clock: Clock, c: { taskId: string; storeId: string; itemNo: number; doneAt: string; byKind: 'user' | 'staff'; byId: string; byName: string; source: 'backoffice' | 'till'; documentId: string | null; note: string | null },
): Promise<{ already: { doneAt: string; doneBy: string } | null; feed: FeedChanged[] }> {
  const prev = await repo.checkOf(m, c.taskId, c.storeId, c.itemNo);
  if (prev) return { already: prev, feed: [] };
  await repo.insertCheck(m, c);
  const feed: FeedChanged[] = [];
  if (await repo.completeIfAllDone(m, c.taskId, c.storeId, c.doneAt)) {
    feed.push({ storeId: c.storeId, version: await appendChange(m, { entity: 'office_task', entityId: c.taskId, op: 'delete', storeId: c.storeId, createdAt: iso(clock) }) });
  }
  return { already: null, feed };
}

export function createTaskService(ds: DataSource, clock: Clock, nudge: TaskNudge = () => undefined) {
  const tell = (changes: readonly FeedChanged[]) => {
    for (const c of changes) nudge(c.storeId, c.version);
  };

  async function detail(user: AuthUser, id: string): Promise<TaskDetail> {
    const t = await repo.taskById(ds.manager, id);
    if (!t) throw notFound(`task ${id}`);
    const mine = await visibleStoreIds(ds, user);
    const rows = await repo.storeTasks(ds.manager, mine, { taskId: id, limit: 5000 });
    if (rows.length === 0) throw notFound(`task ${id}`);
    const ticks = await repo.checks(ds.manager, id, mine);
    const now = clock.now();
    return {
      task: { id: t.id, title: t.title, kind: t.kind, description: t.description, dueAt: t.dueAt, createdAt: t.createdAt, items: t.items },
      stores: rows.map((r) => ({
        storeId: r.storeId, storeCode: r.storeCode, storeName: r.storeName, completedAt: r.completedAt, status: storeTaskStatus(r, now),
        items: t.items.map((i) => {
          const c = ticks.find((x) => x.storeId === r.storeId && x.itemNo === i.no);
          return { itemNo: i.no, text: i.text, doneAt: c?.doneAt ?? null, doneBy: c?.doneBy ?? null, source: c?.source ?? null };
        }),
      })),
    };
  }

  return {
    detail,

    async list(user: AuthUser, q: { status: 'open' | 'overdue' | 'done' | 'all'; storeId?: string | undefined; limit: number }) {
      const mine = await visibleStoreIds(ds, user);
      const now = clock.now();
      const rows = (await repo.storeTasks(ds.manager, mine, { ...(q.storeId ? { storeId: q.storeId } : {}), limit: 5000 })).map((r) => ({ ...r, status: storeTaskStatus(r, now) }));
      const counters = { open: 0, overdue: 0, done: 0 };
      for (const r of rows) counters[r.status]++;
      const items = rows.filter((r) => q.status === 'all' || r.status === q.status).slice(0, q.limit)
        .map((r) => ({ taskId: r.taskId, title: r.title, kind: r.kind, dueAt: r.dueAt, storeId: r.storeId, storeCode: r.storeCode, storeName: r.storeName, items: r.items, done: r.done, completedAt: r.completedAt, status: r.status }));
      return { items, counters };
    },

    async assign(user: AuthUser, body: TaskCreateBody, requestId?: string): Promise<TaskDetail> {
      const at = iso(clock);
      const dueAt = new Date(body.dueAt).toISOString();
      if (dueAt <= at) throw new HttpProblem(problem(422, 'VALIDATION_FAILED', 'Request refused', { detail: 'la fecha límite ya pasó / the due date is past', errors: [{ path: 'dueAt', message: 'la fecha límite ya pasó / the due date is past' }] }));
      const id = newRowId(clock);
      const changes = await writeTransaction(ds, async (m) => {
        const stores = await resolveTargetStores(m, user, body.target, body.targetIds);
        if (stores.length === 0) throw refused(422, 'NO_STORES', 'La tarea no llega a ninguna tienda / the task reaches no store', 'targetIds');
        await repo.insertTask(m, { id, title: body.title, kind: body.kind, description: body.description || null, dueAt, createdAt: at, createdBy: user.id, items: body.items }, stores);
        const t = (await repo.taskById(m, id))!;
        await recordAudit(m, clock, { actor: actorOf(user), action: 'office_task.assign', entity: 'office_task', entityId: id, after: { ...taskFeedRecord(t), stores: stores.map((s) => s.id) }, requestId: requestId ?? null });
        const out: FeedChanged[] = [];
        for (const s of stores) out.push({ storeId: s.id, version: await appendChange(m, { entity: 'office_task', entityId: id, op: 'upsert', storeId: s.id, payload: taskFeedRecord(t), createdAt: at }) });
        return out;
      });
      tell(changes);
      return detail(user, id);
    },

    /** Ticks an item in the back office: a user who may act on the store (403 otherwise); a repeat is 409 naming the first tick. */
    async check(user: AuthUser, p: { id: string; storeId: string; itemNo: number }, note: string | undefined, requestId?: string): Promise<TaskDetail> {
      const t = await repo.taskById(ds.manager, p.id);
      const mine = await visibleStoreIds(ds, user);
      const assigned = t ? await repo.taskStore(ds.manager, p.id, p.storeId) : undefined;
      if (!t || !assigned || (mine !== null && !(await repo.storeTasks(ds.manager, mine, { taskId: p.id, limit: 1 })).length)) throw notFound(`task ${p.id} at store ${p.storeId}`);
      if (!(await canAccessStore(ds, user, p.storeId))) throw forbidden('Esta tienda no es de tu ámbito / this store is outside your scope.');
      if (!t.items.some((i) => i.no === p.itemNo)) throw refused(422, 'ITEM_UNKNOWN', `La tarea no tiene el punto ${p.itemNo} / no item ${p.itemNo}`, 'itemNo');
      const at = iso(clock);
      const name = await repo.userName(ds.manager, user.id);
      const changes = await writeTransaction(ds, async (m) => {
        const r = await tick(m, clock, { taskId: p.id, storeId: p.storeId, itemNo: p.itemNo, doneAt: at, byKind: 'user', byId: user.id, byName: name, source: 'backoffice', documentId: null, note: note ?? null });
        if (r.already) throw refused(409, 'ITEM_DONE', `Ya marcado por ${r.already.doneBy} el ${r.already.doneAt} / already ticked`);
        await recordAudit(m, clock, { actor: actorOf(user), action: 'office_task.check', entity: 'office_task', entityId: p.id, companyId: assigned.companyId, storeId: p.storeId, after: { itemNo: p.itemNo, note: note ?? null }, requestId: requestId ?? null });
        return r.feed;
      });
      tell(changes);
      return detail(user, p.id);
    },
  };
}

/** An item ticked at a till (`office.task_check`), in the channel's transaction: the person must work at the till's store. */
export async function applyTaskCheck(m: EntityManager, clock: Clock, till: UpwardTill, docId: string, c: TaskCheck): Promise<{ reference: string; feedChanged?: readonly FeedChanged[] } | { rejected: string }> {
  const staff = await repo.staffName(m, c.staffId);
  if (!staff || staff.companyId !== till.companyId || (staff.storeId !== null && staff.storeId !== till.storeId)) return { rejected: `Empleado desconocido en esta tienda / staff ${c.staffId} unknown at this store` };
  const t = await repo.taskById(m, c.taskId);
  if (!t || !(await repo.taskStore(m, c.taskId, till.storeId))) return { rejected: `Tarea desconocida en esta tienda / unknown task ${c.taskId}` };
  if (!t.items.some((i) => i.no === c.itemNo)) return { rejected: `La tarea no tiene el punto ${c.itemNo} / no item ${c.itemNo}` };
  const r = await tick(m, clock, { taskId: c.taskId, storeId: till.storeId, itemNo: c.itemNo, doneAt: c.doneAt, byKind: 'staff', byId: c.staffId, byName: staff.name, source: 'till', documentId: docId, note: null });
  return r.already ? { reference: `ya hecho / already done ${r.already.doneAt}` } : { reference: 'hecho / done', feedChanged: r.feed };
}
