/** People and the working-time record (issue 16): employees, hiring and leaving, each worker's month; absences and holidays. */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const peopleModule = defineModule({
  id: 'people',
  messages,
  menu: [
    { path: 'people', label: 'nav.people', permission: 'people.read', icon: icons.users, testId: 'nav-people' },
    { path: 'people/absences', label: 'nav.absences', permission: 'people.read', icon: icons.clock, testId: 'nav-absences' },
    { path: 'people/inspector-access', label: 'nav.inspector', permission: 'hr.read', icon: icons.file, testId: 'nav-inspector-access' },
  ],
  routes: [
    { path: 'people', permission: 'people.read', page: () => import('./PeoplePage') },
    { path: 'people/absences', permission: 'people.read', page: () => import('./AbsencesPage') },
    { path: 'people/inspector-access', permission: 'hr.read', page: () => import('./InspectorAccessPage') },
    { path: 'people/rotas', permission: 'people.read', page: () => import('./RotaPage') },
    { path: 'people/:id', permission: 'people.read', page: () => import('./EmployeePage') },
  ],
});
