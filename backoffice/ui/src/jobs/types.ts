/** A job as GET /api/jobs and /api/jobs/:id answer it (backoffice/src/platform/jobs/routes.ts). */
export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface Job {
  id: string;
  kind: string;
  status: JobStatus;
  progress: { done: number; total: number | null };
  message: string | null;
  error: string | null;
  result?: unknown;
  resultFileId: string | null;
  createdBy: string | null;
  companyId: string | null;
  storeId: string | null;
  attempts: number;
  cancelRequested: boolean;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export const JOB_STATUSES: readonly JobStatus[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];
export const jobActive = (j: Pick<Job, 'status'>) => j.status === 'queued' || j.status === 'running';
