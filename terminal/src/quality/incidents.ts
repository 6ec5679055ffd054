/**
 * Incidents reported at the till (issue 17): a cashier reports damaged goods, a customer complaint, a
 * broken scale… with a photo taken there. The report is a `quality.incident` document in the till's outbox,
 * written in its own local transaction and sent up with the same exactly-once guarantee as tickets; HQ
 * answers with the incident's number, which the screen shows once it arrives (offline: "pendiente").
 */
import type { z } from 'zod';
import type { Clock } from '@tpv/shared/clock';
import { TILL_PHOTO_MAX_BYTES, TillIncidentSchema } from '@tpv/shared/wire/upward';
import { ok, type Result } from '@tpv/shared/result';
import type { SqliteHandle } from '../persistence/data-source';
import { createDocumentOutbox, type OutboxDocument } from '../sync/document-outbox';
import { failure, type Failure } from '../app/errors';
import type { StaffMember } from '../people/pins';

export const TillIncidentBody = TillIncidentSchema.omit({ staffId: true });
export type TillIncidentBody = z.infer<typeof TillIncidentBody>;

export interface TillIncidentView {
  id: string;
  createdAt: string;
  title: string;
  kind: string;
  hasPhoto: boolean;
  status: OutboxDocument['status'];
  reference: string | null;
  message: string | null;
}

export interface TillIncidents {
  report(by: StaffMember, input: TillIncidentBody): Result<TillIncidentView, Failure>;
  recent(limit: number): TillIncidentView[];
}

const view = (d: OutboxDocument): TillIncidentView => {
  const p = d.payload as TillIncidentBody;
  return { id: d.id, createdAt: d.createdAt, title: p.title, kind: p.kind, hasPhoto: !!p.photo, status: d.status, reference: d.reference, message: d.message };
};

export function createTillIncidents(o: { db: SqliteHandle; clock: Clock; newId: () => string; queued?: (() => void) | undefined }): TillIncidents {
  const outbox = createDocumentOutbox(o.db);
  const product = o.db.prepare<[string], { id: string }>('SELECT id FROM product WHERE id = ?');
  return {
    report(by, input) {
      if (input.productId && !product.get(input.productId)) return failure('PRODUCT_UNKNOWN', `product ${input.productId} is not in this till's catalogue`, { productId: input.productId });
      if (input.photo && Buffer.byteLength(input.photo.base64, 'base64') > TILL_PHOTO_MAX_BYTES) return failure('DOCUMENT_INVALID', 'la foto es demasiado grande / photo too large', { field: 'photo' });
      const id = o.newId();
      o.db.transaction(() => outbox.enqueue({ id, kind: 'quality.incident', createdAt: new Date(o.clock.now()).toISOString(), payload: { ...input, staffId: by.id } }))();
      o.queued?.();
      return ok(view(outbox.get(id)!));
    },
    recent(limit) {
      return outbox.recentOf(['quality.incident'], limit).map(view);
    },
  };
}
