/** The stock module's entry points other modules call (the till channel posts counts made by scanning). */
import type { EntityManager } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import type { TillStockCount } from '@tpv/shared/wire/upward';
import type { DocumentActor } from '../platform/actor';

/**
 * A count made at a till: recorded against the open count it names (or as a new cycle count of the products
 * scanned), counted quantities only — the count is approved and posted in the back office.
 */
export async function submitTillCount(_m: EntityManager, _clock: Clock, _by: DocumentActor, _storeId: string, _input: TillStockCount): Promise<{ id: string; number: string }> {
  throw new Error('submitTillCount: not implemented yet');
}
