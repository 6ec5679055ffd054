/**
 * HTTP routes of SEPA direct debits (mandates, remittances, settlement, returns) and supplier transfers
 * (thin: parse → use case → map). Reading needs `collections.read`, writing `collections.write`; every row is
 * checked against the caller's companies.
 */
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Clock } from '@tpv/shared/clock';
import * as W from '@tpv/shared/wire/http/sepa-remittances';
import { forbidden, notFound } from '../../auth/http';
import { apiRouter, defineRoute, type ApiRouter } from '../../platform/api';
import type { Files } from '../../platform/files/service';
import { createSepaRemittanceService } from './service';

const TAGS = ['collections'];
const IdParams = z.object({ id: z.string().uuid() });

export function sepaRemittanceRoutes(ds: DataSource, clock: Clock, files: Files): ApiRouter {
  const svc = createSepaRemittanceService(ds, clock, files);
  return apiRouter(ds, clock, [
    defineRoute({
      method: 'get', path: '/api/collections/mandates', summary: 'SEPA direct-debit mandates of the caller’s companies (filters: company, counterparty, status)', tags: TAGS, access: 'collections.read',
      query: W.MandateListQuery, response: z.object({ items: z.array(W.Mandate) }),
      handler: async ({ query, user }) => ({ items: await svc.listMandates(user, query) }),
    }),
    defineRoute({
      method: 'post', path: '/api/collections/mandates', summary: 'Record a mandate signed by a customer or franchisee (IBAN/BIC, reference and signature date validated; reference unique per creditor)', tags: TAGS, access: 'collections.write',
      body: W.MandateBody, response: W.Mandate, status: 201, errors: { 409: 'the reference is taken for this creditor', 422: 'invalid IBAN, BIC, reference or date (field errors); unknown counterparty' },
      handler: ({ body, user }) => svc.createMandate(user, body),
    }),
    defineRoute({
      method: 'get', path: '/api/collections/mandates/:id', summary: 'A mandate with its usage (collections, last one, spent)', tags: TAGS, access: 'collections.read',
      params: IdParams, response: W.Mandate, errors: { 404: 'unknown mandate' },
      handler: ({ params, user }) => svc.mandate(user, params.id),
    }),
    defineRoute({
      method: 'patch', path: '/api/collections/mandates/:id', summary: 'Change a mandate’s account, fee recharge, or revoke/reactivate it', tags: TAGS, access: 'collections.write',
      params: IdParams, body: W.MandatePatch, response: W.Mandate, errors: { 404: 'unknown mandate', 422: 'invalid IBAN or BIC' },
      handler: ({ params, body, user }) => svc.updateMandate(user, params.id, body),
    }),
    defineRoute({
      method: 'get', path: '/api/collections/remittances', summary: 'Direct-debit remittances (remesas) of the caller’s companies', tags: TAGS, access: 'collections.read',
      query: W.RemittanceListQuery, response: z.object({ items: z.array(W.Remittance) }),
      handler: async ({ query, user }) => ({ items: await svc.listRemittances(user, query) }),
    }),
    defineRoute({
      method: 'post', path: '/api/collections/remittances', summary: 'Make a remittance: the receivable items due by a date (or listed) of debtors with an active mandate, as a pain.008.001.02 file (FRST/RCUR from each mandate’s usage)', tags: TAGS, access: 'collections.write',
      body: W.RemittanceBody, response: W.RemittanceDetail, status: 201, errors: { 409: 'an item is already in a remittance not returned', 422: 'nothing to remit, an item without mandate, a SEPA rule broken (field errors)' },
      handler: ({ body, user }) => svc.createRemittance(user, body),
    }),
    defineRoute({
      method: 'get', path: '/api/collections/remittances/:id', summary: 'A remittance with its lines', tags: TAGS, access: 'collections.read',
      params: IdParams, response: W.RemittanceDetail, errors: { 404: 'unknown remittance' },
      handler: ({ params, user }) => svc.remittance(user, params.id),
    }),
    defineRoute({
      method: 'get', path: '/api/collections/remittances/:id/xml', summary: 'The remittance’s pain.008 file', tags: TAGS, access: 'collections.read',
      params: IdParams, produces: ['application/xml'], errors: { 404: 'unknown remittance' },
      async handler({ params, user, res }) {
        const { fileId } = await svc.remittanceXml(user, params.id);
        const f = await files.readable(user, fileId);
        if (f === null) throw notFound(`file ${fileId}`);
        if (f === 'forbidden') throw forbidden();
        res.setHeader('Content-Type', 'application/xml; charset=utf-8');
        res.setHeader('Content-Disposition', `attachment; filename="${f.name.replace(/[^A-Za-z0-9._-]+/g, '_')}"`);
        res.end(await files.bytes(f));
      },
    }),
    defineRoute({
      method: 'post', path: '/api/collections/remittances/:id/settle', summary: 'The bank paid the remittance: one direct-debit payment and a collected posting per pending line', tags: TAGS, access: 'collections.write',
      params: IdParams, body: W.SettleBody, response: W.RemittanceDetail, errors: { 404: 'unknown remittance', 409: 'already settled' },
      handler: ({ params, body, user }) => svc.settle(user, params.id, body.settledOn),
    }),
    defineRoute({
      method: 'post', path: '/api/collections/remittances/:id/returns', summary: 'Record returned debits (R-transactions): the item is owed again; the bank fee is recharged as a new item when the mandate says so', tags: TAGS, access: 'collections.write',
      params: IdParams, body: W.ReturnsBody, response: W.RemittanceDetail, errors: { 404: 'unknown remittance', 409: 'line already returned', 422: 'unknown end-to-end id, invalid reason code' },
      handler: ({ params, body, user }) => svc.returns(user, params.id, body),
    }),
    defineRoute({
      method: 'post', path: '/api/collections/transfers', summary: 'Pay supplier items by SEPA transfer: a pain.001.001.09 file (download from /api/files/{fileId}) and one payment made per item', tags: TAGS, access: 'collections.write',
      body: W.TransferBody, response: W.TransferBatch, status: 201, errors: { 409: 'a cancelled item', 422: 'not a payable of the company, over its balance, supplier without a valid IBAN (field errors)' },
      handler: ({ body, user }) => svc.transfer(user, body),
    }),
  ]);
}
