/** Restocking: a store's proposal (edit, confirm into orders), its rules, and stock alerts. */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const restockingModule = defineModule({
  id: 'restocking',
  section: 'inventory',
  messages,
  menu: [
    { path: 'restocking', label: 'nav.proposals', permission: 'restocking.read', icon: icons.box, testId: 'nav-restocking' },
    { path: 'restocking/rules', label: 'nav.rules', permission: 'restocking.read', icon: icons.settings, testId: 'nav-restock-rules' },
    { path: 'restocking/alerts', label: 'nav.alerts', permission: 'restocking.read', icon: icons.alert, testId: 'nav-restock-alerts' },
  ],
  routes: [
    { path: 'restocking', permission: 'restocking.read', page: () => import('./ProposalPage') },
    { path: 'restocking/rules', permission: 'restocking.read', page: () => import('./RulesPage') },
    { path: 'restocking/alerts', permission: 'restocking.read', page: () => import('./AlertsPage') },
  ],
});
