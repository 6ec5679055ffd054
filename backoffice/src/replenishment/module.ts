/**
 * The replenishment module as the platform sees it: its routes (orders, delivery notes, wholesale prices)
 * and the handlers of the documents tills send up (a delivery received by
 * scanning, a replenishment request). A refusal of a till's document (an `HttpProblem`, raised before
 * anything is written) answers `rejected` with its detail.
 */
import { TillDeliveryReceiptSchema, TillReplenishmentRequestSchema } from '@tpv/shared/wire/upward';
import type { BackofficeModule, UpwardHandler } from '../modules/types';
import { refusalsAsRejected } from '../till/handlers';
import { receiveDeliveryAtStore, registerReplenishmentOrder } from './api';
import { replenishmentRoutes } from './route';
import { createReplenishmentService } from './service';

const refusedAs = refusalsAsRejected;

const receiptFromTill: UpwardHandler = (m, ctx, till, doc) => {
  const input = TillDeliveryReceiptSchema.parse(doc.payload);
  return refusedAs(() => receiveDeliveryAtStore(m, ctx.clock, { kind: 'till', till, ...(input.staffId ? { staffId: input.staffId } : {}) }, till.storeId, input), 'recibido');
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

