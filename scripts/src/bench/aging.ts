/**
 * Aging bench (issue 13 must-be-true 5): the aging report over 1,000,000 open items, ≤ 1 s on SQLite and on
 * PostgreSQL: keys `aging_1m_items_ms_sqlite` / `_postgres`, and `aging_1m_items_ms` = the slower of the two.
 * Timed: the query of `GET /api/collections/aging` (`agingOf`, the route's whole work but the JSON), as HQ over
 * every company (all 1 M items grouped) — median of RUNS calls after one warm-up; a franchisee's report (its
 * ~18,000 items) is reported beside it.
 *
 * Dataset, seeded STRAIGHT into `open_item` once and reused (`seed_marker` 'bench-aging-…'), by one
 * INSERT … SELECT over a generated series on each engine (a recursive CTE on SQLite, generate_series on
 * PostgreSQL): 51 companies (franchisor + 50 franchisees); item i (0…N−1): every 10th is what a franchisee
 * owes HQ (counterparty: franchisee 1 + (⌊i/10⌋ mod 50)), the rest an on-account sale to one of 20,000 customers
 * (c = i mod 20,000) of franchisee 1 + (⌊i/10⌋ mod 50) (= ⌊c/10⌋ mod 50: a customer buys from one franchisee); due dates spread from 400 days before the as-of day to 59 days
 * after ((i·7919 mod 460) − 400); amount 10,00–509,99 €, one item in five half paid (status partial). Every
 * item is owed: the index holds all N of them (the worst case; paid items would fall out of the partial index).
 * Where: BENCH_AGING_SQLITE (default data/bench/aging-bench.sqlite), PostgreSQL schema tpv_bench_aging.
 * Size: BENCH_AGING_ITEMS (1,000,000).
 */
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DataSource } from 'typeorm';
import { openBackofficeDatabase } from '@tpv/backoffice/persistence/data-source';
import { engineOfDs } from '@tpv/backoffice/persistence/raw';
import { hasMarker, markerDetail, setMarker, withBulkLoad } from '@tpv/backoffice/tickets/seeding/write';
import { agingOf } from '@tpv/backoffice/collections/aging/repository';
import { companyNifControl } from '@tpv/shared/nif';
import { percentile, round, type Figures } from './types';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const PG_URL = process.env.PG_TEST_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ITEMS = Number(process.env.BENCH_AGING_ITEMS ?? 1_000_000);
const FRANCHISEES = 50;
const CUSTOMERS = 20_000;
const RUNS = 9;
const AS_OF = '2026-11-30';

const uid = (kind: number, n: number) => `00000000-0000-7000-8${kind.toString(16).padStart(3, '0')}-${n.toString(16).padStart(12, '0')}`;
const companyId = (c: number) => uid(0xa10, c + 1);

/** The item columns as SQL over the series value `i`, per engine (the same formulas). */
function itemSelect(pg: boolean): string {
  const hex12 = (x: string) => (pg ? `lpad(to_hex(${x}), 12, '0')` : `printf('%012x', ${x})`);
  const id = (kind: string, x: string) => `'00000000-0000-7000-8${kind}-' || ${hex12(x)}`;
  const div = (a: string, b: number) => (pg ? `(${a} / ${b})` : `(${a} / ${b})`);
  const offset = `(((i * 7919) % 460) - 400)`;
  const due = pg ? `to_char(DATE '${AS_OF}' + ${offset}::int, 'YYYY-MM-DD')` : `date('${AS_OF}', ${offset} || ' days')`;
  const issue = pg ? `to_char(DATE '${AS_OF}' + ${offset}::int - 30, 'YYYY-MM-DD')` : `date('${AS_OF}', (${offset} - 30) || ' days')`;
  const hq = `i % 10 = 0`;
  const amount = `(1000 + (i * 37) % 50000)`;
  const now = `'${AS_OF}T06:00:00.000Z'`;
  return `SELECT ${id('a20', 'i')},
    CASE WHEN ${hq} THEN ${id('a10', '1')} ELSE ${id('a10', `(2 + ${div('i', 10)} % ${FRANCHISEES})`)} END,
    'receivable', 'invoice_due', ${id('a30', 'i')}, 0, 'AGB-' || i,
    CASE WHEN ${hq} THEN 'company' ELSE 'customer' END,
    CASE WHEN ${hq} THEN ${id('a10', `(2 + ${div('i', 10)} % ${FRANCHISEES})`)} ELSE ${id('a40', `(i % ${CUSTOMERS})`)} END,
    CASE WHEN ${hq} THEN 'Franquiciado ' || (1 + ${div('i', 10)} % ${FRANCHISEES}) ELSE 'Cliente ' || (i % ${CUSTOMERS}) END,
    NULL, ${issue}, ${due}, ${amount},
    CASE WHEN i % 5 = 0 THEN ${amount} / 2 ELSE ${amount} END,
    CASE WHEN i % 5 = 0 THEN 'partial' ELSE 'open' END,
    ${now}, ${now}`;
}

const COLS = 'id, company_id, side, kind, source_id, source_idx, document_ref, counterparty_kind, counterparty_id, counterparty_name, store_id, issue_date, due_date, amount_cents, balance_cents, status, created_at, updated_at';

