/**
 * The month's working-time records of every employee (issue 16; bench `monthly_time_records_5000_s`): the
 * employees and contracts read once, the records read a batch of employees at a time (SQLite: one indexed query
 * per batch; PostgreSQL: one cursor over the month, a fetch per batch; the next batch's read already under way
 * while this one is drawn), each worker's month built
 * (shifts, totals) and rendered as their PDF, handed to `out` one by one (a files area, a folder, a mail run).
 *
 * The drawing (month + PDF, most of the CPU) runs in worker threads (month-worker.ts), one per core: the main
 * thread only reads batches and hands each thread chunks of plain rows; the PDFs come back as one moved buffer
 * per chunk. At most two batches are in flight, so the heap stays small — reading the whole month's 400,000
 * records at once cost more in garbage collection and one big sort than the PDFs themselves. `threads: 0`
 * draws on the calling thread (same documents).
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Clock } from '@tpv/shared/clock';
import { all, bind, inList, isPostgres, type Db } from '../persistence/sql';
import * as repo from './repository';
import type { MonthTask, MonthTaskResult } from './month-worker';

/**
 * Each employee's records of the month as ONE string, made by the database: a record per line (in the order
 * the API gives them: at, chain, seq), its fields tab-separated in PACKED_FIELDS order, NULL as an empty field
 * (none of these is ever empty otherwise). Reading 40,000 rows of 17 columns as objects was most of the main
 * thread's time and garbage; 500 strings are nothing to read and are copied to a thread as they are. Not
 * packed: the previous hash (the printout shows each chain's last hash, not the links) and the free-text
 * reason (it could hold a tab or a line break), read apart for the corrections that have one.
 */
const PACKED = `id || '\t' || chain_key || '\t' || CAST(seq AS TEXT) || '\t' || company_id || '\t' || COALESCE(store_id, '') || '\t' || kind || '\t' || COALESCE(event, '')
  || '\t' || at || '\t' || COALESCE(corrects_id, '') || '\t' || COALESCE(party, '') || '\t' || source || '\t' || COALESCE(terminal_id, '') || '\t' || COALESCE(recorded_by, '')
  || '\t' || recorded_at || '\t' || hash`;
/** Employees per records query (SQLite) or per cursor fetch (PostgreSQL): ~40,000 rows, under SQLite's parameter limit. */
const BATCH = 500;
/** The records of the month, by the month's margins (see monthlyRecords). */
/** PostgreSQL's memory for the month's sort (~175 MB of packed rows for 5,000 workers; the rest spills to disk). */
const WORK_MEM = '256MB';
const IN_MONTH = `((at >= ? AND at < ?) OR (kind IN ('correction', 'approval', 'rejection') AND recorded_at >= ?))`;

/** A batch of employees with their packed records and the reasons of the records that have one, by record id. */
interface RecordBatch {
  employees: repo.EmployeeRow[];
  packed: Array<{ employeeId: string; n: number; packed: string }>;
  reasons: Record<string, string>;
}

/**
 * SQLite: a batch of `active` at a time, one query through the (employee_id, at) index (the rows of one worker
 * lie together enough there), the reasons apart.
 */
async function* sqliteBatches(m: Db, active: repo.EmployeeRow[], from: string, to: string): AsyncGenerator<RecordBatch, void, undefined> {
  for (let i = 0; i < active.length; i += BATCH) {
    const employees = active.slice(i, i + BATCH);
    const ids = employees.map((e) => e.id);
    const packed = await all<{ employeeId: string; n: unknown; packed: string }>(
      m,
      `SELECT employee_id AS "employeeId", COUNT(*) AS n, group_concat(${PACKED}, '\n' ORDER BY at, chain_key, seq) AS packed
         FROM time_record WHERE employee_id IN (${inList(ids.length)}) AND ${IN_MONTH} GROUP BY employee_id`,
      [...ids, from, to, from],
    );
    const reasons: Record<string, string> = {};
    for (const r of await all<{ id: string; reason: string }>(m, `SELECT id, reason FROM time_record WHERE employee_id IN (${inList(ids.length)}) AND reason IS NOT NULL AND ${IN_MONTH}`, [...ids, from, to, from])) {
      reasons[r.id] = r.reason;
    }
    yield { employees, packed: packed.map((r) => ({ employeeId: r.employeeId, n: Number(r.n), packed: r.packed })), reasons };
  }
}

