/**
 * Durable jobs for long work (imports, exports, PDFs): a module declares handlers by kind
 * (`BackofficeModule.jobs`), a use case enqueues, and the worker of any back-office node claims the job under
 * a lease and runs it, reporting progress (throttled) that the API and the admin UI poll. A node that dies
 * leaves its lease to expire and another node re-claims the job (up to `maxAttempts` runs). One job at a time
 * per node: jobs are heavy (a 200k-product import) and the tills' ingest must keep its share of the CPU.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import type { AuthUser } from '../../auth/service';
import { newRowId } from '../../persistence/row-id';
import { mayAccessOwned, scopeFilterOf, type OwnerScope } from '../owner-scope';
import { createJobRepository, FINISHED, type JobRow, type JobStatus } from './repository';

export type { JobRow, JobStatus } from './repository';

/** What a handler sees of its job. */
export interface JobRun {
  id: string;
  kind: string;
  params: unknown;
  owner: OwnerScope;
  attempt: number;
  /**
   * Reports progress (kept in memory at once, written at most every `progressEveryMs` and at the end).
   * Throws `JobStopped` when a cancel was asked for or this node lost the lease: let it propagate.
   */
  progress(done: number, total?: number | null, message?: string | null): Promise<void>;
  /** Throws `JobStopped` if a cancel reached this node (synchronous: for tight loops inside a transaction). */
  check(): void;
}

