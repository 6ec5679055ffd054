/**
 * Accounting period end (issue 14): the stock variation of a month (610/300) — the stock valued at the month's
 * end against the stock account — previewed and posted. Also exports `SourceEntries`, the "journal entry" box
 * the invoice pages show.
 */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const accountingPeriodEndModule = defineModule({
  id: 'accounting',
  section: 'accounting',
  messages,
  menu: [{ path: 'accounting/stock-variation', label: 'nav.stockVariation', permission: 'accounting.read', icon: icons.box }],
  routes: [{ path: 'accounting/stock-variation', permission: 'accounting.read', page: () => import('./StockVariationPage') }],
});
