/** Reports (issue 18): the report list, one generic report page (filters, chart, table, exports, saved views), sales per store and day. */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const reportsModule = defineModule({
  id: 'reports',
  messages,
  menu: [
    { path: 'reports', label: 'nav.reports', permission: 'reports.read', testId: 'nav-reports', icon: icons.chart },
    { path: 'reports/sales', label: 'nav.sales', permission: 'reports.read', testId: 'nav-sales', icon: icons.chart },
  ],
  routes: [
    { path: 'reports', permission: 'reports.read', page: () => import('./ReportsPage') },
    { path: 'reports/view/:key', permission: 'reports.read', page: () => import('./ReportPage') },
    { path: 'reports/sales', permission: 'reports.read', page: () => import('./SalesPage') },
  ],
});
