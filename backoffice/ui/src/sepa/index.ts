/** SEPA direct debits (issue 13): mandates, remittances (remesas) with their XML, settlement and returns. */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const sepaModule = defineModule({
  id: 'collections',
  section: 'collections',
  messages,
  menu: [
    { path: 'collections/mandates', label: 'nav.mandates', permission: 'collections.read', icon: icons.file },
    { path: 'collections/remittances', label: 'nav.remittances', permission: 'collections.read', icon: icons.receipt },
  ],
  routes: [
    { path: 'collections/mandates', permission: 'collections.read', page: () => import('./MandatesPage') },
    { path: 'collections/remittances', permission: 'collections.read', page: () => import('./RemittancesPage') },
    { path: 'collections/remittances/:id', permission: 'collections.read', page: () => import('./RemittancePage') },
  ],
});
