/**
 * Receipts as a franchise designs them (issue 19): the company's receipt design and its stores' overrides,
 * the live preview through our own encoder and decoder, publishing down the change feed (`receipt_design`).
 */
import type { BackofficeModule, ModuleContext } from '../modules/types';
import { receiptRoutes } from './route';
import { createReceiptDesignService } from './service';

export const receiptDesignService = (c: ModuleContext) => createReceiptDesignService(c.ds, c.clock, (storeId, v) => c.live.gateway?.catalogChanged(storeId, v));

export const receiptsModule: BackofficeModule = {
  id: 'receipts',
  routes: (c) => [receiptRoutes(c, receiptDesignService(c))],
};
