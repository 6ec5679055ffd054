/** Aging of receivables and payables (collections, issue 13): buckets by days past due per counterparty, DSO. */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const agingModule = defineModule({
  id: 'collections',
  section: 'collections',
  messages,
  menu: [{ path: 'collections/aging', label: 'nav.aging', permission: 'collections.read', icon: icons.clock }],
  routes: [{ path: 'collections/aging', permission: 'collections.read', page: () => import('./AgingPage') }],
});
