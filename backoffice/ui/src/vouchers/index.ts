/** Gift vouchers (issue 15): search by code, a voucher's ledger and corrections, the outstanding balance per company. */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const vouchersModule = defineModule({
  id: 'vouchers',
  section: 'operations',
  messages,
  menu: [{ path: 'vouchers', label: 'nav.vouchers', permission: 'vouchers.read', icon: icons.receipt }],
  routes: [{ path: 'vouchers', permission: 'vouchers.read', page: () => import('./VouchersPage') }],
});
