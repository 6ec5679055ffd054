/** Dunning (reclamaciones: runs, letters as PDF) and credit control (blocked customers, release). Part of the collections module. */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const dunningModule = defineModule({
  id: 'collections',
  section: 'collections',
  messages,
  menu: [
    { path: 'collections/dunning', label: 'nav.dunning', permission: 'collections.read', icon: icons.alert },
    { path: 'collections/credit-control', label: 'nav.creditControl', permission: 'collections.read', icon: icons.clock },
  ],
  routes: [
    { path: 'collections/dunning', permission: 'collections.read', page: () => import('./DunningPage') },
    { path: 'collections/credit-control', permission: 'collections.read', page: () => import('./CreditControlPage') },
  ],
});
