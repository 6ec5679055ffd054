/**
 * Restocking bench (issue 11 must-be-true 4): the replenishment proposal of 500 stores × 5,000 products
 * (2.5 million store-product pairs) through the real use case (`generateProposals`, what the proposals job
 * runs), ≤ 20 s on SQLite and on PostgreSQL: keys `replenishment_500x5000_s_sqlite` / `_postgres`.
 *
 * Dataset, seeded STRAIGHT into the tables once and reused (`seed_marker` 'bench-restock-…'):
 * 51 companies (franchisor + 50 franchisees of 10 stores), 500 stores, 5,000 products; a stock level for
 * every pair (2.5 M); a min/max rule for 1 pair in 10 (a third in packs of 6, 1 in 50 of them bought from a
 * supplier); a `sales_week` rollup with a long tail: product k sells λ_k = 30 / (1 + k/20) a week on average
 * (15 for the 20th, ~1 from the 600th, 0.12 for the last) times a store factor 0.5–1.4, each week drawn
 * around it (a slow seller sells 1 in the weeks it sells at all); ~37 % of pair-weeks have a row. Weeks
 * seeded: the 8 the proposal reads and last year's 12 (the same 8 + the 4 after) — the rows a proposal can
 * reach; older weeks lie outside its index ranges. Stock: 0.2–1.6 × two weeks of average sales (≥ 2 for slow
 * sellers), so some pairs are below their reorder point.
 * Where: BENCH_RESTOCK_SQLITE (default data/bench/restocking-bench.sqlite), PostgreSQL schema tpv_bench_restock.
 */
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DataSource } from 'typeorm';
import { openBackofficeDatabase } from '@tpv/backoffice/persistence/data-source';
import { engineOfDs, pgPool, sqliteDb } from '@tpv/backoffice/persistence/raw';
import { hasMarker, insertRows, markerDetail, setMarker, withBulkLoad } from '@tpv/backoffice/tickets/seeding/write';
import { generateProposals, refreshDemandStats, windowsOf } from '@tpv/backoffice/restocking/service';
import { addWeeks } from '@tpv/backoffice/restocking/weeks';
import { seededRandom } from '@tpv/shared/prng';
import { companyNifControl } from '@tpv/shared/nif';
import { round, type Figures } from './types';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const PG_URL = process.env.PG_TEST_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const STORES = Number(process.env.BENCH_RESTOCK_STORES ?? 500);
const PRODUCTS = Number(process.env.BENCH_RESTOCK_PRODUCTS ?? 5000);
const FRANCHISEES = STORES / 10;
/** The proposal's day: fixed, so every machine seeds and reads the same weeks. */
const AS_OF = Date.UTC(2026, 10, 30, 6, 0, 0);
const clock = { now: () => AS_OF };
const SUPPLIER = '00000000-0000-7000-8c40-000000000001';

const uid = (kind: number, n: number) => `00000000-0000-7000-8${kind.toString(16).padStart(3, '0')}-${n.toString(16).padStart(12, '0')}`;
const storeId = (s: number) => uid(0xc20, s + 1);
const productId = (p: number) => uid(0xc50, p + 1);
const companyId = (c: number) => uid(0xc10, c + 1);

/** Multi-row inserts of one table (SQLite: prepared statements of 500 rows; PostgreSQL: unnest per 50,000). */
async function bulk(ds: DataSource, table: string, cols: Array<[string, string]>, rows: unknown[][]): Promise<void> {
  if (rows.length === 0) return;
  if (engineOfDs(ds) === 'sqlite') {
    const db = sqliteDb(ds);
    const n = 500;
    const tuple = `(${cols.map(() => '?').join(', ')})`;
    const full = db.prepare(`INSERT INTO "${table}" (${cols.map((c) => c[0]).join(', ')}) VALUES ${Array.from({ length: n }, () => tuple).join(', ')}`);
    db.transaction(() => {
      let i = 0;
      for (; i + n <= rows.length; i += n) full.run(rows.slice(i, i + n).flat());
      for (; i < rows.length; i++) db.prepare(`INSERT INTO "${table}" (${cols.map((c) => c[0]).join(', ')}) VALUES ${tuple}`).run(rows[i]!);
    })();
    return;
  }
  const pool = pgPool(ds);
  for (let i = 0; i < rows.length; i += 50_000) {
    const chunk = rows.slice(i, i + 50_000);
    await pool.query(
      `INSERT INTO "${table}" (${cols.map((c) => c[0]).join(', ')}) SELECT * FROM unnest(${cols.map((c, k) => `$${k + 1}::${c[1]}[]`).join(', ')})`,
      cols.map((_, k) => chunk.map((r) => r[k] ?? null)),
    );
  }
}

