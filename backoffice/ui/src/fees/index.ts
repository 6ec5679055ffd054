/** The franchisor's invoice runs: franchise fees and wholesale, per month (preview → post with progress). */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const feesModule = defineModule({
  id: 'fees',
  section: 'invoicing',
  messages,
  menu: [{ path: 'invoicing/runs', label: 'nav.runs', permission: 'invoicing.write', franchiseWide: true, icon: icons.receipt, testId: 'nav-fee-runs' }],
  routes: [{ path: 'invoicing/runs', permission: 'invoicing.read', franchiseWide: true, page: () => import('./FeeRunsPage') }],
});
