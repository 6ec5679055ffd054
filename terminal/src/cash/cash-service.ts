/**
 * Cash session use cases: open with a float counted by denominations, cash in / out with a reason, X report
 * at any time, close with a blind count (the cashier counts before seeing the expected figure), a supervisor
 * over the difference threshold, and the Z report stored on the session and printed. Z number = the
 * session's number, gapless (trigger-guarded).
 */
import { ok, type Result } from '@tpv/shared/result';
import type { Cents } from '@tpv/shared/money';
import { buildCashMovementSlip, buildCashReport } from '@tpv/shared/receipt';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import { failure, type Failure } from '../app/errors';
import { requireIdentity, type TerminalDeps } from '../app/context';
import { abort, inTransaction } from '../app/tx';
import type { AuditLog } from '../people/audit';
import type { AuthService } from '../people/auth';
import type { StaffMember } from '../people/pins';
import type { Printing } from '../printing/printing';
import { paymentLabel, receiptStore, taxRows } from '../printing/receipts';
import type { SessionQueries, SessionRow } from './sessions';
import { createDocumentOutbox } from '../sync/document-outbox';
import { computeCashReport, countDenominations, type CashReportFigures, type ReportMovement } from './z-report';

export interface CashSessionView {
  id: string; number: number; status: 'open' | 'closed'; openedAt: string; openedBy: string; floatCents: Cents;
  closedAt?: string | undefined; closedBy?: string | undefined;
}

export interface CashReport extends CashReportFigures {
  kind: 'X' | 'Z';
  /** Z number (the session number). */
  number: number;
  sessionId: string;
  openedAt: string;
  openedBy: string;
  at: string;
  closedBy?: string | undefined;
}

export interface CashMovementView { id: string; sessionId: string; kind: 'cash_in' | 'cash_out'; amountCents: Cents; reason: string; at: string; staffId: string }

export interface CashService {
  current(): CashSessionView | undefined;
  open(actor: StaffMember, float: Record<string, number>): Result<CashSessionView, Failure>;
  movement(actor: StaffMember, kind: 'cash_in' | 'cash_out', amountCents: Cents, reason: string): Result<CashMovementView, Failure>;
  xReport(): Result<CashReport, Failure>;
  close(actor: StaffMember, counted: Record<string, number>, supervisorPin?: string): Promise<Result<{ zReport: CashReport }, Failure>>;
}

export function toSessionView(s: SessionRow): CashSessionView {
  return {
    id: s.id, number: s.number, status: s.status, openedAt: s.opened_at, openedBy: s.opened_by, floatCents: s.float_cents,
    ...(s.closed_at ? { closedAt: s.closed_at } : {}), ...(s.closed_by ? { closedBy: s.closed_by } : {}),
  };
}

export interface CashServiceDeps {
  deps: TerminalDeps;
  sessions: SessionQueries;
  auth: Pick<AuthService, 'authorise'>;
  audit: AuditLog;
  printing: Printing;
  staffName(id: string): string;
  /** Gift vouchers sold in a session (terminal/src/vouchers): the X/Z's "Vales vendidos". */
  vouchersSold?: ((sessionId: string) => { count: number; cents: number; cashCents: number; cardCents: number }) | undefined;
}

