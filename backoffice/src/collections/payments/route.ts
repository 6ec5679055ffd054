/**
 * HTTP routes of the collections ledger (issue 13, payments part): open items, payments with their
 * allocation, credit, refunds and cancellation, write-offs (requested with collections.write, decided with
 * collections.admin) and the statement of account (JSON and PDF). Scoped to the caller's companies.
 */
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Clock } from '@tpv/shared/clock';
import * as W from '@tpv/shared/wire/http/collections-payments';
import { apiRouter, defineRoute, type ApiRouter } from '../../platform/api';
import { sendPdf } from '../../platform/files/send-pdf';
import type { Files } from '../../platform/files/service';
import { listQuery, offsetOf, pageOf, pageSchema } from '../../platform/list';
import { createPaymentsService, type ItemSort, type PaymentSort } from './service';
import { renderStatementPdf } from './statement-pdf';

const TAGS = ['collections'];
const IdParams = z.object({ id: z.string().uuid() });
const ItemsQuery = listQuery(['dueDate', 'issueDate', 'balanceCents', 'amountCents', 'documentRef', 'counterparty', 'status'], W.ItemFilterQuery);
const PaymentsQuery = listQuery(['receivedOn', 'number', 'amountCents', 'counterparty', 'creditCents'], W.PaymentFilterQuery);

