/** Supplier invoices received (from goods receipts, three-way match, approval) and the invoice registers (libros registro). */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const supplierInvoicesModule = defineModule({
  id: 'supplier-invoices',
  section: 'invoicing',
  messages,
  menu: [
    { path: 'invoicing/supplier-invoices', label: 'nav.supplierInvoices', permission: 'invoicing.read', icon: icons.receipt },
    { path: 'invoicing/books', label: 'nav.books', permission: 'invoicing.read', icon: icons.file },
  ],
  routes: [
    { path: 'invoicing/supplier-invoices', permission: 'invoicing.read', page: () => import('./SupplierInvoicesPage') },
    { path: 'invoicing/supplier-invoices/new', permission: 'invoicing.write', page: () => import('./SupplierInvoiceFormPage') },
    { path: 'invoicing/supplier-invoices/:id', permission: 'invoicing.read', page: () => import('./SupplierInvoicePage') },
    { path: 'invoicing/books', permission: 'invoicing.read', page: () => import('./InvoiceBooksPage') },
  ],
});
