/** Loyalty (issue 15): the programme, a member's points, the liability per franchisee and the monthly settlement. */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const loyaltyModule = defineModule({
  id: 'loyalty',
  section: 'operations',
  messages,
  menu: [
    { path: 'loyalty/programme', label: 'nav.programme', permission: 'loyalty.read', icon: icons.tag },
    { path: 'loyalty/members', label: 'nav.members', permission: 'loyalty.read', icon: icons.users },
    { path: 'loyalty/liability', label: 'nav.liability', permission: 'loyalty.admin', franchiseWide: true, icon: icons.chart },
  ],
  routes: [
    { path: 'loyalty/programme', permission: 'loyalty.read', page: () => import('./ProgrammePage') },
    { path: 'loyalty/members', permission: 'loyalty.read', page: () => import('./MembersPage') },
    { path: 'loyalty/liability', permission: 'loyalty.admin', franchiseWide: true, page: () => import('./LiabilityPage') },
  ],
});
