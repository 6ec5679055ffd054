/** The audit log (franchise-wide roles): search every back-office change and read its before → after. */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const auditModule = defineModule({
  id: 'audit', section: 'admin',
  messages,
  menu: [{ path: 'audit', label: 'nav.audit', permission: 'audit.read', icon: icons.file }],
  routes: [{ path: 'audit', permission: 'audit.read', page: () => import('./AuditPage') }],
});
