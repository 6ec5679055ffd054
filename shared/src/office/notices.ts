/**
 * Notices from HQ to the stores (issue 16): who a notice reaches, and what the till shows to the person
 * logged in. Pure rules, shared by the back office (the "who has read it" page counts the people a notice
 * reaches) and the till (which shows a notice only to the roles it names, within its dates).
 *
 * A notice targets the whole network, some companies or some stores, optionally narrowed to till roles
 * (cashier, supervisor, manager; none named: every role). A person reaches it when their role is named (or
 * none is) and they work where it is aimed: a staff member of one store, at that store; a company-wide
 * staff member (no store), at every store of their company.
 */
import { z } from 'zod';

export const STAFF_ROLES = ['cashier', 'supervisor', 'manager'] as const;
export type TillRole = (typeof STAFF_ROLES)[number];
export const NOTICE_PRIORITIES = ['normal', 'high', 'urgent'] as const;
export type NoticePriority = (typeof NOTICE_PRIORITIES)[number];
export const NOTICE_TARGETS = ['all', 'company', 'store'] as const;
export type NoticeTargetKind = (typeof NOTICE_TARGETS)[number];

export interface NoticeTarget {
  kind: NoticeTargetKind;
  /** Company ids (kind company) or store ids (kind store); empty for all. */
  ids: readonly string[];
  /** Till roles it is for; empty: everyone. */
  roles: readonly TillRole[];
}

/** A till person as the back office knows them: their company, the store they work at (null: any of the company's), role. */
export interface NoticePerson {
  companyId: string;
  storeId: string | null;
  role: TillRole;
}

/**
 * Whether the notice reaches the person. `companyOfStore` names each targeted store's company, so a
 * company-wide person is reached by a notice aimed at one store of their company.
 */
export function noticeReaches(t: NoticeTarget, p: NoticePerson, companyOfStore: (storeId: string) => string | undefined): boolean {
  if (t.roles.length > 0 && !t.roles.includes(p.role)) return false;
  switch (t.kind) {
    case 'all':
      return true;
    case 'company':
      return t.ids.includes(p.companyId);
    case 'store':
      return p.storeId !== null ? t.ids.includes(p.storeId) : t.ids.some((s) => companyOfStore(s) === p.companyId);
  }
}

/** What the till keeps of a notice (the change feed's `notice` record plus the fields office notices add). */
export interface TillNotice {
  roles: readonly string[];
  startsAt: string | null;
  validUntil: string | null;
}

/** Whether the till shows the notice to someone of this role now (ISO instants compare as text when both are UTC `Z`). */
export function noticeShownAtTill(n: TillNotice, role: string, nowMs: number): boolean {
  if (n.roles.length > 0 && !n.roles.includes(role)) return false;
  if (n.startsAt !== null && Date.parse(n.startsAt) > nowMs) return false;
  if (n.validUntil !== null && Date.parse(n.validUntil) < nowMs) return false;
  return true;
}

/** The read confirmation a till sends up (`office.notice_read`): who read which notice, when (at the till's clock). */
export const NoticeReadSchema = z.strictObject({
  noticeId: z.string().min(1).max(64),
  staffId: z.string().min(1).max(64),
  readAt: z.string().min(10).max(40),
});
export type NoticeRead = z.infer<typeof NoticeReadSchema>;
