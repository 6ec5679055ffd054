/**
 * HTTP schemas of the platform's durable jobs (`GET /api/jobs`, `GET /api/jobs/:id`) and files area
 * (`GET /api/files`, `GET /api/files/:id`): what the admin app's Jobs page and a module's long work read.
 */
import { z } from 'zod';

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const JobSchema = z.object({
  id: z.string(),
  kind: z.string(),
  status: z.enum(JOB_STATUSES),
  progress: z.object({ done: z.number(), total: z.number().nullable() }),
  message: z.string().nullable(),
  error: z.string().nullable(),
  result: z.unknown().optional(),
  resultFileId: z.string().nullable(),
  createdBy: z.string().nullable(),
  companyId: z.string().nullable(),
  storeId: z.string().nullable(),
  attempts: z.number(),
  cancelRequested: z.boolean(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type JobView = z.output<typeof JobSchema>;

export const FileSchema = z.object({
  id: z.string(),
  name: z.string(),
  mediaType: z.string(),
  sizeBytes: z.number(),
  sha256: z.string(),
  purpose: z.string(),
  companyId: z.string().nullable(),
  storeId: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
});
export type FileView = z.output<typeof FileSchema>;
