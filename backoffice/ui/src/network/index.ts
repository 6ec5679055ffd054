/** Store network: companies → stores → terminals, and the terminals' sync state with pairing/replacing. */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const networkModule = defineModule({
  id: 'network',
  messages,
  menu: [
    { path: 'network', label: 'nav.network', permission: 'network.read', icon: icons.store },
    { path: 'terminals', label: 'nav.terminals', permission: 'terminals.read', icon: icons.terminal },
  ],
  routes: [
    { path: 'network', permission: 'network.read', page: () => import('./NetworkPage') },
    { path: 'terminals', permission: 'terminals.read', page: () => import('./TerminalsPage') },
  ],
});
