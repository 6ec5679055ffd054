/**
 * The replenishment module's entry points other modules call (restocking confirms proposals into orders;
 * the till channel receives deliveries and requests). Each runs inside the caller's transaction `m`, and
 * refuses with an `HttpProblem` (4xx, Spanish / English detail) that the caller maps: an HTTP answer, or a
 * till document `rejected` with its detail. A receipt appends a `delivery_note` delete to the change feed:
 * the caller nudges the store's tills after its commit.
 */
import type { EntityManager } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import type { TillDeliveryReceipt } from '@tpv/shared/wire/upward';
import type { DocumentActor } from '../platform/actor';
import { receiveNote, registerOrder, type ReplenishmentOrderInput } from './service';

export type { ReplenishmentOrderInput } from './service';

/** Registers a replenishment order of a store from the franchisor's warehouse (state `registered`). */
export async function registerReplenishmentOrder(m: EntityManager, clock: Clock, by: DocumentActor, input: ReplenishmentOrderInput): Promise<{ id: string; number: string }> {
  return registerOrder(m, clock, by, input);
}

/**
 * A store receives a shipped delivery note (from the till by scanning, or typed in the back office): stock
 * out of transit into the store, discrepancies (short, over, damaged) recorded and each opened as an incident.
 * `feedVersion`: the change-feed version of the note's delete (the caller nudges the store's tills after commit).
 */
export async function receiveDeliveryAtStore(m: EntityManager, clock: Clock, by: DocumentActor, storeId: string, input: TillDeliveryReceipt): Promise<{ id: string; number: string; feedVersion: number }> {
  return receiveNote(m, clock, by, storeId, input);
}
