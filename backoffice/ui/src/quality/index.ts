/** Quality control (issue 17): incidents, store audits and corrective actions, quality figures. */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const qualityModule = defineModule({
  id: 'quality',
  messages,
  menu: [
    { path: 'quality/incidents', label: 'nav.incidents', permission: 'quality.read', icon: icons.alert },
    { path: 'quality/audits', label: 'nav.audits', permission: 'quality.read', icon: icons.alert, testId: 'nav-audits' },
    { path: 'quality/actions', label: 'nav.actions', permission: 'quality.read', icon: icons.alert, testId: 'nav-actions' },
    { path: 'quality/figures', label: 'nav.figures', permission: 'quality.read', icon: icons.chart, testId: 'nav-quality-figures' },
  ],
  routes: [
    { path: 'quality/incidents', permission: 'quality.read', page: () => import('./IncidentsPage') },
    { path: 'quality/incidents/new', permission: 'incidents.write', page: () => import('./IncidentNewPage') },
    { path: 'quality/incidents/:id', permission: 'quality.read', page: () => import('./IncidentPage') },
    { path: 'quality/audits', permission: 'quality.read', page: () => import('./AuditsPage') },
    { path: 'quality/audits/new', permission: 'audits.write', page: () => import('./AuditRunPage') },
    { path: 'quality/audits/:id', permission: 'quality.read', page: () => import('./AuditPage') },
    { path: 'quality/audit-templates', permission: 'audits.write', page: () => import('./TemplatesPage') },
    { path: 'quality/actions', permission: 'quality.read', page: () => import('./ActionsPage') },
    { path: 'quality/figures', permission: 'quality.read', page: () => import('./FiguresPage') },
  ],
});
