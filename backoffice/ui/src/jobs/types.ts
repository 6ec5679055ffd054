/** A job as GET /api/jobs and /api/jobs/:id answer it: the API's own schema (shared/src/wire/http/jobs.ts). */
import type { JobView } from '@tpv/shared/wire/http/jobs';

export { JOB_STATUSES, type JobStatus } from '@tpv/shared/wire/http/jobs';
export type Job = JobView;

export const jobActive = (j: Pick<Job, 'status'>) => j.status === 'queued' || j.status === 'running';
