/** Collections (issue 13), payments part: open items, payments (record with allocation preview, detail) and the statement of account. */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const collectionsModule = defineModule({
  id: 'collections',
  section: 'collections',
  messages,
  menu: [
    { path: 'collections/items', label: 'nav.items', permission: 'collections.read', icon: icons.receipt },
    { path: 'collections/statement', label: 'nav.statement', permission: 'collections.read', icon: icons.file },
  ],
  routes: [
    { path: 'collections/items', permission: 'collections.read', page: () => import('./OpenItemsPage') },
    { path: 'collections/items/:id', permission: 'collections.read', page: () => import('./OpenItemPage') },
    { path: 'collections/payments/new', permission: 'collections.write', page: () => import('./PaymentFormPage') },
    { path: 'collections/payments/:id', permission: 'collections.read', page: () => import('./PaymentPage') },
    { path: 'collections/statement', permission: 'collections.read', page: () => import('./StatementPage') },
  ],
});
