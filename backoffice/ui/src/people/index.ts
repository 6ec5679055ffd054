/** People and the working-time record (issue 16): employees, hiring and leaving, each worker's month. */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const peopleModule = defineModule({
  id: 'people',
  messages,
  menu: [{ path: 'people', label: 'nav.people', permission: 'people.read', icon: icons.users, testId: 'nav-people' }],
  routes: [
    { path: 'people', permission: 'people.read', page: () => import('./PeoplePage') },
    { path: 'people/:id', permission: 'people.read', page: () => import('./EmployeePage') },
  ],
});
