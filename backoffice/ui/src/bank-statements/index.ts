/** Bank statements (issue 13, collections): upload Norma 43 / camt.053, movements and their match, manual matching. */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const bankStatementsModule = defineModule({
  id: 'collections',
  section: 'collections',
  messages,
  menu: [{ path: 'collections/bank-statements', label: 'nav.bankStatements', permission: 'collections.read', icon: icons.file }],
  routes: [{ path: 'collections/bank-statements', permission: 'collections.read', page: () => import('./BankStatementsPage') }],
});
