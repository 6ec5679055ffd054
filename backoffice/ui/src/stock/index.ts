/** Stock per store with each item's movements. */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const stockModule = defineModule({
  id: 'stock',
  section: 'inventory',
  messages,
  menu: [
    { path: 'stock', label: 'nav.stock', permission: 'stock.read', icon: icons.box },
    { path: 'stock/valuation', label: 'nav.valuation', permission: 'stock.read', icon: icons.box },
    { path: 'stock/transfers', label: 'nav.transfers', permission: 'inventory.read', icon: icons.box },
    { path: 'stock/counts', label: 'nav.counts', permission: 'inventory.read', icon: icons.box },
    { path: 'stock/adjustments', label: 'nav.adjustments', permission: 'inventory.read', icon: icons.box },
  ],
  routes: [
    { path: 'stock', permission: 'stock.read', page: () => import('./StockPage') },
    { path: 'stock/valuation', permission: 'stock.read', page: () => import('./ValuationPage') },
    { path: 'stock/transfers', permission: 'inventory.read', page: () => import('./TransfersPage') },
    { path: 'stock/transfers/:id', permission: 'inventory.read', page: () => import('./TransferPage') },
    { path: 'stock/counts', permission: 'inventory.read', page: () => import('./CountsPage') },
    { path: 'stock/counts/:id', permission: 'inventory.read', page: () => import('./CountPage') },
    { path: 'stock/adjustments', permission: 'inventory.read', page: () => import('./AdjustmentsPage') },
  ],
});