export function paymentsRoutes(ds: DataSource, clock: Clock, files: Files): ApiRouter {
  const svc = createPaymentsService(ds, clock);
  return apiRouter(ds, clock, [
    defineRoute({
      method: 'get', path: '/api/collections/items', summary: 'Open items of the receivables/payables ledger (paged, sorted; filters: side, company, counterparty, status, overdue as of a date, due range)', tags: TAGS, access: 'collections.read',
      query: ItemsQuery, response: pageSchema(W.OpenItemRow).extend({ balanceCents: z.int() }),
      async handler({ query: q, user }) {
        const { rows, total, balanceCents } = await svc.listItems(user, q, (q.sort ?? 'dueDate') as ItemSort, q.dir, q.pageSize, offsetOf(q));
        return { ...pageOf(rows, q, total), balanceCents };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/collections/items/:id', summary: 'An open item with its postings and write-off requests', tags: TAGS, access: 'collections.read',
      params: IdParams, response: W.OpenItemDetail, errors: { 404: 'no such item' },
      handler: ({ params, user }) => svc.itemDetail(user, params.id),
    }),
    defineRoute({
      method: 'post', path: '/api/collections/items/:id/write-off', summary: 'Ask to write off (part of) an item’s balance as a bad debt, with a reason (waits for collections.admin)', tags: TAGS, access: 'collections.write',
      params: IdParams, body: W.WriteOffBody, response: W.WriteOffRow, status: 201,
      errors: { 404: 'no such item', 409: 'cancelled, settled, or a request already waiting', 422: 'a payable, or over the balance' },
      handler: ({ params, body, user, requestId }) => svc.requestWriteOff(user, params.id, body, requestId),
    }),
    defineRoute({
      method: 'get', path: '/api/collections/write-offs', summary: 'Write-off requests (filters: status, company)', tags: TAGS, access: 'collections.read',
      query: z.object(W.WriteOffFilterQuery), response: z.object({ items: z.array(W.WriteOffRow) }),
      handler: async ({ query, user }) => ({ items: await svc.listWriteOffs(user, query) }),
    }),
    defineRoute({
      method: 'post', path: '/api/collections/write-offs/:id/approve', summary: 'Approve a write-off: a written_off posting on the item', tags: TAGS, access: 'collections.admin',
      params: IdParams, body: W.WriteOffDecisionBody, response: W.WriteOffRow, errors: { 404: 'no such request', 409: 'already decided', 422: 'over the balance the item has now' },
      handler: ({ params, body, user, requestId }) => svc.decideWriteOff(user, params.id, true, body, requestId),
    }),
    defineRoute({
      method: 'post', path: '/api/collections/write-offs/:id/refuse', summary: 'Refuse a write-off (nothing is posted)', tags: TAGS, access: 'collections.admin',
      params: IdParams, body: W.WriteOffDecisionBody, response: W.WriteOffRow, errors: { 404: 'no such request', 409: 'already decided' },
      handler: ({ params, body, user, requestId }) => svc.decideWriteOff(user, params.id, false, body, requestId),
    }),
    defineRoute({
      method: 'get', path: '/api/collections/payments', summary: 'Collections received and payments made (paged; filters: side, company, counterparty, status, dates)', tags: TAGS, access: 'collections.read',
      query: PaymentsQuery, response: pageSchema(W.PaymentRow),
      async handler({ query: q, user }) {
        const { rows, total } = await svc.listPayments(user, q, (q.sort ?? 'receivedOn') as PaymentSort, q.sort ? q.dir : 'desc', q.pageSize, offsetOf(q));
        return pageOf(rows, q, total);
      },
    }),
    defineRoute({
      method: 'post', path: '/api/collections/payments', summary: 'Record a collection received or a payment made, allocated oldest first or by hand; the rest is kept as credit (numbered COB/PAG per company and year; dryRun: the split only)', tags: TAGS, access: 'collections.write',
      body: W.PaymentBody, response: z.union([W.PaymentDetail, W.PaymentPreview]), status: 201,
      errors: { 409: 'an item cancelled or already paid', 422: 'unknown company or item, a line over its balance, lines over the payment' },
      handler: ({ body, user, requestId }) => svc.record(user, body, requestId),
    }),
    defineRoute({
      method: 'get', path: '/api/collections/payments/:id', summary: 'A payment with its allocations and credit movements', tags: TAGS, access: 'collections.read',
      params: IdParams, response: W.PaymentDetail, errors: { 404: 'no such payment' },
      handler: ({ params, user }) => svc.paymentDetail(user, params.id),
    }),
    defineRoute({
      method: 'post', path: '/api/collections/payments/:id/allocate', summary: 'Apply the credit a payment holds to the counterparty’s items', tags: TAGS, access: 'collections.write',
      params: IdParams, body: W.AllocateBody, response: W.PaymentDetail, errors: { 404: 'no such payment', 409: 'cancelled, no credit, or nothing owed', 422: 'a line over its balance or over the credit' },
      handler: ({ params, body, user, requestId }) => svc.allocate(user, params.id, body, requestId),
    }),
    defineRoute({
      method: 'post', path: '/api/collections/payments/:id/refund', summary: 'Pay back (part of) the credit a payment holds', tags: TAGS, access: 'collections.write',
      params: IdParams, body: W.RefundBody, response: W.PaymentDetail, errors: { 404: 'no such payment', 409: 'cancelled', 422: 'over the credit held' },
      handler: ({ params, body, user, requestId }) => svc.refund(user, params.id, body, requestId),
    }),
    defineRoute({
      method: 'post', path: '/api/collections/payments/:id/cancel', summary: 'Cancel a payment recorded in error: its allocations come back as returned postings, its credit is dropped', tags: TAGS, access: 'collections.write',
      params: IdParams, body: W.CancelPaymentBody, response: W.PaymentDetail, errors: { 404: 'no such payment', 409: 'already cancelled or partly refunded' },
      handler: ({ params, body, user, requestId }) => svc.cancel(user, params.id, body, requestId),
    }),
    defineRoute({
      method: 'get', path: '/api/collections/statements', summary: 'Statement of account of a counterparty for a period: opening balance, every posting and credit movement with a running balance, closing balance', tags: TAGS, access: 'collections.read',
      query: W.StatementQuery, response: W.StatementAnswer, errors: { 422: 'the period starts after it ends' },
      handler: ({ query, user }) => svc.statement(user, query),
    }),
    defineRoute({
      method: 'get', path: '/api/collections/statements.pdf', summary: 'The statement of account as a PDF (es or en)', tags: TAGS, access: 'collections.read',
      query: W.StatementQuery, produces: ['application/pdf'], errors: { 422: 'the period starts after it ends' },
      async handler({ query, user, res }) {
        const s = await svc.statement(user, query);
        const name = `extracto-${query.counterpartyId.replace(/[^A-Za-z0-9]+/g, '_')}-${query.from}-${query.to}.pdf`;
        await sendPdf(res, files, user, { draft: await renderStatementPdf(s, query.lang), name });
      },
    }),
  ]);
}
