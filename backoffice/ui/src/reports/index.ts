/** Reports: sales per store and day (more reports follow in their own issue). */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const reportsModule = defineModule({
  id: 'reports',
  messages,
  menu: [{ path: 'reports/sales', label: 'nav.sales', permission: 'reports.read', testId: 'nav-sales', icon: icons.chart }],
  routes: [{ path: 'reports/sales', permission: 'reports.read', page: () => import('./SalesPage') }],
});
