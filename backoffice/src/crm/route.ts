/**
 * HTTP routes of the CRM core (thin: parse → scope → use case). Customers are franchise-wide: reading them is
 * `customers.read` (a franchisee's manager sees the purchases, invoices and balance of their own stores and
 * companies on the customer page), writing (create, edit, notes, merges, segments) `customers.write` at HQ.
 */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import * as W from '@tpv/shared/wire/http/crm';
import { IdParams } from '@tpv/shared/wire/http/catalog';
import { z } from 'zod';
import { newRowId } from '../persistence/row-id';
import { visibleCompanyIds, visibleStoreIds, type AuthUser } from '../auth/service';
import { forbidden } from '../auth/http';
import { hqMay } from '../platform/permissions';
import { apiRouter, defineRoute, refused, type ApiRouter } from '../platform/api';
import { sendExport } from '../platform/list';
import { todayInMadrid } from '../invoicing/posting';
import * as repo from './repository';
import { createCrmService, customer360 } from './service';
import { recordCustomerAccess } from '../privacy/consents';
import { writeTransaction } from '../persistence/raw';

const TAGS = ['customers'];
const actor = (u: AuthUser) => ({ id: u.id, email: u.email });
const hqOnly = (u: AuthUser) => {
  if (!hqMay(u, 'customers.write')) throw forbidden('Customers are franchise-wide: HQ writes them.');
  return actor(u);
};
const Version = z.object({ id: z.string(), version: z.number().int() });

