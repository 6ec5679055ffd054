/** Routes of the tickets module: search (+ CSV/XLSX export), a ticket's page and its PDF copy. */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { TicketDetail, TicketIdParams, TicketSearchPage, TicketSearchQuery, type TicketSummary } from '@tpv/shared/wire/http/tickets';
import { apiRouter, defineRoute } from '../platform/api';
import { EXPORT_MEDIA, MAX_EXPORT_ROWS, sendExport, type ExportColumn } from '../platform/list';
import { ticketPdf } from './pdf';
import { TicketService } from './service';

const euros = (c: number) => (c / 100).toFixed(2);
const EXPORT_COLUMNS: ReadonlyArray<ExportColumn<TicketSummary>> = [
  { header: 'number', value: (t) => t.fiscalNumber },
  { header: 'kind', value: (t) => t.kind },
  { header: 'issued_at', value: (t) => t.issuedAt },
  { header: 'store', value: (t) => t.storeCode },
  { header: 'till', value: (t) => t.terminalCode },
  { header: 'cashier', value: (t) => t.cashierName },
  { header: 'customer', value: (t) => t.customerName },
  { header: 'total', value: (t) => euros(t.totalCents) },
  { header: 'tax', value: (t) => euros(t.taxCents) },
  { header: 'chain_ok', value: (t) => (t.chainOk ? 1 : 0) },
];

export function ticketRoutes(ds: DataSource, clock: Clock) {
  const tickets = new TicketService(ds);
  return apiRouter(ds, clock, [
    defineRoute({
      method: 'get',
      path: '/api/tickets',
      summary: 'Search tickets across the caller’s stores',
      description:
        'Filters by business date range, store, till, cashier, customer, number/series, amount range and kind; server-side paging and sorting. ' +
        '`total` counts up to 10,000 matches: when `totalIsLowerBound` is true there are at least that many. `format=csv|xlsx` exports the same query (up to 100,000 rows).',
      tags: ['tickets'],
      access: 'tickets.read',
      query: TicketSearchQuery,
      response: TicketSearchPage,
      produces: EXPORT_MEDIA,
      handler: async ({ user, query, res }) => {
        if (query.format === 'json') return tickets.search(user, query);
        const page = await tickets.search(user, query, { exportRows: MAX_EXPORT_ROWS });
        await sendExport(res, query.format, 'tickets', EXPORT_COLUMNS, page.items);
        return undefined;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/tickets/:id',
      summary: 'A ticket: lines, taxes, payments, fiscal record, returns',
      tags: ['tickets'],
      access: 'tickets.read',
      params: TicketIdParams,
      response: TicketDetail,
      handler: ({ user, params }) => tickets.detail(user, params.id),
    }),
    defineRoute({
      method: 'get',
      path: '/api/tickets/:id/pdf',
      summary: 'PDF copy of a ticket with its Veri*Factu QR',
      tags: ['tickets'],
      access: 'tickets.read',
      params: TicketIdParams,
      produces: ['application/pdf'],
      handler: async ({ user, params, res }) => {
        const t = await tickets.detail(user, params.id);
        const pdf = await ticketPdf(t);
        res.setHeader('Content-Type', 'application/pdf');
        res.setHeader('Content-Disposition', `attachment; filename="ticket-${t.fiscalNumber.replace(/[^A-Za-z0-9-]+/g, '_')}.pdf"`);
        res.end(pdf);
        return undefined;
      },
    }),
  ]);
}
