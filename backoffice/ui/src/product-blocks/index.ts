/** Product blocks and recalls (issue 17): HQ blocks, the tills refuse, the stores withdraw. */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const productBlocksModule = defineModule({
  id: 'product-blocks',
  messages,
  menu: [{ path: 'quality/blocks', label: 'nav.blocks', permission: 'quality.read', icon: icons.alert, testId: 'nav-blocks' }],
  routes: [
    { path: 'quality/blocks', permission: 'quality.read', page: () => import('./BlocksPage') },
    { path: 'quality/blocks/:id', permission: 'quality.read', page: () => import('./BlockPage') },
  ],
});
