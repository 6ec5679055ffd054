import { Router, type RequestHandler } from 'express';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import type { ReceiptDocument } from '@tpv/shared/receipt';
import { raise } from '../app/errors';
import type { TerminalDeps } from '../app/context';
import type { Printing } from './printing';
import { renderReceipt, ticketReceipt } from './receipts';
import { giftCode } from '@tpv/shared/receipts/gift';
import { EReceiptEmailReply } from '@tpv/shared/wire/http/receipts';

export interface ReceiptRenderer {
  forTicket(doc: TicketDocument, copy?: string): { text: string; svg: string };
}

/** A credit note's original, as its receipt names it: when it was issued, and the till when it was another. */
export type OriginalRef = { issuedAt: string; terminal?: string | undefined };

export function createReceiptRenderer(
  deps: TerminalDeps,
  originalOf: (id: string) => OriginalRef | undefined,
  decorate: (doc: ReceiptDocument, kind: string | undefined, ticketId?: string | undefined) => ReceiptDocument = (d) => d,
): ReceiptRenderer & {
  documentFor(doc: TicketDocument, copy?: string): ReturnType<typeof ticketReceipt>;
} {
  const documentFor = (doc: TicketDocument, copy?: string) => {
    const identity = deps.identity();
    if (!identity) raise({ code: 'TERMINAL_NOT_INSTALLED', message: 'terminal has no identity' });
    const ref = doc.originalTicket?.id ?? doc.substitutes?.id;
    const original = ref !== undefined ? originalOf(ref) : undefined;
    return ticketReceipt(identity, doc, { originalIssuedAt: original?.issuedAt, originalTerminal: original?.terminal, copy });
  };
  return {
    documentFor,
    // The preview shows the design as the printer will print it (the reprint gets it when queued).
    forTicket: (doc, copy) => renderReceipt(decorate(documentFor(doc, copy), doc.kind, doc.id), deps.policy.receiptColumns),
  };
}

export function printingRouter(
  deps: Pick<TerminalDeps, 'policy' | 'hq'>,
  guard: RequestHandler,
  printing: Printing,
  receipts: ReturnType<typeof createReceiptRenderer>,
  findById: (id: string) => TicketDocument | undefined,
  giftDocument: (doc: TicketDocument) => ReceiptDocument | null = () => null,
): Router {
  const r = Router();
  const ticketOr404 = (id: string): TicketDocument => findById(id) ?? raise({ code: 'TICKET_UNKNOWN', message: `no ticket ${id}` });
  r.get('/api/tickets/:id/receipt', guard, (req, res) => {
    res.json(receipts.forTicket(ticketOr404(String(req.params.id))));
  });
  // Issue 19: the gift receipt (ticket regalo) of a sale, asked at the sale or later from the receipt list.
  const giftOf = (id: string): { doc: TicketDocument; gift: ReceiptDocument } => {
    const doc = ticketOr404(id);
    if (doc.kind !== 'sale') raise({ code: 'NOT_A_SALE', message: `${doc.fiscalNumber} no es una venta / is not a sale: no gift receipt` });
    const gift = giftDocument(doc) ?? raise({ code: 'TERMINAL_NOT_INSTALLED', message: 'terminal has no identity' });
    return { doc, gift };
  };
  r.get('/api/tickets/:id/gift-receipt', guard, (req, res) => {
    const { doc, gift } = giftOf(String(req.params.id));
    res.json({ giftCode: giftCode(doc.id), ...renderReceipt(gift, deps.policy.receiptColumns) });
  });
  r.post('/api/tickets/:id/gift-receipt', guard, (req, res) => {
    const { doc, gift } = giftOf(String(req.params.id));
    const jobId = printing.enqueue(gift, { ticketId: doc.id, kind: 'gift' });
    res.status(202).json({ jobId, giftCode: giftCode(doc.id) });
  });
  // Issue 19: the e-receipt by e-mail to the customer's address in the customer record (HQ sends it).
  r.post('/api/tickets/:id/email', guard, async (req, res) => {
    const doc = ticketOr404(String(req.params.id));
    if (!doc.customer) raise({ code: 'NO_CUSTOMER', message: 'el ticket no tiene cliente / the ticket has no customer' });
    const answer = await deps.hq.request('receipts.email', { ticketId: doc.id }, EReceiptEmailReply, 20_000);
    if (answer === null) raise({ code: 'HQ_UNAVAILABLE', message: 'sin conexión con central: inténtelo más tarde / the back office cannot be reached, try again later' });
    if ('refused' in answer) raise({ code: answer.refused.code, message: answer.refused.message });
    res.json(answer.reply);
  });
  r.post('/api/tickets/:id/reprint', guard, (req, res) => {
    const doc = ticketOr404(String(req.params.id));
    const first = printing.store.forTicket(doc.id);
    const jobId = printing.enqueue(receipts.documentFor(doc, 'COPIA'), { ticketId: doc.id, kind: doc.kind, ...(first ? { copyOf: first.id } : {}) });
    res.status(202).json({ jobId });
  });
  return r;
}
