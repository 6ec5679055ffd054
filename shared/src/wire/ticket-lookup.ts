/**
 * Returns at any till of the company: how a till asks the back office for an original ticket (socket.io
 * request `ticket:lookup` on the sync connection, see sync-protocol.ts) and the answer — the ticket as it was
 * ingested, where it was sold, and every credit note HQ holds against it with the quantities per line, so the
 * till can count them together with its own credit notes not yet sent. Also the one parser of what a cashier
 * types or scans (ticket id, fiscal number padded or as printed, receipt Code 128, AEAT QR URL), used by both.
 */
import { parseGiftCode } from '../receipts/gift';
import { z } from 'zod';
import { TerminalIdentitySchema } from './sync-protocol';
import { IdSchema, QuantitySchema, TicketDocumentSchema, UuidV7Schema } from './ticket';

export type TicketQuery = { readonly id: string } | { readonly series: string; readonly number: number };

const FISCAL_RE = /^([A-Z0-9]{3,10}-\d{2}[TR])\/(\d{1,9})$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What a scanned or typed text designates; null when it is none of the accepted forms. */
export function parseTicketQuery(q: string): TicketQuery | null {
  const text = q.trim();
  if (text.length > 500) return null;
  if (UUID_RE.test(text)) return { id: text.toLowerCase() };
  // A gift receipt's code names its sale (issue 19).
  const gift = parseGiftCode(text);
  if (gift) return { id: gift };
  let candidate = text;
  if (/^https?:\/\//i.test(text)) {
    // The QR's numserie parameter (shared/ has no URL global: no DOM or Node types here).
    const param = /[?&]numserie=([^&#]*)/i.exec(text);
    try {
      candidate = param ? decodeURIComponent(param[1]!.replace(/\+/g, ' ')) : '';
    } catch {
      return null;
    }
  }
  // Padded (M00101-26T/000123, shared fiscalNumber) or as issued on the document (M00101-26T/123).
  const m = FISCAL_RE.exec(candidate.trim());
  if (!m) return null;
  const number = Number(m[2]);
  return number >= 1 ? { series: m[1]!, number } : null;
}

export const TicketLookupRequestSchema = z.strictObject({ q: z.string().min(1).max(500) });
export type TicketLookupRequest = z.infer<typeof TicketLookupRequestSchema>;

export const ReturnedLineSchema = z.strictObject({ lineId: IdSchema, quantity: QuantitySchema });

export const HqCreditNoteSchema = z.strictObject({
  id: UuidV7Schema,
  fiscalNumber: z.string().min(3).max(40),
  issuedAt: z.string().max(40),
  terminalId: IdSchema,
  /** Lines of the credit note against the original (negative quantities, as on the document). */
  lines: z.array(ReturnedLineSchema).max(1000),
});
export type HqCreditNote = z.infer<typeof HqCreditNoteSchema>;

/** Where the ticket was sold: the selling till's identity fields. */
export const TicketOriginSchema = TerminalIdentitySchema.pick({ terminalId: true, terminalCode: true, terminalName: true, storeId: true, storeCode: true, storeName: true }).strict();
export type TicketOrigin = z.infer<typeof TicketOriginSchema>;

export const TicketLookupReplySchema = z.discriminatedUnion('found', [
  z.strictObject({
    found: z.literal(true),
    ticket: TicketDocumentSchema,
    origin: TicketOriginSchema,
    returns: z.array(HqCreditNoteSchema).max(10_000),
    /** Per original line: sold, returned across every till HQ has heard of, and what is left. */
    lines: z.array(z.strictObject({ lineId: IdSchema, sold: z.int().min(0), returned: z.int().min(0), returnable: z.int().min(0) })).max(1000),
  }),
  /** TICKET_UNKNOWN (no ticket of this company matches), QUERY_MALFORMED, or LOOKUP_UNAVAILABLE (HQ could not read). */
  z.strictObject({ found: z.literal(false), code: z.enum(['TICKET_UNKNOWN', 'QUERY_MALFORMED', 'LOOKUP_UNAVAILABLE']), message: z.string().max(500) }),
]);
export type TicketLookupReply = z.infer<typeof TicketLookupReplySchema>;
