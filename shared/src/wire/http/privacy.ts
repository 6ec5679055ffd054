/**
 * HTTP schemas of data protection (GDPR / LOPDGDD): consents, export and erasure requests, the access log,
 * the retention policy. The API parses with them; the admin UI uses the same types.
 */
import { z } from 'zod';
import { CONSENT_PURPOSES, CONSENT_SOURCES } from '../../privacy/consent';
import { RowIdSchema } from '../limits';

const Id = RowIdSchema;
const Instant = z.string().min(10).max(40);

export const PurposeSchema = z.enum(CONSENT_PURPOSES);
export const SourceSchema = z.enum(CONSENT_SOURCES);

export const CustomerParams = z.strictObject({ id: Id });
export const RequestParams = z.strictObject({ id: Id });

/** Consents recorded at HQ (a form signed, a web sign-up, an import): one or more purposes at once. */
export const ConsentBody = z.strictObject({
  consents: z.array(z.strictObject({ purpose: PurposeSchema, granted: z.boolean() })).min(1).max(3)
    .refine((a) => new Set(a.map((c) => c.purpose)).size === a.length, 'a purpose appears twice'),
  source: z.enum(['backoffice', 'import', 'web']).default('backoffice'),
  /** When the customer gave it (default: now). */
  givenAt: Instant.optional(),
  note: z.string().trim().max(300).optional(),
});
export type ConsentBody = z.infer<typeof ConsentBody>;

export const ConsentItem = z.object({
  id: Id, purpose: PurposeSchema, granted: z.boolean(), source: SourceSchema, recordedBy: z.string().nullable(),
  storeId: z.string().nullable(), terminalId: z.string().nullable(), note: z.string().nullable(), givenAt: z.string(), createdAt: z.string(),
});
export type ConsentItem = z.infer<typeof ConsentItem>;
export const ConsentState = z.object({ purpose: PurposeSchema, granted: z.boolean(), source: SourceSchema, givenAt: z.string() });
export const ConsentsAnswer = z.object({
  customerId: Id,
  current: z.array(ConsentState),
  history: z.array(ConsentItem),
});
export type ConsentsAnswer = z.infer<typeof ConsentsAnswer>;

export const PersonalDataAnswer = z.object({
  id: Id, name: z.string(), nif: z.string().nullable(), email: z.string().nullable(), phone: z.string().nullable(),
  active: z.boolean(), erasedAt: z.string().nullable(), consents: z.array(ConsentState),
});

export const RequestItem = z.object({
  id: Id, customerId: Id, customerName: z.string().nullable(), kind: z.enum(['export', 'erasure', 'retention']), status: z.enum(['done', 'refused']),
  jsonFileId: z.string().nullable(), pdfFileId: z.string().nullable(), summary: z.unknown(), requestedBy: z.string().nullable(), createdAt: z.string(),
});
export type RequestItem = z.infer<typeof RequestItem>;
export const RequestsQuery = z.object({
  customerId: Id.optional(),
  kind: z.enum(['export', 'erasure', 'retention']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const ErasureBody = z.strictObject({ reason: z.string().trim().min(3).max(300) });

export const AccessLogItem = z.object({ id: Id, customerId: Id, customerName: z.string().nullable(), userEmail: z.string().nullable(), what: z.string(), at: z.string() });
export const AccessLogQuery = z.object({
  customerId: Id.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const RetentionPolicy = z.object({ retentionYears: z.int().nullable(), updatedBy: z.string().nullable(), updatedAt: z.string().nullable() });
export const RetentionPolicyBody = z.strictObject({ retentionYears: z.int().min(1).max(50).nullable() });
export const RetentionRunAnswer = z.object({ jobId: z.string() });
