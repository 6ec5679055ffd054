/** Veri*Factu: status of the AEAT submissions per company and month, exports, rejected records. */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const verifactuModule = defineModule({
  id: 'verifactu',
  section: 'invoicing',
  messages,
  menu: [{ path: 'invoicing/verifactu', label: 'nav.verifactu', permission: 'invoicing.read', icon: icons.receipt }],
  routes: [{ path: 'invoicing/verifactu', permission: 'invoicing.read', page: () => import('./VerifactuPage') }],
});
