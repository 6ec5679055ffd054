/** Quality (minimal, issue 11): the incidents register, filtered by store, kind and state. */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const qualityModule = defineModule({
  id: 'quality',
  messages,
  menu: [{ path: 'quality/incidents', label: 'nav.incidents', permission: 'quality.read', icon: icons.alert }],
  routes: [
    { path: 'quality/incidents', permission: 'quality.read', page: () => import('./IncidentsPage') },
    { path: 'quality/incidents/:id', permission: 'quality.read', page: () => import('./IncidentPage') },
  ],
});