export interface JobOutcome {
  result?: unknown;
  resultFileId?: string | null;
  message?: string | null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the handler's module context is the caller's type
export type JobHandler<C = any> = (run: JobRun, ctx: C) => Promise<JobOutcome | void>;

/** A handler's refusal with a result to keep (an import's bad rows): the job ends `failed` with it. */
export class JobFailed extends Error {
  constructor(message: string, readonly result?: unknown) {
    super(message);
  }
}

/** The job must stop now (cancel, lost lease, node shutting down). */
export class JobStopped extends Error {
  constructor(readonly why: 'cancelled' | 'lease-lost' | 'shutdown') {
    super(`job stopped: ${why}`);
  }
}

export interface JobsOptions {
  /** This node's name in `lease_owner` (default host:pid:random). */
  nodeId?: string;
  leaseMs?: number;
  /** Idle poll for jobs enqueued by other nodes. */
  pollMs?: number;
  progressEveryMs?: number;
  log?: (msg: string) => void;
}

export interface Enqueue {
  kind: string;
  params?: unknown;
  owner: OwnerScope;
  maxAttempts?: number;
}

interface Live {
  done: number;
  total: number | null;
  message: string | null;
  cancel: boolean;
}

export function createJobs<C>(ds: DataSource, clock: Clock, opts: JobsOptions = {}) {
  const repo = createJobRepository(ds);
  const nodeId = (opts.nodeId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`).slice(0, 64);
  const leaseMs = opts.leaseMs ?? 5 * 60_000;
  const pollMs = opts.pollMs ?? 2_000;
  const progressEveryMs = opts.progressEveryMs ?? 500;
  const log = opts.log ?? (() => {});
  const iso = (ms = clock.now()) => new Date(ms).toISOString();

  let handlers: Record<string, JobHandler<C>> = {};
  let context: C | undefined;
  const live = new Map<string, Live>();
  const waiters = new Map<string, Array<(j: JobRow) => void>>();
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | undefined;
  let started = false;
  let stopping = false;
  let wakeAgain = false;

  const settle = async (id: string) => {
    const list = waiters.get(id);
    if (!list) return;
    const row = await repo.find(id);
    if (!row || !FINISHED.has(row.status)) return;
    waiters.delete(id);
    for (const w of list) w(row);
  };

  async function runClaimed(job: JobRow): Promise<void> {
    const handler = handlers[job.kind]!;
    const state: Live = { done: job.progressDone, total: job.progressTotal, message: null, cancel: job.cancelRequested };
    live.set(job.id, state);
    let lastWrite = 0;
    let lost = false;
    const check = () => {
      if (lost) throw new JobStopped('lease-lost');
      if (state.cancel) throw new JobStopped('cancelled');
      if (stopping) throw new JobStopped('shutdown');
    };
    const run: JobRun = {
      id: job.id,
      kind: job.kind,
      params: job.params,
      owner: { companyId: job.companyId, storeId: job.storeId, createdBy: job.createdBy },
      attempt: job.attempts,
      check,
      async progress(done, total, message) {
        state.done = done;
        if (total !== undefined) state.total = total;
        if (message !== undefined) state.message = message;
        check();
        const now = clock.now();
        if (now - lastWrite < progressEveryMs && !(state.total !== null && done >= state.total)) return;
        const r = await repo.progress(job.id, nodeId, { done, total: state.total, message: state.message, now: iso(now), leaseUntil: iso(now + leaseMs) });
        if (r === 'deferred') return;
        lastWrite = now;
        if (r === null) lost = true;
        else if (r.cancelRequested) state.cancel = true;
        check();
      },
    };
    let status: JobStatus = 'succeeded';
    let result: unknown = null;
    let resultFileId: string | null = null;
    let error: string | null = null;
    let message: string | null = null;
    try {
      const out = (await handler(run, context as C)) ?? {};
      result = out.result ?? null;
      resultFileId = out.resultFileId ?? null;
      message = out.message ?? state.message;
    } catch (e) {
      if (e instanceof JobStopped && e.why === 'shutdown') {
        await repo.release(job.id, nodeId, iso());
        live.delete(job.id);
        return;
      }
      if (e instanceof JobStopped && e.why === 'lease-lost') {
        log(`job ${job.id} (${job.kind}): lease lost, another node has it`);
        live.delete(job.id);
        return;
      }
      status = e instanceof JobStopped ? 'cancelled' : 'failed';
      error = e instanceof Error ? e.message : String(e);
      result = e instanceof JobFailed ? (e.result ?? null) : null;
      message = status === 'cancelled' ? 'cancelled' : (error?.slice(0, 200) ?? null);
      if (status === 'failed' && !(e instanceof JobFailed)) log(`job ${job.id} (${job.kind}) failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
    const ours = await repo.finish(job.id, nodeId, { status, result, resultFileId, error, message, done: state.done, total: state.total, now: iso() });
    if (!ours) log(`job ${job.id} (${job.kind}) finished after its lease was taken over; result dropped`);
    live.delete(job.id);
    await settle(job.id);
  }

  /** Claims and runs one job; false when there was none. */
  async function runOnce(): Promise<boolean> {
    const now = clock.now();
    const job = await repo.claim(Object.keys(handlers), nodeId, iso(now), iso(now + leaseMs));
    if (!job) return false;
    await runClaimed(job);
    return true;
  }

  function loop(): void {
    if (!started || stopping || running) {
      if (running) wakeAgain = true;
      return;
    }
    clearTimeout(timer);
    running = (async () => {
      try {
        while (!stopping && (await runOnce()));
      } catch (e) {
        log(`job worker: ${e instanceof Error ? e.message : String(e)}`);
      }
    })().finally(() => {
      running = null;
      if (stopping) return;
      if (wakeAgain) {
        wakeAgain = false;
        loop();
      } else timer = setTimeout(loop, pollMs);
    });
  }

  return {
    nodeId,
    repo,
    /** Handlers by kind (the enabled modules') and the context they get; before `start`. */
    register(h: Record<string, JobHandler<C>>, ctx: C): void {
      handlers = { ...handlers, ...h };
      context = ctx;
    },
    async enqueue(e: Enqueue): Promise<JobRow> {
      const id = newRowId(clock);
      await repo.insert({ id, kind: e.kind, params: e.params ?? null, createdBy: e.owner.createdBy, companyId: e.owner.companyId, storeId: e.owner.storeId, maxAttempts: e.maxAttempts ?? 3, at: iso() });
      loop();
      return (await repo.find(id))!;
    },
    /** The row, with this node's in-memory progress of a running job (fresher than the throttled writes). */
    async get(id: string): Promise<JobRow | null> {
      const row = await repo.find(id);
      const l = row && live.get(id);
      return row && l && row.status === 'running' ? { ...row, progressDone: l.done, progressTotal: l.total, message: l.message ?? row.message } : row;
    },
    async readable(user: AuthUser, id: string): Promise<JobRow | null | 'forbidden'> {
      const row = await this.get(id);
      if (!row) return null;
      return mayAccessOwned(user, row) ? row : 'forbidden';
    },
    list: (user: AuthUser, q: Parameters<typeof repo.list>[1]) => repo.list(scopeFilterOf(user), q),
    /** Cancels a queued job, or asks a running one to stop (at once when it runs on this node). */
    async cancel(id: string): Promise<'cancelled' | 'requested' | 'finished'> {
      const mine = live.get(id);
      if (mine) {
        // Running here: the in-memory flag is what it checks (on SQLite it may hold the write lock for a
        // while). On PostgreSQL the row says so too; the job may well have stopped before that write.
        mine.cancel = true;
        if (ds.options.type === 'postgres') await repo.cancel(id, iso());
        return 'requested';
      }
      const out = await repo.cancel(id, iso());
      await settle(id);
      return out;
    },
    /** Resolves with the job once it has finished (tests, the CLI). */
    settled(id: string): Promise<JobRow> {
      return new Promise((resolve) => {
        waiters.set(id, [...(waiters.get(id) ?? []), resolve]);
        void settle(id);
      });
    },
    runOnce,
    wake: loop,
    start(): void {
      started = true;
      stopping = false;
      loop();
    },
    /** Stops claiming; a running job is given back to the queue for another node (or the next start). */
    async stop(): Promise<void> {
      stopping = true;
      clearTimeout(timer);
      await running;
    },
  };
}

export type Jobs<C = unknown> = ReturnType<typeof createJobs<C>>;