/**
 * PostgreSQL: the same tables generated inside the server (generate_series, one INSERT … SELECT per table, the
 * rollup's primary key dropped during the load and rebuilt after) — row-by-row parameters from JS took ~30 min
 * for 17.6 M rows under load. Same formulas as the JS seed below; the draws come from random() after setseed.
 */
async function seedPostgresBulk(ds: DataSource, weeks: string[], now: string, log: (m: string) => void, t0: number): Promise<number> {
  const id = (kind: string, n: string) => `'00000000-0000-7000-8${kind}-' || lpad(to_hex(${n} + 1), 12, '0')`;
  const lambda = `(30.0 / (1 + p / 20.0)) * (0.5 + (s % 10) / 10.0)`;
  const pairs = `generate_series(0, ${STORES - 1}) s CROSS JOIN generate_series(0, ${PRODUCTS - 1}) p`;
  const company = id('c10', '(1 + s / 10)');
  return ds.transaction(async (m) => {
    await m.query(`SET LOCAL synchronous_commit = off`);
    await m.query(`SET LOCAL maintenance_work_mem = '512MB'`);
    await m.query(`SELECT setseed(0.2026)`);
    await m.query(
      `INSERT INTO stock_level (location_id, company_id, product_id, quantity, updated_at)
       SELECT ${id('c20', 's')}, ${company}, ${id('c50', 'p')},
              greatest(CASE WHEN ${lambda} < 1 THEN 2 ELSE 0 END, round(${lambda} * 2 * (0.2 + 1.4 * random())))::bigint, $1
         FROM ${pairs}`,
      [now],
    );
    await m.query(
      `INSERT INTO restock_rule (location_id, product_id, company_id, method, min_qty, max_qty, cover_days, pack_multiple, lead_time_days, source, supplier_id, updated_at)
       SELECT ${id('c20', 's')}, ${id('c50', 'p')}, ${company}, 'minmax', greatest(1, ceil(${lambda}))::bigint, 3 * greatest(1, ceil(${lambda}))::bigint, NULL,
              CASE WHEN p % 3 = 0 THEN 6 ELSE 1 END, NULL,
              CASE WHEN (s * ${PRODUCTS} + p) % 500 = 3 THEN 'supplier' ELSE 'warehouse' END,
              CASE WHEN (s * ${PRODUCTS} + p) % 500 = 3 THEN $1 ELSE NULL END, $2
         FROM ${pairs} WHERE (s * ${PRODUCTS} + p) % 10 = 3`,
      [SUPPLIER, now],
    );
    log(`  stock levels and rules ${round((performance.now() - t0) / 1000, 0)} s`);
    await m.query(`ALTER TABLE sales_week DROP CONSTRAINT sales_week_pkey`);
    await m.query(
      `INSERT INTO sales_week (location_id, week, product_id, quantity)
       SELECT ${id('c20', 's')}, w, ${id('c50', 'p')}, q::bigint FROM (
         SELECT s, w, p, CASE WHEN ${lambda} < 1 THEN (random() < ${lambda})::int ELSE round(${lambda} * (0.4 + 1.2 * random())) END AS q
           FROM ${pairs} CROSS JOIN unnest($1::varchar[]) w) d
        WHERE q > 0`,
      [weeks],
    );
    log(`  sales_week loaded ${round((performance.now() - t0) / 1000, 0)} s`);
    await m.query(`ALTER TABLE sales_week ADD CONSTRAINT sales_week_pkey PRIMARY KEY (location_id, week, product_id) INCLUDE (quantity)`);
    log(`  sales_week key rebuilt ${round((performance.now() - t0) / 1000, 0)} s`);
    return Number((await m.query(`SELECT count(*) AS n FROM sales_week`))[0].n);
  });
}

