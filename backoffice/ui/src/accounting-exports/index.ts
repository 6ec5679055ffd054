/** Exports for a gestoría (issue 14, accounting): a company's journal or chart for A3, ContaPlus, CSV or XLSX. */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const accountingExportsModule = defineModule({
  id: 'accounting',
  section: 'accounting',
  messages,
  menu: [{ path: 'accounting/exports', label: 'nav.accountingExports', permission: 'accounting.read', icon: icons.file }],
  routes: [{ path: 'accounting/exports', permission: 'accounting.read', page: () => import('./AccountingExportsPage') }],
});
