/** Stock per store with each item's movements. */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const stockModule = defineModule({
  id: 'stock',
  messages,
  menu: [
    { path: 'stock', label: 'nav.stock', permission: 'stock.read', icon: icons.box },
    { path: 'stock/valuation', label: 'nav.valuation', permission: 'stock.read', icon: icons.box },
  ],
  routes: [
    { path: 'stock', permission: 'stock.read', page: () => import('./StockPage') },
    { path: 'stock/valuation', permission: 'stock.read', page: () => import('./ValuationPage') },
  ],
});