async function seed(ds: DataSource, log: (m: string) => void): Promise<string> {
  const marker = `bench-restock-${STORES}x${PRODUCTS}`;
  if (await hasMarker(ds, marker)) return `dataset reused (seed_marker: ${await markerDetail(ds, marker)})`;
  const pg = engineOfDs(ds) === 'postgres';
  const t0 = performance.now();
  const now = new Date(AS_OF).toISOString();
  await withBulkLoad(ds, async () => {
    const ph = (n: number) => Array.from({ length: n }, (_, i) => (pg ? `$${i + 1}` : '?')).join(', ');
    for (let c = 0; c <= FRANCHISEES; c++) {
      const seven = String(4_000_000 + c * 7_919).padStart(7, '0');
      await ds.query(`INSERT INTO company (id, kind, nif, legal_name, trade_name, address) VALUES (${ph(4)}, NULL, NULL)`, [companyId(c), c === 0 ? 'franchisor' : 'franchisee', `B${seven}${companyNifControl(seven)}`, `Reposición Bench ${c} S.L.`]);
    }
    for (let s = 0; s < STORES; s++) {
      await ds.query(`INSERT INTO store (id, code, company_id, name, address, timezone) VALUES (${ph(4)}, NULL, 'Europe/Madrid')`, [storeId(s), `R${String(s + 1).padStart(4, '0')}`, companyId(1 + Math.floor(s / 10)), `Tienda R${s + 1}`]);
    }
    await ds.query(`INSERT INTO supplier (id, name, payment_terms_days, active, created_at) VALUES (${ph(2)}, 30, ${pg ? 'true' : '1'}, ${pg ? '$3' : '?'})`, [SUPPLIER, 'Proveedor directo bench', now]);
    await insertRows(ds, {
      product: Array.from({ length: PRODUCTS }, (_, p) => [productId(p), `RB${String(p + 1).padStart(6, '0')}`, `Artículo reposición ${p + 1}`, null, 2100, null, false, 100 + (p % 900), true, 1]),
    });
    log(`  master data ${round((performance.now() - t0) / 1000, 1)} s`);

    const w0 = windowsOf(new Date(AS_OF).toISOString().slice(0, 10)).recentTo;
    const weeks = [...Array.from({ length: 8 }, (_, k) => addWeeks(w0, -8 + k)), ...Array.from({ length: 12 }, (_, k) => addWeeks(w0, -60 + k))].sort();
    if (pg) {
      const salesRows = await seedPostgresBulk(ds, weeks, now, log, t0);
      await setMarker(ds, marker, `${STORES} stores × ${PRODUCTS} products, ${salesRows} sales_week rows (20 weeks), set-based PostgreSQL seed (same distributions as the SQLite one, drawn by PostgreSQL's random() from setseed, so not the same draws) in ${round((performance.now() - t0) / 1000, 0)} s on ${new Date().toISOString().slice(0, 10)}`);
      return;
    }
    const rnd = seededRandom(20_261_130);
    let salesRows = 0;
    for (let s = 0; s < STORES; s++) {
      const storeFactor = 0.5 + (s % 10) / 10;
      const stock: unknown[][] = [];
      const rules: unknown[][] = [];
      const sales: unknown[][] = [];
      for (let p = 0; p < PRODUCTS; p++) {
        const lambda = (30 / (1 + p / 20)) * storeFactor;
        const slow = lambda < 1;
        stock.push([storeId(s), companyId(1 + Math.floor(s / 10)), productId(p), Math.max(slow ? 2 : 0, Math.round(((lambda * 2) * (0.2 + 1.4 * rnd())))), now]);
        if ((s * PRODUCTS + p) % 10 === 3) {
          const min = Math.max(1, Math.ceil(lambda));
          const supplier = (s * PRODUCTS + p) % 500 === 3;
          rules.push([storeId(s), productId(p), companyId(1 + Math.floor(s / 10)), 'minmax', min, min * 3, null, p % 3 === 0 ? 6 : 1, null, supplier ? 'supplier' : 'warehouse', supplier ? SUPPLIER : null, now]);
        }
      }
      for (const week of weeks) {
        for (let p = 0; p < PRODUCTS; p++) {
          const lambda = (30 / (1 + p / 20)) * storeFactor;
          const q = lambda < 1 ? (rnd() < lambda ? 1 : 0) : Math.round(lambda * (0.4 + 1.2 * rnd()));
          if (q > 0) sales.push([storeId(s), week, productId(p), q]);
        }
      }
      salesRows += sales.length;
      await insertRows(ds, { stock_level: stock });
      await bulk(ds, 'restock_rule', [['location_id', 'varchar'], ['product_id', 'varchar'], ['company_id', 'varchar'], ['method', 'varchar'], ['min_qty', 'bigint'], ['max_qty', 'bigint'], ['cover_days', 'int'], ['pack_multiple', 'int'], ['lead_time_days', 'int'], ['source', 'varchar'], ['supplier_id', 'varchar'], ['updated_at', 'varchar']], rules);
      await bulk(ds, 'sales_week', [['location_id', 'varchar'], ['week', 'varchar'], ['product_id', 'varchar'], ['quantity', 'bigint']], sales);
      if ((s + 1) % 50 === 0) log(`  ${s + 1} stores, ${salesRows} sales_week rows, ${round((performance.now() - t0) / 1000, 0)} s`);
    }
    await ds.query(pg ? 'VACUUM ANALYZE' : 'ANALYZE');
    await setMarker(ds, marker, `${STORES} stores × ${PRODUCTS} products, ${salesRows} sales_week rows (20 weeks), seeded in ${round((performance.now() - t0) / 1000, 0)} s on ${new Date().toISOString().slice(0, 10)}`);
  });
  return `seeded now: ${await markerDetail(ds, marker)}`;
}