export function createCashService({ deps, sessions, auth, audit, printing, staffName, vouchersSold }: CashServiceDeps): CashService {
  const { db } = deps;
  const maxNumber = db.prepare<[], { n: number }>('SELECT COALESCE(MAX(number), 0) AS n FROM cash_session');
  const insSession = db.prepare(
    `INSERT INTO cash_session (id, number, status, opened_at, opened_by, float_cents, float_count) VALUES (?, ?, 'open', ?, ?, ?, ?)`,
  );
  const insMovement = db.prepare('INSERT INTO cash_movement (id, session_id, kind, amount_cents, reason, ticket_id, at, staff_id) VALUES (?, ?, ?, ?, ?, NULL, ?, ?)');
  const ticketsOf = db.prepare<[string], { document: string }>('SELECT document FROM ticket WHERE session_id = ? ORDER BY seq');
  // A gift voucher sold in cash is a cash_in whose reason is `vale:<code>` (terminal/src/vouchers): its own line.
  const movementsOf = db.prepare<[string], ReportMovement>(`SELECT CASE WHEN kind = 'cash_in' AND reason LIKE 'vale:%' THEN 'voucher_sale' ELSE kind END AS kind, amount_cents AS amountCents FROM cash_movement WHERE session_id = ? ORDER BY at, rowid`);
  // A cancelled ticket ("Anular ticket") voids all its lines at once: each counts as a voided line on the X/Z.
  const voidsSince = db.prepare<[string, string], { details: string | null }>("SELECT details FROM audit_log WHERE action IN ('line_void', 'ticket_cancel') AND at >= ? AND at <= ?");
  const closeStmt = db.prepare(
    `UPDATE cash_session SET status = 'closed', closed_at = ?, closed_by = ?, counted_cents = ?, counted_detail = ?, expected_cents = ?,
       difference_cents = ?, z_report = ? WHERE id = ? AND status = 'open'`,
  );
  const nowIso = () => new Date(deps.clock.now()).toISOString();
  const outbox = createDocumentOutbox(db);

  function report(kind: 'X' | 'Z', s: SessionRow, at: string, counted?: Cents): CashReport {
    // An F3 replaces a ticket already counted (and moves no money): it is not a sale of the session.
    const tickets = ticketsOf.all(s.id).map((r) => JSON.parse(r.document) as TicketDocument).filter((d) => d.substitutes === undefined);
    let voidCount = 0, voidCents = 0;
    for (const v of voidsSince.all(s.opened_at, at)) {
      const d = v.details ? (JSON.parse(v.details) as { gross?: number; lines?: unknown[] }) : {};
      voidCount += d.lines?.length ?? 1;
      voidCents += d.gross ?? 0;
    }
    const figures = computeCashReport({ tickets, movements: movementsOf.all(s.id), voids: { count: voidCount, cents: voidCents }, counted, vouchersSold: vouchersSold?.(s.id) });
    return { kind, number: s.number, sessionId: s.id, openedAt: s.opened_at, openedBy: s.opened_by, at, ...figures };
  }

  function printReport(r: CashReport, cashier: string): void {
    const identity = deps.identity();
    if (!identity) return;
    const local = (iso: string) => deps.localTime(Date.parse(iso)).timestamp;
    const doc = buildCashReport({
      kind: r.kind,
      store: receiptStore(identity),
      terminal: identity.terminalName,
      number: r.number,
      openedAt: local(r.openedAt),
      printedAt: local(r.at),
      cashier,
      tickets: { count: r.tickets.count, ...(r.tickets.first ? { first: r.tickets.first } : {}), ...(r.tickets.last ? { last: r.tickets.last } : {}) },
      returns: { count: r.returns.count, total: r.returns.total },
      netSales: r.netSales,
      taxes: taxRows(r.taxes as never),
      payments: r.payments.map((p) => ({ label: paymentLabel(p.method), amount: p.amountCents })),
      ...(r.promotions.length > 0 ? { promotions: r.promotions.map((p) => ({ label: p.name, tickets: p.tickets, amount: p.cents })) } : {}),
      ...(r.vouchersSold ? { vouchersSold: r.vouchersSold } : {}),
      cash: { float: r.cash.float, sales: r.cash.sales + r.cash.refunds, cashIn: r.cash.cashIn, ...(r.cash.vouchers ? { vouchers: r.cash.vouchers } : {}), cashOut: r.cash.cashOut, expected: r.cash.expected, ...(r.cash.counted !== undefined ? { counted: r.cash.counted } : {}) },
    });
    printing.enqueue(doc, { kind: r.kind === 'Z' ? 'z_report' : 'x_report' });
  }

  return {
    current() {
      const s = sessions.open();
      return s ? toSessionView(s) : undefined;
    },

    open(actor, float) {
      const id = requireIdentity(deps);
      if (!id.ok) return id;
      const floatCents = countDenominations(float);
      if (floatCents === undefined) return failure('DENOMINATION_INVALID', 'float: keys must be euro denominations in cents (5000, 2000, …, 1) and counts whole numbers ≥ 0');
      const at = nowIso();
      const r = inTransaction(deps.repos.transaction, () => {
        if (sessions.open()) abort({ code: 'CASH_SESSION_ALREADY_OPEN', message: 'a cash session is already open' });
        const sid = deps.newId();
        const number = (maxNumber.get()?.n ?? 0) + 1;
        insSession.run(sid, number, at, actor.id, floatCents, JSON.stringify(float));
        insMovement.run(deps.newId(), sid, 'float', floatCents, 'fondo de caja', at, actor.id);
        audit({ action: 'cash_open', actorId: actor.id, details: { sessionId: sid, number, floatCents } });
        return sessions.byId(sid)!;
      });
      if (!r.ok) return r;
      deps.events.emit('status', { cashSession: toSessionView(r.value) });
      return ok(toSessionView(r.value));
    },

    movement(actor, kind, amountCents, reason) {
      if (!Number.isSafeInteger(amountCents) || amountCents <= 0) return failure('AMOUNT_INVALID', 'amount must be positive integer cents');
      if (reason.trim() === '') return failure('REASON_REQUIRED', 'say why the cash goes in or out');
      const at = nowIso();
      const r = inTransaction(deps.repos.transaction, () => {
        const s = sessions.open();
        if (!s) abort({ code: 'CASH_SESSION_NOT_OPEN', message: 'no open cash session' });
        if (kind === 'cash_out') {
          const inDrawer = sessions.drawerCents(s.id);
          if (amountCents > inDrawer) abort({ code: 'CASH_OUT_EXCEEDS_DRAWER', message: `only ${inDrawer} cents should be in the drawer`, details: { inDrawerCents: inDrawer } });
        }
        const mid = deps.newId();
        insMovement.run(mid, s.id, kind, kind === 'cash_out' ? -amountCents : amountCents, reason.trim(), at, actor.id);
        audit({ action: kind, actorId: actor.id, details: { sessionId: s.id, amountCents, reason: reason.trim() } });
        return { id: mid, sessionId: s.id, kind, amountCents, reason: reason.trim(), at, staffId: actor.id } satisfies CashMovementView;
      });
      if (!r.ok) return r;
      try {
        const identity = deps.identity();
        if (identity) {
          // (the slip is informative: a failure to lay it out never undoes the movement)
          printing.enqueue(
            buildCashMovementSlip({ kind: kind === 'cash_in' ? 'in' : 'out', store: receiptStore(identity), terminal: identity.terminalName, at: deps.localTime(Date.parse(at)).timestamp, cashier: actor.name, amount: amountCents, reason: r.value.reason }),
            { kind },
          );
        }
      } catch (e) {
        console.error('[terminal] cash slip not queued for printing:', e);
      }
      deps.drawer.open().catch(() => undefined);
      return r;
    },

    xReport() {
      const s = sessions.open();
      if (!s) return failure('CASH_SESSION_NOT_OPEN', 'no open cash session');
      return ok(report('X', s, nowIso()));
    },

    async close(actor, counted, supervisorPin) {
      const s = sessions.open();
      if (!s) return failure('CASH_SESSION_NOT_OPEN', 'no open cash session');
      const countedCents = countDenominations(counted);
      if (countedCents === undefined) return failure('DENOMINATION_INVALID', 'counted: keys must be euro denominations in cents and counts whole numbers ≥ 0');
      const preview = report('Z', s, nowIso(), countedCents);
      const difference = preview.cash.difference ?? 0;
      let authoriser: StaffMember | undefined;
      if (Math.abs(difference) > deps.policy.cashDifferenceThresholdCents) {
        if (!supervisorPin && actor.role === 'cashier') {
          return failure('CASH_DIFFERENCE_NEEDS_SUPERVISOR', `the count differs from the expected cash by ${difference} cents: a supervisor must confirm`, {
            differenceCents: difference, thresholdCents: deps.policy.cashDifferenceThresholdCents,
          });
        }
        const a = await auth.authorise(actor, supervisorPin, 'cash_difference');
        if (!a.ok) return a;
        authoriser = a.value;
      }
      const at = nowIso();
      const r = inTransaction(deps.repos.transaction, () => {
        const still = sessions.open();
        if (!still || still.id !== s.id) abort({ code: 'CASH_SESSION_NOT_OPEN', message: 'the session was closed meanwhile' });
        const z: CashReport = { ...report('Z', s, at, countedCents), closedBy: actor.id };
        closeStmt.run(at, actor.id, countedCents, JSON.stringify(counted), z.cash.expected, z.cash.difference ?? 0, JSON.stringify(z), s.id);
        audit({ action: 'cash_close', actorId: actor.id, authorisedBy: authoriser?.id ?? null, details: { sessionId: s.id, number: s.number, expectedCents: z.cash.expected, countedCents, differenceCents: z.cash.difference } });
        // Issue 18: the close and its count go up to HQ's cashier figures (cash differences) exactly once.
        outbox.enqueue({
          id: deps.newId(), kind: 'cash.close', createdAt: at,
          payload: {
            sessionId: s.id, number: s.number, openedAt: s.opened_at, openedBy: s.opened_by, closedAt: at, closedBy: actor.id, closedByName: actor.name,
            ...(authoriser ? { authorisedBy: authoriser.id } : {}), expectedCents: z.cash.expected, countedCents, differenceCents: z.cash.difference ?? countedCents - z.cash.expected,
          },
        });
        return z;
      });
      if (!r.ok) return r;
      deps.hq.documentsQueued();
      try {
        printReport(r.value, staffName(actor.id));
      } catch (e) {
        console.error('[terminal] Z report not queued for printing:', e); // the close is committed; reprint from z_report
      }
      deps.events.emit('status', { cashSession: null, lastZ: r.value.number });
      return ok({ zReport: r.value });
    },
  };
}
