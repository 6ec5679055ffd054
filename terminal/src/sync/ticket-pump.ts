/**
 * Outbox → back office (invariant 4): pending rows go up in seq order in batches (≤ `batchSize` tickets,
 * ≤ `maxBatchBytes`), at most `maxInFlight` unanswered — HQ applies a terminal's batches in arrival order,
 * so while it applies one the next is already on the wire. Each ack marks rows sent up to its seq; an ack
 * short of its batch lets the rest of the window answer, then resends from the first pending row. Nothing
 * is dropped, however old the row or long the queue.
 */
import { randomUUID } from 'node:crypto';
import { TicketAckSchema, type TicketAck } from '@tpv/shared/wire/sync';
import { EVENTS } from '@tpv/shared/wire/sync-protocol';
import { backoffDelay, IdleWait } from './backoff';
import type { Connection, Conn } from './connection';
import type { SyncContext } from './context';

/** A batch on the wire: its seq range and the answer to come (rejects when given up or the link drops). */
interface InFlight {
  batchId: string;
  first: number;
  last: number;
  reply: Promise<unknown>;
  giveUp: (why: string) => void;
}

export class TicketPump {
  /** Batches waiting for their ack, oldest first (the current connection's window). */
  private inflight: InFlight[] = [];
  private readonly sleeper = new IdleWait();
  lastAckAt: string | null = null;

  constructor(
    private readonly ctx: SyncContext,
    private readonly link: Connection,
  ) {}

  /** New rows were committed (or the client stops): end the idle wait now. */
  wake(): void {
    this.sleeper.wake();
  }

  /** hello:ack: rows ≤ ackedSeq are at HQ; rows above it that we had marked are queued again (HQ went back). */
  resume(ackedSeq: number): void {
    const ctx = this.ctx;
    const before = ctx.outbox.stats().ackedSeq;
    ctx.outbox.markSentUpTo(ackedSeq, ctx.nowIso());
    if (ackedSeq < before) {
      const n = ctx.outbox.requeueAbove(ackedSeq);
      ctx.log(`back office holds up to seq ${ackedSeq} but ${before} were acked before: ${n} ticket(s) queued again`);
    }
  }

  /** `sync:error` on the wire: note why on the rows; without a batch id it concerns every batch on the wire. */
  refused(batchId: unknown, code: unknown, message: unknown, why: string): void {
    const named = batchId === null || batchId === undefined ? this.inflight : this.inflight.filter((f) => f.batchId === batchId);
    for (const f of named) {
      this.ctx.outbox.noteError(f.first, f.last, `refused: ${why}`);
      if (code === 'INGEST_UNAVAILABLE') f.giveUp(`INGEST_UNAVAILABLE: ${String(message ?? '')}`);
    }
  }

  dropWindow(): void {
    this.inflight = [];
  }

  async run(conn: Conn): Promise<void> {
    const { ctx, link } = this;
    let stalls = 0;
    const window: InFlight[] = [];
    this.inflight = window;
    /** Highest seq handed to this connection (0: start again from the first pending row). */
    let sentUpTo = 0;
    // Lets what is still on the wire answer (applying the acks that came), then resends from the first
    // pending row: after a stall, the batches behind the stalled one could only wait behind a gap at HQ.
    const settle = async () => {
      for (const f of window.splice(0)) {
        try {
          const r = TicketAckSchema.safeParse(await f.reply);
          if (r.success) this.applyAck(r.data, f.first, f.last);
        } catch {
          // given up or disconnected: resent below or after the reconnect
        }
      }
      sentUpTo = 0;
    };
    while (link.alive(conn)) {
      const filled = this.fillWindow(conn, window, sentUpTo);
      if (filled === null) {
        await settle();
        await this.idle(backoffDelay(stalls++, ctx.o.backoff));
        continue;
      }
      sentUpTo = filled;
      const head = window[0];
      if (!head) {
        ctx.emitStatus();
        await this.idle(ctx.o.pollMs);
        continue;
      }
      let raw: unknown;
      try {
        raw = await head.reply;
      } catch (e) {
        window.shift();
        if (link.alive(conn) && (e as Error).message.startsWith('INGEST_UNAVAILABLE')) {
          // The back office could not store it and will not answer: wait, resend on the same connection.
          ctx.fail(`batch ${head.first}..${head.last}: ${(e as Error).message}`);
          await settle();
          await this.idle(backoffDelay(stalls++, ctx.o.backoff));
          continue;
        }
        if (!link.alive(conn)) return; // the disconnect handler reconnects
        ctx.fail(`batch ${head.first}..${head.last}: ${(e as Error).message}`);
        // No answer in time: recycle the connection (hello:ack tells us where the back office really is).
        window.length = 0;
        conn.close();
        link.scheduleReconnect();
        return;
      }
      window.shift();
      const parsed = TicketAckSchema.safeParse(raw);
      if (!parsed.success) {
        // The back office answered but refused the whole batch (e.g. `{ error }` / a problem): keep the rows,
        // say why on them and on the status, and try again later on the same connection.
        const why = describeRefusal(raw);
        ctx.outbox.noteError(head.first, head.last, `refused: ${why}`);
        ctx.fail(`batch ${head.first}..${head.last} refused: ${why}`);
        await settle();
        await this.idle(backoffDelay(stalls++, ctx.o.backoff));
        continue;
      }
      const ack = parsed.data;
      this.applyAck(ack, head.first, head.last);
      if (ack.refused?.permanent && ack.ackedSeq < head.first) {
        // HQ can never apply this batch as it is and keeps it in its review queue: stop resending it on this
        // connection (a new connection, e.g. after HQ re-pairs or replaces the till, tries again). Nothing is dropped.
        const why = `${ack.refused.code}: ${ack.refused.reason}`;
        ctx.outbox.noteError(head.first, head.last, `refused for good: ${why}`);
        await settle();
        ctx.fail(`batch ${head.first}..${head.last} refused for good by the back office (in its review queue); not resent until the next connection: ${why}`);
        return;
      }
      if (ack.ackedSeq >= head.last) {
        stalls = 0;
        continue;
      }
      await settle();
      if (ack.ackedSeq >= head.first) {
        stalls = 0;
        continue;
      }
      // Nothing of this batch applied (the back office is holding it, or refused it): wait, then resend.
      const reason = ctx.lastError?.message.startsWith('back office:') ? ` (${ctx.lastError.message})` : '';
      ctx.fail(`back office acked seq ${ack.ackedSeq}, batch was ${head.first}..${head.last}; retrying${reason}`);
      await this.idle(backoffDelay(stalls++, ctx.o.backoff));
    }
  }

