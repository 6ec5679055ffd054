/** Issue 18: the live dashboard (today's figures per store over socket.io) and the report inbox (scheduled views). */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const dashboardModule = defineModule({
  id: 'dashboard',
  messages,
  menu: [
    { path: 'dashboard', label: 'nav.dashboard', permission: 'reports.read', testId: 'nav-dashboard', icon: icons.chart },
    { path: 'reports/inbox', label: 'nav.inbox', permission: 'reports.read', testId: 'nav-report-inbox', icon: icons.file },
  ],
  routes: [
    { path: 'dashboard', permission: 'reports.read', page: () => import('./DashboardPage') },
    { path: 'reports/inbox', permission: 'reports.read', page: () => import('./InboxPage') },
  ],
});
