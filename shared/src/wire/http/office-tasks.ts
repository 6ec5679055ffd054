/**
 * HTTP schemas of tasks and checklists (issue 16): HQ (a franchisee for their own stores) assigns a task with
 * a due moment and items to stores; the list per store with overdue ones flagged and counters; a task's page
 * with each store's items, who ticked them and when; ticking an item in the back office.
 */
import { z } from 'zod';
import { NOTICE_TARGETS } from '../../office/notices';
import { TASK_KINDS } from '../../office/tasks';
import { LIMITS, RowIdSchema } from '../limits';

const Instant = z.iso.datetime({ offset: true }).max(LIMITS.instant);
export const TaskIdParam = z.object({ id: RowIdSchema });
export const TaskItemParams = z.object({ id: RowIdSchema, storeId: RowIdSchema, itemNo: z.coerce.number().int().min(1).max(200) });
export const TaskListQuery = z.object({
  status: z.enum(['open', 'overdue', 'done', 'all']).default('all'),
  storeId: RowIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const TaskCreateBody = z.strictObject({
  title: z.string().trim().min(1, 'escriba el título / write the title').max(200),
  kind: z.enum(TASK_KINDS).default('other'),
  description: z.string().trim().max(4000).nullable().optional(),
  dueAt: Instant,
  items: z.array(z.string().trim().min(1, 'un punto vacío / an empty item').max(300)).min(1, 'al menos un punto / at least one item').max(200),
  target: z.enum(NOTICE_TARGETS),
  targetIds: z.array(RowIdSchema).max(2000).default([]),
});
export type TaskCreateBody = z.output<typeof TaskCreateBody>;

export const TaskCheckBody = z.strictObject({ note: z.string().trim().max(300).optional() });

export const StoreTaskRow = z.object({
  taskId: z.string(), title: z.string(), kind: z.enum(TASK_KINDS), dueAt: z.string(), storeId: z.string(), storeCode: z.string(), storeName: z.string(),
  items: z.number().int(), done: z.number().int(), completedAt: z.string().nullable(), status: z.enum(['open', 'overdue', 'done']),
});
export const TaskListAnswer = z.object({
  items: z.array(StoreTaskRow),
  counters: z.object({ open: z.number().int(), overdue: z.number().int(), done: z.number().int() }),
});

export const TaskItemCheck = z.object({
  itemNo: z.number().int(), text: z.string(), doneAt: z.string().nullable(), doneBy: z.string().nullable(), source: z.enum(['backoffice', 'till']).nullable(),
});
export const TaskDetail = z.object({
  task: z.object({ id: z.string(), title: z.string(), kind: z.enum(TASK_KINDS), description: z.string().nullable(), dueAt: z.string(), createdAt: z.string(), items: z.array(z.object({ no: z.number().int(), text: z.string() })) }),
  stores: z.array(z.object({
    storeId: z.string(), storeCode: z.string(), storeName: z.string(), completedAt: z.string().nullable(), status: z.enum(['open', 'overdue', 'done']), items: z.array(TaskItemCheck),
  })),
});
export type TaskDetail = z.infer<typeof TaskDetail>;
