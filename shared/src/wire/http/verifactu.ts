/** Veri*Factu over HTTP: status per company and month, records with the AEAT's answer, export and send jobs. */
import { z } from 'zod';

const id = z.string().min(1).max(64);
export const MonthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month: yyyy-mm');
export const VerifactuRecordStatusSchema = z.enum(['pending', 'sending', 'accepted', 'accepted_with_errors', 'rejected']);

export const VerifactuStatusQuery = z.object({ month: MonthSchema, companyId: id.optional() });

export const VerifactuCompanyStatusSchema = z
  .object({
    companyId: z.string(),
    companyName: z.string(),
    nif: z.string(),
    month: z.string(),
    /** Records of the company's chains not yet queued for sending (all months). */
    notQueued: z.number(),
    pending: z.number(),
    sending: z.number(),
    accepted: z.number(),
    acceptedWithErrors: z.number(),
    rejected: z.number(),
    /** When this issuer may send again (the AEAT's waiting time), if known. */
    nextSendAt: z.string().nullable(),
  })
  .meta({ id: 'VerifactuCompanyStatus' });

export const VerifactuRecordsQuery = z.object({
  companyId: id,
  month: MonthSchema,
  status: VerifactuRecordStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const VerifactuRecordSchema = z
  .object({
    id: z.string(),
    source: z.enum(['till', 'hq']),
    installation: z.string(),
    chainPosition: z.number(),
    kind: z.enum(['alta', 'anulacion']),
    invoiceType: z.string().nullable(),
    invoiceNumber: z.string(),
    issueDate: z.string(),
    status: VerifactuRecordStatusSchema,
    attempts: z.number(),
    errorCode: z.string().nullable(),
    errorDescription: z.string().nullable(),
    csv: z.string().nullable(),
    updatedAt: z.string(),
  })
  .meta({ id: 'VerifactuRecord' });

export const VerifactuRecordParams = z.object({ id });
export const VerifactuExportBody = z.object({ companyId: id, month: MonthSchema }).meta({ id: 'VerifactuExportBody' });
export const VerifactuSendBody = z.object({ companyId: id }).meta({ id: 'VerifactuSendBody' });
export const VerifactuJobStartedSchema = z.object({ jobId: z.string() });