/**
 * PostgreSQL: ONE query for the whole month read through a cursor, BATCH employees a fetch, the batches made in
 * the order the rows come (then the workers without a record this month). The per-batch query with an IN list
 * was a sequential scan of the whole table per batch (twice, with the reasons' query) — the records of a
 * worker are spread over every page of a month (a day of every worker's records after another), so neither
 * the index nor a bitmap scan saves pages; ten batches meant twenty scans and an on-disk sort each, server CPU
 * taken from the drawing threads on a two-core box. Now: one scan and one sort (by employee_id in "C" order,
 * which no index serves, so the planner cannot pick a random-access walk of the employee index for the
 * cursor's fast start — measured 2.5× slower), the reasons beside the records as one JSON object per worker.
 */
async function* postgresBatches(m: Db, active: repo.EmployeeRow[], from: string, to: string): AsyncGenerator<RecordBatch, void, undefined> {
  const byId = new Map(active.map((e) => [e.id, e]));
  const qr = m.queryRunner ?? m.connection.createQueryRunner();
  const own = !qr.isTransactionActive;
  const cursor = `month_records_${Math.floor(Math.random() * 1e9)}`;
  if (own) await qr.startTransaction();
  try {
    // The sort of the month's ~420,000 packed rows in memory rather than in temporary files; no JIT for one query.
    if (own) {
      await qr.query(`SET LOCAL work_mem = '${WORK_MEM}'`);
      await qr.query(`SET LOCAL jit = off`);
    }
    await qr.query(
      ...bind(
        m,
        `DECLARE ${cursor} NO SCROLL CURSOR FOR
         SELECT employee_id COLLATE "C" AS "employeeId", COUNT(*) AS n, string_agg(${PACKED}, E'\n' ORDER BY at, chain_key, seq) AS packed,
                json_object_agg(id, reason) FILTER (WHERE reason IS NOT NULL) AS reasons
           FROM time_record WHERE ${IN_MONTH}
          GROUP BY 1 ORDER BY 1`,
        [from, to, from],
      ),
    );
    let more = true;
    while (more) {
      const rows = (await qr.query(`FETCH ${BATCH} FROM ${cursor}`)) as Array<{ employeeId: string; n: string; packed: string; reasons: Record<string, string> | null }>;
      more = rows.length === BATCH;
      const employees: repo.EmployeeRow[] = [];
      const packed: RecordBatch['packed'] = [];
      const reasons: Record<string, string> = {};
      for (const r of rows) {
        const e = byId.get(r.employeeId);
        // Records of someone not employed this month (none should exist) are not theirs to print.
        if (!e) continue;
        byId.delete(r.employeeId);
        employees.push(e);
        packed.push({ employeeId: r.employeeId, n: Number(r.n), packed: r.packed });
        if (r.reasons) Object.assign(reasons, r.reasons);
      }
      if (employees.length) yield { employees, packed, reasons };
    }
    await qr.query(`CLOSE ${cursor}`);
  } finally {
    if (own) {
      await qr.rollbackTransaction().catch(() => undefined);
      if (!m.queryRunner) await qr.release();
    }
  }
  // Active workers with no record this month: an empty month each.
  const rest = [...byId.values()];
  for (let i = 0; i < rest.length; i += BATCH) yield { employees: rest.slice(i, i + BATCH), packed: [], reasons: {} };
}
/** Employees per chunk handed to a thread: small enough to keep both threads busy to the end of a batch. */
const CHUNK = 50;

