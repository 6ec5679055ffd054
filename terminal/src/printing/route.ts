import { Router, type RequestHandler } from 'express';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import type { ReceiptDocument } from '@tpv/shared/receipt';
import { raise } from '../app/errors';
import type { TerminalDeps } from '../app/context';
import type { Printing } from './printing';
import { renderReceipt, ticketReceipt } from './receipts';
import { giftCode } from '@tpv/shared/receipts/gift';
import { z } from 'zod';
import { parseOrProblem } from '@tpv/shared/problem';
import { orProblem } from '../app/errors';
import type { TillReceipts } from './receipt-list';
import { qrSvg } from '@tpv/drivers/escpos/render';

/** The e-receipt link of a ticket and its QR as SVG (for the till's screen), or null before HQ published one. */
export const eReceiptOf = (url: string | null): { url: string; qrSvg: string } | null => (url ? { url, qrSvg: qrSvg(url) } : null);

export interface ReceiptRenderer {
  forTicket(doc: TicketDocument, copy?: string): { text: string; svg: string };
  /** The ticket's signed e-receipt link (issue 19), null before HQ published one. */
  eReceiptUrl?(ticketId: string): string | null;
}

const EmailBody = z.strictObject({ to: z.email('correo electrónico no válido / not an e-mail address').max(254).optional() });
const ListQuery = z.object({ q: z.string().max(64).optional() });

/** A credit note's original, as its receipt names it: when it was issued, and the till when it was another. */
export type OriginalRef = { issuedAt: string; terminal?: string | undefined };

export function createReceiptRenderer(
  deps: TerminalDeps,
  originalOf: (id: string) => OriginalRef | undefined,
  decorate: (doc: ReceiptDocument, kind: string | undefined, ticketId?: string | undefined) => ReceiptDocument = (d) => d,
  eReceiptUrl: (ticketId: string) => string | null = () => null,
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
    eReceiptUrl,
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
  list?: TillReceipts,
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
  // Issue 19: the e-receipt by e-mail — to the address typed, else the customer record's; queued in the
  // outbox (works offline, sent once when HQ is reachable). 202: queued, the status follows on GET.
  r.post('/api/tickets/:id/email', guard, (req, res) => {
    const doc = ticketOr404(String(req.params.id));
    const b = parseOrProblem(EmailBody, req.body ?? {});
    if (!list) raise({ code: 'MAIL_NOT_CONFIGURED', message: 'e-mail not available at this till' });
    res.status(202).json(orProblem(list.email(doc.id, b.to)));
  });
  r.get('/api/tickets/:id/email', guard, (req, res) => {
    res.json(list?.emails(ticketOr404(String(req.params.id)).id) ?? []);
  });
  // Issue 19: the e-receipt link of a ticket (what its QR holds), for the screen and the customer display.
  r.get('/api/tickets/:id/e-receipt', guard, (req, res) => {
    const doc = ticketOr404(String(req.params.id));
    res.json(eReceiptOf(list?.link(doc.id) ?? null));
  });
  // Issue 19: the receipt list — today's tickets at this till, by number.
  r.get('/api/receipts/today', guard, (req, res) => {
    const q = parseOrProblem(ListQuery, req.query);
    res.json(list?.today(q.q) ?? []);
  });
  r.post('/api/tickets/:id/reprint', guard, (req, res) => {
    const doc = ticketOr404(String(req.params.id));
    const first = printing.store.forTicket(doc.id);
    // Nothing printed yet (the customer took no paper, issue 19): this is the receipt itself, not a copy.
    const jobId = first
      ? printing.enqueue(receipts.documentFor(doc, 'COPIA'), { ticketId: doc.id, kind: doc.kind, copyOf: first.id })
      : printing.enqueue(receipts.documentFor(doc), { ticketId: doc.id, kind: doc.kind });
    res.status(202).json({ jobId });
  });
  return r;
}
