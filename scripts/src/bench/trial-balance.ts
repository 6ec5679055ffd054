/**
 * Trial-balance bench (issue 14 must-be-true 4): the trial balance of one company over 10 million journal lines,
 * ≤ 1 s on PostgreSQL: keys `trial_balance_10m_lines_ms_postgres` / `_sqlite` (p50 of a year; p95 and a month's
 * figures in the conditions). Timed: `trialBalance` (the whole work of GET …/trial-balance but the JSON) by
 * sub-account over 2026 and over June 2026, each beside the same range of 2025 — median of RUNS calls after a
 * warm-up. It reads acc_balance only, never acc_line.
 *
 * Dataset, seeded STRAIGHT into the tables once and reused (`seed_marker` 'bench-trial-…'), by INSERT … SELECT
 * over a generated series (recursive CTE on SQLite, generate_series on PostgreSQL): COMPANIES companies, each
 * with the chart of a POOL of 200 accounts (groups 1–7, 100 customers, 40 suppliers) in acc_account; entry e
 * (0…N/5−1) of company e mod COMPANIES, dated (e·7 mod 730) days after 2025-01-01, store (e mod 10) of its
 * company; 5 lines: four debits of 1,00–900,99 € on pool accounts (e·7 + k·13 mod 200) and the credit of their
 * sum (pool e·11 + 5 mod 200). acc_balance is then filled as the posting would have left it: one
 * INSERT … SELECT of the lines' sums per company, account, month and store.
 * Where: BENCH_TRIAL_SQLITE (default data/bench/trial-balance-bench.sqlite), PostgreSQL schema tpv_bench_trial.
 * Size: BENCH_TRIAL_LINES (10,000,000), BENCH_TRIAL_COMPANIES (20).
 */
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DataSource } from 'typeorm';
import { openBackofficeDatabase } from '@tpv/backoffice/persistence/data-source';
import { engineOfDs } from '@tpv/backoffice/persistence/raw';
import { hasMarker, markerDetail, setMarker, withBulkLoad } from '@tpv/backoffice/tickets/seeding/write';
import { trialBalance } from '@tpv/backoffice/accounting/books/books';
import { companyNifControl } from '@tpv/shared/nif';
import { natureOf } from '@tpv/shared/accounting/pgc';
import { percentile, round, type Figures } from './types';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const PG_URL = process.env.PG_TEST_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const LINES = Number(process.env.BENCH_TRIAL_LINES ?? 10_000_000);
const COMPANIES = Number(process.env.BENCH_TRIAL_COMPANIES ?? 20);
const PER_ENTRY = 5;
const ENTRIES = Math.floor(LINES / PER_ENTRY);
const RUNS = 15;

const uid = (kind: number, n: number) => `00000000-0000-7000-8${kind.toString(16).padStart(3, '0')}-${n.toString(16).padStart(12, '0')}`;
const companyId = (c: number) => uid(0xb10, c + 1);

const FIXED = [
  '10000000', '11200000', '11300000', '12000000', '17000000', '20600000', '21600000', '21700000', '28160000', '30000000', '41000001', '41000002', '43800000',
  '47202100', '47201000', '47300000', '47510000', '47600000', '47702100', '47701000', '47710520', '52000000', '55500000', '57000000', '57200000', '57200001',
  '60000000', '61000000', '62100000', '62200000', '62300000', '62500000', '62600000', '62700000', '62800000', '62900000', '63100000', '64000000', '64200000',
  '65000000', '66200000', '67800000', '68100000', '70002100', '70001000', '70000400', '70502100', '70800000', '75900000', '76900000', '77800000', '63000000',
  '10100000', '11800000', '13000000', '25000000', '54000000', '56000000', '48000000', '48500000',
];
const POOL = [...FIXED, ...Array.from({ length: 100 }, (_, i) => `430${String(i + 1).padStart(5, '0')}`), ...Array.from({ length: 40 }, (_, i) => `400${String(i + 1).padStart(5, '0')}`)];

function entrySelect(pg: boolean): string {
  const hex12 = (x: string) => (pg ? `lpad(to_hex(${x}), 12, '0')` : `printf('%012x', ${x})`);
  const date = pg ? `to_char(DATE '2025-01-01' + ((e * 7) % 730)::int, 'YYYY-MM-DD')` : `date('2025-01-01', ((e * 7) % 730) || ' days')`;
  const total = [0, 1, 2, 3].map((k) => `(100 + ((e * 31 + ${k * 977}) % 90000))`).join(' + ');
  return `SELECT '00000000-0000-7000-8b30-' || ${hex12('e')}, '00000000-0000-7000-8b10-' || ${hex12(`(e % ${COMPANIES} + 1)`)},
    CAST(substr(${date}, 1, 4) AS integer), e / ${COMPANIES} + 1, ${date}, substr(${date}, 1, 7), ${date}, 'sales', 'till_session', 'bench-' || e, NULL, NULL,
    'Ventas del día ' || e, ${total}, NULL, NULL, NULL, '2026-11-30T06:00:00.000Z', NULL`;
}

