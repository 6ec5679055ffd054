/** Purchasing: purchase orders (list, new/edit, detail with PDF, send, close/cancel) and goods receiving. */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const purchasingModule = defineModule({
  id: 'purchasing',
  section: 'inventory',
  messages,
  menu: [
    { path: 'purchasing/orders', label: 'nav.orders', permission: 'purchasing.read', icon: icons.receipt },
    { path: 'purchasing/receiving', label: 'nav.receiving', permission: 'purchasing.write', icon: icons.box },
  ],
  routes: [
    { path: 'purchasing/orders', permission: 'purchasing.read', page: () => import('./PurchaseOrdersPage') },
    { path: 'purchasing/orders/new', permission: 'purchasing.write', page: () => import('./PurchaseOrderFormPage') },
    { path: 'purchasing/orders/:id/edit', permission: 'purchasing.write', page: () => import('./PurchaseOrderFormPage') },
    { path: 'purchasing/orders/:id', permission: 'purchasing.read', page: () => import('./PurchaseOrderPage') },
    { path: 'purchasing/receiving', permission: 'purchasing.write', page: () => import('./ReceivingQueuePage') },
    { path: 'purchasing/orders/:id/receive', permission: 'purchasing.write', page: () => import('./ReceivingPage') },
  ],
});
