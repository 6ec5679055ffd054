/**
 * Returns: find the original ticket (fiscal number typed or scanned from the receipt's Code 128, the AEAT
 * QR URL, or the ticket id), then issue an R5 credit note for some or all of its lines — never more than
 * sold once earlier returns are counted (re-checked inside the transaction) — refunded in cash or to the card.
 *
 * Any till of the company: online, the back office is asked first (`HqTickets`, the sync socket's
 * `ticket:lookup`) — it knows tickets of every till and store of the company and every credit note it has
 * ingested against them; they are counted together with this till's own credit notes it has not yet
 * heard back (deduplicated by credit-note id). Offline (or no answer in time), the till's own tickets are
 * the fallback. A credit note against another till's ticket keeps the original document in
 * `foreign_ticket` and its line links in `foreign_return_line` (the local `ticket` foreign keys point at
 * this till's tickets only); its receipt names the original's fiscal number, date and till. What an offline
 * till cannot see (a return of the same units elsewhere) HQ flags at ingest (backoffice/src/returns/posting.ts).
 */
import { exchangeUntil, parseGiftCode } from '@tpv/shared/receipts/gift';
import { ok, type Result } from '@tpv/shared/result';
import { priceTicket, returnLinesFor, returnState, settle, type Payment, type PricedLine, type Quantity, type ReturnQuantity } from '@tpv/shared/ticket';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import { parseTicketQuery, type TicketLookupReply, type TicketOrigin, type TicketQuery } from '@tpv/shared/wire/ticket-lookup';
import { failure, type Failure } from '../app/errors';
import { requireIdentity, type TerminalDeps } from '../app/context';
import { abort, inTransaction } from '../app/tx';
import type { SessionQueries } from '../cash/sessions';
import type { StaffMember } from '../people/pins';
import type { Printing } from '../printing/printing';
import { ticketReceipt } from '../printing/receipts';
import type { OriginalRef } from '../printing/route';
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
  /** Where it was sold when that is another till (from the back office); null for this till's own. */
  origin: TicketOrigin | null;
  /** `hq`: the back office answered (every till's credit notes it holds counted); `local`: it could not be asked, this till's own records only. */
  source: 'hq' | 'local';
  /** Asked by a gift receipt's code: until when it is honoured (the store's policy) and how it is refunded. */
  gift?: { exchangeUntil: string; expired: boolean; refund: 'voucher' };
}

export interface ReturnRequest {
  originalTicketId: string;
  lines: Array<{ lineNo: number; units?: number | undefined; grams?: number | undefined }>;
  /** `voucher`: the refund becomes a gift voucher (a gift receipt's return must be). */
  refund: { method: 'cash' } | { method: 'card'; reference: string } | { method: 'voucher' };
}

/**
 * Gift receipts at the returning till (issue 19): the exchange period of this store's policy, today's local
 * day, and the voucher a refund becomes — sold inside the return's transaction for the refunded amount and
 * paid with the refund's cash, so the drawer does not move and HQ books the voucher as any voucher sold.
 */
export interface GiftReturns {
  policy(): { exchangeDays: number };
  today(): string;
  issueVoucher(cashier: StaffMember, cents: number): Result<{ code: string; number: string }, Failure>;
}

/** The back office's ticket lookup; null when it cannot be asked (offline, no answer in time). */
export interface HqTickets {
  lookup(q: string): Promise<TicketLookupReply | null>;
}

export interface ReturnsService {
  findTicket(q: string): TicketDocument | undefined;
  lookup(q: string): Promise<Result<TicketLookup, Failure>>;
  createReturn(cashier: StaffMember, req: ReturnRequest): Promise<Result<{ ticket: TicketDocument; voucher?: { code: string; number: string } }, Failure>>;
  recent(limit: number): Array<Pick<TicketDocument, 'id' | 'kind' | 'fiscalNumber' | 'issuedAt' | 'totals' | 'cashier'>>;
  /** A credit note's original for its receipt: this till's ticket, or another till's kept in foreign_ticket. */
  originalRef(id: string): OriginalRef | undefined;
}