async function seed(ds: DataSource, log: (m: string) => void): Promise<string> {
  const marker = `bench-aging-${ITEMS}`;
  if (await hasMarker(ds, marker)) return `dataset reused (seed_marker: ${await markerDetail(ds, marker)})`;
  const pg = engineOfDs(ds) === 'postgres';
  const t0 = performance.now();
  await withBulkLoad(ds, async () => {
    const ph = (n: number) => Array.from({ length: n }, (_, i) => (pg ? `$${i + 1}` : '?')).join(', ');
    for (let c = 0; c <= FRANCHISEES; c++) {
      const seven = String(5_000_000 + c * 7_919).padStart(7, '0');
      await ds.query(`INSERT INTO company (id, kind, nif, legal_name, trade_name, address) VALUES (${ph(4)}, NULL, NULL) ON CONFLICT (id) DO NOTHING`, [companyId(c), c === 0 ? 'franchisor' : 'franchisee', `B${seven}${companyNifControl(seven)}`, c === 0 ? 'Franquicia Bench S.L.' : `Franquiciado ${c} S.L.`]);
    }
    const series = pg ? `generate_series(0::bigint, ${ITEMS - 1}::bigint) i` : `s`;
    const sql = pg
      ? `INSERT INTO open_item (${COLS}) ${itemSelect(true)} FROM ${series}`
      : `WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < ${ITEMS - 1}) INSERT INTO open_item (${COLS}) ${itemSelect(false)} FROM ${series}`;
    if (pg) {
      await ds.transaction(async (m) => {
        await m.query('SET LOCAL synchronous_commit = off');
        await m.query(sql);
      });
    } else {
      // SQLite: the recursive CTE must come first — `WITH … INSERT` is valid there.
      await ds.query(sql);
    }
    log(`  ${ITEMS} open items ${round((performance.now() - t0) / 1000, 0)} s`);
    await ds.query(pg ? 'VACUUM ANALYZE open_item' : 'ANALYZE');
    await setMarker(ds, marker, `${ITEMS} open items (all owed, 1 in 5 half paid; 1 in 10 owed by a franchisee to HQ, the rest by 20,000 customers of 50 franchisees), due dates over 460 days, seeded in ${round((performance.now() - t0) / 1000, 0)} s on ${new Date().toISOString().slice(0, 10)}`);
  });
  return `seeded now: ${await markerDetail(ds, marker)}`;
}

async function timeEngine(engine: 'sqlite' | 'postgres', log: (m: string) => void) {
  let ds: DataSource;
  if (engine === 'sqlite') {
    const file = path.resolve(process.env.BENCH_AGING_SQLITE ?? path.join(repoRoot, 'data/bench/aging-bench.sqlite'));
    mkdirSync(path.dirname(file), { recursive: true });
    ds = await openBackofficeDatabase({ file });
  } else {
    ds = await openBackofficeDatabase({ databaseUrl: PG_URL, schema: process.env.BENCH_AGING_PG_SCHEMA ?? 'tpv_bench_aging' });
  }
  try {
    log(`[${engine}] seeding (skipped when already there)…`);
    const seeded = await seed(ds, log);
    if (engine === 'postgres') await ds.query('VACUUM ANALYZE open_item');
    const hqCall = () => agingOf(ds.manager, 'receivable', AS_OF, { companyIds: null }, 500);
    const t0 = performance.now();
    const first = await hqCall();
    const cold = performance.now() - t0;
    const ms: number[] = [];
    let last = first;
    for (let r = 0; r < RUNS; r++) {
      const s = performance.now();
      last = await hqCall();
      ms.push(performance.now() - s);
    }
    const franchisee = [companyId(1)];
    const fms: number[] = [];
    let fr = await agingOf(ds.manager, 'receivable', AS_OF, { companyIds: franchisee }, 500);
    for (let r = 0; r < RUNS; r++) {
      const s = performance.now();
      fr = await agingOf(ds.manager, 'receivable', AS_OF, { companyIds: franchisee }, 500);
      fms.push(performance.now() - s);
    }
    log(`  HQ p50 ${round(percentile(ms, 50), 0)} ms (first ${round(cold, 0)}), ${last.total.items} items, ${last.counterparties} counterparties; franchisee p50 ${round(percentile(fms, 50), 0)} ms, ${fr.total.items} items`);
    return { ms, cold, items: last.total.items, counterparties: last.counterparties, fms, fItems: fr.total.items, seeded };
  } finally {
    await ds.destroy();
  }
}

const machine = () => `${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}`;

/** Called from the backoffice bench when its parts include `aging`. */
export async function agingFigures(engines: ReadonlyArray<'sqlite' | 'postgres'>, log: (m: string) => void = console.log): Promise<Figures> {
  const figures: Figures = {};
  let worst: { value: number; engine: string } | null = null;
  for (const engine of engines) {
    const r = await timeEngine(engine, log);
    const where = engine === 'sqlite' ? 'SQLite (WAL, file)' : 'PostgreSQL 127.0.0.1';
    const value = round(percentile(r.ms, 50), 0);
    figures[`aging_1m_items_ms_${engine}`] = {
      value,
      unit: 'ms',
      conditions:
        `${where}, aging of receivables as of ${AS_OF} as HQ over every company (agingOf, the query of GET /api/collections/aging: one GROUP BY counterparty with CASE sums on due-date boundaries over the partial covering index IDX_open_item_aging, the 500 largest rows named), ` +
        `${r.items} items, ${r.counterparties} counterparties, median of ${RUNS} (p95 ${round(percentile(r.ms, 95), 0)}, first call ${round(r.cold, 0)}); one franchisee (${r.fItems} items) p50 ${round(percentile(r.fms, 50), 0)} ms; ${r.seeded}; ${machine()}; target 1000 ms`,
    };
    if (!worst || value > worst.value) worst = { value, engine };
  }
  if (worst) figures.aging_1m_items_ms = { value: worst.value, unit: 'ms', conditions: `the slower engine (${worst.engine}) of aging_1m_items_ms_${engines.join(' / _')}; target 1000 ms` };
  return figures;
}
