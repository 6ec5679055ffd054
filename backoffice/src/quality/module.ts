/** The incidents register (minimal here; the quality issue extends it): a module of its own, so it can be switched off. */
import type { BackofficeModule } from '../modules/types';
import { incidentRoutes } from './route';

export const qualityModule: BackofficeModule = { id: 'quality', routes: (c) => [incidentRoutes(c.ds, c.clock)] };
