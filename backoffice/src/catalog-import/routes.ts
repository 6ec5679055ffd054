/**
 * Catalog import API: upload a CSV/XLSX (raw body, up to 100 MB) → a validate job and its preview (counts and
 * every bad row, paged here) → apply, a second job that writes all or nothing. Franchise-wide master data:
 * HQ roles with catalog.write only.
 */
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Clock } from '@tpv/shared/clock';
import { HttpProblem, problem } from '@tpv/shared/problem';
import { RowIdSchema } from '@tpv/shared/wire/limits';
import { forbidden } from '../auth/http';
import { apiRouter, defineRoute, type ApiRouter } from '../platform/api';
import { hqMay } from '../platform/permissions';
import { ownerScopeOf } from '../platform/owner-scope';
import type { Files } from '../platform/files/service';
import { FileTooLarge } from '../platform/files/store';
import { ImportSchema } from '@tpv/shared/wire/http/catalog-import';
import { JobSchema } from '@tpv/shared/wire/http/jobs';
import { jobView, readableJob } from '../platform/jobs/routes';
import type { Jobs } from '../platform/jobs/service';
import { IMPORT_APPLY, IMPORT_VALIDATE, type ValidateResult } from './jobs';

export const MAX_IMPORT_BYTES = 100 * 1024 * 1024;

const IdParams = z.object({ id: RowIdSchema });

export function catalogImportRoutes(ds: DataSource, clock: Clock, jobs: Jobs, files: Files): ApiRouter {
  const mayImport = (user: Parameters<typeof hqMay>[0]) => {
    if (!hqMay(user, 'catalog.write')) throw forbidden('Only HQ may import the franchise catalog.');
  };
  const validateJob = async (user: Parameters<Jobs['readable']>[0], id: string) => {
    const job = await readableJob(jobs, user, id);
    if (job.kind !== IMPORT_VALIDATE) throw new HttpProblem(problem(404, 'NOT_FOUND', 'Not found', { detail: `import ${id} not found` }));
    return job;
  };
  return apiRouter(ds, clock, [
    defineRoute({
      method: 'post',
      path: '/api/catalog/imports',
      summary: 'Upload a product file (CSV or XLSX) and check it',
      description:
        'The request body is the file itself (Content-Type text/csv, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet or application/octet-stream; at most 100 MB); `name` is its file name. Answers the validate job; its preview is at GET /api/catalog/imports/{id}.',
      tags: ['catalog'],
      access: 'catalog.write',
      query: z.object({ name: z.string().min(1).max(200).default('import.csv') }),
      response: z.object({ id: z.string(), job: JobSchema }),
      status: 202,
      async handler({ query, user, req }) {
        mayImport(user);
        if (req.is('application/json') || req.is('multipart/*')) {
          throw new HttpProblem(problem(415, 'UNSUPPORTED_MEDIA_TYPE', 'Unsupported media type', { detail: 'Send the file itself as the body (text/csv or the XLSX media type), its name in ?name=' }));
        }
        let file;
        try {
          file = await files.save({ name: query.name, mediaType: req.get('content-type') ?? 'application/octet-stream', purpose: 'import', owner: ownerScopeOf(user), data: req, maxBytes: MAX_IMPORT_BYTES });
        } catch (e) {
          if (e instanceof FileTooLarge) throw new HttpProblem(problem(413, 'PAYLOAD_TOO_LARGE', 'File too large', { detail: `at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB` }));
          throw e;
        }
        if (file.sizeBytes === 0) {
          await files.remove(file);
          throw new HttpProblem(problem(400, 'VALIDATION_FAILED', 'Empty file', { detail: 'The body is empty: send the CSV or XLSX file.', errors: [{ path: 'body', message: 'empty file' }] }));
        }
        const job = await jobs.enqueue({ kind: IMPORT_VALIDATE, params: { fileId: file.id, fileName: file.name }, owner: ownerScopeOf(user), maxAttempts: 2 });
        return { id: job.id, job: jobView(job, false) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/catalog/imports/:id',
      summary: 'An import: its check job and the preview (counts, bad rows paged)',
      tags: ['catalog'],
      access: 'catalog.read',
      params: IdParams,
      query: z.object({ page: z.coerce.number().int().min(1).default(1), pageSize: z.coerce.number().int().min(1).max(1000).default(200) }),
      response: ImportSchema,
      async handler({ params, query, user }) {
        const job = await validateJob(user, params.id);
        const result = job.result as ValidateResult | null;
        const fileName = (job.params as { fileName?: string } | null)?.fileName ?? null;
        const from = (query.page - 1) * query.pageSize;
        return {
          id: job.id,
          fileName,
          job: jobView(job, false),
          preview: result
            ? { ...result, errors: result.errors.slice(from, from + query.pageSize), page: query.page, pageSize: query.pageSize, hasMore: from + query.pageSize < result.errors.length }
            : null,
        };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/catalog/imports/:id/apply',
      summary: 'Apply a checked import (all or nothing)',
      tags: ['catalog'],
      access: 'catalog.write',
      params: IdParams,
      response: z.object({ id: z.string(), job: JobSchema }),
      status: 202,
      async handler({ params, user }) {
        mayImport(user);
        const job = await validateJob(user, params.id);
        const result = job.result as ValidateResult | null;
        if (job.status !== 'succeeded' || !result) {
          throw new HttpProblem(problem(409, 'IMPORT_NOT_CHECKED', 'Import not checked yet', { detail: `the check of import ${job.id} is ${job.status}`, errors: [{ path: 'id', message: `check is ${job.status}` }] }));
        }
        if (result.errorCount > 0) {
          throw new HttpProblem(
            problem(422, 'IMPORT_HAS_ERRORS', 'The file has bad rows', {
              detail: `${result.errorCount} error(s) in ${result.badRows} row(s): nothing can be imported until the file is fixed`,
              errors: result.errors.slice(0, 100).map((e) => ({ path: `rows.${e.row}.${e.column}`, message: e.message })),
            }),
          );
        }
        const p = job.params as { fileId: string; fileName: string };
        const apply = await jobs.enqueue({ kind: IMPORT_APPLY, params: { fileId: p.fileId, fileName: p.fileName, importId: job.id, actor: { id: user.id, email: user.email } }, owner: ownerScopeOf(user), maxAttempts: 1 });
        return { id: job.id, job: jobView(apply, false) };
      },
    }),
  ]);
}
