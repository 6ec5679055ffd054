/** HTTP routes of the till-invoicing module: F3 at HQ for a till's simplified ticket. */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import * as W from '@tpv/shared/wire/http/till-invoicing';
import { apiRouter, defineRoute, type ApiRouter } from '../platform/api';
import { invoiceTicket } from './service';

export function tillInvoicingRoutes(ds: DataSource, clock: Clock): ApiRouter {
  return apiRouter(ds, clock, [
    defineRoute({
      method: 'post', path: '/api/tickets/:id/invoice', tags: ['invoicing'], access: 'invoicing.write', status: 201,
      summary: 'Full invoice (F3) for a simplified ticket, replacing it: same bases and cuotas per rate, in the issuing company’s series and chain',
      params: W.TicketIdParams, body: W.TicketInvoiceBody, response: W.TicketInvoiceAnswer,
      errors: { 404: 'unknown ticket (or outside the caller’s companies)', 409: 'not a simplified ticket, or already replaced (at a till or at HQ)', 422: 'invalid recipient (NIF, name, address)' },
      handler: ({ params, body, user }) => invoiceTicket(ds, clock, user, params.id, body),
    }),
  ]);
}
