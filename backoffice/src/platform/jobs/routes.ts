/** Jobs API: a user's jobs (and those of their scope), one job with its progress and result, cancel. */
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Clock } from '@tpv/shared/clock';
import { HttpProblem, problem } from '@tpv/shared/problem';
import { RowIdSchema } from '@tpv/shared/wire/limits';
import { forbidden, notFound } from '../../auth/http';
import { apiRouter, defineRoute, type ApiRouter } from '../api';
import { ListQuery, offsetOf, pageOf, pageSchema } from '../list';
import { JOB_STATUSES, JobSchema, type JobView } from '@tpv/shared/wire/http/jobs';
import type { JobRow } from './repository';
import type { Jobs } from './service';


export function jobView(j: JobRow, withResult = true): JobView {
  return {
    id: j.id, kind: j.kind, status: j.status, progress: { done: j.progressDone, total: j.progressTotal }, message: j.message, error: j.error,
    ...(withResult ? { result: j.result } : {}),
    resultFileId: j.resultFileId, createdBy: j.createdBy, companyId: j.companyId, storeId: j.storeId, attempts: j.attempts,
    cancelRequested: j.cancelRequested, createdAt: j.createdAt, startedAt: j.startedAt, finishedAt: j.finishedAt,
  };
}

const IdParams = z.object({ id: RowIdSchema });
const JobsQuery = ListQuery.omit({ sort: true, format: true, q: true }).extend({
  status: z.enum(JOB_STATUSES).optional(),
  kind: z.string().max(64).optional(),
  /** Only the caller's own jobs (default: every job of their scope). */
  mine: z.enum(['true', 'false']).optional(),
});

/** The job if the caller may see it (404 unknown, 403 outside their scope). */
export async function readableJob(jobs: Jobs, user: Parameters<Jobs['readable']>[0], id: string): Promise<JobRow> {
  const j = await jobs.readable(user, id);
  if (j === null) throw notFound(`job ${id}`);
  if (j === 'forbidden') throw forbidden('This job belongs to another company or store.');
  return j;
}

export function jobRoutes(ds: DataSource, clock: Clock, jobs: Jobs): ApiRouter {
  return apiRouter(ds, clock, [
    defineRoute({
      method: 'get',
      path: '/api/jobs',
      summary: 'Jobs of the caller’s scope, newest first',
      tags: ['jobs'],
      access: 'jobs.read',
      query: JobsQuery,
      response: pageSchema(JobSchema),
      async handler({ query, user }) {
        const { items, total } = await jobs.list(user, { offset: offsetOf(query), limit: query.pageSize, status: query.status, kind: query.kind, mine: query.mine === 'true' ? user.id : undefined });
        return pageOf(items.map((j) => jobView(j, false)), query, total);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/jobs/:id',
      summary: 'One job: status, progress, result',
      tags: ['jobs'],
      access: 'jobs.read',
      params: IdParams,
      response: JobSchema,
      handler: async ({ params, user }) => jobView(await readableJob(jobs, user, params.id)),
    }),
    defineRoute({
      method: 'post',
      path: '/api/jobs/:id/cancel',
      summary: 'Cancel a queued job, or ask a running one to stop',
      tags: ['jobs'],
      access: 'jobs.write',
      params: IdParams,
      response: JobSchema,
      status: 202,
      async handler({ params, user }) {
        const j = await readableJob(jobs, user, params.id);
        if (j.status !== 'queued' && j.status !== 'running') {
          throw new HttpProblem(problem(409, 'JOB_FINISHED', 'Job already finished', { detail: `job ${j.id} is ${j.status}`, errors: [{ path: 'id', message: `job is ${j.status}` }] }));
        }
        await jobs.cancel(j.id);
        return jobView((await jobs.get(j.id))!, false);
      },
    }),
  ]);
}
