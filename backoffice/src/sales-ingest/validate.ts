/**
 * Checks a ticket batch received from an authenticated terminal, before anything touches the database.
 *
 * Two outcomes, as the protocol wants:
 * - the whole batch is refused (nothing written, error to the sender): unreadable envelope, a ticket that
 *   claims another terminal or another store, or seqs that are missing, not increasing, or forged;
 * - each ticket is either a candidate to apply or a ticket *rejected for good* (malformed document, totals
 *   that do not add up, values the ledger cannot store): it still occupies its seq, is stored for review and
 *   reported in the ack's `rejected[]`.
 */
import { z } from 'zod';
import type { FiscalRecord } from '@tpv/shared/fiscal/record';
import { domainError, err, ok, type DomainError, type Result } from '@tpv/shared/result';
import { jsonCut, nestedDeeperThan } from '@tpv/shared/wire/depth';
import { FiscalRecordSchema, IdSchema, TicketDocumentSchema, verifyTicketArithmetic, type TicketDocument } from '@tpv/shared/wire/ticket';
import { MAX_TICKETS_PER_BATCH } from '@tpv/shared/wire/sync';

export interface TerminalContext {
  terminalId: string;
  storeId: string;
  installation: string;
  companyNif: string;
}

export type BatchRefusalCode =
  | 'BATCH_MALFORMED'
  | 'FORGED_TERMINAL'
  | 'FORGED_STORE'
  | 'FORGED_SEQ'
  | 'TERMINAL_REVOKED'
  | 'TERMINAL_MOVED'
  /** The database refuses what the batch carries (see `refusedByData` in service.ts). */
  | 'BATCH_UNSTORABLE';
export type BatchRefusal = DomainError<BatchRefusalCode>;

/**
 * A refusal that resending the same batch can never change: it is kept in the review queue (once) and the till
 * is told to stop resending. Revoked or moved terminals are not: a new pairing / connection settles them.
 */
export function isPermanentRefusal(code: BatchRefusalCode): boolean {
  return code !== 'TERMINAL_REVOKED' && code !== 'TERMINAL_MOVED';
}

/** A real ticket document is about 5 levels deep; anything past this is refused before anyone walks it. */
export const MAX_TICKET_DEPTH = 16;

export interface Rejection {
  code: string;
  reason: string;
}

/** One ticket of a batch, ready for the ledger. */
export interface Candidate {
  seq: number;
  /** Document id as sent (may be absent on a malformed one). */
  ticketId: string | null;
  /** The ticket as received, JSON text (stored verbatim in sale_ticket.document / ingest_hold / review). */
  json: string;
  /** Set when the document parsed; also for tickets rejected on arithmetic (their fiscal record still chains). */
  doc: TicketDocument | null;
  /**
   * The ticket's fiscal record when it is readable — also for a malformed document: the till issued and chained
   * it, so it keeps its place in the chain and the next record is checked against it, not flagged as a break.
   */
  fiscal: FiscalRecord | null;
  rejection: Rejection | null;
}

export interface ValidBatch {
  batchId: string;
  tickets: Candidate[];
}

const EnvelopeSchema = z.strictObject({
  terminalId: IdSchema,
  batchId: z.uuid(),
  tickets: z.array(z.unknown()).min(1).max(MAX_TICKETS_PER_BATCH),
});

const INT32_MAX = 2_147_483_647;
const refuse = (code: BatchRefusalCode, message: string) => err(domainError(code, message));

