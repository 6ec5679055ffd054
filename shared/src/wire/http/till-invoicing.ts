/**
 * HTTP schemas of the till-invoicing module (back office): a full invoice (F3) issued at HQ for a till's
 * simplified ticket (`POST /api/tickets/:id/invoice`), replacing it.
 */
import { z } from 'zod';
import { InvoiceAddressSchema } from '../ticket';

export const TicketIdParams = z.object({ id: z.string().min(1).max(36).regex(/^[A-Za-z0-9-]+$/, 'id') });

export const TicketInvoiceBody = z.strictObject({
  recipient: z.strictObject({
    /** A customer of the shared base, when the recipient is one. */
    customerId: z.string().min(1).max(36).optional(),
    /** Spanish NIF/NIE/DNI, control character checked. */
    nif: z.string().trim().min(1).max(20),
    name: z.string().trim().min(1).max(200),
    address: InvoiceAddressSchema,
  }),
});
export type TicketInvoiceBody = z.infer<typeof TicketInvoiceBody>;

export const TicketInvoiceAnswer = z.object({
  invoiceId: z.string(),
  number: z.string(),
  issueDate: z.string(),
  totalCents: z.number().int(),
  /** The replaced ticket. */
  ticket: z.object({ id: z.string(), fiscalNumber: z.string() }),
});
