/**
 * The replenishment module as the platform sees it: its routes (orders, delivery notes, wholesale prices)
 * and the handlers of the documents tills send up (a delivery received by
 * scanning, a replenishment request). A refusal of a till's document (an `HttpProblem`, raised before
 * anything is written) answers `rejected` with its detail. A delivery received at the till deletes the note
 * from the store's feed: the answer names that change so the channel nudges the store's tills after commit.
 */
import { TillDeliveryReceiptSchema, TillReplenishmentRequestSchema } from '@tpv/shared/wire/upward';
import type { BackofficeModule, UpwardHandler } from '../modules/types';
import { refusalsAsRejected } from '../till/handlers';
import { receiveDeliveryAtStore, registerReplenishmentOrder } from './api';
import { replenishmentRoutes } from './route';
import { createReplenishmentService } from './service';

const refusedAs = refusalsAsRejected;

const receiptFromTill: UpwardHandler = async (m, ctx, till, doc) => {
  const input = TillDeliveryReceiptSchema.parse(doc.payload);
  let feedVersion = 0;
  const answer = await refusedAs(async () => {
    const r = await receiveDeliveryAtStore(m, ctx.clock, { kind: 'till', till, ...(input.staffId ? { staffId: input.staffId } : {}) }, till.storeId, input);
    feedVersion = r.feedVersion;
    return r;
  }, 'recibido');
  return 'rejected' in answer ? answer : { ...answer, feedChanged: [{ storeId: till.storeId, version: feedVersion }] };
};
const requestFromTill: UpwardHandler = (m, ctx, till, doc) => {
  const input = TillReplenishmentRequestSchema.parse(doc.payload);
  return refusedAs(
    () => registerReplenishmentOrder(m, ctx.clock, { kind: 'till', till, ...(input.staffId ? { staffId: input.staffId } : {}) }, { storeId: till.storeId, lines: input.lines, note: input.note ?? null, source: 'till' }),
    'registrado',
  );
};

export const replenishmentModule: BackofficeModule = {
  id: 'replenishment',
  permissionModules: ['restocking', 'warehouse', 'inventory'],
  routes: (c) => [replenishmentRoutes(c.ds, c.clock, createReplenishmentService(c.ds, c.clock, (storeId, version) => c.live.gateway?.catalogChanged(storeId, version)))],
  upward: { 'stock.delivery_receipt': receiptFromTill, 'stock.replenishment_request': requestFromTill },
};