export function crmRoutes(ds: DataSource, clock: Clock, nudge: (version: number) => void): ApiRouter {
  const svc = createCrmService(ds, clock, nudge);
  return apiRouter(ds, clock, [
    defineRoute({
      method: 'get', path: '/api/crm/customers', summary: 'Customers: search by name words, phone, email, NIF or loyalty card, with filters (members, no contact, with NIF, segment, store)', tags: TAGS, access: 'customers.read',
      query: W.CustomerListQuery, response: W.CustomerListAnswer,
      handler: ({ query }) => repo.listCustomers(ds.manager, query),
    }),
    defineRoute({
      method: 'post', path: '/api/crm/customers', summary: 'Create a customer at HQ (NIF checked; NIF and loyalty card unique); sent to every till', tags: TAGS, access: 'customers.write', status: 201,
      body: W.CustomerCreateBody, response: Version, errors: { 409: 'NIF or card already held by another customer', 422: 'invalid NIF, phone, email or card' },
      handler: ({ body, user }) => {
        const { id, ...input } = body;
        return svc.create(hqOnly(user), id ?? newRowId(clock), input);
      },
    }),
    defineRoute({
      method: 'get', path: '/api/crm/customers/:id', summary: 'The customer page (360): purchases in every store, returns, invoices, balance, notes, segments, and the sections of other modules (loyalty, consents)', tags: TAGS, access: 'customers.read',
      params: IdParams, response: W.Customer360Schema, errors: { 404: 'no such customer' },
      async handler({ params, user, requestId }) {
        const page = await customer360(ds.manager, params.id, { storeIds: await visibleStoreIds(ds, user), companyIds: visibleCompanyIds(user) });
        if (!page) throw refused(404, 'CUSTOMER_UNKNOWN', `cliente ${params.id} no encontrado / customer ${params.id} not found`);
        // Data protection: who saw this person's data, and when (the privacy module's access log).
        await writeTransaction(ds, (m) => recordCustomerAccess(m, clock, user, params.id, 'customers.page', requestId));
        return page;
      },
    }),
    defineRoute({
      method: 'put', path: '/api/crm/customers/:id', summary: 'Edit a customer (fields not given are kept); sent to every till', tags: TAGS, access: 'customers.write',
      params: IdParams, body: W.CustomerUpdateBody, response: Version, errors: { 404: 'no such customer', 409: 'NIF or card already held', 422: 'invalid field' },
      handler: ({ params, body, user }) => svc.update(hqOnly(user), params.id, body),
    }),
    defineRoute({
      method: 'post', path: '/api/crm/customers/:id/notes', summary: "Add a note to a customer's page", tags: TAGS, access: 'customers.write', status: 201,
      params: IdParams, body: W.NoteBody, response: Version, errors: { 404: 'no such customer' },
      handler: ({ params, body, user }) => svc.addNote(hqOnly(user), params.id, body.body),
    }),
    defineRoute({
      method: 'get', path: '/api/crm/duplicates', summary: 'Candidate duplicate pairs: customers sharing a normalised NIF, email or phone', tags: TAGS, access: 'customers.read',
      query: z.object({ limit: z.coerce.number().int().min(1).max(2000).default(200) }), response: W.DuplicatesAnswer,
      async handler({ query }) {
        const raw = await repo.duplicatePairs(ds.manager, query.limit);
        const byPair = new Map<string, { a: string; b: string; reasons: Array<'nif' | 'email' | 'phone'> }>();
        for (const p of raw) {
          const k = `${p.a}|${p.b}`;
          const x = byPair.get(k) ?? { a: p.a, b: p.b, reasons: [] };
          x.reasons.push(p.reason);
          byPair.set(k, x);
        }
        const people = await repo.summariesByIds(ds.manager, [...new Set(raw.flatMap((p) => [p.a, p.b]))]);
        return { pairs: [...byPair.values()].slice(0, query.limit).map((p) => ({ a: people.get(p.a)!, b: people.get(p.b)!, reasons: p.reasons })) };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/crm/merges', summary: 'Merge customer B (mergedId) into A (intoId): every ticket, invoice, open item, balance and note moves to A; B leaves the tills', tags: TAGS, access: 'customers.write',
      body: W.MergeBody, response: W.MergeAnswer, errors: { 404: 'no such customer', 409: 'B was already merged', 422: 'merging a customer into itself' },
      handler: ({ body, user }) => svc.merge(hqOnly(user), body.intoId, body.mergedId),
    }),
    defineRoute({
      method: 'get', path: '/api/crm/segments', summary: 'Segments by rules with their member counts (as last computed)', tags: TAGS, access: 'customers.read',
      response: W.SegmentsAnswer,
      handler: async () => ({ segments: await repo.segments(ds.manager) }),
    }),
    defineRoute({
      method: 'post', path: '/api/crm/segments/preview', summary: 'How many customers these rules select today (live count, nothing saved)', tags: TAGS, access: 'customers.read',
      body: W.SegmentRulesSchema, response: W.SegmentPreviewAnswer,
      handler: async ({ body }) => {
        const asOf = todayInMadrid(clock);
        return { count: (await repo.segmentMembers(ds.manager, body, asOf)).length, asOf };
      },
    }),
    defineRoute({
      method: 'put', path: '/api/crm/segments/:id', summary: 'Create or replace a segment; its membership is computed at once and sent to the tills (segmentIds)', tags: TAGS, access: 'customers.write',
      params: IdParams, body: W.SegmentBody, response: Version,
      handler: ({ params, body, user }) => svc.saveSegment(hqOnly(user), params.id, body.name, body.rules),
    }),
    defineRoute({
      method: 'delete', path: '/api/crm/segments/:id', summary: 'Delete a segment (its members leave it on the tills)', tags: TAGS, access: 'customers.write',
      params: IdParams, response: Version, errors: { 404: 'no such segment' },
      handler: ({ params, user }) => svc.deleteSegment(hqOnly(user), params.id),
    }),
    defineRoute({
      method: 'post', path: '/api/crm/segments/recompute', summary: 'Recompute every segment as of today; customers whose membership changed are sent to the tills', tags: TAGS, access: 'customers.write',
      response: W.RecomputeAnswer,
      handler: ({ user }) => (hqOnly(user), svc.recompute()),
    }),
    defineRoute({
      method: 'get', path: '/api/crm/segments/:id/export', summary: "A segment's members as CSV (or XLSX with ?format=xlsx)", tags: TAGS, access: 'customers.read',
      params: IdParams, query: z.object({ format: z.enum(['csv', 'xlsx']).default('csv') }), produces: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'], errors: { 404: 'no such segment' },
      async handler({ params, query, res }) {
        const seg = (await repo.segments(ds.manager)).find((s) => s.id === params.id);
        if (!seg) throw refused(404, 'SEGMENT_UNKNOWN', `segmento ${params.id} no encontrado / segment ${params.id} not found`);
        const rows = await repo.segmentExportRows(ds.manager, params.id);
        type Row = (typeof rows)[number];
        await sendExport<Row>(res, query.format, `segment-${seg.name}`, [
          { header: 'id', value: (r) => r.id }, { header: 'name', value: (r) => r.name }, { header: 'nif', value: (r) => r.nif },
          { header: 'phone', value: (r) => r.phone }, { header: 'email', value: (r) => r.email }, { header: 'loyaltyCard', value: (r) => r.loyaltyCard },
          { header: 'spendCents', value: (r) => r.spendCents }, { header: 'lastPurchase', value: (r) => r.lastPurchase },
        ], rows);
      },
    }),
  ]);
}
