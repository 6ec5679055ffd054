/**
 * Promotions (issue 15): HQ defines them (routes, service), the tills get them on the change feed (entity
 * `promotion`) and apply them offline with shared/src/promotions; the ingest re-checks every sale ticket
 * with the same engine and keeps the promotion totals (check.ts).
 */
import type { BackofficeModule } from '../modules/types';
import { promotionsCheckStep } from './check';
import { promotionRoutes } from './route';
import { createPromotionsService } from './service';

export const promotionsModule: BackofficeModule = {
  id: 'promotions',
  routes: (c) => [promotionRoutes(c.ds, c.clock, createPromotionsService(c.ds, c.clock, c.masterData))],
  ticketSteps: [promotionsCheckStep],
};
