/** Office administration (issue 16): notices to the tills with read confirmations, tasks and checklists, the documents library. */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const officeModule = defineModule({
  id: 'office',
  messages,
  menu: [
    { path: 'office/notices', label: 'nav.notices', permission: 'office.read', icon: icons.file, testId: 'nav-notices' },
    { path: 'office/tasks', label: 'nav.tasks', permission: 'office.read', icon: icons.clock, testId: 'nav-tasks' },
    { path: 'office/documents', label: 'nav.documents', permission: 'office.read', icon: icons.file, testId: 'nav-documents' },
  ],
  routes: [
    { path: 'office/notices', permission: 'office.read', page: () => import('./NoticesPage') },
    { path: 'office/notices/:id', permission: 'office.read', page: () => import('./NoticePage') },
    { path: 'office/tasks', permission: 'office.read', page: () => import('./TasksPage') },
    { path: 'office/tasks/:id', permission: 'office.read', page: () => import('./TaskPage') },
    { path: 'office/documents', permission: 'office.read', page: () => import('./DocumentsPage') },
    { path: 'office/documents/:id', permission: 'office.read', page: () => import('./DocumentPage') },
  ],
});
