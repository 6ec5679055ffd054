/** The only SQL of tasks and checklists: the task, its items, the stores it was assigned to, the ticks. */
import type { TaskKind } from '@tpv/shared/office/tasks';
import { all, exec, inList, one, type Db } from '../persistence/sql';

export interface TaskRow { id: string; title: string; kind: TaskKind; description: string | null; dueAt: string; createdAt: string; items: Array<{ no: number; text: string }> }

export async function taskById(m: Db, id: string): Promise<TaskRow | undefined> {
  const r = await one<{ id: string; title: string; kind: TaskKind; description: string | null; due_at: string; created_at: string }>(m, 'SELECT id, title, kind, description, due_at, created_at FROM office_task WHERE id = ?', [id]);
  if (!r) return undefined;
  const items = await all<{ item_no: unknown; text: string }>(m, 'SELECT item_no, text FROM office_task_item WHERE task_id = ? ORDER BY item_no', [id]);
  return { id: r.id, title: r.title, kind: r.kind, description: r.description, dueAt: r.due_at, createdAt: r.created_at, items: items.map((i) => ({ no: Number(i.item_no), text: i.text })) };
}

export async function insertTask(m: Db, t: Omit<TaskRow, 'items'> & { createdBy: string | null; items: readonly string[] }, stores: ReadonlyArray<{ id: string; companyId: string }>): Promise<void> {
  await exec(m, 'INSERT INTO office_task (id, title, kind, description, due_at, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)', [t.id, t.title, t.kind, t.description, t.dueAt, t.createdAt, t.createdBy]);
  for (const [i, text] of t.items.entries()) await exec(m, 'INSERT INTO office_task_item (task_id, item_no, text) VALUES (?, ?, ?)', [t.id, i + 1, text]);
  for (let i = 0; i < stores.length; i += 300) {
    const c = stores.slice(i, i + 300);
    await exec(m, `INSERT INTO office_task_store (task_id, store_id, company_id) VALUES ${c.map(() => '(?, ?, ?)').join(', ')}`, c.flatMap((s) => [t.id, s.id, s.companyId]));
  }
}

export interface StoreTask { taskId: string; title: string; kind: TaskKind; dueAt: string; storeId: string; storeCode: string; storeName: string; companyId: string; items: number; done: number; completedAt: string | null }

/** Task × store rows within `stores` (null: all), soonest due first; optionally one task or one store. */
export async function storeTasks(m: Db, stores: readonly string[] | null, q: { taskId?: string; storeId?: string; limit: number }): Promise<StoreTask[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (stores !== null) {
    if (stores.length === 0) return [];
    where.push(`ts.store_id IN (${inList(stores.length)})`);
    params.push(...stores);
  }
  if (q.taskId) {
    where.push('ts.task_id = ?');
    params.push(q.taskId);
  }
  if (q.storeId) {
    where.push('ts.store_id = ?');
    params.push(q.storeId);
  }
  const rows = await all<{ task_id: string; title: string; kind: TaskKind; due_at: string; store_id: string; code: string; name: string; company_id: string; items: unknown; done: unknown; completed_at: string | null }>(
    m,
    `SELECT ts.task_id, t.title, t.kind, t.due_at, ts.store_id, st.code, st.name, ts.company_id, ts.completed_at,
        (SELECT COUNT(*) FROM office_task_item i WHERE i.task_id = ts.task_id) AS items,
        (SELECT COUNT(*) FROM office_task_check c WHERE c.task_id = ts.task_id AND c.store_id = ts.store_id) AS done
       FROM office_task_store ts JOIN office_task t ON t.id = ts.task_id JOIN store st ON st.id = ts.store_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY t.due_at, st.code, ts.task_id LIMIT ${q.limit}`,
    params,
  );
  return rows.map((r) => ({
    taskId: r.task_id, title: r.title, kind: r.kind, dueAt: r.due_at, storeId: r.store_id, storeCode: r.code, storeName: r.name, companyId: r.company_id,
    items: Number(r.items), done: Number(r.done), completedAt: r.completed_at,
  }));
}