  /**
   * Sends batches of pending rows after `afterSeq` until the window is full or nothing is left; returns the
   * highest seq now on the wire. Null when a row's payload is not JSON (only a bug can do that: said loudly,
   * retried, a ticket is never skipped).
   */
  private fillWindow(conn: Conn, window: InFlight[], afterSeq: number): number | null {
    const { ctx } = this;
    let after = afterSeq;
    while (window.length < ctx.o.maxInFlight) {
      const rows = ctx.outbox.nextBatch(after, ctx.o.batchSize, ctx.o.maxBatchBytes);
      if (rows.length === 0) break;
      const first = rows[0]!.seq;
      const last = rows[rows.length - 1]!.seq;
      let tickets: unknown[];
      try {
        tickets = rows.map((r) => JSON.parse(r.payload) as unknown);
      } catch (e) {
        ctx.fail(`outbox payload is not JSON in seq ${first}..${last}: ${(e as Error).message}`);
        return null;
      }
      ctx.outbox.countAttempt(first, last);
      const batchId = randomUUID();
      let giveUp!: (why: string) => void;
      const abandoned = new Promise<never>((_, reject) => (giveUp = (why) => reject(new Error(why))));
      const reply = Promise.race([this.link.request(conn, EVENTS.tickets, { terminalId: ctx.creds!.terminalId, batchId, tickets }), abandoned]);
      abandoned.catch(() => undefined);
      reply.catch(() => undefined);
      window.push({ batchId, first, last, reply, giveUp });
      after = last;
    }
    return after;
  }

  private applyAck(ack: TicketAck, first: number, last: number): void {
    const { ctx, link } = this;
    const conn = link.current;
    if (link.conflict || (conn && ack.ackedSeq > ctx.outbox.stats().lastSeq && link.checkConflict(conn, ack.ackedSeq))) return;
    const now = ctx.nowIso();
    this.lastAckAt = now;
    const before = ctx.outbox.stats().ackedSeq;
    ctx.outbox.markSentUpTo(ack.ackedSeq, now);
    if (ack.rejected && ack.rejected.length > 0) {
      ctx.outbox.markRejected(ack.rejected);
      ctx.log(`back office refused ${ack.rejected.length} ticket(s): ${ack.rejected.map((r) => `${r.seq} (${r.reason})`).join(', ').slice(0, 300)}`);
    }
    if (ack.ackedSeq < before) {
      const n = ctx.outbox.requeueAbove(ack.ackedSeq);
      if (n > 0) ctx.log(`ack ${ack.ackedSeq} is below ${before}: ${n} ticket(s) queued again`);
    }
    if (ack.ackedSeq >= last && first <= last && ctx.lastError?.message.startsWith('batch')) ctx.lastError = null;
    ctx.emitStatus();
  }

  /** Waits `ms`, or less if woken (notify(), stop()). */
  private idle(ms: number): Promise<void> {
    return this.sleeper.wait(ms);
  }
}

function describeRefusal(raw: unknown): string {
  if (raw && typeof raw === 'object') {
    const r = raw as Record<string, unknown>;
    const inner = (r['error'] && typeof r['error'] === 'object' ? (r['error'] as Record<string, unknown>) : r) as Record<string, unknown>;
    const code = typeof inner['code'] === 'string' ? inner['code'] : undefined;
    const msg = typeof inner['message'] === 'string' ? inner['message'] : typeof r['error'] === 'string' ? r['error'] : undefined;
    if (code || msg) return [code, msg].filter(Boolean).join(': ').slice(0, 300);
  }
  return `unexpected answer ${JSON.stringify(raw)?.slice(0, 200)}`;
}
