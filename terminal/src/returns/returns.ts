/**
 * Returns: find the original ticket (fiscal number typed or scanned from the receipt's Code 128, the AEAT
 * QR URL, or the ticket id), then issue an R5 credit note for some or all of its lines — never more than
 * sold once earlier returns are counted (re-checked inside the transaction) — refunded in cash or to the card.
 */
import { ok, type Result } from '@tpv/shared/result';
import { priceTicket, returnLinesFor, settle, type Payment, type PricedLine, type Quantity, type ReturnQuantity } from '@tpv/shared/ticket';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import { failure, type Failure } from '../app/errors';
import { requireIdentity, type TerminalDeps } from '../app/context';
import { abort, inTransaction } from '../app/tx';
import type { SessionQueries } from '../cash/sessions';
import type { StaffMember } from '../people/pins';
import type { Printing } from '../printing/printing';
import { ticketReceipt } from '../printing/receipts';
import type { TicketWriter } from '../sales/ticket-writer';

export interface ReturnableLineView {
  lineNo: number;
  productId: string;
  description: string;
  quantity: Quantity;
  unitPrice: number;
  total: number;
  returned: number;
  /** In the line's own unit (units or grams). */
  returnable: number;
}

export interface TicketLookup {
  ticket: TicketDocument;
  lines: ReturnableLineView[];
  returns: Array<{ id: string; fiscalNumber: string }>;
}

export interface ReturnRequest {
  originalTicketId: string;
  lines: Array<{ lineNo: number; units?: number | undefined; grams?: number | undefined }>;
  refund: { method: 'cash' } | { method: 'card'; reference: string };
}

export interface ReturnsService {
  findTicket(q: string): TicketDocument | undefined;
  lookup(q: string): Result<TicketLookup, Failure>;
  createReturn(cashier: StaffMember, req: ReturnRequest): Result<{ ticket: TicketDocument }, Failure>;
  recent(limit: number): Array<Pick<TicketDocument, 'id' | 'kind' | 'fiscalNumber' | 'issuedAt' | 'totals' | 'cashier'>>;
}

const FISCAL_RE = /^([A-Z0-9]{3,10}-\d{2}[TR])\/(\d{1,9})$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ReturnsDeps {
  deps: TerminalDeps;
  sessions: SessionQueries;
  writer: TicketWriter;
  printing: Printing;
}

