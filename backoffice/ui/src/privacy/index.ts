/** Data protection (GDPR / LOPDGDD): a customer's consents and requests (export, erasure), the requests served, the access log, the retention policy. */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const privacyModule = defineModule({
  id: 'privacy',
  section: 'admin',
  messages,
  menu: [
    { path: 'privacy/customers', label: 'nav.privacyCustomers', permission: 'privacy.read', franchiseWide: true, testId: 'nav-privacy-customers', icon: icons.users },
    { path: 'privacy/requests', label: 'nav.privacyRequests', permission: 'privacy.read', franchiseWide: true, testId: 'nav-privacy-requests', icon: icons.file },
    { path: 'privacy/access-log', label: 'nav.privacyAccessLog', permission: 'privacy.read', franchiseWide: true, testId: 'nav-privacy-access-log', icon: icons.clock },
  ],
  routes: [
    { path: 'privacy/customers', permission: 'privacy.read', franchiseWide: true, page: () => import('./CustomerPrivacyPage') },
    { path: 'privacy/requests', permission: 'privacy.read', franchiseWide: true, page: () => import('./RequestsPage') },
    { path: 'privacy/access-log', permission: 'privacy.read', franchiseWide: true, page: () => import('./AccessLogPage') },
  ],
});