export interface ReturnsDeps {
  deps: TerminalDeps;
  sessions: SessionQueries;
  writer: TicketWriter;
  printing: Printing;
  hq?: HqTickets | undefined;
  gift?: GiftReturns | undefined;
}

/** A credit-note line against an original line, with the credit note it belongs to. */
type NoteLine = { noteId: string } & ReturnQuantity;

interface Resolved {
  original: TicketDocument;
  origin: TicketOrigin | null;
  /** Credit-note lines HQ holds against it (empty when HQ was not asked). */
  hqLines: NoteLine[];
  hqNotes: Array<{ id: string; fiscalNumber: string }>;
  source: 'hq' | 'local';
}

type LinkRow = { ticket_id: string; line_no: number; units: number | null; grams: number | null };

export function createReturnsService({ deps, sessions, writer, printing, hq, gift }: ReturnsDeps): ReturnsService {
  /** The gift terms of a sale asked for by its gift code (undefined: not a gift code). */
  const giftTerms = (q: string, original: TicketDocument) => {
    if (!parseGiftCode(q)) return undefined;
    const days = gift?.policy().exchangeDays ?? 0;
    const until = exchangeUntil(original.issuedAt, days);
    return { exchangeUntil: until, expired: days === 0 || (gift ? gift.today() > until : true), refund: 'voucher' as const };
  };
  const { db } = deps;
  const byId = db.prepare<[string], { document: string }>('SELECT document FROM ticket WHERE id = ?');
  const bySeriesNumber = db.prepare<[string, number], { document: string }>('SELECT document FROM ticket WHERE series = ? AND number = ?');
  // This till's credit-note lines against an original: its own tickets, and other tills' kept in foreign_*.
  const returnedLines = db.prepare<[string, string], LinkRow>(
    `SELECT ticket_id, return_of_line_no AS line_no, units, grams FROM ticket_line WHERE return_of_ticket_id = ?
     UNION ALL SELECT ticket_id, original_line_no AS line_no, units, grams FROM foreign_return_line WHERE original_ticket_id = ?`,
  );
  const returnsOf = db.prepare<[string, string], { id: string; fiscal_number: string }>(
    `SELECT id, fiscal_number FROM ticket WHERE original_ticket_id = ?
        OR id IN (SELECT ticket_id FROM foreign_return_line WHERE original_ticket_id = ?) ORDER BY seq`,
  );
  const recent = db.prepare<[number], { document: string }>('SELECT document FROM ticket ORDER BY seq DESC LIMIT ?');
  const foreignById = db.prepare<[string], { document: string; issued_at: string; terminal_code: string; terminal_name: string; store_code: string }>(
    'SELECT document, issued_at, terminal_code, terminal_name, store_code FROM foreign_ticket WHERE id = ?',
  );
  const insForeign = db.prepare(
    `INSERT OR IGNORE INTO foreign_ticket (id, fiscal_number, issued_at, terminal_id, terminal_code, terminal_name, store_code, store_name, document, fetched_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insForeignLine = db.prepare('INSERT INTO foreign_return_line (ticket_id, line_no, original_ticket_id, original_line_no, units, grams) VALUES (?, ?, ?, ?, ?, ?)');

  const parse = (row: { document: string } | undefined) => (row ? (JSON.parse(row.document) as TicketDocument) : undefined);

  function findLocal(q: TicketQuery): TicketDocument | undefined {
    return 'id' in q ? parse(byId.get(q.id)) : parse(bySeriesNumber.get(q.series, q.number));
  }

  function findTicket(q: string): TicketDocument | undefined {
    const parsed = parseTicketQuery(q);
    return parsed ? findLocal(parsed) : undefined;
  }

  function localLines(ticketId: string): NoteLine[] {
    return returnedLines.all(ticketId, ticketId).map((r) => ({
      noteId: r.ticket_id,
      lineId: String(r.line_no),
      quantity: r.units !== null ? { kind: 'units', units: r.units } : { kind: 'weight', grams: r.grams ?? 0 },
    }));
  }

  /** HQ's credit notes plus this till's that HQ has not ingested yet. */
  function alreadyReturned(r: Resolved): NoteLine[] {
    const atHq = new Set(r.hqNotes.map((n) => n.id));
    return [...r.hqLines, ...localLines(r.original.id).filter((l) => !atHq.has(l.noteId))];
  }

  async function resolve(q: string): Promise<Result<Resolved, Failure>> {
    const parsed = parseTicketQuery(q);
    if (!parsed) return failure('TICKET_UNKNOWN', `no ticket matches "${q.slice(0, 80)}"`);
    const local = findLocal(parsed);
    const answer = hq ? await hq.lookup(q) : null;
    if (answer?.found) {
      const me = deps.identity()?.terminalId;
      return ok({
        original: answer.ticket,
        origin: answer.origin.terminalId === me ? null : answer.origin,
        hqLines: answer.returns.flatMap((n) => n.lines.map((l) => ({ noteId: n.id, ...l }))),
        hqNotes: answer.returns.map((n) => ({ id: n.id, fiscalNumber: n.fiscalNumber })),
        source: 'hq',
      });
    }
    // HQ answered but does not know it (this till's sale not sent yet): no other till can have refunded it.
    const reachable = answer !== null && !(answer.found === false && answer.code === 'LOOKUP_UNAVAILABLE');
    if (local) return ok({ original: local, origin: null, hqLines: [], hqNotes: [], source: reachable ? 'hq' : 'local' });
    if (!reachable && hq) {
      return failure('TICKET_UNKNOWN', `no ticket of this till matches "${q.slice(0, 80)}" and the back office cannot be reached (sin conexión con central: solo tiques de esta caja)`, { offline: true });
    }
    return failure('TICKET_UNKNOWN', `no ticket matches "${q.slice(0, 80)}"`);
  }

  return {
    findTicket,

    async lookup(q) {
      const r = await resolve(q);
      if (!r.ok) return r;
      const { original: doc } = r.value;
      const returned = alreadyReturned(r.value);
      const state = new Map(returnState(doc.lines, returned).map((s) => [s.lineId, s]));
      const lines = doc.kind !== 'sale' ? [] : doc.lines.map((l) => {
        const s = state.get(l.id)!;
        return { lineNo: Number(l.id), productId: l.productId, description: l.description, quantity: l.quantity, unitPrice: l.unitPrice, total: l.total, returned: s.returned, returnable: s.returnable };
      });
      const notes = new Map(r.value.hqNotes.map((n) => [n.id, n]));
      for (const n of returnsOf.all(doc.id, doc.id)) if (!notes.has(n.id)) notes.set(n.id, { id: n.id, fiscalNumber: n.fiscal_number });
      const terms = giftTerms(q, doc);
      return ok({ ticket: doc, lines, returns: [...notes.values()], origin: r.value.origin, source: r.value.source, ...(terms ? { gift: terms } : {}) });
    },

    async createReturn(cashier, req) {
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
      // Asked before the transaction (the write lock is never held across the network).
      const found = await resolve(req.originalTicketId);
      if (!found.ok) return found;
      const terms = giftTerms(req.originalTicketId, found.value.original);
      if (terms?.expired) return failure('GIFT_EXCHANGE_EXPIRED', `ticket regalo: el plazo de cambio acabó el ${terms.exchangeUntil} / the gift receipt's exchange period ended ${terms.exchangeUntil}`, { exchangeUntil: terms.exchangeUntil });
      if (terms && req.refund.method !== 'voucher') return failure('GIFT_REFUND_AS_VOUCHER', 'ticket regalo: se devuelve en vale / a gift receipt is refunded as a voucher', { field: 'refund.method' });
      if (req.refund.method === 'voucher' && !gift) return failure('REFUND_METHOD_NOT_ALLOWED', 'this till cannot issue vouchers', { field: 'refund.method' });
      let voucher: { code: string; number: string } | undefined;
      const nowIso = new Date(deps.clock.now()).toISOString();
      const r = inTransaction(deps.repos.transaction, () => {
        const original = found.value.original;
        if (original.kind !== 'sale') abort({ code: 'NOT_A_SALE', message: `${original.fiscalNumber} is a credit note; return against the original sale` });
        const foreign = byId.get(original.id) === undefined;
        const lines = returnLinesFor(original.id, original.lines as unknown as PricedLine[], alreadyReturned(found.value), requested);
        if (!lines.ok) abort(lines.error);
        const numbered = lines.value.map((l, i) => ({ ...l, id: String(i + 1) }));
        const priced = priceTicket({ kind: 'return', lines: numbered, reRegime: original.customer?.reRegime === true });
        if (!priced.ok) abort(priced.error);
        const total = priced.value.totals.total;
        // A voucher refund is paid out in cash that buys the voucher at once (below): the drawer does not move.
        const payments: Payment[] = req.refund.method === 'card' ? [{ method: 'card', amount: total, reference: req.refund.reference }] : [{ method: 'cash', amount: total }];
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
          original: { id: original.id, fiscalNumber: original.fiscalNumber, issueDate: original.fiscal.issueDate, foreign },
        });
        let originalTerminal: string | undefined;
        if (foreign) {
          const o = found.value.origin;
          insForeign.run(original.id, original.fiscalNumber, original.issuedAt, o?.terminalId ?? original.terminalId, o?.terminalCode ?? '', o?.terminalName ?? '', o?.storeCode ?? '', o?.storeName ?? '', JSON.stringify(original), nowIso);
          for (const l of doc.lines) {
            insForeignLine.run(doc.id, Number(l.id), original.id, Number(l.returnOf!.lineId), l.quantity.kind === 'units' ? l.quantity.units : null, l.quantity.kind === 'weight' ? l.quantity.grams : null);
          }
          originalTerminal = o ? originLabel(o) : undefined;
        }
        printing.queueInTransaction(() => ticketReceipt(identity.value, doc, { originalIssuedAt: original.issuedAt, originalTerminal }), {
          id: deps.newId(),
          ticketId: doc.id,
          kind: 'return',
          createdAt: nowIso,
        });
        if (req.refund.method === 'voucher') {
          const v = gift!.issueVoucher(cashier, -total);
          if (!v.ok) abort(v.error);
          voucher = v.value;
        }
        return doc;
      });
      if (!r.ok) return r;
      deps.events.emit('ticket', { id: r.value.id, seq: r.value.seq, fiscalNumber: r.value.fiscalNumber, total: r.value.totals.total, change: 0 });
      printing.kick();
      if (req.refund.method === 'cash') deps.drawer.open().catch(() => undefined);
      deps.events.emit('status', { lastTicket: { id: r.value.id, fiscalNumber: r.value.fiscalNumber, total: r.value.totals.total } });
      return ok({ ticket: r.value, ...(voucher ? { voucher } : {}) });
    },

    recent(limit) {
      return recent.all(Math.max(1, Math.min(200, limit))).map((row) => {
        const d = JSON.parse(row.document) as TicketDocument;
        return { id: d.id, kind: d.kind, fiscalNumber: d.fiscalNumber, issuedAt: d.issuedAt, totals: d.totals, cashier: d.cashier };
      });
    },

    originalRef(id) {
      const own = parse(byId.get(id));
      if (own) return { issuedAt: own.issuedAt };
      const f = foreignById.get(id);
      return f ? { issuedAt: f.issued_at, terminal: f.terminal_code ? `${f.store_code}-${f.terminal_code} ${f.terminal_name}` : undefined } : undefined;
    },
  };
}

/** "M001-01 Caja 1": the selling till as the receipt names it. */
function originLabel(o: TicketOrigin): string {
  return `${o.storeCode}-${o.terminalCode} ${o.terminalName}`;
}