export interface MonthlyRunTotals {
  employees: number;
  records: number;
  pdfBytes: number;
}

/** One worker's month as the run hands it out, beside their PDF. */
export interface MonthlyRunItem {
  employee: repo.EmployeeRow;
  month: string;
  records: number;
  workedMinutes: number;
  ordinaryMinutes: number;
  overtimeMinutes: number;
}

export interface MonthlyRunOptions {
  /** Drawing threads; default one per core (at most 4). 0 draws on the calling thread. */
  threads?: number;
}

// The thread's entry: plain JavaScript (it runs before any TypeScript loader), which registers tsx in the thread
// when the worker module is TypeScript (the back office runs from its sources under tsx and vitest), then loads it.
const BOOT = `
const { workerData } = require('node:worker_threads');
(async () => {
  if (workerData.tsx) (await import(workerData.tsx)).register();
  await import(workerData.module);
})().catch((e) => { setImmediate(() => { throw e; }); });
`;

function workerModule(): { module: string; tsx: string | null } {
  const here = fileURLToPath(import.meta.url);
  const ext = path.extname(here);
  const module = pathToFileURL(path.join(path.dirname(here), `month-worker${ext}`)).href;
  if (ext !== '.ts') return { module, tsx: null };
  // tsx's ESM entry (its CommonJS twin, which require.resolve names, cannot register the ESM hooks).
  const api = createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs');
  return { module, tsx: pathToFileURL(api).href };
}

/** Threads that draw chunks, each taking the next chunk when it is done with one. */
class DrawPool {
  private readonly idle: Worker[] = [];
  private readonly workers: Worker[] = [];
  private readonly queue: MonthTask[] = [];
  private readonly waiting = new Map<number, { resolve: (r: MonthTaskResult) => void; reject: (e: Error) => void }>();
  private failed: Error | null = null;