async function timeEngine(engine: 'sqlite' | 'postgres', log: (m: string) => void) {
  let ds: DataSource;
  if (engine === 'sqlite') {
    const file = path.resolve(process.env.BENCH_RESTOCK_SQLITE ?? path.join(repoRoot, 'data/bench/restocking-bench.sqlite'));
    mkdirSync(path.dirname(file), { recursive: true });
    ds = await openBackofficeDatabase({ file });
  } else {
    ds = await openBackofficeDatabase({ databaseUrl: PG_URL, schema: process.env.BENCH_RESTOCK_PG_SCHEMA ?? 'tpv_bench_restock' });
  }
  try {
    log(`[${engine}] seeding (skipped when already there)…`);
    const seeded = await seed(ds, log);
    if (engine === 'postgres') await ds.query('VACUUM ANALYZE sales_week, stock_level, restock_rule');
    if (process.env.BENCH_RESTOCK_SEED_ONLY === '1') return { seconds: 0, cpuSeconds: 0, g: { proposals: [], pairs: 0, lines: 0, fromDemand: 0 }, seeded, refresh: undefined, same: '' };
    // Earlier runs' proposals out of the way (not timed): each run starts from the same tables.
    await ds.query('DELETE FROM restock_proposal_line');
    await ds.query('DELETE FROM restock_proposal');
    if (engine === 'postgres') await ds.query('VACUUM ANALYZE restock_proposal, restock_proposal_line');
    // The weekly job (Monday, once per week): every store's demand statistics recomputed from sales_week.
    log(`[${engine}] demand statistics refresh (the weekly job, full)…`);
    const r0 = performance.now();
    const rc0 = process.cpuUsage();
    const refreshed = await refreshDemandStats(ds, clock, { storeIds: null, full: true, onProgress: (done, total) => void (done % 100 === 0 && log(`  ${done}/${total} stores ${round((performance.now() - r0) / 1000, 1)} s`)) });
    const refresh = { seconds: (performance.now() - r0) / 1000, cpu: cpuSeconds(process.cpuUsage(rc0)), ...refreshed };
    if (engine === 'postgres') await ds.query('VACUUM ANALYZE restock_demand, restock_demand_store');
    log(`  ${refresh.stores} stores, ${refresh.rows} rows in ${round(refresh.seconds, 1)} s`);
    log(`[${engine}] proposals for every store…`);
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const g = await generateProposals(ds, clock, { storeIds: null, createdBy: 'bench', onProgress: (done, total) => void (done % 100 === 0 && log(`  ${done}/${total} stores ${round((performance.now() - t0) / 1000, 1)} s`)) });
    const seconds = (performance.now() - t0) / 1000;
    // This process's CPU (JS + SQLite, which runs in-process; PostgreSQL's server CPU is not in it): on a loaded
    // machine the wall time is mostly waiting for a core.
    const cpu = process.cpuUsage(cpu0);
    // Optionally (not timed): the same proposal straight from sales_week, and the two sets of lines compared.
    let same = '';
    if (process.env.BENCH_RESTOCK_COMPARE === '1') {
      log(`[${engine}] the same proposals straight from sales_week (not timed), to compare…`);
      const s0 = performance.now();
      const straight = await generateProposals(ds, clock, { storeIds: null, createdBy: 'bench-straight', demand: 'straight' });
      const straightS = (performance.now() - s0) / 1000;
      const cols = 'p.store_id, l.product_id, l.source, l.supplier_id, l.suggested_qty, l.quantity, l.on_hand, l.open_orders, l.in_transit, l.daily_milli, l.cover_tenths, l.safety_qty, l.reorder_point, l.target_qty, l.lead_time_days, l.season_pct, l.method';
      const side = (by: string) => `SELECT ${cols} FROM restock_proposal_line l JOIN restock_proposal p ON p.id = l.proposal_id WHERE p.created_by = '${by}'`;
      const diff = async (a: string, b: string) => Number((await ds.query(`SELECT COUNT(*) AS n FROM (${side(a)} EXCEPT ${side(b)}) x`))[0].n);
      const [ab, ba] = [await diff('bench', 'bench-straight'), await diff('bench-straight', 'bench')];
      same = `; compared with the same proposal straight from sales_week (${round(straightS, 1)} s, ${straight.lines} lines, ${straight.pairs} pairs): ${ab + ba === 0 && straight.lines === g.lines && straight.pairs === g.pairs ? 'identical lines' : `DIFFERENT (${ab} / ${ba} lines differ)`}`;
      log(same);
    }
    return { seconds, cpuSeconds: cpuSeconds(cpu), g, seeded, refresh, same };
  } finally {
    await ds.destroy();
  }
}

