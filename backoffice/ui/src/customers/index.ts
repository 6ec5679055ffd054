/** CRM core (issue 15): the franchise's customers, the customer page (360), duplicates and merges, segments. */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const customersModule = defineModule({
  id: 'customers',
  section: 'masterData',
  messages,
  menu: [
    { path: 'crm/customers', label: 'nav.customers', permission: 'customers.read', franchiseWide: true, icon: icons.users },
    { path: 'crm/duplicates', label: 'nav.duplicates', permission: 'customers.write', franchiseWide: true, icon: icons.users },
    { path: 'crm/segments', label: 'nav.segments', permission: 'customers.read', franchiseWide: true, icon: icons.users },
  ],
  routes: [
    { path: 'crm/customers', permission: 'customers.read', franchiseWide: true, page: () => import('./CustomersPage') },
    { path: 'crm/customers/:id', permission: 'customers.read', franchiseWide: true, page: () => import('./CustomerPage') },
    { path: 'crm/duplicates', permission: 'customers.write', franchiseWide: true, page: () => import('./DuplicatesPage') },
    { path: 'crm/segments', permission: 'customers.read', franchiseWide: true, page: () => import('./SegmentsPage') },
  ],
});
