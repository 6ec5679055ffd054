/**
 * Veri*Factu over HTTP (module `verifactu`, permissions of `invoicing`): status per company and month, the
 * records with the AEAT's answer (rejected ones with their error), resending a rejected record, the month's
 * export as a job (files downloadable from /api/files/:id), and "send now" (franchise-wide roles).
 */
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Clock } from '@tpv/shared/clock';
import {
  VerifactuCompanyStatusSchema, VerifactuExportBody, VerifactuJobStartedSchema, VerifactuRecordParams, VerifactuRecordSchema, VerifactuRecordsQuery, VerifactuSendBody, VerifactuStatusQuery,
} from '@tpv/shared/wire/http/verifactu';
import { forbidden } from '../auth/http';
import { canAccessCompany, type AuthUser } from '../auth/service';
import type { ModuleContext } from '../modules/types';
import { apiRouter, defineRoute, refused, type ApiRouter } from '../platform/api';
import { recordAudit } from '../platform/audit';
import { ownerScopeOf } from '../platform/owner-scope';
import { hqMay } from '../platform/permissions';
import { writeTransaction } from '../persistence/raw';
import { all, inList, one, type Db } from '../persistence/sql';
import { EXPORT_JOB, SEND_JOB } from './jobs';
import { resendRejected } from './submission';

const tags = ['verifactu'];

async function companiesInScope(m: Db, user: AuthUser, only?: string): Promise<Array<{ id: string; nif: string; legal_name: string }>> {
  const rows = await all<{ id: string; nif: string; legal_name: string }>(m, `SELECT id, nif, legal_name FROM company${only ? ' WHERE id = ?' : ''} ORDER BY legal_name`, only ? [only] : []);
  return rows.filter((c) => canAccessCompany(user, c.id));
}

async function checkCompany(m: Db, user: AuthUser, companyId: string): Promise<void> {
  const c = await one<{ id: string }>(m, `SELECT id FROM company WHERE id = ?`, [companyId]);
  if (!c || !canAccessCompany(user, companyId)) throw refused(404, 'COMPANY_NOT_FOUND', 'empresa no encontrada / company not found', 'companyId');
}

/** Records of a company's chains beyond its queue cursor (not yet queued for the AEAT). */
async function notQueued(m: Db, companyId: string): Promise<number> {
  const hq = await one<{ n: unknown }>(
    m,
    `SELECT COUNT(*) AS n FROM hq_fiscal_record h WHERE h.company_id = ? AND h.chain_position > COALESCE((SELECT c.last_position FROM verifactu_cursor c WHERE c.source = 'hq' AND c.chain_id = h.company_id), 0)`,
    [companyId],
  );
  const till = await one<{ n: unknown }>(
    m,
    `SELECT COUNT(*) AS n FROM fiscal_record f JOIN terminal t ON t.id = f.terminal_id JOIN store s ON s.id = t.store_id
     WHERE s.company_id = ? AND f.chain_position > COALESCE((SELECT c.last_position FROM verifactu_cursor c WHERE c.source = 'till' AND c.chain_id = f.terminal_id), 0)`,
    [companyId],
  );
  return Number(hq?.n ?? 0) + Number(till?.n ?? 0);
}

export async function verifactuStatus(m: Db, user: AuthUser, month: string, companyId?: string): Promise<Array<z.output<typeof VerifactuCompanyStatusSchema>>> {
  const companies = await companiesInScope(m, user, companyId);
  if (companies.length === 0) return [];
  const counts = await all<{ company_id: string; status: string; n: unknown }>(
    m,
    `SELECT company_id, status, COUNT(*) AS n FROM verifactu_record WHERE month = ? AND company_id IN (${inList(companies.length)}) GROUP BY company_id, status`,
    [month, ...companies.map((c) => c.id)],
  );
  const out = [];
  for (const c of companies) {
    const of = (s: string) => Number(counts.find((r) => r.company_id === c.id && r.status === s)?.n ?? 0);
    const next = await one<{ next_send_at: string }>(m, `SELECT next_send_at FROM verifactu_issuer WHERE issuer_nif = ?`, [c.nif]);
    out.push({
      companyId: c.id, companyName: c.legal_name, nif: c.nif, month, notQueued: await notQueued(m, c.id),
      pending: of('pending'), sending: of('sending'), accepted: of('accepted'), acceptedWithErrors: of('accepted_with_errors'), rejected: of('rejected'),
      nextSendAt: next?.next_send_at ?? null,
    });
  }
  return out;
}

type RecordRow = Record<string, unknown>;
const recordView = (r: RecordRow): z.output<typeof VerifactuRecordSchema> => ({
  id: String(r.id), source: r.source as 'till' | 'hq', installation: String(r.installation), chainPosition: Number(r.chain_position), kind: r.record_kind as 'alta' | 'anulacion',
  invoiceType: (r.invoice_type as string | null) ?? null, invoiceNumber: String(r.invoice_number), issueDate: String(r.issue_date), status: r.status as z.output<typeof VerifactuRecordSchema>['status'],
  attempts: Number(r.attempts), errorCode: (r.error_code as string | null) ?? null, errorDescription: (r.error_description as string | null) ?? null, csv: (r.csv as string | null) ?? null, updatedAt: String(r.updated_at),
});

