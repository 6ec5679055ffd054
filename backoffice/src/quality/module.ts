/**
 * Quality control (issue 17): the incidents register (stores, tills, HQ and other modules report; assigned,
 * worked, resolved and closed with a history), store audits with corrective actions, and the quality
 * figures. Blocks/recalls and supplier returns are modules of their own (product-blocks, supplier-returns).
 */
import type { BackofficeModule } from '../modules/types';
import { createAuditService } from './audits-service';
import { createIncidentService } from './incidents-service';
import { incidentRoutes } from './route';
import { tillIncident } from './till-handlers';

export const qualityModule: BackofficeModule = {
  id: 'quality',
  permissionModules: ['incidents', 'audits'],
  routes: (c) => [incidentRoutes(c.ds, c.clock, c.files, createIncidentService(c.ds, c.clock, c.files), createAuditService(c.ds, c.clock, c.files))],
  upward: { 'quality.incident': tillIncident },
};
