/**
 * Returns at any till of a company: the original ticket a till asks for (socket request `ticket:lookup`),
 * with every credit note HQ holds against it and what is still returnable per line. Scoped to the company
 * of the asking till's store: a ticket of another company is answered as unknown, never shown.
 */
import { returnState, type ReturnQuantity } from '@tpv/shared/ticket';
import { parseTicketQuery, TicketLookupRequestSchema, type HqCreditNote, type TicketLookupReply } from '@tpv/shared/wire/ticket-lookup';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import type { DataSource } from 'typeorm';
import { creditNotesOf, findCompanyTicket, type CreditNoteRow } from '../persistence/returns';

/** The lines of a credit note that return lines of `originalId` (quantities negative, as issued). */
export function returnedLinesOf(note: TicketDocument, originalId: string): ReturnQuantity[] {
  return note.lines.filter((l) => l.returnOf?.ticketId === originalId).map((l) => ({ lineId: l.returnOf!.lineId, quantity: l.quantity }));
}

export function creditNoteView(row: CreditNoteRow, originalId: string): HqCreditNote {
  const doc = JSON.parse(row.document) as TicketDocument;
  return { id: row.id, fiscalNumber: row.fiscal_number, issuedAt: row.issued_at, terminalId: row.terminal_id, lines: returnedLinesOf(doc, originalId) };
}

export async function lookupTicketForTill(ds: DataSource, storeId: string, raw: unknown): Promise<TicketLookupReply> {
  const req = TicketLookupRequestSchema.safeParse(raw);
  const q = req.success ? parseTicketQuery(req.data.q) : null;
  if (!q) return { found: false, code: 'QUERY_MALFORMED', message: 'give a ticket id, a fiscal number (M00101-26T/000123) or the receipt QR URL' };
  const row = await findCompanyTicket(ds, storeId, q);
  if (!row) return { found: false, code: 'TICKET_UNKNOWN', message: 'no ticket of this company matches' };
  const ticket = JSON.parse(row.document) as TicketDocument;
  const returns = ticket.kind === 'sale' ? (await creditNotesOf({ ds }, ticket.id, row.store_id)).map((n) => creditNoteView(n, ticket.id)) : [];
  const state = ticket.kind === 'sale' ? returnState(ticket.lines, returns.flatMap((r) => r.lines)) : [];
  return {
    found: true,
    ticket,
    origin: {
      terminalId: row.terminal_id,
      terminalCode: row.terminal_code,
      terminalName: row.terminal_name,
      storeId: row.store_id,
      storeCode: row.store_code,
      storeName: row.store_name,
    },
    returns,
    lines: state.map((s) => ({ lineId: s.lineId, sold: s.sold, returned: s.returned, returnable: s.returnable })),
  };
}
