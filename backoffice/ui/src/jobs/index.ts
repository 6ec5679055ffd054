/** Background jobs (platform): every user's long work — imports, exports, PDFs — with progress and result files. */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const jobsModule = defineModule({
  id: 'jobs', section: 'admin',
  messages,
  menu: [{ path: 'jobs', label: 'nav.jobs', permission: 'jobs.read', icon: icons.clock }],
  routes: [{ path: 'jobs', permission: 'jobs.read', page: () => import('./JobsPage') }],
});
