/** Users and roles: the list, invitations, a user's page (edit, deactivate, reset, sessions). My account is core (app/router). */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const usersModule = defineModule({
  // The server's module is `auth` (core); its pages use the `users.*` permissions.
  id: 'auth',
  section: 'admin',
  messages,
  menu: [{ path: 'users', label: 'nav.users', permission: 'users.read', icon: icons.users }],
  routes: [
    { path: 'users', permission: 'users.read', page: () => import('./UsersPage') },
    { path: 'users/new', permission: 'users.write', page: () => import('./InvitePage') },
    { path: 'users/:id', permission: 'users.read', page: () => import('./UserPage') },
  ],
});
