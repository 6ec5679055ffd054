/**
 * Office notices at the till (issue 16). The change feed brings HQ's notices for this store (sync/catalog.ts);
 * the person logged in sees those for their role within their dates (`noticeShownAtTill`), unread first and
 * the most urgent on top, and confirms reading each. A confirmation is written once per person and notice:
 * the local `notice_read` row and an `office.notice_read` document in the outbox, in one local transaction,
 * so it reaches HQ exactly once even when the till is offline (a second tap answers with the first read).
 */
import type { Clock } from '@tpv/shared/clock';
import { noticeShownAtTill, type NoticePriority } from '@tpv/shared/office/notices';
import { ok, type Result } from '@tpv/shared/result';
import type { SqliteHandle } from '../persistence/data-source';
import { createDocumentOutbox } from '../sync/document-outbox';
import { failure, type Failure } from '../app/errors';
import type { StaffMember } from '../people/pins';

export interface TillNoticeView {
  id: string;
  title: string;
  body: string;
  titleEn: string | null;
  bodyEn: string | null;
  priority: NoticePriority;
  startsAt: string | null;
  validUntil: string | null;
  /** When the person logged in confirmed reading it here (null: not yet). */
  readAt: string | null;
}

export interface TillNotices {
  /** The notices shown to this person now, unread first, then urgent → normal, newest first. */
  forStaff(by: StaffMember): TillNoticeView[];
  /** Confirms reading: the first time writes the read and its outbox document; later, the first read is returned. */
  confirmRead(by: StaffMember, noticeId: string): Result<TillNoticeView, Failure>;
}

interface Row {
  id: string; title: string; body: string; title_en: string | null; body_en: string | null; priority: string; starts_at: string | null; valid_until: string | null; roles: string;
  read_at: string | null;
}
const RANK: Record<string, number> = { urgent: 0, high: 1, normal: 2 };

export function createTillNotices(o: { db: SqliteHandle; clock: Clock; newId: () => string; queued?: (() => void) | undefined }): TillNotices {
  const outbox = createDocumentOutbox(o.db);
  const rows = o.db.prepare<[string], Row>(
    `SELECT n.id, n.title, n.body, n.title_en, n.body_en, n.priority, n.starts_at, n.valid_until, n.roles, r.read_at
       FROM notice n LEFT JOIN notice_read r ON r.notice_id = n.id AND r.staff_id = ?`,
  );
  const insertRead = o.db.prepare<[string, string, string, string]>('INSERT INTO notice_read (notice_id, staff_id, read_at, document_id) VALUES (?, ?, ?, ?)');
  const view = (r: Row): TillNoticeView => ({
    id: r.id, title: r.title, body: r.body, titleEn: r.title_en, bodyEn: r.body_en, priority: (r.priority in RANK ? r.priority : 'normal') as NoticePriority,
    startsAt: r.starts_at, validUntil: r.valid_until, readAt: r.read_at,
  });
  const shown = (by: StaffMember) => {
    const now = o.clock.now();
    return rows.all(by.id).filter((r) => noticeShownAtTill({ roles: JSON.parse(r.roles) as string[], startsAt: r.starts_at, validUntil: r.valid_until }, by.role, now));
  };

  return {
    forStaff(by) {
      return shown(by)
        .map(view)
        .sort((a, b) => Number(a.readAt !== null) - Number(b.readAt !== null) || RANK[a.priority]! - RANK[b.priority]! || (b.startsAt ?? '').localeCompare(a.startsAt ?? '') || a.id.localeCompare(b.id));
    },
    confirmRead(by, noticeId) {
      const find = () => shown(by).find((r) => r.id === noticeId);
      const before = find();
      if (!before) return failure('NOTICE_UNKNOWN', `no notice ${noticeId} for ${by.name} at this till`, { noticeId });
      if (before.read_at !== null) return ok(view(before));
      const readAt = new Date(o.clock.now()).toISOString();
      const documentId = o.newId();
      o.db.transaction(() => {
        insertRead.run(noticeId, by.id, readAt, documentId);
        outbox.enqueue({ id: documentId, kind: 'office.notice_read', createdAt: readAt, payload: { noticeId, staffId: by.id, readAt } });
      })();
      o.queued?.();
      return ok(view(find()!));
    },
  };
}
