/** Supplier returns (issue 17): store → warehouse → supplier, the credit note expected and matched. */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const supplierReturnsModule = defineModule({
  id: 'supplier-returns',
  section: 'inventory',
  messages,
  menu: [{ path: 'supplier-returns', label: 'nav.returns', permission: 'inventory.read', icon: icons.box, testId: 'nav-supplier-returns' }],
  routes: [{ path: 'supplier-returns', permission: 'inventory.read', page: () => import('./SupplierReturnsPage') }],
});
