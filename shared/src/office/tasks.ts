/**
 * Tasks and checklists HQ assigns to stores (issue 16): a price change to put on the shelves, a promotion to
 * set up, an opening checklist — a due moment and items each store ticks (at the till or in the back office).
 * A store's task is done when every item is ticked; it is overdue when not done by its due moment.
 */
import { z } from 'zod';

export const TASK_KINDS = ['price_change', 'promo_setup', 'checklist', 'other'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

export type StoreTaskStatus = 'open' | 'overdue' | 'done';

/** A store's task status at `nowMs`: done when every item is ticked (done on time or late), else overdue past its due moment. */
export function storeTaskStatus(t: { dueAt: string; items: number; done: number }, nowMs: number): StoreTaskStatus {
  if (t.items > 0 && t.done >= t.items) return 'done';
  return Date.parse(t.dueAt) < nowMs ? 'overdue' : 'open';
}

/** An item ticked at the till (`office.task_check`): who, when (the till's clock). */
export const TaskCheckSchema = z.strictObject({
  taskId: z.string().min(1).max(64),
  itemNo: z.int().min(1).max(200),
  staffId: z.string().min(1).max(64),
  doneAt: z.string().min(10).max(40),
});
export type TaskCheck = z.infer<typeof TaskCheckSchema>;

/** The change feed's record of a task for a store (entity `office_task`, store-scoped). */
export const TaskDataSchema = z.object({
  id: z.string().min(1).max(64),
  title: z.string().min(1).max(200),
  kind: z.enum(TASK_KINDS),
  description: z.string().max(4000).nullable(),
  dueAt: z.string().max(40),
  items: z.array(z.object({ no: z.int().min(1), text: z.string().max(300) })).max(200),
});
export type TaskData = z.infer<typeof TaskDataSchema>;