function lineSelect(pg: boolean): string {
  const hex12 = (x: string) => (pg ? `lpad(to_hex(${x}), 12, '0')` : `printf('%012x', ${x})`);
  const e = `(i / ${PER_ENTRY})`;
  const k = `(i % ${PER_ENTRY})`;
  const date = pg ? `to_char(DATE '2025-01-01' + ((${e} * 7) % 730)::int, 'YYYY-MM-DD')` : `date('2025-01-01', ((${e} * 7) % 730) || ' days')`;
  const d = (kk: string) => `(100 + ((${e} * 31 + ${kk} * 977) % 90000))`;
  const total = [0, 1, 2, 3].map((x) => d(String(x))).join(' + ');
  return `SELECT '00000000-0000-7000-8b30-' || ${hex12(e)}, ${k} + 1, '00000000-0000-7000-8b10-' || ${hex12(`(${e} % ${COMPANIES} + 1)`)}, p.code, ${date},
    CASE WHEN ${k} < 4 THEN ${d(k)} ELSE 0 END, CASE WHEN ${k} = 4 THEN ${total} ELSE 0 END,
    '00000000-0000-7000-8b20-' || ${hex12(`((${e} % ${COMPANIES}) * 10 + ${e} % 10)`)}, NULL
    FROM s JOIN pool p ON p.idx = CASE WHEN ${k} < 4 THEN (${e} * 7 + ${k} * 13) % ${POOL.length} ELSE (${e} * 11 + 5) % ${POOL.length} END`;
}

async function seed(ds: DataSource, log: (m: string) => void): Promise<string> {
  const marker = `bench-trial-${LINES}-${COMPANIES}`;
  if (await hasMarker(ds, marker)) return `dataset reused (seed_marker: ${await markerDetail(ds, marker)})`;
  const pg = engineOfDs(ds) === 'postgres';
  const t0 = performance.now();
  const ph = (n: number) => Array.from({ length: n }, (_, i) => (pg ? `$${i + 1}` : '?')).join(', ');
  const run = async (sql: string) => {
    if (!pg) return void (await ds.query(sql));
    await ds.transaction(async (m) => {
      await m.query('SET LOCAL synchronous_commit = off');
      await m.query(sql);
    });
  };
  await withBulkLoad(ds, async () => {
    for (let c = 0; c < COMPANIES; c++) {
      const seven = String(6_000_000 + c * 7_919).padStart(7, '0');
      await ds.query(`INSERT INTO company (id, kind, nif, legal_name, trade_name, address) VALUES (${ph(4)}, NULL, NULL) ON CONFLICT (id) DO NOTHING`, [companyId(c), 'franchisee', `B${seven}${companyNifControl(seven)}`, `Contable Bench ${c + 1} S.L.`]);
      for (const code of POOL) {
        await ds.query(`INSERT INTO acc_account (company_id, code, name, nature, postable, created_at) VALUES (${ph(6)}) ON CONFLICT DO NOTHING`, [companyId(c), code, `Cuenta ${code}`, natureOf(code), pg ? true : 1, '2026-11-30T06:00:00.000Z']);
      }
    }
    const pool = `pool(idx, code) AS (VALUES ${POOL.map((c, i) => `(${i}, '${c}')`).join(', ')})`;
    const ENTRY_COLS = 'id, company_id, year, number, entry_date, period, document_date, kind, source_type, source_id, source_key, source_ref, description, total_cents, reverses_id, reversed_by_id, attachments, created_at, created_by';
    const LINE_COLS = 'entry_id, line_no, company_id, account, entry_date, debit_cents, credit_cents, store_id, description';
    if (pg) {
      await run(`INSERT INTO acc_entry (${ENTRY_COLS}) ${entrySelect(true)} FROM generate_series(0::bigint, ${ENTRIES - 1}::bigint) e`);
      log(`  ${ENTRIES} entries ${round((performance.now() - t0) / 1000, 0)} s`);
      await run(`WITH ${pool}, s AS (SELECT i FROM generate_series(0::bigint, ${ENTRIES * PER_ENTRY - 1}::bigint) i) INSERT INTO acc_line (${LINE_COLS}) ${lineSelect(true)}`);
    } else {
      await run(`WITH RECURSIVE s(e) AS (SELECT 0 UNION ALL SELECT e + 1 FROM s WHERE e < ${ENTRIES - 1}) INSERT INTO acc_entry (${ENTRY_COLS}) ${entrySelect(false)} FROM s`);
      log(`  ${ENTRIES} entries ${round((performance.now() - t0) / 1000, 0)} s`);
      await run(`WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < ${ENTRIES * PER_ENTRY - 1}), ${pool} INSERT INTO acc_line (${LINE_COLS}) ${lineSelect(false)}`);
    }
    log(`  ${ENTRIES * PER_ENTRY} lines ${round((performance.now() - t0) / 1000, 0)} s`);
    // As the posting would have left it: the lines' sums per company, account, month and store.
    await run(
      `INSERT INTO acc_balance (company_id, account, period, store_id, debit_cents, credit_cents, line_count)
       SELECT company_id, account, substr(entry_date, 1, 7), COALESCE(store_id, ''), SUM(debit_cents), SUM(credit_cents), COUNT(*) FROM acc_line GROUP BY company_id, account, substr(entry_date, 1, 7), COALESCE(store_id, '')`,
    );
    const rows = await ds.query(`SELECT COUNT(*) AS n FROM acc_balance`);
    log(`  acc_balance ${Number(rows[0].n)} rows ${round((performance.now() - t0) / 1000, 0)} s`);
    await ds.query(pg ? 'VACUUM ANALYZE acc_balance' : 'ANALYZE');
    await setMarker(ds, marker, `${ENTRIES * PER_ENTRY} journal lines (${ENTRIES} entries of 5 lines) of ${COMPANIES} companies over 2025–2026, 200 accounts, 10 stores each, acc_balance ${Number(rows[0].n)} rows; seeded in ${round((performance.now() - t0) / 1000, 0)} s on ${new Date().toISOString().slice(0, 10)}`);
  });
  return `seeded now: ${await markerDetail(ds, marker)}`;
}