export function createReturnsService({ deps, sessions, writer, printing }: ReturnsDeps): ReturnsService {
  const { db } = deps;
  const byId = db.prepare<[string], { document: string }>('SELECT document FROM ticket WHERE id = ?');
  const bySeriesNumber = db.prepare<[string, number], { document: string }>('SELECT document FROM ticket WHERE series = ? AND number = ?');
  const returnedLines = db.prepare<[string], { return_of_line_no: number; units: number | null; grams: number | null }>(
    'SELECT return_of_line_no, units, grams FROM ticket_line WHERE return_of_ticket_id = ?',
  );
  const returnsOf = db.prepare<[string], { id: string; fiscal_number: string }>('SELECT id, fiscal_number FROM ticket WHERE original_ticket_id = ? ORDER BY seq');
  const recent = db.prepare<[number], { document: string }>('SELECT document FROM ticket ORDER BY seq DESC LIMIT ?');

  const parse = (row: { document: string } | undefined) => (row ? (JSON.parse(row.document) as TicketDocument) : undefined);

  function findTicket(q: string): TicketDocument | undefined {
    const text = q.trim();
    if (UUID_RE.test(text)) return parse(byId.get(text.toLowerCase()));
    let candidate = text;
    if (/^https?:\/\//i.test(text)) {
      try {
        candidate = new URL(text).searchParams.get('numserie') ?? '';
      } catch {
        return undefined;
      }
    }
    // Padded (M00101-26T/000123, shared fiscalNumber) or as issued on the document (M00101-26T/123).
    const m = FISCAL_RE.exec(candidate.trim());
    if (!m) return undefined;
    return parse(bySeriesNumber.get(m[1]!, Number(m[2])));
  }

  function alreadyReturned(ticketId: string): ReturnQuantity[] {
    return returnedLines.all(ticketId).map((r) => ({
      lineId: String(r.return_of_line_no),
      quantity: r.units !== null ? { kind: 'units', units: r.units } : { kind: 'weight', grams: r.grams ?? 0 },
    }));
  }

  return {
    findTicket,

    lookup(q) {
      const doc = findTicket(q);
      if (!doc) return failure('TICKET_UNKNOWN', `no ticket matches "${q.slice(0, 80)}"`);
      const back = new Map<string, number>();
      for (const r of alreadyReturned(doc.id)) {
        const n = r.quantity.kind === 'units' ? r.quantity.units : r.quantity.grams;
        back.set(r.lineId, (back.get(r.lineId) ?? 0) + Math.abs(n));
      }
      const lines = doc.kind !== 'sale' ? [] : doc.lines.map((l) => {
        const sold = l.quantity.kind === 'units' ? l.quantity.units : l.quantity.grams;
        const returned = back.get(l.id) ?? 0;
        return { lineNo: Number(l.id), productId: l.productId, description: l.description, quantity: l.quantity, unitPrice: l.unitPrice, total: l.total, returned, returnable: Math.max(0, sold - returned) };
      });
      return ok({ ticket: doc, lines, returns: returnsOf.all(doc.id).map((r) => ({ id: r.id, fiscalNumber: r.fiscal_number })) });
    },

    createReturn(cashier, req) {
      const identity = requireIdentity(deps);
      if (!identity.ok) return identity;
      const session = sessions.open();
      if (!session) return failure('CASH_SESSION_NOT_OPEN', 'open the till (cash session) before refunding');
      if (req.lines.length === 0) return failure('EMPTY_TICKET', 'nothing requested for return');
      const requested: ReturnQuantity[] = [];
      for (const l of req.lines) {
        if ((l.units === undefined) === (l.grams === undefined)) return failure('QUANTITY_KIND_MISMATCH', `line ${l.lineNo}: give units or grams`, { lineNo: l.lineNo });
        requested.push({ lineId: String(l.lineNo), quantity: l.units !== undefined ? { kind: 'units', units: l.units } : { kind: 'weight', grams: l.grams! } });
      }
      const nowIso = new Date(deps.clock.now()).toISOString();
      const r = inTransaction(deps.repos.transaction, () => {
        const original = parse(byId.get(req.originalTicketId));
        if (!original) abort({ code: 'TICKET_UNKNOWN', message: `no ticket ${req.originalTicketId}` });
        if (original.kind !== 'sale') abort({ code: 'NOT_A_SALE', message: `${original.fiscalNumber} is a credit note; return against the original sale` });
        const lines = returnLinesFor(original.id, original.lines as unknown as PricedLine[], alreadyReturned(original.id), requested);
        if (!lines.ok) abort(lines.error);
        const numbered = lines.value.map((l, i) => ({ ...l, id: String(i + 1) }));
        const priced = priceTicket({ kind: 'return', lines: numbered, reRegime: original.customer?.reRegime === true });
        if (!priced.ok) abort(priced.error);
        const total = priced.value.totals.total;
        const payments: Payment[] = req.refund.method === 'cash' ? [{ method: 'cash', amount: total }] : [{ method: 'card', amount: total, reference: req.refund.reference }];
        const settled = settle(total, payments);
        if (!settled.ok) abort(settled.error);
        if (req.refund.method === 'cash' && -total > sessions.drawerCents(session.id)) {
          abort({ code: 'CASH_OUT_EXCEEDS_DRAWER', message: 'not enough cash in the drawer for this refund', details: { refundCents: -total } });
        }
        const c = original.customer;
        const doc = writer.write(identity.value, {
          kind: 'return',
          priced: priced.value,
          payments,
          change: 0,
          cashier: { id: cashier.id, name: cashier.name },
          customer: c ? { id: c.id, nif: c.nif ?? null, name: c.name, reRegime: c.reRegime } : undefined,
          sessionId: session.id,
          original: { id: original.id, fiscalNumber: original.fiscalNumber, issueDate: original.fiscal.issueDate },
        });
        printing.queueInTransaction(() => ticketReceipt(identity.value, doc, { originalIssuedAt: original.issuedAt }), { id: deps.newId(), ticketId: doc.id, kind: 'return', createdAt: nowIso });
        return doc;
      });
      if (!r.ok) return r;
      deps.events.emit('ticket', { id: r.value.id, seq: r.value.seq, fiscalNumber: r.value.fiscalNumber, total: r.value.totals.total, change: 0 });
      printing.kick();
      if (req.refund.method === 'cash') deps.drawer.open().catch(() => undefined);
      deps.events.emit('status', { lastTicket: { id: r.value.id, fiscalNumber: r.value.fiscalNumber, total: r.value.totals.total } });
      return ok({ ticket: r.value });
    },

    recent(limit) {
      return recent.all(Math.max(1, Math.min(200, limit))).map((row) => {
        const d = JSON.parse(row.document) as TicketDocument;
        return { id: d.id, kind: d.kind, fiscalNumber: d.fiscalNumber, issuedAt: d.issuedAt, totals: d.totals, cashier: d.cashier };
      });
    },
  };
}
