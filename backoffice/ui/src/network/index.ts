/** Store network: companies → stores → terminals, and the terminals' sync state with pairing/replacing. */
import { defineModule } from '../app/module';
import { messages } from './messages';

export const networkModule = defineModule({
  id: 'network',
  messages,
  menu: [
    { path: 'network', label: 'nav.network', permission: 'network.read' },
    { path: 'terminals', label: 'nav.terminals', permission: 'terminals.read' },
  ],
  routes: [
    { path: 'network', permission: 'network.read', page: () => import('./NetworkPage') },
    { path: 'terminals', permission: 'terminals.read', page: () => import('./TerminalsPage') },
  ],
});