async function timeCalls(call: () => Promise<unknown>) {
  const t0 = performance.now();
  await call();
  const cold = performance.now() - t0;
  const ms: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const s = performance.now();
    await call();
    ms.push(performance.now() - s);
  }
  return { ms, cold };
}

async function timeEngine(engine: 'sqlite' | 'postgres', log: (m: string) => void) {
  let ds: DataSource;
  if (engine === 'sqlite') {
    const file = path.resolve(process.env.BENCH_TRIAL_SQLITE ?? path.join(repoRoot, 'data/bench/trial-balance-bench.sqlite'));
    mkdirSync(path.dirname(file), { recursive: true });
    ds = await openBackofficeDatabase({ file });
  } else {
    ds = await openBackofficeDatabase({ databaseUrl: PG_URL, schema: process.env.BENCH_TRIAL_PG_SCHEMA ?? 'tpv_bench_trial' });
  }
  try {
    log(`[${engine}] seeding (skipped when already there)…`);
    const seeded = await seed(ds, log);
    const company = companyId(0);
    const year = await timeCalls(() => trialBalance(ds.manager, company, { from: '2026-01', to: '2026-12', level: 8, storeId: undefined }));
    const month = await timeCalls(() => trialBalance(ds.manager, company, { from: '2026-06', to: '2026-06', level: 8, storeId: undefined }));
    const t = await trialBalance(ds.manager, company, { from: '2026-01', to: '2026-12', level: 8, storeId: undefined });
    if (t.totals.debitCents !== t.totals.creditCents || t.totals.closingCents !== 0) throw new Error(`trial balance does not balance: ${JSON.stringify(t.totals)}`);
    const lines = await ds.query(`SELECT COUNT(*) AS n FROM acc_line`);
    log(`  year p50 ${round(percentile(year.ms, 50), 1)} ms p95 ${round(percentile(year.ms, 95), 1)} (first ${round(year.cold, 0)}); month p50 ${round(percentile(month.ms, 50), 1)} ms; ${t.rows.length} accounts`);
    return { year, month, accounts: t.rows.length, lines: Number(lines[0].n), seeded };
  } finally {
    await ds.destroy();
  }
}

const machine = () => `${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}`;

/** Called from the backoffice bench when its parts include `trial-balance`. */
export async function trialBalanceFigures(engines: ReadonlyArray<'sqlite' | 'postgres'>, log: (m: string) => void = console.log): Promise<Figures> {
  const figures: Figures = {};
  for (const engine of engines) {
    const r = await timeEngine(engine, log);
    const where = engine === 'sqlite' ? 'SQLite (WAL, file)' : 'PostgreSQL 127.0.0.1';
    figures[`trial_balance_10m_lines_ms_${engine}`] = {
      value: round(percentile(r.year.ms, 50), 1),
      unit: 'ms',
      conditions:
        `${where}, trial balance by sub-account of one company (trialBalance, the work of GET /api/accounting/companies/:id/trial-balance: one GROUP BY account over acc_balance with CASE sums for the opening, the range and the same range a year earlier), ` +
        `${r.lines} journal lines in all, ${r.accounts} accounts; year 2026: p50 ${round(percentile(r.year.ms, 50), 1)} p95 ${round(percentile(r.year.ms, 95), 1)} ms (first ${round(r.year.cold, 0)}); ` +
        `June 2026: p50 ${round(percentile(r.month.ms, 50), 1)} p95 ${round(percentile(r.month.ms, 95), 1)} ms; ${RUNS} runs; ${r.seeded}; ${machine()}; target 1000 ms on PostgreSQL`,
    };
  }
  return figures;
}
