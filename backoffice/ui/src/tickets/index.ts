/** Tickets: search across the user's stores, a ticket's page with its fiscal record, its PDF copy. */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const ticketsModule = defineModule({
  id: 'tickets',
  messages,
  menu: [{ path: 'tickets', label: 'nav.tickets', permission: 'tickets.read', icon: icons.receipt }],
  routes: [
    { path: 'tickets', permission: 'tickets.read', page: () => import('./TicketsPage') },
    { path: 'tickets/:id', permission: 'tickets.read', page: () => import('./TicketPage') },
  ],
});
