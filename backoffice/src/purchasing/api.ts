/** The purchasing module's entry points other modules call (restocking confirms proposals into purchase orders). */
import type { EntityManager } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import type { DocumentActor } from '../platform/actor';
import { insertDraft } from './service';

export interface PurchaseOrderDraftInput {
  companyId: string;
  supplierId: string;
  /** A warehouse or a store (delivered straight to it). */
  deliverToLocationId: string;
  /** Units of stock (the supplier's pack size is applied by the purchasing module when it rounds). */
  lines: Array<{ productId: string; quantity: number }>;
  expectedDate?: string | null;
  note?: string | null;
  proposalId?: string | null;
}

/**
 * A draft purchase order at the supplier's costs (state `draft`: edited, then sent), each quantity rounded up
 * to the supplier's minimum order and whole packs. Refusals (unknown supplier/location/product, a location
 * of another company than `companyId`, an actor outside the company) throw an HTTP problem: the caller's
 * transaction rolls back.
 */
export async function createPurchaseOrderDraft(m: EntityManager, clock: Clock, by: DocumentActor, input: PurchaseOrderDraftInput): Promise<{ id: string }> {
  const id = await insertDraft(m, clock, by, {
    supplierId: input.supplierId,
    locationId: input.deliverToLocationId,
    expectedDate: input.expectedDate ?? null,
    note: input.note ?? null,
    proposalId: input.proposalId ?? null,
    lines: input.lines,
    companyId: input.companyId,
  }, true);
  return { id };
}