const cpuSeconds = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1e6;

const machine = () => `${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}`;

/** Called from the backoffice bench when its parts include `restocking`. */
export async function restockingFigures(engines: ReadonlyArray<'sqlite' | 'postgres'>, log: (m: string) => void = console.log): Promise<Figures> {
  const figures: Figures = {};
  for (const engine of engines) {
    const r = await timeEngine(engine, log);
    const where = engine === 'sqlite' ? 'SQLite (WAL, file)' : 'PostgreSQL 127.0.0.1';
    const f = r.refresh!;
    figures[`replenishment_500x5000_s_${engine}`] = {
      value: round(r.seconds, 1),
      unit: 's',
      conditions:
        `${where}, process CPU ${round(r.cpuSeconds, 1)} s, generateProposals for every store (the proposals job's use case): ${r.g.proposals.length} stores (${r.g.fromDemand} through the demand statistics), ${r.g.pairs} store-product pairs, ` +
        `${r.g.lines} lines to order written; reads per store only the pairs that may order (restock_demand: Σ q, Σ q², last year's sums and the default rule's reorder point per pair, precomputed for the week; pairs with a rule, incoming goods, no stock row, negative stock, late tickets, or on hand below that reorder point), formulas in JS, drafts replaced and lines written per 25 stores in one transaction` +
        `${engine === 'sqlite' ? ' (better-sqlite3 prepared statements, one read transaction per group)' : ' (one REPEATABLE READ read-only pg session per group, array mode, JIT off)'}; ` +
        `precomputed before it by the weekly refresh job (restocking.demand.refresh, full, every store: ${f.stores} stores, ${f.rows} restock_demand rows from sales_week, one write transaction per 25 stores) in ${round(f.seconds, 1)} s wall, ${round(f.cpu, 1)} s process CPU — meant to run once a week (Monday from 00:15 UTC; the back office has no scheduler yet: POST /api/restocking/demand/refresh) and run first by the proposals job for stores not current${r.same}; ${r.seeded}; ${machine()}; target 20 s`,
    };
  }
  return figures;
}
