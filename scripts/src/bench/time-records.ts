/**
 * Monthly working-time records for 5,000 employees (issue 16, "must be true" 4: ≤ 10 s including PDFs):
 * `monthlyRecords` (backoffice/src/people/monthly-run.ts) — the month's records of every employee read,
 * each worker's shifts and totals (ordinary / overtime) built and their PDF rendered and written to a folder.
 *
 * Dataset, written straight into a fresh database per engine (not timed): 1 franchisee, 50 stores × 100
 * employees with contracts of 20/30/40 h; November 2026, every weekday a 09:00–17:00 shift with a
 * 13:00–13:30 break (4 records, 21 weekdays → 84 a worker, 420,000 in all), one worker in ten with a
 * correction approved by company and worker; each store's chain hashed as the service hashes it.
 * BENCH_TIME_RECORD_THREADS: drawing threads (default: monthlyRecords' own, one per core; 0 = on the main thread).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { DataSource } from 'typeorm';
import { openBackofficeDatabase } from '@tpv/backoffice/persistence/data-source';
import { hashFieldsOf, type TimeRecordRow } from '@tpv/backoffice/people/repository';
import { monthlyRecords } from '@tpv/backoffice/people/monthly-run';
import { exec, isPostgres } from '@tpv/backoffice/persistence/sql';
import { companyNifControl } from '@tpv/shared/nif';
import { timeRecordHash } from '@tpv/shared/people/time-chain';
import { round, type Figures } from './types';

const EMPLOYEES = Number(process.env.BENCH_TIME_RECORD_EMPLOYEES ?? 5_000);
const THREADS = process.env.BENCH_TIME_RECORD_THREADS === undefined ? undefined : Number(process.env.BENCH_TIME_RECORD_THREADS);
const STORES = 50;
const MONTH = '2026-11';
const PG_URL = process.env.PG_TEST_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const clock = { now: () => Date.UTC(2026, 11, 2, 9, 0, 0) };
const uid = (kind: number, n: number) => `00000000-0000-7000-8${kind.toString(16).padStart(3, '0')}-${n.toString(16).padStart(12, '0')}`;
const COMPANY = uid(0x710, 1);

/** A full garbage collection, with `--expose-gc` switched on at run time (the bench is not started with it). */
function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

/** Multi-row INSERTs of at most `per` rows (under both engines' parameter limits). */
async function insertMany(ds: DataSource, table: string, cols: string[], rows: unknown[][], per = 500): Promise<void> {
  const pg = isPostgres(ds.manager);
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    let n = 0;
    const values = chunk.map(() => `(${cols.map(() => (pg ? `$${++n}` : '?')).join(', ')})`).join(', ');
    await ds.query(`INSERT INTO ${table} (${cols.map((c) => `"${c}"`).join(', ')}) VALUES ${values}`, chunk.flat());
  }
}

