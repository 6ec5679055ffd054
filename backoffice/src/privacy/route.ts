/**
 * Data-protection routes (thin: parse → use case → map). Requests and consents at HQ operations
 * (privacy.read / privacy.write); erasure and the retention policy privacy.admin (hq_admin). Every read of a
 * customer's personal data here leaves a row in the access log.
 */
import { z } from 'zod';
import * as W from '@tpv/shared/wire/http/privacy';
import type { ModuleContext } from '../modules/types';
import { apiRouter, defineRoute, type ApiRouter } from '../platform/api';
import { recordAudit } from '../platform/audit';
import { ownerScopeOf } from '../platform/owner-scope';
import { writeTransaction } from '../persistence/raw';
import { consentsOf, customerUnknown, personalData, recordConsents, recordCustomerAccess } from './consents';
import { eraseCustomer } from './erasure';
import { exportCustomer } from './export';
import * as repo from './repository';

const TAGS = ['privacy'];
export const RETENTION_JOB = 'privacy.retention';

export function privacyRoutes(c: ModuleContext): ApiRouter {
  const { ds, clock } = c;
  const listed = async (id: string) => (await repo.listRequests(ds.manager, { limit: 500 })).find((r) => r.id === id)!;
  return apiRouter(ds, clock, [
    defineRoute({
      method: 'get', path: '/api/privacy/customers/:id', summary: 'A customer’s personal data and current consents (the read is logged)', tags: TAGS, access: 'privacy.read',
      params: W.CustomerParams, response: W.PersonalDataAnswer, errors: { 404: 'unknown customer' },
      handler: ({ params, user, requestId }) => writeTransaction(ds, (m) => personalData(m, clock, user, params.id, requestId)),
    }),
    defineRoute({
      method: 'get', path: '/api/privacy/customers/:id/consents', summary: 'A customer’s consents: current state per purpose and the whole history (the read is logged)', tags: TAGS, access: 'privacy.read',
      params: W.CustomerParams, response: W.ConsentsAnswer, errors: { 404: 'unknown customer' },
      handler: ({ params, user, requestId }) =>
        writeTransaction(ds, async (m) => {
          if (!(await repo.customerForUpdate(m, params.id))) throw customerUnknown(params.id);
          await recordCustomerAccess(m, clock, user, params.id, 'privacy.consents', requestId);
          return consentsOf(m, params.id);
        }),
    }),
    defineRoute({
      method: 'post', path: '/api/privacy/customers/:id/consents', summary: 'Record consents given or withdrawn (one record per purpose; the current state follows)', tags: TAGS, access: 'privacy.write',
      params: W.CustomerParams, body: W.ConsentBody, response: W.ConsentsAnswer, status: 201, errors: { 404: 'unknown customer', 409: 'customer erased' },
      handler: ({ params, body, user, requestId }) =>
        writeTransaction(ds, async (m) => {
          const rows = await recordConsents(m, clock, {
            customerId: params.id, consents: body.consents, source: body.source, recordedBy: user.email, givenAt: body.givenAt ?? new Date(clock.now()).toISOString(), note: body.note ?? null,
          });
          await recordAudit(m, clock, { actor: { id: user.id, email: user.email }, action: 'customer.consent', entity: 'customer', entityId: params.id, after: rows.map((r) => ({ purpose: r.purpose, granted: r.granted, source: r.source })), requestId: requestId ?? null });
          return consentsOf(m, params.id);
        }),
    }),
    defineRoute({
      method: 'post', path: '/api/privacy/customers/:id/export', summary: 'Export everything held about a customer (JSON + PDF in the files area)', tags: TAGS, access: 'privacy.write',
      params: W.CustomerParams, response: W.RequestItem, status: 201, errors: { 404: 'unknown customer' },
      async handler({ params, user, requestId }) {
        const row = await writeTransaction(ds, (m) => exportCustomer(m, clock, c.files, user, params.id, requestId));
        return listed(row.id);
      },
    }),
    defineRoute({
      method: 'post', path: '/api/privacy/customers/:id/erasure', summary: 'Erase a customer: anonymised everywhere but on the invoices tax law keeps; refused with an open balance', tags: TAGS, access: 'privacy.admin',
      params: W.CustomerParams, body: W.ErasureBody, response: W.RequestItem, errors: { 404: 'unknown customer', 409: 'open balance, or already erased' },
      async handler({ params, body, user, requestId }) {
        const r = await writeTransaction(ds, (m) => eraseCustomer(m, clock, user, params.id, { kind: 'erasure', reason: body.reason, requestId }));
        c.live.gateway?.catalogChanged(null, r.summary.feedVersion);
        return listed(r.request.id);
      },
    }),
    defineRoute({
      method: 'get', path: '/api/privacy/requests', summary: 'Export, erasure and retention requests served, newest first', tags: TAGS, access: 'privacy.read',
      query: W.RequestsQuery, response: z.object({ items: z.array(W.RequestItem) }),
      handler: async ({ query }) => ({ items: await repo.listRequests(ds.manager, query) }),
    }),
    defineRoute({
      method: 'get', path: '/api/privacy/access-log', summary: 'Who read customers’ personal data, newest first', tags: TAGS, access: 'privacy.read',
      query: W.AccessLogQuery, response: z.object({ items: z.array(W.AccessLogItem) }),
      handler: async ({ query }) => ({ items: await repo.accessLog(ds.manager, query) }),
    }),
    defineRoute({
      method: 'get', path: '/api/privacy/retention', summary: 'The retention policy (years of inactivity before a customer is anonymised; null: off)', tags: TAGS, access: 'privacy.read',
      response: W.RetentionPolicy,
      handler: () => repo.policy(ds.manager),
    }),
    defineRoute({
      method: 'put', path: '/api/privacy/retention', summary: 'Set the retention policy', tags: TAGS, access: 'privacy.admin',
      body: W.RetentionPolicyBody, response: W.RetentionPolicy,
      handler: ({ body, user, requestId }) =>
        writeTransaction(ds, async (m) => {
          const before = await repo.policy(m);
          await repo.putPolicy(m, body.retentionYears, user.email, new Date(clock.now()).toISOString());
          await recordAudit(m, clock, { actor: { id: user.id, email: user.email }, action: 'privacy.retention.set', entity: 'privacy_policy', entityId: 'default', before, after: body, requestId: requestId ?? null });
          return repo.policy(m);
        }),
    }),
    defineRoute({
      method: 'post', path: '/api/privacy/retention/run', summary: 'Run the retention job now (anonymises inactive customers; reported with counts)', tags: TAGS, access: 'privacy.admin',
      response: W.RetentionRunAnswer, status: 202,
      async handler({ user }) {
        const job = await c.jobs.enqueue({ kind: RETENTION_JOB, params: { by: { id: user.id, email: user.email } }, owner: ownerScopeOf(user), maxAttempts: 1 });
        return { jobId: job.id };
      },
    }),
  ]);
}
