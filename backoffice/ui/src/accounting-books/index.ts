/** A company's books and statements (accounting, issue 14): journal, ledger, trial balance, P&L, balance sheet. */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

const page = () => import('./BooksPages');

export const accountingBooksModule = defineModule({
  id: 'accounting',
  section: 'accounting',
  messages,
  menu: [
    { path: 'accounting/journal', label: 'nav.journal', permission: 'accounting.read', icon: icons.file, testId: 'nav-accounting-journal' },
    { path: 'accounting/ledger', label: 'nav.ledger', permission: 'accounting.read', icon: icons.file, testId: 'nav-accounting-ledger' },
    { path: 'accounting/trial-balance', label: 'nav.trial', permission: 'accounting.read', icon: icons.chart, testId: 'nav-accounting-trial-balance' },
    { path: 'accounting/profit-and-loss', label: 'nav.pnl', permission: 'accounting.read', icon: icons.chart, testId: 'nav-accounting-profit-and-loss' },
    { path: 'accounting/balance-sheet', label: 'nav.balance', permission: 'accounting.read', icon: icons.chart, testId: 'nav-accounting-balance-sheet' },
  ],
  routes: [
    { path: 'accounting/journal', permission: 'accounting.read', page },
    { path: 'accounting/ledger', permission: 'accounting.read', page },
    { path: 'accounting/trial-balance', permission: 'accounting.read', page },
    { path: 'accounting/profit-and-loss', permission: 'accounting.read', page },
    { path: 'accounting/balance-sheet', permission: 'accounting.read', page },
  ],
});
