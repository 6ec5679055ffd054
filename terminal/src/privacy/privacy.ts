/**
 * Data protection at the till (issue 15).
 *
 * - Consents given or withdrawn at the counter (the customer dialog's checkboxes): a `privacy.consent`
 *   document in the till's outbox, written in its own local transaction, applied once at HQ (source `till`).
 * - Erasure: HQ deletes the customer from the change feed; besides the `customer` row (sync/catalog.ts),
 *   `forgetCustomerLocally` removes the till's other local copies — rows of any `customer*` table keyed by
 *   `customer_id` (local search indexes, customers created here awaiting HQ) — so the till's customer search
 *   no longer finds the person. Fiscal tickets already issued stay as they were (HQ anonymises its copies).
 */
import type { z } from 'zod';
import type { Clock } from '@tpv/shared/clock';
import { TillConsentSchema } from '@tpv/shared/wire/upward';
import { ok, type Result } from '@tpv/shared/result';
import type { SqliteHandle } from '../persistence/data-source';
import { createDocumentOutbox, type OutboxDocument } from '../sync/document-outbox';
import { failure, type Failure } from '../app/errors';
import type { StaffMember } from '../people/pins';

export const TillConsentBody = TillConsentSchema.omit({ staffId: true });
export type TillConsentBody = z.infer<typeof TillConsentBody>;

export interface TillPrivacy {
  recordConsent(by: StaffMember, input: TillConsentBody): Result<OutboxDocument, Failure>;
}

export function createTillPrivacy(o: { db: SqliteHandle; clock: Clock; newId: () => string; queued?: (() => void) | undefined }): TillPrivacy {
  const outbox = createDocumentOutbox(o.db);
  const customer = o.db.prepare<[string], { id: string }>('SELECT id FROM customer WHERE id = ?');
  return {
    recordConsent(by, input) {
      if (!customer.get(input.customerId)) return failure('CUSTOMER_UNKNOWN', `no customer ${input.customerId} at this till`, { customerId: input.customerId });
      const id = o.newId();
      o.db.transaction(() => outbox.enqueue({ id, kind: 'privacy.consent', createdAt: new Date(o.clock.now()).toISOString(), payload: { ...input, staffId: by.id } }))();
      o.queued?.();
      return ok(outbox.get(id)!);
    },
  };
}

/** Removes the till's local copies of an erased customer beyond the `customer` row (inside the feed's transaction). */
export function forgetCustomerLocally(db: SqliteHandle, customerId: string): void {
  const tables = db
    .prepare<[], { name: string }>(
      `SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name LIKE 'customer%' AND m.name <> 'customer' AND p.name = 'customer_id'`,
    )
    .all();
  for (const t of tables) db.prepare<[string]>(`DELETE FROM "${t.name.replace(/"/g, '""')}" WHERE customer_id = ?`).run(customerId);
}
