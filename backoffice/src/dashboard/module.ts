/**
 * The live dashboard and saved/scheduled report views (issue 18, the people side): today's figures per
 * store pushed over socket.io (`live.ts`, wired in server.ts after the ingest's commit), views saved per
 * user, delivered on a schedule into a report inbox as PDF/XLSX by the report service (`views.ts`).
 * The report definitions and their API are the reports module's.
 */
import type { BackofficeModule, ModuleContext } from '../modules/types';
import type { JobHandler } from '../platform/jobs/service';
import { dashboardRoutes } from './route';
import { createViewService, DELIVER_JOB, type ViewService } from './views';

const services = new WeakMap<ModuleContext, ViewService>();
export function viewServiceOf(c: ModuleContext): ViewService {
  let s = services.get(c);
  if (!s) services.set(c, (s = createViewService(c.ds, c.clock, { files: c.files, jobs: c.jobs, renderer: () => c.reportRenderer?.() ?? null })));
  return s;
}

const deliver: JobHandler<ModuleContext> = async (run, c) => {
  const r = await viewServiceOf(c).deliver(run.params as { scheduleId: string; runFor: string });
  return { result: r, message: `${r.delivered} informes entregados · reports delivered` };
};

export const dashboardModule: BackofficeModule = {
  id: 'dashboard',
  permissionModules: ['reports'],
  routes: (c) => [dashboardRoutes(c, viewServiceOf(c))],
  jobs: { [DELIVER_JOB]: deliver },
};
