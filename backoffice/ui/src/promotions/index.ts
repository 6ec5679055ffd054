/** Promotions (issue 15): HQ defines them (list, form for every kind, end now); everyone reads the savings by promotion. */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const promotionsModule = defineModule({
  id: 'promotions',
  section: 'masterData',
  messages,
  menu: [
    { path: 'promotions', label: 'nav.promotions', permission: 'promotions.read', icon: icons.tag },
    { path: 'promotions/totals', label: 'nav.promotionTotals', permission: 'promotions.read', icon: icons.chart, testId: 'nav-promotion-totals' },
  ],
  routes: [
    { path: 'promotions', permission: 'promotions.read', page: () => import('./PromotionsPage') },
    { path: 'promotions/totals', permission: 'promotions.read', page: () => import('./TotalsPage') },
  ],
});