export interface CheckRow { storeId: string; itemNo: number; doneAt: string; doneBy: string; source: 'backoffice' | 'till' }
export async function checks(m: Db, taskId: string, stores: readonly string[] | null): Promise<CheckRow[]> {
  const filter = stores === null ? '' : stores.length === 0 ? ' AND 1 = 0' : ` AND store_id IN (${inList(stores.length)})`;
  return (await all<{ store_id: string; item_no: unknown; done_at: string; done_by_name: string; source: 'backoffice' | 'till' }>(
    m, `SELECT store_id, item_no, done_at, done_by_name, source FROM office_task_check WHERE task_id = ?${filter}`, [taskId, ...(stores ?? [])],
  )).map((r) => ({ storeId: r.store_id, itemNo: Number(r.item_no), doneAt: r.done_at, doneBy: r.done_by_name, source: r.source }));
}

export async function taskStore(m: Db, taskId: string, storeId: string): Promise<{ companyId: string; completedAt: string | null } | undefined> {
  const r = await one<{ company_id: string; completed_at: string | null }>(m, 'SELECT company_id, completed_at FROM office_task_store WHERE task_id = ? AND store_id = ?', [taskId, storeId]);
  return r ? { companyId: r.company_id, completedAt: r.completed_at } : undefined;
}

export async function checkOf(m: Db, taskId: string, storeId: string, itemNo: number): Promise<{ doneAt: string; doneBy: string } | undefined> {
  const r = await one<{ done_at: string; done_by_name: string }>(m, 'SELECT done_at, done_by_name FROM office_task_check WHERE task_id = ? AND store_id = ? AND item_no = ?', [taskId, storeId, itemNo]);
  return r ? { doneAt: r.done_at, doneBy: r.done_by_name } : undefined;
}

export async function insertCheck(m: Db, c: { taskId: string; storeId: string; itemNo: number; doneAt: string; byKind: 'user' | 'staff'; byId: string; byName: string; source: 'backoffice' | 'till'; documentId: string | null; note: string | null }): Promise<void> {
  await exec(
    m,
    'INSERT INTO office_task_check (task_id, store_id, item_no, done_at, done_by_kind, done_by_id, done_by_name, source, document_id, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [c.taskId, c.storeId, c.itemNo, c.doneAt, c.byKind, c.byId, c.byName, c.source, c.documentId, c.note],
  );
}

/** Marks the store's task complete once every item is ticked (at the last tick's moment); true when it completed now. */
export async function completeIfAllDone(m: Db, taskId: string, storeId: string, at: string): Promise<boolean> {
  const r = await one<{ remaining: unknown }>(m, `SELECT (SELECT COUNT(*) FROM office_task_item WHERE task_id = ?) - (SELECT COUNT(*) FROM office_task_check WHERE task_id = ? AND store_id = ?) AS remaining`, [taskId, taskId, storeId]);
  if (Number(r?.remaining ?? 1) > 0) return false;
  await exec(m, 'UPDATE office_task_store SET completed_at = ? WHERE task_id = ? AND store_id = ? AND completed_at IS NULL', [at, taskId, storeId]);
  return true;
}

export async function staffName(m: Db, id: string): Promise<{ name: string; companyId: string; storeId: string | null } | undefined> {
  const r = await one<{ name: string; company_id: string; store_id: string | null }>(m, 'SELECT name, company_id, store_id FROM staff WHERE id = ?', [id]);
  return r ? { name: r.name, companyId: r.company_id, storeId: r.store_id } : undefined;
}
export async function userName(m: Db, id: string): Promise<string> {
  return (await one<{ name: string }>(m, 'SELECT name FROM app_user WHERE id = ?', [id]))?.name ?? id;
}