async function seed(ds: DataSource): Promise<number> {
  const at = new Date(clock.now()).toISOString();
  const seven = '7100001';
  await exec(ds.manager, `INSERT INTO company (id, kind, nif, legal_name, trade_name, address) VALUES (?, 'franchisee', ?, 'Franquiciado Jornada S.L.', NULL, 'Calle Mayor 1, 28013 Madrid')`, [COMPANY, `B${seven}${companyNifControl(seven)}`]);
  const stores = Array.from({ length: STORES }, (_, i) => [uid(0x720, i + 1), `J${String(i + 1).padStart(3, '0')}`, COMPANY, `Tienda ${i + 1}`, null, 'Europe/Madrid']);
  await insertMany(ds, 'store', ['id', 'code', 'company_id', 'name', 'address', 'timezone'], stores);
  const employees: unknown[][] = [];
  const contracts: unknown[][] = [];
  const records: unknown[][] = [];
  const heads = new Map<string, { seq: number; hash: string }>();
  const append = (r: Omit<TimeRecordRow, 'seq' | 'prevHash' | 'hash'>) => {
    const head = heads.get(r.chainKey) ?? { seq: 0, hash: '' };
    const row = { ...r, seq: head.seq + 1, prevHash: head.hash };
    const hash = timeRecordHash(hashFieldsOf(row));
    heads.set(r.chainKey, { seq: row.seq, hash });
    records.push([row.id, row.chainKey, row.seq, row.companyId, row.storeId, row.employeeId, row.kind, row.event, row.at, row.correctsId, row.party, row.reason, row.source, row.terminalId, row.recordedBy, row.recordedAt, row.prevHash, hash]);
    return row.id;
  };
  let n = 0;
  const weekdays = Array.from({ length: 30 }, (_, i) => i + 1).filter((d) => ![0, 6].includes(new Date(Date.UTC(2026, 10, d)).getUTCDay()));
  for (let e = 0; e < EMPLOYEES; e++) {
    const id = uid(0x730, e + 1);
    const storeId = stores[e % STORES]![0] as string;
    employees.push([id, COMPANY, storeId, `J${e + 1}`, `Trabajador/a ${e + 1}`, null, null, null, null, '2026-01-01', null, null, null, at, 1]);
    contracts.push([uid(0x740, e + 1), id, 'indefinido', [1200, 1800, 2400][e % 3], '2026-01-01', null, at]);
  }
  // Chains grow in the order events happen: day by day, every worker of the store.
  for (const d of weekdays) {
    for (let e = 0; e < EMPLOYEES; e++) {
      const id = uid(0x730, e + 1);
      const storeId = stores[e % STORES]![0] as string;
      const ev = (kind: TimeRecordRow['kind'], h: number, m: number) => {
        const t = new Date(Date.UTC(2026, 10, d, h - 1, m)).toISOString();
        return append({ id: uid(0x750, ++n), chainKey: storeId, companyId: COMPANY, storeId, employeeId: id, kind, event: null, at: t, correctsId: null, party: null, reason: null, source: 'till', terminalId: null, recordedBy: 'till bench', recordedAt: t });
      };
      const clockIn = ev('clock_in', 9, 0);
      ev('break_start', 13, 0);
      ev('break_end', 13, 30);
      ev('clock_out', 17, 0);
      if (d === 30 && e % 10 === 0) {
        const t = new Date(Date.UTC(2026, 10, d, 18, 0)).toISOString();
        const base = { chainKey: storeId, companyId: COMPANY, storeId, employeeId: id, terminalId: null, recordedAt: t, reason: null, party: null, correctsId: null, event: null };
        const c = append({ ...base, id: uid(0x750, ++n), kind: 'correction', event: 'clock_in', at: new Date(Date.UTC(2026, 10, d, 7, 45)).toISOString(), correctsId: clockIn, reason: 'Entró antes', source: 'backoffice', recordedBy: 'user bench' });
        append({ ...base, id: uid(0x750, ++n), kind: 'approval', at: t, correctsId: c, party: 'company', source: 'backoffice', recordedBy: 'user bench' });
        append({ ...base, id: uid(0x750, ++n), kind: 'approval', at: t, correctsId: c, party: 'worker', source: 'self_service', recordedBy: `worker ${id}` });
      }
    }
  }
  await insertMany(ds, 'employee', ['id', 'company_id', 'store_id', 'code', 'name', 'job_title', 'till_role', 'staff_id', 'user_id', 'hired_on', 'left_on', 'leave_reason', 'self_service_hash', 'created_at', 'version'], employees);
  await insertMany(ds, 'employee_contract', ['id', 'employee_id', 'type', 'weekly_minutes', 'starts_on', 'ends_on', 'created_at'], contracts);
  await insertMany(ds, 'time_record', ['id', 'chain_key', 'seq', 'company_id', 'store_id', 'employee_id', 'kind', 'event', 'at', 'corrects_id', 'party', 'reason', 'source', 'terminal_id', 'recorded_by', 'recorded_at', 'prev_hash', 'hash'], records, 1000);
  await insertMany(ds, 'time_record_chain', ['chain_key', 'last_seq', 'last_hash'], [...heads].map(([k, h]) => [k, h.seq, h.hash]));
  return records.length;
}

