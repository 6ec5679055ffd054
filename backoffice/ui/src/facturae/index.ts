/** Facturae: each company's signing certificate and recipients' Facturae data (DIR3 centres of public bodies). */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const facturaeModule = defineModule({
  id: 'facturae',
  section: 'invoicing',
  messages,
  menu: [{ path: 'invoicing/facturae', label: 'nav.facturae', permission: 'invoicing.read', icon: icons.receipt, testId: 'nav-facturae' }],
  routes: [{ path: 'invoicing/facturae', permission: 'invoicing.read', page: () => import('./FacturaePage') }],
});
