/**
 * The invoices module's HTTP routes (thin: parse → use case → map): issued invoices per issuing company
 * (list with totals, export), manual drafts, posting, credit notes R1–R4, anulación and the PDF.
 */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import * as W from '@tpv/shared/wire/http/invoicing';
import { apiRouter, defineRoute, type ApiRouter } from '../platform/api';
import type { Files } from '../platform/files/service';
import { sendPdf } from '../platform/files/send-pdf';
import { EXPORT_MEDIA, MAX_EXPORT_ROWS, listQuery, offsetOf, pageOf, pageSchema, sendExport } from '../platform/list';
import type { InvoiceSort } from './repository';
import { createInvoicingService } from './service';

const TAGS = ['invoicing'];
const ListQ = listQuery(['createdAt', 'issueDate', 'number', 'totalCents', 'recipient'], W.InvoiceFilterQuery.shape);
const euros = (c: number) => (c / 100).toFixed(2);

export function invoicingRoutes(ds: DataSource, clock: Clock, files: Files): ApiRouter {
  const svc = createInvoicingService(ds, clock, files);
  return apiRouter(ds, clock, [
    defineRoute({
      method: 'get', path: '/api/invoices', summary: 'Issued invoices and credit notes in the caller’s scope (paged, filtered by company/recipient/type/status/period/number; totals over every match; ?format=csv|xlsx exports)', tags: TAGS, access: 'invoicing.read',
      query: ListQ, response: pageSchema(W.InvoiceListItem).extend({ totals: W.InvoiceTotals }), produces: EXPORT_MEDIA,
      async handler({ query: q, user, res }) {
        const filter = { companyId: q.companyId, recipient: q.recipient, invoiceType: q.invoiceType, status: q.status, source: q.source, from: q.from, to: q.to, number: q.number, q: q.q };
        const sort = (q.sort ?? 'createdAt') as InvoiceSort;
        const dir = q.sort ? q.dir : 'desc';
        if (q.format !== 'json') {
          const { rows } = await svc.list(user, filter, sort, dir, MAX_EXPORT_ROWS, 0);
          await sendExport(res, q.format, 'facturas', [
            { header: 'number', value: (r) => r.number }, { header: 'type', value: (r) => r.invoiceType }, { header: 'status', value: (r) => r.status },
            { header: 'issue_date', value: (r) => r.issueDate }, { header: 'company', value: (r) => r.companyName }, { header: 'recipient', value: (r) => r.recipientName },
            { header: 'recipient_nif', value: (r) => r.recipientNif }, { header: 'rectifies', value: (r) => r.rectifiesNumber }, { header: 'base', value: (r) => euros(r.baseCents) },
            { header: 'iva', value: (r) => euros(r.ivaCents) }, { header: 'recargo', value: (r) => euros(r.reCents) }, { header: 'irpf', value: (r) => euros(r.irpfCents) },
            { header: 'total', value: (r) => euros(r.totalCents) },
          ], rows);
          return;
        }
        const { rows, total, totals } = await svc.list(user, filter, sort, dir, q.pageSize, offsetOf(q));
        return { ...pageOf(rows, q, total), totals };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/invoices', summary: 'Create a draft manual invoice (services, rents): recipient from a company, a customer or typed (NIF validated), lines, IRPF, payment terms', tags: TAGS, access: 'invoicing.write',
      body: W.ManualInvoiceBody, response: W.InvoiceDetail, status: 201, errors: { 404: 'issuing company outside your scope', 422: 'invalid recipient, NIF or line (the field is named)' },
      handler: ({ body, user, requestId }) => svc.createManual(user, body, requestId),
    }),
    defineRoute({
      method: 'get', path: '/api/invoices/:id', summary: 'An invoice or credit note: lines, tax breakdown, due dates, Veri*Factu records, its credit notes, what remains to credit', tags: TAGS, access: 'invoicing.read',
      params: W.InvoiceIdParams, response: W.InvoiceDetail, errors: { 404: 'unknown or outside your scope' },
      handler: ({ params, user }) => svc.detail(user, params.id),
    }),
    defineRoute({
      method: 'put', path: '/api/invoices/:id', summary: 'Replace a draft manual invoice (a posted one: 409, issue a credit note)', tags: TAGS, access: 'invoicing.write',
      params: W.InvoiceIdParams, body: W.ManualInvoiceBody, response: W.InvoiceDetail, errors: { 409: 'the invoice is posted', 422: 'invalid data (the field is named)' },
      handler: ({ params, body, user, requestId }) => svc.updateManual(user, params.id, body, requestId),
    }),
    defineRoute({
      method: 'delete', path: '/api/invoices/:id', summary: 'Delete a draft (a posted invoice: 409, cancel or rectify it)', tags: TAGS, access: 'invoicing.write',
      params: W.InvoiceIdParams, status: 204, errors: { 409: 'the invoice is posted' },
      handler: ({ params, user, requestId }) => svc.deleteDraft(user, params.id, requestId),
    }),
    defineRoute({
      method: 'post', path: '/api/invoices/:id/post', summary: 'Post a draft: gapless number in its series, tax rows, due dates, Veri*Factu alta, PDF kept (idempotent)', tags: TAGS, access: 'invoicing.write',
      params: W.InvoiceIdParams, body: W.PostInvoiceBody, response: W.InvoiceDetail, errors: { 409: 'cancelled' },
      handler: ({ params, body, user }) => svc.post(user, params.id, body.issueDate),
    }),
    defineRoute({
      method: 'post', path: '/api/invoices/:id/credit-notes', summary: 'Issue a credit note R1–R4 against a posted invoice: whole or partial (lines, units, amounts), by difference (I) or substitution (S); posted at once with its PDF', tags: TAGS, access: 'invoicing.write',
      params: W.InvoiceIdParams, body: W.CreditNoteBody, response: W.InvoiceDetail, status: 201,
      errors: { 409: 'not posted, cancelled, above what remains, or the other method already used', 422: 'unknown line or a quantity/amount above the line (the field is named)' },
      handler: ({ params, body, user, requestId }) => svc.creditNote(user, params.id, body, requestId),
    }),
    defineRoute({
      method: 'post', path: '/api/invoices/:id/cancel', summary: 'Anulación of an invoice issued in error: an anulación record in the chain; the number stays used', tags: TAGS, access: 'invoicing.write',
      params: W.InvoiceIdParams, body: W.CancelInvoiceBody, response: W.InvoiceDetail, errors: { 409: 'a draft, already cancelled, or with credit notes' },
      handler: ({ params, body, user }) => svc.cancel(user, params.id, body.reason),
    }),
    defineRoute({
      method: 'get', path: '/api/invoices/:id/pdf', summary: 'The invoice or credit note as a PDF (kept in the files area; a draft: a preview)', tags: TAGS, access: 'invoicing.read',
      params: W.InvoiceIdParams, produces: ['application/pdf'],
      handler: async ({ params, user, res }) => sendPdf(res, files, user, await svc.pdf(user, params.id)),
    }),
  ]);
}
