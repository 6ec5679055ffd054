/**
 * Ticket ingest: validate a batch (CPU, outside any lock), then apply it.
 *
 * Batches go to a writer lane chosen by store (SQLite: one lane; PostgreSQL: several), so a terminal's
 * batches are applied in arrival order and two lanes never touch the same stock rows. A lane applies the
 * batches waiting in it together — each batch atomically via `applyBatch`, all of them under one commit
 * (group commit: on SQLite one commit rewrites each hot index page once for many batches instead of once per
 * batch; on PostgreSQL one WAL flush). If the group transaction fails, each batch is retried in a
 * transaction of its own, so one bad batch never takes the others down. On PostgreSQL the terminal row
 * lock (`FOR UPDATE`) also serializes a terminal's batches across back-office nodes.
 *
 * On SQLite a transaction is synchronous work on the event loop (better-sqlite3): while it runs no socket is
 * read, no timer fires and no dashboard push goes out. A group therefore stops taking batches once it has
 * worked `maxStepMs` (50 ms), commits, and the lane yields (`setImmediate`) before the next group: the
 * batches left wait at the head of the queue, in order. A backlog is applied as many ~50 ms commits with the
 * loop free between them, instead of one commit of up to 10,000 tickets holding it for seconds. Validation,
 * which runs as batches arrive, is sliced the same way (≤ 20 ms in a row, `turns.ts`).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { createUuidV7 } from '@tpv/shared/ids';
import { domainError, err, ok, type Result } from '@tpv/shared/result';
import type { TicketAck } from '@tpv/shared/wire/sync';
import { openLedger } from '../persistence/ledger';
import { jsonCut } from '@tpv/shared/wire/depth';
import { applyBatch, type ApplyOutcome, type IdCache } from './apply';
import type { LedgerEngine, LedgerTx } from './ledger';
import { decideReview, type Decider, type ReviewDecisionError } from './review';
import { isPermanentRefusal, MAX_TICKET_DEPTH, validateBatch, type BatchRefusal, type TerminalContext, type ValidBatch } from './validate';
import type { TicketStep } from './steps';
import { CpuTurns } from './turns';

/** Most of a refused batch kept for review (a batch is at most 200 tickets of a few KB). */
const REFUSED_BATCH_CHARS = 2_000_000;
/** The same refusal of the same terminal is written at most once in this long (the queue keeps one open item anyway). */
const REFUSAL_MEMORY_MS = 60_000;

export interface IngestEvents {
  /** After commit: tickets applied (stock changed in these stores). */
  onApplied?: (terminalId: string, outcome: ApplyOutcome) => void;
  onRefused?: (terminalId: string, refusal: BatchRefusal) => void;
}

export interface IngestOptions {
  /** Writer lanes on PostgreSQL (default 4). SQLite always has one. */
  lanes?: number;
  /** Most tickets applied under one commit (default 10,000). */
  maxTicketsPerCommit?: number;
  /**
   * Most time one group transaction keeps taking batches (default 50 ms on SQLite, where it holds the event
   * loop; unbounded on PostgreSQL, whose transactions wait on the network and leave the loop free). A batch
   * that started is always finished: a step is at most this plus one batch.
   */
  maxStepMs?: number;
  /**
   * Most validation work done in a row (default 20 ms): a burst of batches arriving together is validated in
   * slices with the timers phase between them (`turns.ts`), in arrival order.
   */
  maxValidateMs?: number;
  /** The enabled modules' posting steps over applied tickets (steps.ts), in module order. */
  steps?: readonly TicketStep[];
}

export interface IngestService {
  submit(ctx: TerminalContext, batch: unknown): Promise<Result<TicketAck, BatchRefusal>>;
  /** Highest contiguous seq applied for a terminal (from the database). */
  ackedSeq(terminalId: string): Promise<number>;
  /** Highest seq this node has accepted from a terminal (null if none since start). */
  highestSeenSeq(terminalId: string): number | null;
  /** A product created by the master-data API: known from now on. */
  knowProducts(ids: Iterable<string>): void;
  /**
   * Stores with a batch between the start of its group transaction and the end of its `onApplied` (committed
   * maybe, not reported yet): a reader of figures those batches change cannot tell whether it saw them.
   */
  storesInFlight(): ReadonlySet<string>;
  /** An HQ decision on a review item (re-apply after a fix, or accept), audited; see `review.ts`. */
  decideReview(id: string, action: 'reapply' | 'accept', by: Decider, note?: string | null): Promise<Result<void, ReviewDecisionError>>;
  readonly ledger: LedgerEngine;
}

