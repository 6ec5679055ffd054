/** The purchasing module's entry points other modules call (restocking confirms proposals into purchase orders). */
import type { EntityManager } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import type { DocumentActor } from '../platform/actor';

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

/** A draft purchase order at the supplier's costs (state `draft`: edited, then sent). */
export async function createPurchaseOrderDraft(_m: EntityManager, _clock: Clock, _by: DocumentActor, _input: PurchaseOrderDraftInput): Promise<{ id: string }> {
  throw new Error('createPurchaseOrderDraft: not implemented yet');
}
