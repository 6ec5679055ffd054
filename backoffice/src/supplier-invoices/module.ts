/** Supplier invoices received (three-way match, approval, payables) and the invoice registers (libros registro). */
import type { BackofficeModule } from '../modules/types';
import { supplierInvoiceRoutes } from './route';

export const supplierInvoicesModule: BackofficeModule = {
  id: 'supplier-invoices',
  permissionModules: ['invoicing', 'payables'],
  routes: (c) => [supplierInvoiceRoutes(c.ds, c.clock, c.files)],
};
