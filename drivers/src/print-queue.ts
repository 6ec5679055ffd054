/**
 * Durable print queue (ARCHITECTURE invariant 7: printing never blocks or loses a sale).
 *
 * `enqueue` only writes the job to the store and wakes the worker; it never waits for the printer. One
 * worker prints jobs strictly in enqueue order: it asks the printer's status first and, while the printer is
 * offline / out of paper / open, waits with exponential backoff; a job is marked printed only after the
 * printer took it, and the next job is not tried before. Any past job can be reprinted marked "COPIA".
 *
 * Delivery is at-least-once across a crash between "printer took the bytes" and "marked printed"; within a
 * running process each job prints once.
 */
import { EventEmitter } from 'node:events';
import { markAsCopy, type ReceiptDocument } from '@tpv/shared/receipt';
import { canPrint, type ReceiptPrinter } from './ports';

export interface PrintJob {
  readonly id: string;
  /** Enqueue order, strictly increasing. */
  readonly seq: number;
  readonly doc: ReceiptDocument;
  readonly createdAt: string;
  readonly state: 'pending' | 'printed';
  readonly attempts: number;
  readonly printedAt?: string;
  readonly lastError?: string;
  /** For reprints: the job this is a copy of. */
  readonly copyOf?: string;
}

type MaybePromise<T> = T | Promise<T>;

/** Persistence of jobs; the terminal implements it on its SQLite table. */
export interface PrintJobStore {
  /** Inserts a new pending job; assigns and returns its seq. */
  insert(job: Omit<PrintJob, 'seq' | 'state' | 'attempts'>): MaybePromise<PrintJob>;
  /** The pending job with the lowest seq. */
  nextPending(): MaybePromise<PrintJob | undefined>;
  markPrinted(id: string, at: string): MaybePromise<void>;
  recordFailure(id: string, error: string): MaybePromise<void>;
  get(id: string): MaybePromise<PrintJob | undefined>;
  /** Most recent first. */
  list(limit: number): MaybePromise<PrintJob[]>;
}

export class InMemoryPrintJobStore implements PrintJobStore {
  private readonly jobs = new Map<string, PrintJob>();
  private seq = 0;

  insert(job: Omit<PrintJob, 'seq' | 'state' | 'attempts'>): PrintJob {
    if (this.jobs.has(job.id)) throw new Error(`duplicate print job ${job.id}`);
    const full: PrintJob = { ...job, seq: ++this.seq, state: 'pending', attempts: 0 };
    this.jobs.set(job.id, full);
    return full;
  }

  nextPending(): PrintJob | undefined {
    let best: PrintJob | undefined;
    for (const j of this.jobs.values()) if (j.state === 'pending' && (!best || j.seq < best.seq)) best = j;
    return best;
  }

  markPrinted(id: string, at: string): void {
    const j = this.jobs.get(id);
    if (j) this.jobs.set(id, { ...j, state: 'printed', printedAt: at, attempts: j.attempts + 1 });
  }

  recordFailure(id: string, error: string): void {
    const j = this.jobs.get(id);
    if (j) this.jobs.set(id, { ...j, attempts: j.attempts + 1, lastError: error });
  }

  get(id: string): PrintJob | undefined {
    return this.jobs.get(id);
  }

  list(limit: number): PrintJob[] {
    return [...this.jobs.values()].sort((a, b) => b.seq - a.seq).slice(0, limit);
  }
}

export interface PrintQueueOptions {
  readonly store: PrintJobStore;
  readonly printer: ReceiptPrinter;
  readonly now?: () => Date;
  readonly newId?: () => string;
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
}

type QueueEvents = {
  printed: [PrintJob];
  waiting: [{ job: PrintJob; reason: string; retryInMs: number }];
  idle: [];
};

let fallbackId = 0;

export class PrintQueue extends EventEmitter<QueueEvents> {
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private dirty = false;
  private delay: number;
  private readonly now: () => Date;
  private readonly newId: () => string;

  constructor(private readonly opts: PrintQueueOptions) {
    super();
    this.delay = opts.backoff?.initialMs ?? 500;
    this.now = opts.now ?? (() => new Date());
    this.newId = opts.newId ?? (() => `job-${Date.now().toString(36)}-${(++fallbackId).toString(36)}`);
  }

  /** Stores the job and returns its id at once; printing happens in the background. */
  async enqueue(doc: ReceiptDocument, meta: { id?: string; copyOf?: string } = {}): Promise<string> {
    const job = await this.opts.store.insert({
      id: meta.id ?? this.newId(),
      doc,
      createdAt: this.now().toISOString(),
      ...(meta.copyOf ? { copyOf: meta.copyOf } : {}),
    });
    this.kick();
    return job.id;
  }

  /** Queues a copy of a past job, marked "COPIA". */
  async reprint(jobId: string, label = 'COPIA'): Promise<string> {
    const job = await this.opts.store.get(jobId);
    if (!job) throw new Error(`unknown print job ${jobId}`);
    return this.enqueue(markAsCopy(job.doc, label), { copyOf: job.copyOf ?? job.id });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.kick();
    await this.loop;
    this.loop = null;
  }

  /** Wakes the worker now (e.g. the printer reported back online). */
  kick(): void {
    this.dirty = true;
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  /** Resolves when no job is pending (for tests and shutdown). */
  async drained(): Promise<void> {
    while ((await this.opts.store.nextPending()) !== undefined) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.off('printed', done);
          this.off('idle', done);
          resolve();
        };
        this.once('printed', done);
        this.once('idle', done);
      });
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.dirty) {
        this.dirty = false;
        resolve();
        return;
      }
      const t = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  private backoff(): number {
    const wait = this.delay;
    this.delay = Math.min(this.delay * 2, this.opts.backoff?.maxMs ?? 30_000);
    return wait;
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.dirty = false;
      const job = await this.opts.store.nextPending();
      if (!job) {
        this.emit('idle');
        await this.sleep(60_000);
        continue;
      }
      const status = await this.opts.printer.status();
      if (!canPrint(status)) {
        const reason = !status.online ? (status.error ?? 'offline') : status.paperOut ? 'paper out' : status.coverOpen ? 'cover open' : (status.error ?? 'not ready');
        const retryInMs = this.backoff();
        this.emit('waiting', { job, reason, retryInMs });
        await this.sleep(retryInMs);
        continue;
      }
      try {
        await this.opts.printer.print(job.doc);
      } catch (e) {
        await this.opts.store.recordFailure(job.id, (e as Error).message);
        const retryInMs = this.backoff();
        this.emit('waiting', { job, reason: (e as Error).message, retryInMs });
        await this.sleep(retryInMs);
        continue;
      }
      await this.opts.store.markPrinted(job.id, this.now().toISOString());
      this.delay = this.opts.backoff?.initialMs ?? 500;
      const done = await this.opts.store.get(job.id);
      this.emit('printed', done ?? job);
    }
  }
}
