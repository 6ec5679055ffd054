/**
 * Tasks and checklists at the till (issue 16). The change feed brings HQ's tasks for this store (sync/catalog.ts:
 * `office_task`); anyone logged in sees them, soonest due first, overdue ones flagged, with each item's tick.
 * Ticking an item writes the local tick and an `office.task_check` document in one local transaction, so HQ gets
 * it exactly once even offline; the first tick of an item stands (a second tap answers with it, writes nothing).
 * When HQ has every item of the store it deletes the task from the feed and it leaves the till.
 */
import type { Clock } from '@tpv/shared/clock';
import { storeTaskStatus, type StoreTaskStatus, type TaskKind } from '@tpv/shared/office/tasks';
import { ok, type Result } from '@tpv/shared/result';
import type { SqliteHandle } from '../persistence/data-source';
import { createDocumentOutbox } from '../sync/document-outbox';
import { failure, type Failure } from '../app/errors';
import type { StaffMember } from '../people/pins';

export interface TillTaskItem {
  no: number;
  text: string;
  doneAt: string | null;
  doneBy: string | null;
}

export interface TillTaskView {
  id: string;
  title: string;
  kind: TaskKind;
  description: string | null;
  dueAt: string;
  status: StoreTaskStatus;
  items: TillTaskItem[];
}

export interface TillTasks {
  /** The store's tasks: overdue first, then by due moment; done ones (every item ticked here) last. */
  list(): TillTaskView[];
  /** Ticks an item for the person logged in: the first tick writes it and its outbox document; a repeat returns the task. */
  check(by: StaffMember, taskId: string, itemNo: number): Result<TillTaskView, Failure>;
}

interface TaskRow { id: string; title: string; kind: string; description: string | null; due_at: string; items: string }
interface CheckRow { task_id: string; item_no: number; staff_name: string; done_at: string }
const RANK: Record<StoreTaskStatus, number> = { overdue: 0, open: 1, done: 2 };

export function createTillTasks(o: { db: SqliteHandle; clock: Clock; newId: () => string; queued?: (() => void) | undefined }): TillTasks {
  const outbox = createDocumentOutbox(o.db);
  const tasks = o.db.prepare<[], TaskRow>('SELECT id, title, kind, description, due_at, items FROM office_task');
  const task = o.db.prepare<[string], TaskRow>('SELECT id, title, kind, description, due_at, items FROM office_task WHERE id = ?');
  const checks = o.db.prepare<[], CheckRow>('SELECT task_id, item_no, staff_name, done_at FROM office_task_check');
  const checksOf = o.db.prepare<[string], CheckRow>('SELECT task_id, item_no, staff_name, done_at FROM office_task_check WHERE task_id = ?');
  const insertCheck = o.db.prepare<[string, number, string, string, string, string]>(
    'INSERT INTO office_task_check (task_id, item_no, staff_id, staff_name, done_at, document_id) VALUES (?, ?, ?, ?, ?, ?)',
  );

  const view = (t: TaskRow, ticks: CheckRow[]): TillTaskView => {
    const items = (JSON.parse(t.items) as Array<{ no: number; text: string }>).map((i) => {
      const c = ticks.find((x) => x.task_id === t.id && x.item_no === i.no);
      return { no: i.no, text: i.text, doneAt: c?.done_at ?? null, doneBy: c?.staff_name ?? null };
    });
    const status = storeTaskStatus({ dueAt: t.due_at, items: items.length, done: items.filter((i) => i.doneAt !== null).length }, o.clock.now());
    return { id: t.id, title: t.title, kind: t.kind as TaskKind, description: t.description, dueAt: t.due_at, status, items };
  };

  return {
    list() {
      const ticks = checks.all();
      return tasks.all().map((t) => view(t, ticks)).sort((a, b) => RANK[a.status] - RANK[b.status] || a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id));
    },
    check(by, taskId, itemNo) {
      const t = task.get(taskId);
      if (!t) return failure('TASK_UNKNOWN', `no task ${taskId} at this store`, { taskId });
      const before = view(t, checksOf.all(taskId));
      const item = before.items.find((i) => i.no === itemNo);
      if (!item) return failure('TASK_ITEM_UNKNOWN', `task ${taskId} has no item ${itemNo}`, { itemNo });
      if (item.doneAt !== null) return ok(before);
      const doneAt = new Date(o.clock.now()).toISOString();
      const documentId = o.newId();
      o.db.transaction(() => {
        insertCheck.run(taskId, itemNo, by.id, by.name, doneAt, documentId);
        outbox.enqueue({ id: documentId, kind: 'office.task_check', createdAt: doneAt, payload: { taskId, itemNo, staffId: by.id, doneAt } });
      })();
      o.queued?.();
      return ok(view(t, checksOf.all(taskId)));
    },
  };
}
