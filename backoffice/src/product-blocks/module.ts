/**
 * Product blocks and recalls (issue 17): HQ blocks a product (or a lot / best-before range), the change feed
 * carries it to the tills (`product_block`), which refuse to sell it; the block's page follows the units
 * sold and the stores' withdrawals until it closes.
 */
import type { BackofficeModule, ModuleContext } from '../modules/types';
import { blockRoutes } from './route';
import { createBlockService } from './service';

export const blockService = (c: ModuleContext) => createBlockService(c.ds, c.clock, (storeId, v) => c.live.gateway?.catalogChanged(storeId, v));

export const productBlocksModule: BackofficeModule = {
  id: 'product-blocks',
  permissionModules: ['quality', 'inventory'],
  routes: (c) => [blockRoutes(c, blockService(c))],
};
