/**
 * Office administration (issue 16): notices from HQ to the stores (down the change feed as `notice`, read
 * confirmations up the tills' outbox as `office.notice_read`), tasks and checklists, the documents library.
 */
import type { NoticeRead } from '@tpv/shared/office/notices';
import type { BackofficeModule, ModuleContext } from '../modules/types';
import { noticeRoutes } from './notices-route';
import { applyNoticeRead, createNoticeService } from './notices-service';

export const noticeService = (c: ModuleContext) => createNoticeService(c.ds, c.clock, (storeId, v) => c.live.gateway?.catalogChanged(storeId, v));

export const officeModule: BackofficeModule = {
  id: 'office',
  routes: (c) => [noticeRoutes(c, noticeService(c))],
  upward: {
    'office.notice_read': (m, ctx, till, doc) => applyNoticeRead(m, ctx.clock, till, doc.id, doc.payload as NoticeRead),
  },
};