  constructor(threads: number) {
    const data = { ...workerModule(), tpvMonthWorker: true };
    for (let i = 0; i < threads; i++) {
      const w = new Worker(BOOT, { eval: true, workerData: data });
      w.on('message', (r: MonthTaskResult) => {
        const p = this.waiting.get(r.seq);
        this.waiting.delete(r.seq);
        if (r.error) p?.reject(new Error(`monthly run thread: ${r.error}`));
        else p?.resolve(r);
        this.next(w);
      });
      w.on('error', (e) => this.fail(e));
      w.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`monthly run thread exited with ${code}`));
      });
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  draw(task: MonthTask): Promise<MonthTaskResult> {
    if (this.failed) return Promise.reject(this.failed);
    const p = new Promise<MonthTaskResult>((resolve, reject) => this.waiting.set(task.seq, { resolve, reject }));
    this.queue.push(task);
    const w = this.idle.pop();
    if (w) this.next(w);
    return p;
  }

  private next(w: Worker) {
    const task = this.queue.shift();
    if (!task) return void this.idle.push(w);
    w.postMessage(task);
  }

  private fail(e: Error) {
    this.failed ??= e;
    for (const p of this.waiting.values()) p.reject(e);
    this.waiting.clear();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

export async function monthlyRecords(
  m: Db, clock: Clock, month: string, out: (item: MonthlyRunItem, pdf: Buffer) => Promise<void> | void, options: MonthlyRunOptions = {},
): Promise<MonthlyRunTotals> {
  const [y, mo] = month.split('-').map(Number) as [number, number];
  // A day's margin each side for the time zones; corrections and approvals made since the month began (their own `at` may lie elsewhere).
  const from = new Date(Date.UTC(y, mo - 1, 1) - 86_400_000).toISOString();
  const to = new Date(Date.UTC(y, mo, 1) + 86_400_000).toISOString();
  const threads = options.threads ?? Math.min(4, os.availableParallelism());
  // Threads start (load pdfkit and the drawing code) while the first queries run.
  const pool = threads > 0 ? new DrawPool(threads) : null;
  const inline = pool ? null : (await import('./month-worker')).drawMonths;
  try {
    const employees = await repo.listEmployees(m, null, null, { includeLeft: true });
    const active = employees.filter((e) => e.hiredOn < `${month}-32` && (e.leftOn === null || e.leftOn >= `${month}-01`));
    const contracts = await all<repo.ContractRow & { employeeId: string }>(
      m, `SELECT id, employee_id AS "employeeId", type, weekly_minutes AS "weeklyMinutes", starts_on AS "startsOn", ends_on AS "endsOn" FROM employee_contract ORDER BY starts_on, id`,
    );
    const zones = new Map((await all<{ id: string; tz: string | null }>(m, `SELECT id, timezone AS tz FROM store`)).map((s) => [s.id, s.tz ?? 'Europe/Madrid']));
    const companies: MonthTask['companies'] = {};
    for (const c of await all<{ id: string; legalName: string; nif: string }>(m, `SELECT id, legal_name AS "legalName", nif FROM company`)) companies[c.id] = { legalName: c.legalName, nif: c.nif };
    const contractsOf = new Map<string, repo.ContractRow[]>();
    for (const c of contracts) {
      const list = contractsOf.get(c.employeeId) ?? [];
      list.push({ id: c.id, type: c.type, weeklyMinutes: Number(c.weeklyMinutes), startsOn: c.startsOn, endsOn: c.endsOn });
      contractsOf.set(c.employeeId, list);
    }

    // Per batch of employees: their records packed in one string each (PACKED), the reasons apart.
    const batches = isPostgres(m) ? postgresBatches(m, active, from, to) : sqliteBatches(m, active, from, to);
    const byId = new Map(active.map((e) => [e.id, e]));
    let records = 0;
    let pdfBytes = 0;
    let seq = 0;
    const deliver = async (r: MonthTaskResult) => {
      for (const d of r.done) {
        pdfBytes += d.length;
        const employee = byId.get(d.employeeId)!;
        const { records: n, workedMinutes, ordinaryMinutes, overtimeMinutes } = d;
        await out({ employee, month, records: n, workedMinutes, ordinaryMinutes, overtimeMinutes }, Buffer.from(r.pdfs, d.offset, d.length));
      }
    };
    let previous: Array<Promise<void>> = [];
    let next = batches.next();
    // A failed drawing leaves `next` unawaited until the generator is closed below.
    next.catch(() => undefined);
    try {
    for (;;) {
      const got = await next;
      if (got.done) break;
      // The next batch is read while this one is drawn.
      next = batches.next();
      next.catch(() => undefined);
      const { employees: batch, packed, reasons: reasonOf } = got.value;
      const byEmployee = new Map<string, string>();
      for (const r of packed) {
        records += r.n;
        byEmployee.set(r.employeeId, r.packed);
      }
      const current: Array<Promise<void>> = [];
      for (let i = 0; i < batch.length; i += CHUNK) {
        const task: MonthTask = {
          seq: ++seq, month, now: clock.now(), companies, reasons: reasonOf,
          items: batch.slice(i, i + CHUNK).map((e) => ({
            employee: e, timeZone: e.storeId ? (zones.get(e.storeId) ?? 'Europe/Madrid') : 'Europe/Madrid', packed: byEmployee.get(e.id) ?? '', contracts: contractsOf.get(e.id) ?? [],
          })),
        };
        const drawn = pool ? pool.draw(task).then(deliver) : inline!(task).then(deliver);
        // Awaited with its batch; a failure before that is not an unhandled rejection.
        drawn.catch(() => undefined);
        current.push(drawn);
      }
      // At most two batches in flight: the previous one is drawn before a third is read.
      await Promise.all(previous);
      previous = current;
    }
    await Promise.all(previous);
    } finally {
      // Ends the PostgreSQL cursor's transaction (also when a drawing failed half way).
      await batches.return(undefined);
    }
    return { employees: active.length, records, pdfBytes };
  } finally {
    await pool?.close();
  }
}
