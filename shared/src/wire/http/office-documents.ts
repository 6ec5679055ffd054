/**
 * HTTP schemas of the documents library (issue 16): procedures and manuals for an audience (the network,
 * companies or stores, optionally some back-office roles), in versions — a new version asks everyone in the
 * audience to acknowledge it again — and who acknowledged which version.
 */
import { z } from 'zod';
import { NOTICE_TARGETS } from '../../office/notices';
import { ROLES } from '../../permissions';
import { RowIdSchema } from '../limits';

/** The file of a version, in the JSON body (base64; the back office's JSON limit is 1 MiB). */
const FileBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  mediaType: z.string().trim().min(3).max(128).regex(/^[\w.+-]+\/[\w.+-]+$/, 'tipo de fichero / media type'),
  contentBase64: z.string().min(4).max(900_000).regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64'),
});

export const DocumentIdParam = z.object({ id: RowIdSchema });
export const DocumentVersionParams = z.object({ id: RowIdSchema, version: z.coerce.number().int().min(1).max(10_000) });

export const DocumentCreateBody = z.strictObject({
  title: z.string().trim().min(1, 'escriba el título / write the title').max(200),
  category: z.string().trim().max(60).default('procedimiento'),
  target: z.enum(NOTICE_TARGETS),
  targetIds: z.array(RowIdSchema).max(2000).default([]),
  /** Back-office roles it is for; empty: everyone of the companies / stores named. */
  roles: z.array(z.enum(ROLES)).max(ROLES.length).default([]),
  note: z.string().trim().max(500).optional(),
  file: FileBody,
});
export type DocumentCreateBody = z.output<typeof DocumentCreateBody>;
export const DocumentVersionBody = z.strictObject({ note: z.string().trim().max(500).optional(), file: FileBody });
export const DocumentAckBody = z.strictObject({ version: z.int().min(1) });

export const DocumentSummary = z.object({
  id: z.string(), title: z.string(), category: z.string(), target: z.enum(NOTICE_TARGETS), targetIds: z.array(z.string()), roles: z.array(z.string()),
  currentVersion: z.number().int(), updatedAt: z.string(),
  /** Whether the caller is in its audience, and the version they last acknowledged (null: none). */
  forMe: z.boolean(), acknowledgedVersion: z.number().int().nullable(),
});
export const DocumentListAnswer = z.object({ items: z.array(DocumentSummary) });
export const DocumentDetail = z.object({
  document: DocumentSummary,
  versions: z.array(z.object({ version: z.number().int(), fileName: z.string(), mediaType: z.string(), sizeBytes: z.number().int(), sha256: z.string(), note: z.string().nullable(), createdAt: z.string() })),
  /** Who acknowledged which version (within the caller's scope), newest first. */
  acknowledgements: z.array(z.object({ userId: z.string(), name: z.string(), role: z.string(), version: z.number().int(), acknowledgedAt: z.string() })),
});
export type DocumentDetail = z.infer<typeof DocumentDetail>;
