/** Office administration (issue 16): notices to the tills with read confirmations; tasks and documents as they arrive. */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const officeModule = defineModule({
  id: 'office',
  messages,
  menu: [{ path: 'office/notices', label: 'nav.notices', permission: 'office.read', icon: icons.file, testId: 'nav-notices' }],
  routes: [
    { path: 'office/notices', permission: 'office.read', page: () => import('./NoticesPage') },
    { path: 'office/notices/:id', permission: 'office.read', page: () => import('./NoticePage') },
  ],
});
