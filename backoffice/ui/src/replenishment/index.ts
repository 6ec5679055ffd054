/** Replenishment: stores' orders to the central warehouse (approve, pick, ship), delivery notes (receive, close), wholesale prices. */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const replenishmentModule = defineModule({
  id: 'replenishment',
  section: 'inventory',
  messages,
  menu: [
    { path: 'replenishment/orders', label: 'nav.orders', permission: 'restocking.read', icon: icons.box, testId: 'nav-replenishment-orders' },
    { path: 'replenishment/delivery-notes', label: 'nav.notes', permission: 'restocking.read', icon: icons.file },
    { path: 'replenishment/wholesale-prices', label: 'nav.wholesale', permission: 'restocking.read', icon: icons.tag },
  ],
  routes: [
    { path: 'replenishment/orders', permission: 'restocking.read', page: () => import('./OrdersPage') },
    { path: 'replenishment/orders/new', permission: 'restocking.write', page: () => import('./NewOrderPage') },
    { path: 'replenishment/orders/:id', permission: 'restocking.read', page: () => import('./OrderPage') },
    { path: 'replenishment/delivery-notes', permission: 'restocking.read', page: () => import('./NotesPage') },
    { path: 'replenishment/delivery-notes/:id', permission: 'restocking.read', page: () => import('./NotePage') },
    { path: 'replenishment/wholesale-prices', permission: 'restocking.read', page: () => import('./WholesalePricesPage') },
  ],
});