class SetCache implements IdCache {
  private readonly known = new Set<string>();
  unknown(ids: Iterable<string>): string[] {
    const out: string[] = [];
    for (const id of ids) if (!this.known.has(id)) out.push(id);
    return out;
  }
  add(ids: Iterable<string>): void {
    for (const id of ids) this.known.add(id);
  }
}

interface Job {
  ctx: TerminalContext;
  batch: ValidBatch;
  done: (r: Result<ApplyOutcome, BatchRefusal> | { error: unknown }) => void;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * An error a batch gets from its own data, the same on every retry: PostgreSQL data exceptions and integrity
 * violations (SQLSTATE classes 22, 23), SQLite constraint / too big / type mismatch, or a rule of ours that
 * threw on it (TypeError, RangeError). Connection losses, timeouts, locks and serialization failures are not.
 */
export function refusedByData(error: unknown): boolean {
  if (error instanceof TypeError || error instanceof RangeError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  if (/^2[23][0-9A-Z]{3}$/.test(code)) return true;
  return /^SQLITE_(CONSTRAINT|TOOBIG|MISMATCH)/.test(code);
}

/** The ingest over the engine's ledger adapter (composition: `persistence/ledger`). */
export function createIngestService(ds: DataSource, clock: Clock, events: IngestEvents = {}, opts: IngestOptions = {}): IngestService {
  return createIngest(openLedger(ds), clock, events, opts);
}

/** The ingest rules over any ledger (the port of `ledger.ts`). */
export function createIngest(ledger: LedgerEngine, clock: Clock, events: IngestEvents = {}, opts: IngestOptions = {}): IngestService {
  const laneCount = ledger.engine === 'postgres' ? Math.max(1, opts.lanes ?? 4) : 1;
  const maxTickets = opts.maxTicketsPerCommit ?? 10_000;
  const maxStepMs = opts.maxStepMs ?? (ledger.engine === 'sqlite' ? 50 : Infinity);
  const newId = createUuidV7(clock, (n) => randomBytes(n));
  const products = new SetCache();
  const customers = new SetCache();
  const seen = new Map<string, number>();
  const lanes = Array.from({ length: laneCount }, () => ({ queue: [] as Job[], running: false }));
  // Batches per store from their group's BEGIN to the end of their onApplied (storesInFlight).
  const inFlight = new Map<string, number>();
  const inFlightStores = new Set<string>();
  const enter = (storeId: string) => {
    inFlight.set(storeId, (inFlight.get(storeId) ?? 0) + 1);
    inFlightStores.add(storeId);
  };
  const leave = (storeId: string) => {
    const n = (inFlight.get(storeId) ?? 1) - 1;
    if (n > 0) inFlight.set(storeId, n);
    else {
      inFlight.delete(storeId);
      inFlightStores.delete(storeId);
    }
  };
  const yieldLoop = () => new Promise((r) => setImmediate(r));
  const validation = new CpuTurns(opts.maxValidateMs ?? 20);

  const deps = () => ({ now: new Date(clock.now()).toISOString(), newId, products, customers, steps: opts.steps, engine: ledger.engine, db: ledger });
  const applyOne = (tx: LedgerTx, job: Job) => applyBatch(tx, job.ctx, job.batch, deps());

  async function drain(lane: (typeof lanes)[number]): Promise<void> {
    if (lane.running) return;
    lane.running = true;
    try {
      while (lane.queue.length > 0) {
        // Let the sockets deliver (and validate) what arrived meanwhile, so the group grows under load; timers
        // (the dashboard's pushes) fire here too.
        await yieldLoop();
        const group: Job[] = [];
        let tickets = 0;
        while (lane.queue.length > 0 && (group.length === 0 || tickets + lane.queue[0]!.batch.tickets.length <= maxTickets)) {
          const job = lane.queue.shift()!;
          group.push(job);
          enter(job.ctx.storeId);
          tickets += job.batch.tickets.length;
        }
        let results: Array<Result<ApplyOutcome, BatchRefusal>> | undefined;
        try {
          results = await ledger.transaction(async (tx) => {
            const started = performance.now();
            const out: Array<Result<ApplyOutcome, BatchRefusal>> = [];
            for (const job of group) {
              // The step's time is up: commit what is applied; the rest goes first in the next group.
              if (out.length > 0 && performance.now() - started >= maxStepMs) break;
              out.push(await applyOne(tx, job));
            }
            return out;
          });
        } catch {
          results = undefined;
        }
        if (results) {
          const left = group.splice(results.length);
          for (const job of left) leave(job.ctx.storeId);
          lane.queue.unshift(...left);
          group.forEach((job, i) => job.done(results[i]!));
          continue;
        }
        // The group failed as a whole: retry batch by batch, so only the culprit fails.
        for (const [i, job] of group.entries()) {
          if (i > 0) await yieldLoop();
          try {
            job.done(await ledger.transaction((tx) => applyOne(tx, job)));
          } catch (error) {
            // Failing alone on what it carries (not on the database being away): it would fail on every resend.
            if (refusedByData(error)) job.done(err(domainError('BATCH_UNSTORABLE', `the database refused this batch: ${String(error).slice(0, 400)}`)));
            else job.done({ error });
          }
        }
      }
    } finally {
      lane.running = false;
    }
  }

  // Refusals recorded lately: a till resending the same refused batch does not take the write lock each time.
  const recentRefusals = new Map<string, number>();

  /** A batch refused for good goes to the review queue once, however often the till resends it. */
  async function keepRefused(ctx: TerminalContext, input: unknown, refusal: BatchRefusal): Promise<void> {
    if (!isPermanentRefusal(refusal.code)) return;
    const key = `${ctx.terminalId}|${refusal.code}|${refusal.message}`;
    const now = clock.now();
    if ((recentRefusals.get(key) ?? -Infinity) > now - REFUSAL_MEMORY_MS) return;
    if (recentRefusals.size >= 1000) recentRefusals.clear();
    recentRefusals.set(key, now);
    const first = (input as { tickets?: Array<{ seq?: unknown }> } | null)?.tickets?.[0]?.seq;
    const seq = Array.isArray((input as { tickets?: unknown } | null)?.tickets) && Number.isSafeInteger(first) && (first as number) > 0 ? (first as number) : null;
    const payload = jsonCut(input, MAX_TICKET_DEPTH + 2).slice(0, REFUSED_BATCH_CHARS);
    const at = new Date(now).toISOString();
    await ledger.transaction((tx) =>
      tx.addReviewOnce({
        id: newId(),
        terminal_id: ctx.terminalId,
        store_id: ctx.storeId,
        seq,
        ticket_id: null,
        kind: 'batch',
        code: refusal.code,
        reason: refusal.message.slice(0, 2000),
        payload,
        created_at: at,
      }),
    );
  }

  return {
    ledger,
    knowProducts: (ids) => products.add(ids),
    async decideReview(id, action, by, note = null) {
      // After a decision a refusal seen again must reach the queue again.
      recentRefusals.clear();
      return ledger.transaction((tx) => decideReview(tx, id, action, by, note, deps()));
    },
    highestSeenSeq: (terminalId) => seen.get(terminalId) ?? null,
    storesInFlight: () => inFlightStores,
    ackedSeq: (terminalId) => ledger.ackedSeq(terminalId),
    async submit(ctx, input) {
      const valid = await validation.run(() => validateBatch(ctx, input));
      if (!valid.ok) {
        await keepRefused(ctx, input, valid.error);
        events.onRefused?.(ctx.terminalId, valid.error);
        return valid;
      }
      const lane = lanes[laneCount === 1 ? 0 : hash(ctx.storeId) % laneCount]!;
      let outcome: Result<ApplyOutcome, BatchRefusal>;
      try {
        outcome = await new Promise<Result<ApplyOutcome, BatchRefusal>>((resolve, reject) => {
          lane.queue.push({ ctx, batch: valid.value, done: (r) => ('error' in r && !('ok' in r) ? reject(r.error) : resolve(r as Result<ApplyOutcome, BatchRefusal>)) });
          void drain(lane);
        });
      } catch (e) {
        leave(ctx.storeId);
        throw e;
      }
      if (!outcome.ok) {
        leave(ctx.storeId);
        await keepRefused(ctx, input, outcome.error);
        events.onRefused?.(ctx.terminalId, outcome.error);
        return err(outcome.error);
      }
      // Only an accepted batch tells how far the terminal has sold (a forged seq must not).
      const last = valid.value.tickets[valid.value.tickets.length - 1]!.seq;
      if (last > (seen.get(ctx.terminalId) ?? 0)) seen.set(ctx.terminalId, last);
      try {
        events.onApplied?.(ctx.terminalId, outcome.value);
      } finally {
        leave(ctx.storeId);
      }
      return ok(outcome.value.ack);
    },
  };
}
