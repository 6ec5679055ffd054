/**
 * Who a document use case acts for: a signed-in back-office user (scope from their role), or a till (its
 * store, proven by its device token) with the staff member whose PIN was entered. Use cases check the scope
 * of the rows they touch against it and write it into the audit log.
 */
import type { AuthUser } from '../auth/service';
import type { UpwardTill } from '../modules/types';

export type DocumentActor = { kind: 'user'; user: AuthUser } | { kind: 'till'; till: UpwardTill; staffId?: string };

/** The audit log's actor: a user, or null with the till named in the entry (system). */
export const auditActorOf = (a: DocumentActor) => (a.kind === 'user' ? { id: a.user.id, email: a.user.email } : null);
