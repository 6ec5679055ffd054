/** Supplier returns (issue 17): store → warehouse → supplier, stock posted at each step, the credit note expected and matched. */
import type { BackofficeModule } from '../modules/types';
import { supplierReturnRoutes } from './route';
import { createSupplierReturnService } from './service';

export { supplierReturnFigures } from './repository';

export const supplierReturnsModule: BackofficeModule = {
  id: 'supplier-returns',
  permissionModules: ['inventory', 'warehouse', 'purchasing', 'quality'],
  routes: (c) => [supplierReturnRoutes(c, createSupplierReturnService(c.ds, c.clock))],
};
