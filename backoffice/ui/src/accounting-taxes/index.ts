/** Taxes of a company (accounting, issue 14): the modelo 303 figures with the VAT books and their reconciliation, and the modelo 347. */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const accountingTaxesModule = defineModule({
  id: 'accounting',
  section: 'accounting',
  messages,
  menu: [
    { path: 'accounting/vat-return', label: 'nav.vatReturn', permission: 'accounting.read', icon: icons.receipt },
    { path: 'accounting/annual-counterparties', label: 'nav.annual', permission: 'accounting.read', icon: icons.file },
  ],
  routes: [
    { path: 'accounting/vat-return', permission: 'accounting.read', page: () => import('./VatReturnPage') },
    { path: 'accounting/annual-counterparties', permission: 'accounting.read', page: () => import('./AnnualPage') },
  ],
});
