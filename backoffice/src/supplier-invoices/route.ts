/**
 * HTTP routes of supplier invoices received and of the invoice registers (thin: parse → use case → map).
 * Recording and posting need `invoicing.write`; approving or rejecting an invoice with differences needs
 * `payables.admin` (HQ admin and accountant, franchisee managers for their companies).
 */
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Clock } from '@tpv/shared/clock';
import * as W from '@tpv/shared/wire/http/supplier-invoices';
import { canAccessCompany } from '../auth/service';
import { forbidden } from '../auth/http';
import { apiRouter, defineRoute, refused, type ApiRouter } from '../platform/api';
import { recordAudit } from '../platform/audit';
import type { Files } from '../platform/files/service';
import { listQuery, offsetOf, pageOf, pageSchema } from '../platform/list';
import { writeTransaction } from '../persistence/raw';
import { one } from '../persistence/sql';
import { bookCsv, bookOf, bookXlsx } from './books';
import { createSupplierInvoiceService } from './service';

const TAGS = ['invoicing'];
const IdParams = z.object({ id: z.string().uuid() });
const ListQuery = listQuery(['createdAt', 'invoiceDate', 'supplier', 'totalCents', 'status'], W.SupplierInvoiceFilterQuery.shape);
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function supplierInvoiceRoutes(ds: DataSource, clock: Clock, files: Files): ApiRouter {
  const svc = createSupplierInvoiceService(ds, clock);
  return apiRouter(ds, clock, [
    defineRoute({
      method: 'get', path: '/api/supplier-invoices', summary: 'Supplier invoices received (paged; filters: status, supplier, company, booking period)', tags: TAGS, access: 'invoicing.read',
      query: ListQuery, response: pageSchema(W.SupplierInvoiceItem),
      async handler({ query: q, user }) {
        const sort = (q.sort ?? 'createdAt') as 'createdAt' | 'invoiceDate' | 'supplier' | 'totalCents' | 'status';
        const { rows, total } = await svc.list(user, { q: q.q, status: q.status, supplierId: q.supplierId, companyId: q.companyId, period: q.period }, sort, q.sort ? q.dir : 'desc', q.pageSize, offsetOf(q));
        return pageOf(rows, q, total);
      },
    }),
    defineRoute({
      method: 'get', path: '/api/supplier-invoices/receipts', summary: 'Goods receipts of a supplier with something left to invoice (what a new invoice is made from)', tags: TAGS, access: 'invoicing.read',
      query: W.InvoiceableReceiptsQuery, response: z.object({ items: z.array(W.InvoiceableReceipt) }),
      handler: async ({ query, user }) => ({ items: await svc.invoiceableReceipts(user, query.supplierId, query.companyId) }),
    }),
    defineRoute({
      method: 'post', path: '/api/supplier-invoices/prefill', summary: 'Invoice lines for what is left to invoice of goods receipts, at the order’s prices and IVA (writes nothing)', tags: TAGS, access: 'invoicing.write',
      body: W.PrefillBody, response: W.PrefillAnswer,
      handler: async ({ body, user }) => ({ lines: await svc.prefill(user, body) }),
    }),
    defineRoute({
      method: 'post', path: '/api/supplier-invoices/check', summary: 'Amounts and three-way match of an invoice as it would be recorded (writes nothing)', tags: TAGS, access: 'invoicing.write',
      body: W.SupplierInvoiceBody, response: W.SupplierInvoiceDetail,
      handler: ({ body, user }) => svc.check(user, body),
    }),
    defineRoute({
      method: 'post', path: '/api/supplier-invoices', summary: 'Record a supplier invoice: matched line by line against its receipts and orders; with differences it waits for approval (same supplier + number: 409)', tags: TAGS, access: 'invoicing.write',
      body: W.SupplierInvoiceBody, response: W.SupplierInvoiceDetail, status: 201,
      handler: ({ body, user }) => svc.record(user, body),
    }),
    defineRoute({
      method: 'get', path: '/api/supplier-invoices/:id', summary: 'A supplier invoice with its lines and their match, tax rows and due dates', tags: TAGS, access: 'invoicing.read',
      params: IdParams, response: W.SupplierInvoiceDetail,
      handler: ({ params, user }) => svc.detail(user, params.id),
    }),
    defineRoute({
      method: 'post', path: '/api/supplier-invoices/:id/post', summary: 'Post an invoice without differences: register number, tax rows for the book, due dates as payables (idempotent; one waiting for approval: 409)', tags: TAGS, access: 'invoicing.write',
      params: IdParams, response: W.SupplierInvoiceDetail,
      handler: ({ params, user }) => svc.post(user, params.id),
    }),
    defineRoute({
      method: 'post', path: '/api/supplier-invoices/:id/approve', summary: 'Approve an invoice’s differences with a note: it posts', tags: TAGS, access: 'payables.admin',
      params: IdParams, body: W.DecisionBody, response: W.SupplierInvoiceDetail,
      handler: ({ params, body, user }) => svc.approve(user, params.id, body.note),
    }),
    defineRoute({
      method: 'post', path: '/api/supplier-invoices/:id/reject', summary: 'Reject an invoice with a note (kept, out of the books and payables)', tags: TAGS, access: 'payables.admin',
      params: IdParams, body: W.DecisionBody, response: W.SupplierInvoiceDetail,
      handler: ({ params, body, user }) => svc.reject(user, params.id, body.note),
    }),

    defineRoute({
      method: 'post', path: '/api/invoice-books', summary: 'Make a company’s register of invoices issued or received for a period (XLSX or CSV, kept in the files area; download it from /api/files/{fileId})', tags: TAGS, access: 'invoicing.read',
      body: W.InvoiceBookBody, response: W.InvoiceBookAnswer, status: 201,
      async handler({ body, user }) {
        const company = await one<{ nif: string; legalName: string }>(ds.manager, 'SELECT nif, legal_name AS "legalName" FROM company WHERE id = ?', [body.companyId]);
        if (!company) throw refused(422, 'REFERENCE_UNKNOWN', `empresa desconocida / unknown company ${body.companyId}`, 'companyId');
        if (!canAccessCompany(user, body.companyId)) throw forbidden();
        const book = await bookOf(ds.manager, body);
        const data = body.format === 'csv' ? bookCsv(book) : await bookXlsx(book, company, body.period);
        const name = `${book.name}-${company.nif}.${body.format}`;
        const f = await files.save({ name, mediaType: body.format === 'csv' ? 'text/csv' : XLSX, purpose: 'export', owner: { companyId: body.companyId, storeId: null, createdBy: user.id }, data });
        await writeTransaction(ds, (m) =>
          recordAudit(m, clock, { actor: { id: user.id, email: user.email }, action: 'invoice_book.export', entity: 'company', entityId: body.companyId, companyId: body.companyId, after: { book: body.book, period: body.period, format: body.format, fileId: f.id, rows: book.rows.length } }),
        );
        return { fileId: f.id, name, rows: book.rows.length, ...book.totals };
      },
    }),
  ]);
}
