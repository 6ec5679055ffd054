/**
 * The replenishment module's entry points other modules call (restocking confirms proposals into orders;
 * the till channel receives deliveries and requests). Each runs inside the caller's transaction `m`.
 */
import type { EntityManager } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import type { TillDeliveryReceipt } from '@tpv/shared/wire/upward';
import type { DocumentActor } from '../platform/actor';

export interface ReplenishmentOrderInput {
  storeId: string;
  lines: Array<{ productId: string; quantity: number }>;
  /** Where it came from: typed at HQ/back office, a confirmed restock proposal, or the till. */
  source: 'manual' | 'proposal' | 'till';
  note?: string | null;
  /** The proposal it was confirmed from. */
  proposalId?: string | null;
}

/** Registers a replenishment order of a store from the franchisor's warehouse (state `registered`). */
export async function registerReplenishmentOrder(_m: EntityManager, _clock: Clock, _by: DocumentActor, _input: ReplenishmentOrderInput): Promise<{ id: string; number: string }> {
  throw new Error('registerReplenishmentOrder: not implemented yet');
}

/**
 * A store receives a shipped delivery note (from the till by scanning, or typed in the back office): stock
 * out of transit into the store, discrepancies (short, over, damaged) recorded and each opened as an incident.
 */
export async function receiveDeliveryAtStore(_m: EntityManager, _clock: Clock, _by: DocumentActor, _storeId: string, _input: TillDeliveryReceipt): Promise<{ id: string; number: string }> {
  throw new Error('receiveDeliveryAtStore: not implemented yet');
}
