/**
 * Office administration (issue 16): notices from HQ to the stores (down the change feed as `notice`, read
 * confirmations up the tills' outbox as `office.notice_read`), tasks and checklists, the documents library.
 */
import type { NoticeRead } from '@tpv/shared/office/notices';
import type { TaskCheck } from '@tpv/shared/office/tasks';
import type { BackofficeModule, ModuleContext } from '../modules/types';
import { noticeRoutes } from './notices-route';
import { applyNoticeRead, createNoticeService } from './notices-service';
import { taskRoutes } from './tasks-route';
import { documentRoutes } from './documents-route';
import { createDocumentService } from './documents-service';
import { applyTaskCheck, createTaskService } from './tasks-service';

export const noticeService = (c: ModuleContext) => createNoticeService(c.ds, c.clock, (storeId, v) => c.live.gateway?.catalogChanged(storeId, v));

export const taskService = (c: ModuleContext) => createTaskService(c.ds, c.clock, (storeId, v) => c.live.gateway?.catalogChanged(storeId, v));

export const officeModule: BackofficeModule = {
  id: 'office',
  routes: (c) => [noticeRoutes(c, noticeService(c)), taskRoutes(c, taskService(c)), documentRoutes(c, createDocumentService(c.ds, c.clock, c.files))],
  upward: {
    'office.notice_read': (m, ctx, till, doc) => applyNoticeRead(m, ctx.clock, till, doc.id, doc.payload as NoticeRead),
    'office.task_check': (m, ctx, till, doc) => applyTaskCheck(m, ctx.clock, till, doc.id, doc.payload as TaskCheck),
  },
};
