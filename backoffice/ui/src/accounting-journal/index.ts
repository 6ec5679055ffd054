/** The accountant's daily work on one company's books (accounting, issue 14): chart, journal, recurring entries, periods, posting rules. */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const accountingJournalModule = defineModule({
  id: 'accounting',
  section: 'accounting',
  messages,
  menu: [
    { path: 'accounting/chart', label: 'nav.chart', permission: 'accounting.read', icon: icons.file, testId: 'nav-accounting-chart' },
    { path: 'accounting/entries', label: 'nav.journal', permission: 'accounting.read', icon: icons.receipt, testId: 'nav-accounting-entries' },
    { path: 'accounting/recurring', label: 'nav.recurring', permission: 'accounting.read', icon: icons.clock, testId: 'nav-accounting-recurring' },
    { path: 'accounting/periods', label: 'nav.periods', permission: 'accounting.read', icon: icons.clock, testId: 'nav-accounting-periods' },
    { path: 'accounting/rules', label: 'nav.rules', permission: 'accounting.read', icon: icons.settings, testId: 'nav-accounting-rules' },
  ],
  routes: [
    { path: 'accounting/chart', permission: 'accounting.read', page: () => import('./ChartPage') },
    { path: 'accounting/entries', permission: 'accounting.read', page: () => import('./JournalPage') },
    { path: 'accounting/entries/new', permission: 'accounting.write', page: () => import('./ManualEntryPage') },
    { path: 'accounting/entries/:companyId/:entryId', permission: 'accounting.read', page: () => import('./EntryPage') },
    { path: 'accounting/recurring', permission: 'accounting.read', page: () => import('./RecurringPage') },
    { path: 'accounting/periods', permission: 'accounting.read', page: () => import('./PeriodsPage') },
    { path: 'accounting/rules', permission: 'accounting.read', page: () => import('./RulesPage') },
  ],
});
