/** The tills' daily sales entries (accounting, issue 14): what is pending per company and day, posting up to a date, the reconciliation with the tickets. */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const accountingSalesModule = defineModule({
  id: 'accounting',
  section: 'accounting',
  messages,
  menu: [{ path: 'accounting/till-sales', label: 'nav.tillSales', permission: 'accounting.read', icon: icons.receipt }],
  routes: [{ path: 'accounting/till-sales', permission: 'accounting.read', page: () => import('./TillSalesPage') }],
});
