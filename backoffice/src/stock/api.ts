/** The stock module's entry points other modules call (the till channel posts counts made by scanning). */
import type { EntityManager } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import type { TillStockCount } from '@tpv/shared/wire/upward';
import type { DocumentActor } from '../platform/actor';
import { tillCount } from './counts';

/**
 * A count made at a till: recorded against the open count it names (or as a new cycle count of the products
 * scanned), counted quantities only — the count is approved and posted in the back office. Refusals (a count
 * of another store, one already submitted, an unknown product) throw an HttpProblem whose `message` says why
 * in Spanish and English: the upward handler answers it as `{ rejected: message }`.
 */
export async function submitTillCount(m: EntityManager, clock: Clock, by: DocumentActor, storeId: string, input: TillStockCount): Promise<{ id: string; number: string }> {
  return tillCount(m.connection, m, clock, by, storeId, input);
}