export async function timeRecordFigures(engines: Array<'sqlite' | 'postgres'>, machine: () => string): Promise<Figures> {
  const figures: Figures = {};
  const seconds: Record<string, { s: number; cpuS: number; records: number; employees: number; kib: number; loadBefore: number }> = {};
  for (const engine of engines) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tpv-bench-time-records-'));
    const schema = `tpv_bench_timerec_${process.pid}`;
    const ds = engine === 'sqlite' ? await openBackofficeDatabase({ file: path.join(dir, 'people.sqlite') }) : await openBackofficeDatabase({ databaseUrl: PG_URL, schema });
    try {
      const records = await seed(ds);
      // The seeding's garbage (420,000 rows built and hashed in this process) is not the run's: collected before the clock starts.
      collectGarbage();
      const out = path.join(dir, 'pdf');
      mkdirSync(out);
      const loadBefore = os.loadavg()[0]!;
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      // Files written by libuv's thread pool while the next PDFs are made; all on disk before the clock stops.
      const writes: Array<Promise<void>> = [];
      const r = await monthlyRecords(ds.manager, clock, MONTH, (item, pdf) => void writes.push(writeFile(path.join(out, `${item.employee.code}-${MONTH}.pdf`), pdf)), THREADS === undefined ? {} : { threads: THREADS });
      await Promise.all(writes);
      const s = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const cpuS = (cpu.user + cpu.system) / 1e6;
      // BENCH_TIME_RECORD_PDF_OUT=/tmp/x.pdf keeps one worker's PDF (the first with a correction) to look at.
      if (process.env.BENCH_TIME_RECORD_PDF_OUT) writeFileSync(process.env.BENCH_TIME_RECORD_PDF_OUT, (await import('node:fs')).readFileSync(path.join(out, `J1-${MONTH}.pdf`)));
      if (r.employees !== EMPLOYEES || r.records < records) throw new Error(`monthly run saw ${r.employees} employees and ${r.records} records, seeded ${EMPLOYEES} and ${records}`);
      seconds[engine] = { s, cpuS, records, employees: r.employees, kib: Math.round(r.pdfBytes / 1024), loadBefore };
    } finally {
      if (engine === 'postgres') await ds.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
      await ds.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const describe = (e: string) => {
    const x = seconds[e]!;
    return (
      `${e}: ${round(x.s, 2)} s wall, this process's CPU ${round(x.cpuS, 2)} s over all its threads (main + drawing threads; not the PostgreSQL server's); ` +
      `load average ${x.loadBefore.toFixed(1)} when it started; ${x.records} records, ${x.kib} KiB of PDFs`
    );
  };
  const what =
    `monthlyRecords for ${EMPLOYEES} employees of 50 stores, November 2026 (21 weekday shifts with a break each, one in ten with a correction approved by both): ` +
    `employees and contracts read once, records packed by the database into one string per employee — SQLite: one indexed query per 500 employees; PostgreSQL: one query for the month read through a cursor, 500 employees a fetch — (the next batch read while this one is drawn), ` +
    `shifts + daily/weekly/monthly totals (ordinary/overtime) + one A4 PDF each drawn with pdfkit (Helvetica, not embedded, metrics parsed once per thread) in ${THREADS === 0 ? 'the main thread' : `${THREADS ?? `${Math.min(4, os.availableParallelism())} (one per core)`} worker threads`}, written to a folder`;
  // The SQLite figure under the issue's key; PostgreSQL's beside it.
  for (const [engine, key] of [['sqlite', 'monthly_time_records_5000_s'], ['postgres', 'monthly_time_records_5000_s_postgres']] as const) {
    if (!seconds[engine]) continue;
    figures[key] = { value: round(seconds[engine].s, 2), unit: 's', conditions: `${what}; ${describe(engine)}; target ≤ 10 s; ${machine()}` };
  }
  return figures;
}
