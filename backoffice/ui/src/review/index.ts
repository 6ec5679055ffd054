/** The ingest review queue (HQ): rejected tickets, chain breaks, held gaps, refused batches, anomalies. */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const reviewModule = defineModule({
  id: 'review',
  messages,
  menu: [{ path: 'review', label: 'nav.review', permission: 'review.read', icon: icons.alert }],
  routes: [{ path: 'review', permission: 'review.read', page: () => import('./ReviewPage') }],
});