export function validateBatch(ctx: TerminalContext, input: unknown): Result<ValidBatch, BatchRefusal> {
  const env = EnvelopeSchema.safeParse(input);
  if (!env.success) {
    return refuse('BATCH_MALFORMED', `batch: ${env.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  if (env.data.terminalId !== ctx.terminalId) return refuse('FORGED_TERMINAL', `batch names terminal ${env.data.terminalId}, connection is ${ctx.terminalId}`);
  const out: Candidate[] = [];
  let prevSeq = 0;
  for (let i = 0; i < env.data.tickets.length; i++) {
    const raw = env.data.tickets[i] as Record<string, unknown> | null;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return refuse('BATCH_MALFORMED', `tickets.${i} is not an object`);
    const seq = raw.seq;
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) return refuse('FORGED_SEQ', `tickets.${i}.seq is not a positive integer`);
    if (seq <= prevSeq) return refuse('FORGED_SEQ', `tickets.${i}.seq ${seq} does not increase`);
    prevSeq = seq;
    if (raw.terminalId !== ctx.terminalId) return refuse('FORGED_TERMINAL', `ticket seq ${seq} claims terminal ${String(raw.terminalId).slice(0, 64)}`);
    if (raw.storeId !== ctx.storeId) return refuse('FORGED_STORE', `ticket seq ${seq} claims store ${String(raw.storeId).slice(0, 64)}, terminal belongs to ${ctx.storeId}`);
    out.push(candidateOf(raw, seq));
  }
  return ok({ batchId: env.data.batchId, tickets: out });
}

/**
 * One received ticket (any JSON value) into a candidate: a document, or a rejection for good.
 *
 * The schema is tried first: it never walks into keys or values it does not expect, so a document it accepts
 * is as shallow as the schema, and only a refused one has its depth measured before anything serializes it
 * (one nested 50,000 deep is TICKET_TOO_DEEP, kept cut to a readable depth). A rule that throws on what a till
 * sent rejects that ticket for good too (TICKET_UNCHECKABLE): it would throw again on every resend, and must
 * not turn the whole batch into "retry" forever.
 */
export function candidateOf(raw: unknown, seq: number, json?: string): Candidate {
  const o = (raw ?? {}) as { id?: unknown; fiscal?: unknown };
  const ticketId = typeof o.id === 'string' && o.id.length <= 64 ? o.id : null;
  const uncheckable = (e: unknown): Candidate => ({
    seq,
    ticketId,
    json: json ?? jsonCut(raw, MAX_TICKET_DEPTH),
    doc: null,
    fiscal: null,
    rejection: { code: 'TICKET_UNCHECKABLE', reason: `a rule failed on this document: ${String(e).slice(0, 400)}` },
  });
  let parsed: ReturnType<typeof TicketDocumentSchema.safeParse>;
  try {
    parsed = TicketDocumentSchema.safeParse(raw);
  } catch (e) {
    return uncheckable(e);
  }
  if (!parsed.success) {
    const fiscal = readableFiscal(o.fiscal);
    if (nestedDeeperThan(raw, MAX_TICKET_DEPTH)) {
      const reason = `the document is nested deeper than ${MAX_TICKET_DEPTH} levels`;
      return { seq, ticketId, json: jsonCut(raw, MAX_TICKET_DEPTH), doc: null, fiscal, rejection: { code: 'TICKET_TOO_DEEP', reason } };
    }
    const reason = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.')}: ${i.message}`)
      .join('; ');
    return { seq, ticketId, json: json ?? JSON.stringify(raw), doc: null, fiscal, rejection: { code: 'TICKET_MALFORMED', reason: reason.slice(0, 480) } };
  }
  const doc = parsed.data;
  const base = { seq, ticketId, json: json ?? JSON.stringify(raw), doc, fiscal: doc.fiscal };
  try {
    const unstorable = unstorableReason(doc);
    if (unstorable) return { ...base, rejection: { code: 'TICKET_UNSTORABLE', reason: unstorable } };
    const arithmetic = verifyTicketArithmetic(doc);
    if (!arithmetic.ok) return { ...base, rejection: { code: arithmetic.error.code, reason: arithmetic.error.message.slice(0, 480) } };
  } catch (e) {
    return { ...uncheckable(e), json: base.json };
  }
  return { ...base, rejection: null };
}

function readableFiscal(raw: unknown): FiscalRecord | null {
  if (nestedDeeperThan(raw, MAX_TICKET_DEPTH)) return null;
  try {
    const r = FiscalRecordSchema.safeParse(raw);
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

/** Values the wire allows but the ledger's columns cannot hold (ids are varchar(36), units/grams int4…). */
function unstorableReason(doc: TicketDocument): string | null {
  if (doc.issuedAt.length > 32) return 'issuedAt: more than 32 characters';
  if (doc.cashier.id.length > 36) return 'cashier.id: more than 36 characters';
  if (doc.customer?.id !== undefined && doc.customer.id.length > 36) return 'customer.id: more than 36 characters';
  for (const p of doc.payments) if (p.method === 'on_account' && p.customerId.length > 36) return 'payments: customerId more than 36 characters';
  for (let i = 0; i < doc.lines.length; i++) {
    const l = doc.lines[i]!;
    if (l.productId.length > 36) return `lines.${i}.productId: more than 36 characters`;
    const q = l.quantity.kind === 'units' ? l.quantity.units : l.quantity.grams;
    if (Math.abs(q) > INT32_MAX) return `lines.${i}.quantity: out of range`;
  }
  return null;
}
