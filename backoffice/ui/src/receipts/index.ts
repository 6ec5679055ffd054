/** Receipt design (issue 19): a company's receipt (logo, lines, policy, promotion) with store overrides, previewed live and published to the tills. */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const receiptsModule = defineModule({
  id: 'receipts',
  messages,
  // HQ for every company, a franchisee for its own (the API checks the company on every call).
  menu: [{ path: 'receipts/design', label: 'nav.receiptDesign', permission: 'receipts.write', icon: icons.receipt, testId: 'nav-receipt-design' }],
  routes: [{ path: 'receipts/design', permission: 'receipts.write', page: () => import('./DesignPage') }],
});
