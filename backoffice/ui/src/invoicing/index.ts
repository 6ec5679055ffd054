/** Invoices issued at HQ: the list per issuing company, manual invoices, the invoice page (PDF, credit notes, anulación). */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const invoicingModule = defineModule({
  id: 'invoicing',
  section: 'invoicing',
  messages,
  menu: [{ path: 'invoices', label: 'nav.invoices', permission: 'invoicing.read', icon: icons.receipt }],
  routes: [
    { path: 'invoices', permission: 'invoicing.read', page: () => import('./InvoicesPage') },
    { path: 'invoices/new', permission: 'invoicing.write', page: () => import('./InvoiceFormPage') },
    { path: 'invoices/:id/edit', permission: 'invoicing.write', page: () => import('./InvoiceFormPage') },
    { path: 'invoices/:id', permission: 'invoicing.read', page: () => import('./InvoicePage') },
  ],
});
