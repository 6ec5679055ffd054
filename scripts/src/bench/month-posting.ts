/**
 * Month posting bench (issue 14 must-be-true 4): the tills' daily sales entries of a month of 500 stores —
 * one entry per till session and day, 15,000 entries — ≤ 30 s: keys `month_posting_500_stores_s_sqlite` /
 * `_postgres`, and `month_posting_500_stores_s` = the slower of the two. Timed: `postDailySales` (what the job
 * `accounting.post-sales` runs) for November 2026 over every company, through the journal's one way in
 * (postEntry: balance check, gapless numbering, acc_balance kept) and the rollups marked posted.
 *
 * Dataset, seeded STRAIGHT into the rollups the ingest keeps (pending, as the ingest leaves them), fresh each
 * run: 100 franchisee companies × 5 stores, one till per store, one session per day for 30 days; per session
 * three IVA rates (21 %, 10 %, 4 %; one store in ten also charges recargo 5,2 / 1,4 / 0,5 %), payments in
 * cash, card, now and then vouchers, and in one store in four an on-account customer of its company.
 * Where: a temp SQLite file; PostgreSQL schema tpv_bench_month_posting. Size: BENCH_MONTH_POSTING_STORES (500),
 * BENCH_MONTH_POSTING_COMPANIES (100).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DataSource } from 'typeorm';
import { openBackofficeDatabase } from '@tpv/backoffice/persistence/data-source';
import { postDailySales } from '@tpv/backoffice/accounting/sales/posting';
import { seededRandom } from '@tpv/shared/prng';
import { companyNifControl } from '@tpv/shared/nif';
import { round, type Figures } from './types';
import { bulk, dropPgSchema } from './bulk-insert';

const PG_URL = process.env.PG_TEST_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const STORES = Number(process.env.BENCH_MONTH_POSTING_STORES ?? 500);
const COMPANIES = Math.min(STORES, Number(process.env.BENCH_MONTH_POSTING_COMPANIES ?? 100));
const DAYS = 30;
const SCHEMA = 'tpv_bench_month_posting';
const NOW = Date.UTC(2026, 11, 2, 8, 0, 0);
const clock = { now: () => NOW };
const uid = (kind: number, n: number) => `00000000-0000-7000-8${kind.toString(16).padStart(3, '0')}-${n.toString(16).padStart(12, '0')}`;
const RATES: Array<[number, number]> = [[2100, 520], [1000, 140], [400, 50]];

async function seed(ds: DataSource): Promise<{ text: string; totalCents: number }> {
  const t0 = performance.now();
  const rnd = seededRandom(14_014);
  const nif = (i: number) => {
    const seven = String(6_000_000 + i * 7_919).padStart(7, '0');
    return `B${seven}${companyNifControl(seven)}`;
  };
  const companyOf = (s: number) => uid(0xe10, 1 + (s % COMPANIES));
  await bulk(ds, 'company', [['id', 'varchar'], ['kind', 'varchar'], ['nif', 'varchar'], ['legal_name', 'varchar']], Array.from({ length: COMPANIES }, (_, c) => [uid(0xe10, c + 1), 'franchisee', nif(c), `Franquiciado Asientos ${c + 1} S.L.`]));
  await bulk(ds, 'store', [['id', 'varchar'], ['code', 'varchar'], ['company_id', 'varchar'], ['name', 'varchar'], ['timezone', 'varchar']], Array.from({ length: STORES }, (_, s) => [uid(0xe20, s + 1), `P${String(s + 1).padStart(4, '0')}`, companyOf(s), `Tienda ${s + 1}`, 'Europe/Madrid']));
  await bulk(ds, 'terminal', [['id', 'varchar'], ['store_id', 'varchar'], ['code', 'varchar'], ['name', 'varchar'], ['installation', 'varchar'], ['last_acked_seq', 'int'], ['catalog_version', 'int']], Array.from({ length: STORES }, (_, s) => [uid(0xe30, s + 1), uid(0xe20, s + 1), '01', 'Caja 01', `P${String(s + 1).padStart(4, '0')}-01`, 0, 0]));
  const onAccountStores = Array.from({ length: STORES }, (_, s) => s).filter((s) => s % 4 === 0);
  await bulk(ds, 'customer', [['id', 'varchar'], ['name', 'varchar']], onAccountStores.map((s) => [uid(0xe40, s + 1), `Cliente de la tienda ${s + 1} S.L.`]));
  const tax: unknown[][] = [];
  const pay: unknown[][] = [];
  let totalCents = 0;
  for (let s = 0; s < STORES; s++) {
    const store = uid(0xe20, s + 1);
    const terminal = uid(0xe30, s + 1);
    const re = s % 10 === 9;
    for (let d = 1; d <= DAYS; d++) {
      const date = `2026-11-${String(d).padStart(2, '0')}`;
      const session = `S-${s + 1}-${d}`;
      let total = 0;
      for (const [rate, reRate] of RATES) {
        const base = Math.round((rate === 2100 ? 60_000 : rate === 1000 ? 90_000 : 30_000) * (0.5 + rnd())) - Math.round(800 * rnd()); // returns netted in
        const iva = Math.round((base * rate) / 10_000);
        const rec = re ? Math.round((base * reRate) / 10_000) : 0;
        tax.push([terminal, session, date, rate, re ? reRate : 0, store, base, iva, rec, 0, 0, 0, true]);
        total += base + iva + rec;
      }
      const card = Math.round(total * (0.35 + 0.2 * rnd()));
      const voucher = d % 3 === 0 ? Math.round(total * 0.02) : 0;
      const onAccount = s % 4 === 0 ? Math.round(total * 0.05) : 0;
      const cash = total - card - voucher - onAccount;
      pay.push([terminal, session, date, 'cash', '', store, cash, 0, true]);
      pay.push([terminal, session, date, 'card', '', store, card, 0, true]);
      if (voucher) pay.push([terminal, session, date, 'voucher', '', store, voucher, 0, true]);
      if (onAccount) pay.push([terminal, session, date, 'on_account', uid(0xe40, s + 1), store, onAccount, 0, true]);
      totalCents += total;
    }
  }
  await bulk(ds, 'sales_tax_session', [['terminal_id', 'varchar'], ['session_id', 'varchar'], ['business_date', 'varchar'], ['iva_rate_bp', 'int'], ['re_rate_bp', 'int'], ['store_id', 'varchar'], ['base_cents', 'bigint'], ['iva_cents', 'bigint'], ['re_cents', 'bigint'], ['posted_base_cents', 'bigint'], ['posted_iva_cents', 'bigint'], ['posted_re_cents', 'bigint'], ['pending', 'bool']], tax);
  await bulk(ds, 'sales_pay_session', [['terminal_id', 'varchar'], ['session_id', 'varchar'], ['business_date', 'varchar'], ['method', 'varchar'], ['customer_id', 'varchar'], ['store_id', 'varchar'], ['amount_cents', 'bigint'], ['posted_cents', 'bigint'], ['pending', 'bool']], pay);
  await ds.query('ANALYZE');
  return {
    text: `${COMPANIES} companies, ${STORES} stores × ${DAYS} days (one till session a day): sales_tax_session ${tax.length} rows, sales_pay_session ${pay.length} rows (${onAccountStores.length} stores with an on-account customer, vouchers every third day), seeded in ${round((performance.now() - t0) / 1000, 1)} s`,
    totalCents,
  };
}

async function timeEngine(engine: 'sqlite' | 'postgres', log: (m: string) => void) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tpv-bench-month-posting-'));
  if (engine === 'postgres') await dropPgSchema(PG_URL, SCHEMA);
  const ds = engine === 'sqlite' ? await openBackofficeDatabase({ file: path.join(dir, 'month-posting.sqlite') }) : await openBackofficeDatabase({ databaseUrl: PG_URL, schema: SCHEMA });
  try {
    log(`[month-posting ${engine}] seeding…`);
    const seeded = await seed(ds);
    log(`  ${seeded.text}`);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let lastLog = 0;
    const r = await postDailySales(ds, clock, { companyIds: null, throughDate: '2026-11-30', by: null }, async (done, total) => {
      if (done - lastLog < 20 && done !== total) return;
      log(`  ${done}/${total} companies`);
      lastLog = done;
    });
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    // What was posted must be the month: every session-day once, balanced, nothing left pending.
    const [n] = await ds.query(`SELECT COUNT(*) AS n, SUM(total_cents) AS t FROM acc_entry WHERE source_type = 'till_session'`);
    const [lines] = await ds.query(`SELECT COUNT(*) AS n FROM acc_line`);
    const [tb] = await ds.query(`SELECT SUM(debit_cents) AS d, SUM(credit_cents) AS c FROM acc_balance`);
    const [left] = await ds.query(`SELECT (SELECT COUNT(*) FROM sales_tax_session WHERE pending) + (SELECT COUNT(*) FROM sales_pay_session WHERE pending) AS n`);
    if (Number(n.n) !== STORES * DAYS || r.entries !== STORES * DAYS) throw new Error(`expected ${STORES * DAYS} entries, got ${n.n} (${r.entries})`);
    if (Number(tb.d) !== Number(tb.c)) throw new Error(`trial balance off: ${tb.d} ≠ ${tb.c}`);
    if (Number(left.n) !== 0) throw new Error(`${left.n} rollup rows still pending`);
    const sumTotals = (await ds.query(`SELECT SUM(debit_cents) AS d FROM acc_line WHERE account LIKE '570%' OR account LIKE '555%' OR account LIKE '438%' OR account LIKE '430%'`))[0];
    if (Number(sumTotals.d) !== seeded.totalCents) throw new Error(`means of payment ${sumTotals.d} ≠ seeded totals ${seeded.totalCents}`);
    return {
      seconds,
      detail: `${r.entries} entries, ${Number(lines.n)} lines, Σ ${(Number(n.t) / 100).toFixed(2)} € over ${r.companies} companies; process CPU ${round((cpu.user + cpu.system) / 1e6, 1)} s`,
      seeded: seeded.text,
    };
  } finally {
    await ds.destroy();
    rmSync(dir, { recursive: true, force: true });
    if (engine === 'postgres') await dropPgSchema(PG_URL, SCHEMA);
  }
}

/** Called from the backoffice bench when its parts include `month-posting`. */
export async function monthPostingFigures(engines: ReadonlyArray<'sqlite' | 'postgres'>, log: (m: string) => void = console.log): Promise<Figures> {
  const figures: Figures = {};
  const which = (process.env.BENCH_MONTH_POSTING_ENGINES?.split(',').map((s) => s.trim()) as Array<'sqlite' | 'postgres'> | undefined) ?? engines;
  let slowest: { engine: string; seconds: number } | null = null;
  const parts: string[] = [];
  for (const engine of which) {
    const r = await timeEngine(engine, log);
    const where = engine === 'sqlite' ? 'SQLite (WAL, temp file)' : `PostgreSQL 127.0.0.1 (schema ${SCHEMA}, 4 companies at once)`;
    const load = `${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}`;
    figures[`month_posting_500_stores_s_${engine}`] = {
      value: round(r.seconds, 2),
      unit: 's',
      conditions:
        `${where}: postDailySales for 2026-11 over every company (what the job accounting.post-sales runs: pending rollup rows read per company and group of days, one entry per till session and day through postEntry, rows marked posted in bulk): ${r.detail}. ` +
        `Dataset: ${r.seeded} — the ROLLUPS ARE SEEDED (as the ingest keeps them), not tickets; accounting-sales-posting.test.ts proves the entries equal the tickets through the real ingest; ${load}`,
    };
    parts.push(`${engine} ${round(r.seconds, 2)} s`);
    if (!slowest || r.seconds > slowest.seconds) slowest = { engine, seconds: r.seconds };
  }
  if (slowest) {
    figures.month_posting_500_stores_s = {
      value: round(slowest.seconds, 2),
      unit: 's',
      conditions: `the slower engine measured (${slowest.engine}); ${parts.join(', ')}; target ≤ 30 s; ${STORES} stores × ${DAYS} days (see month_posting_500_stores_s_<engine>)`,
    };
  }
  return figures;
}
