/**
 * HTTP schemas of office notices at HQ (issue 16): write a notice (Spanish, English beside it or as typed;
 * priority; from/to dates) aimed at the network, some companies or some stores, optionally at some till
 * roles; the list with read counters; a notice's page of who it reaches and who has read it (with the time).
 */
import { z } from 'zod';
import { NOTICE_PRIORITIES, NOTICE_TARGETS, STAFF_ROLES } from '../../office/notices';
import { LIMITS, RowIdSchema } from '../limits';

const Instant = z.iso.datetime({ offset: true }).max(LIMITS.instant);

export const NoticeIdParam = z.object({ id: RowIdSchema });
export const NoticeListQuery = z.object({
  /** `current`: not withdrawn and not ended; `all`: every notice. */
  status: z.enum(['current', 'all']).default('all'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const NoticeCreateBody = z.strictObject({
  title: z.string().trim().min(1, 'escriba el título / write the title').max(LIMITS.noticeTitle),
  body: z.string().trim().min(1, 'escriba el texto / write the text').max(LIMITS.noticeBody),
  /** English beside the Spanish; absent: the notice is shown as typed. */
  titleEn: z.string().trim().max(LIMITS.noticeTitle).nullable().optional(),
  bodyEn: z.string().trim().max(LIMITS.noticeBody).nullable().optional(),
  priority: z.enum(NOTICE_PRIORITIES).default('normal'),
  /** Shown from (default: now) until (default: no end). */
  startsAt: Instant.nullable().optional(),
  endsAt: Instant.nullable().optional(),
  target: z.enum(NOTICE_TARGETS),
  /** Company ids (target company) or store ids (target store); none for all. */
  targetIds: z.array(RowIdSchema).max(2000).default([]),
  /** Till roles it is for; empty: everyone at the till. */
  roles: z.array(z.enum(STAFF_ROLES)).max(3).default([]),
});
export type NoticeCreateBody = z.output<typeof NoticeCreateBody>;

export const NoticeWithdrawBody = z.strictObject({ note: z.string().trim().max(500).optional() });

export const NoticeSummary = z.object({
  id: z.string(),
  title: z.string(),
  body: z.string(),
  titleEn: z.string().nullable(),
  bodyEn: z.string().nullable(),
  priority: z.enum(NOTICE_PRIORITIES),
  startsAt: z.string(),
  endsAt: z.string().nullable(),
  target: z.enum(NOTICE_TARGETS),
  targetIds: z.array(z.string()),
  roles: z.array(z.enum(STAFF_ROLES)),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  withdrawnAt: z.string().nullable(),
  /** Stores reached (within the caller's scope), people reached there, and how many of them read it. */
  stores: z.number().int(),
  people: z.number().int(),
  read: z.number().int(),
});
export type NoticeSummary = z.infer<typeof NoticeSummary>;
export const NoticeListAnswer = z.object({ items: z.array(NoticeSummary) });

export const NoticeStoreRow = z.object({
  storeId: z.string(), storeCode: z.string(), storeName: z.string(), companyId: z.string(), people: z.number().int(), read: z.number().int(),
});
export const NoticePersonRow = z.object({
  staffId: z.string(),
  code: z.string(),
  name: z.string(),
  role: z.enum(STAFF_ROLES),
  companyId: z.string(),
  /** Where they work (null: any store of the company). */
  storeId: z.string().nullable(),
  storeName: z.string().nullable(),
  /** When they confirmed at the till (null: not yet), and at which store's till. */
  readAt: z.string().nullable(),
  readStoreId: z.string().nullable(),
  /** Whether the person is still reached (a read by someone who has since left or changed role stays listed). */
  targeted: z.boolean(),
});
export const NoticeDetail = z.object({ notice: NoticeSummary, stores: z.array(NoticeStoreRow), people: z.array(NoticePersonRow) });
export type NoticeDetail = z.infer<typeof NoticeDetail>;