export function verifactuRoutes(ds: DataSource, clock: Clock, jobs: ModuleContext['jobs']): ApiRouter {
  return apiRouter(ds, clock, [
    defineRoute({
      method: 'get',
      path: '/api/verifactu/status',
      summary: 'Veri*Factu status per company in scope for a month: records pending, sent, accepted, rejected',
      tags,
      access: 'invoicing.read',
      query: VerifactuStatusQuery,
      response: z.array(VerifactuCompanyStatusSchema),
      handler: ({ query, user }) => verifactuStatus(ds.manager, user, query.month, query.companyId),
    }),
    defineRoute({
      method: 'get',
      path: '/api/verifactu/records',
      summary: "A company's Veri*Factu records of a month with the AEAT's answer (filter by status: rejected ones with their error)",
      tags,
      access: 'invoicing.read',
      query: VerifactuRecordsQuery,
      response: z.array(VerifactuRecordSchema),
      errors: { 404: 'no such company (or not in scope)' },
      async handler({ query, user }) {
        await checkCompany(ds.manager, user, query.companyId);
        const rows = await all<RecordRow>(
          ds.manager,
          `SELECT * FROM verifactu_record WHERE company_id = ? AND month = ?${query.status ? ' AND status = ?' : ''} ORDER BY installation, chain_position LIMIT ${query.limit}`,
          [query.companyId, query.month, ...(query.status ? [query.status] : [])],
        );
        return rows.map(recordView);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/verifactu/records/:id/resend',
      summary: 'Queues a rejected record again, as the correction of a rejected record (Subsanacion / RechazoPrevio)',
      tags,
      access: 'invoicing.write',
      params: VerifactuRecordParams,
      response: VerifactuRecordSchema,
      errors: { 404: 'no such record (or not in scope)', 409: 'the record is not rejected' },
      async handler({ params, user, requestId }) {
        return writeTransaction(ds, async (m) => {
          const row = await one<RecordRow>(m, `SELECT * FROM verifactu_record WHERE id = ?`, [params.id]);
          if (!row || !canAccessCompany(user, String(row.company_id))) throw refused(404, 'RECORD_NOT_FOUND', 'registro no encontrado / record not found', 'id');
          const done = await resendRejected(m, clock, params.id);
          if (!done) throw refused(409, 'RECORD_NOT_REJECTED', `solo se reenvía un registro rechazado (está ${String(row.status)}) / only a rejected record is resent`, 'id');
          await recordAudit(m, clock, { actor: { id: user.id, email: user.email }, action: 'verifactu.resend', entity: 'verifactu_record', entityId: params.id, companyId: done.companyId, before: { status: row.status, errorCode: row.error_code }, after: { status: 'pending' }, requestId });
          return recordView((await one<RecordRow>(m, `SELECT * FROM verifactu_record WHERE id = ?`, [params.id]))!);
        });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/verifactu/exports',
      summary: "A company's month as RegFactuSistemaFacturacion XML (tills + back office), as a job; the files are in the job's result",
      tags,
      access: 'invoicing.read',
      body: VerifactuExportBody,
      response: VerifactuJobStartedSchema,
      status: 202,
      errors: { 404: 'no such company (or not in scope)' },
      async handler({ body, user }) {
        await checkCompany(ds.manager, user, body.companyId);
        const job = await jobs.enqueue({ kind: EXPORT_JOB, params: body, owner: { ...ownerScopeOf(user), companyId: body.companyId }, maxAttempts: 2 });
        return { jobId: job.id };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/verifactu/send',
      summary: "Sends a company's pending records to the AEAT now (franchise-wide roles), as a job",
      tags,
      access: 'invoicing.write',
      body: VerifactuSendBody,
      response: VerifactuJobStartedSchema,
      status: 202,
      errors: { 404: 'no such company' },
      async handler({ body, user, requestId }) {
        if (!hqMay(user, 'invoicing.write')) throw forbidden('solo la central envía a la AEAT / only HQ sends to the AEAT');
        await checkCompany(ds.manager, user, body.companyId);
        const job = await jobs.enqueue({ kind: SEND_JOB, params: body, owner: { ...ownerScopeOf(user), companyId: body.companyId }, maxAttempts: 1 });
        await writeTransaction(ds, (m) => recordAudit(m, clock, { actor: { id: user.id, email: user.email }, action: 'verifactu.send', entity: 'company', entityId: body.companyId, companyId: body.companyId, after: { jobId: job.id }, requestId }));
        return { jobId: job.id };
      },
    }),
  ]);
}
