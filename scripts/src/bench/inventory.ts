/**
 * Inventory bench (issue 11 must-be-true 4, valuation part), on SQLite and PostgreSQL:
 * - `receipt_1000_lines_ms_<engine>`: posting a 1,000-line goods receipt into the central warehouse (a number
 *   from the gapless series + `postStockMoves`: movements, levels, weighted averages and their history, in one
 *   write transaction — what purchasing's receipt use case does when it posts) with 10 million movements
 *   already in the ledger. Target ≤ 1 s.
 * - `stock_first_page_ms`: GET /api/stock/locations/:store/stock (first page of 50 by SKU, total counted,
 *   with average cost and value) over HTTP as HQ. Target ≤ 150 ms. The key is one figure: the slower engine.
 *
 * Dataset, written STRAIGHT into the tables by SQL (generate_series / a recursive CTE), once, and reused
 * (a `seed_marker` row): 1 franchisor with a central warehouse, 10 franchisees, 50 stores, 5,000 products,
 * BENCH_MOVEMENTS (10,000,000) movements over the 51 locations (≈ 39 per location and product: 90 % till
 * sales of 1–3 units with a ticket reference, 10 % document receipts of 40 at a cost), the levels = Σ
 * movements, an average cost per company and product with its history. Where: BENCH_INVENTORY_SQLITE
 * (default data/bench/inventory-bench.sqlite) and PostgreSQL schema `tpv_bench_inventory`.
 */
import argon2 from 'argon2';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DataSource } from 'typeorm';
import { openBackofficeDatabase } from '@tpv/backoffice/persistence/data-source';
import { engineOfDs, writeTransaction } from '@tpv/backoffice/persistence/raw';
import { createBackofficeServer } from '@tpv/backoffice/server';
import { createLogger } from '@tpv/backoffice/platform/log';
import { allocateDocumentNumber } from '@tpv/backoffice/platform/numbering';
import { postStockMoves, type StockMove } from '@tpv/backoffice/stock/ledger';
import { hasMarker, markerDetail, setMarker } from '@tpv/backoffice/tickets/seeding/write';
import { companyNifControl } from '@tpv/shared/nif';
import { percentile, round, type Figures } from './types';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const MOVEMENTS = Number(process.env.BENCH_MOVEMENTS ?? 10_000_000);
const PG_URL = process.env.PG_TEST_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ENGINES = (process.env.BENCH_INVENTORY_ENGINES ?? process.env.BENCH_BACKOFFICE_ENGINES ?? 'sqlite,postgres').split(',').map((s) => s.trim());
const STORES = 50;
const FRANCHISEES = 10;
const PRODUCTS = 5_000;
const LINES = 1_000;
const RECEIPTS = 7;
const RUNS = 15;
const CHUNK = 1_000_000;
const HQ = { email: 'inventory-hq@tpv.bench', password: 'inventory-hq-password' };

const uid = (kind: number, n: number) => `00000000-0000-7000-8${kind.toString(16).padStart(3, '0')}-${n.toString(16).padStart(12, '0')}`;
const WAREHOUSE = uid(0x90, 1);
const LOCATIONS = STORES + 1;
/** Location n (0 = the warehouse, 1..50 stores) and product n as SQL from an integer expression. */
const idSql = (pg: boolean, kind: number, n: string) =>
  pg ? `'00000000-0000-7000-8${kind.toString(16).padStart(3, '0')}-' || lpad(to_hex(${n}), 12, '0')` : `printf('00000000-0000-7000-8${kind.toString(16).padStart(3, '0')}-%012x', ${n})`;

async function seed(ds: DataSource, log: (m: string) => void): Promise<string> {
  const pg = engineOfDs(ds) === 'postgres';
  const ph = (n: number) => Array.from({ length: n }, (_, i) => (pg ? `$${i + 1}` : '?')).join(', ');
  const marker = `inventory-movements-${MOVEMENTS}`;
  if (await hasMarker(ds, marker)) return `dataset reused (seed_marker: ${await markerDetail(ds, marker)})`;
  const t0 = performance.now();
  const companies = Array.from({ length: FRANCHISEES + 1 }, (_, i) => {
    const seven = String(4_000_000 + i * 7_919).padStart(7, '0');
    return { id: uid(0x10, i + 1), kind: i === 0 ? 'franchisor' : 'franchisee', nif: `B${seven}${companyNifControl(seven)}`, name: i === 0 ? 'Inventario Franquicias S.L.' : `Franquiciado Inventario ${i} S.L.` };
  });
  // Location n: 0 = warehouse (franchisor), 1..50 = store n (franchisee 1 + (n − 1) % 10).
  const companyOfLocation = (n: number) => (n === 0 ? companies[0]! : companies[1 + ((n - 1) % FRANCHISEES)]!);
  for (const c of companies) await ds.query(`INSERT INTO company (id, kind, nif, legal_name, trade_name, address) VALUES (${ph(4)}, NULL, NULL)`, [c.id, c.kind, c.nif, c.name]);
  await ds.query(`INSERT INTO warehouse (id, code, company_id, name, address) VALUES (${ph(4)}, NULL)`, [WAREHOUSE, 'CENTRAL', companies[0]!.id, 'Almacén central']);
  for (let n = 1; n <= STORES; n++) {
    await ds.query(`INSERT INTO store (id, code, company_id, name, address, timezone) VALUES (${ph(4)}, NULL, 'Europe/Madrid')`, [uid(0x20, n), `I${String(n).padStart(3, '0')}`, companyOfLocation(n).id, `Tienda ${n}`]);
  }
  await ds.query(`INSERT INTO app_user (id, email, name, password_hash, role, company_id) VALUES (${ph(6)})`, [uid(0x70, 1), HQ.email, 'Inventory HQ', await argon2.hash(HQ.password, { type: argon2.argon2id }), 'hq_admin', null]);
  const series = (from: number, to: number) => (pg ? `generate_series(${from}, ${to}) AS s(n)` : `(WITH RECURSIVE r(n) AS (SELECT ${from} UNION ALL SELECT n + 1 FROM r WHERE n < ${to}) SELECT n FROM r) AS s`);
  await ds.query(
    `INSERT INTO product (id, sku, name, category_id, tax_rate_bp, exemption, weighed, base_price_cents, cost_cents, active, version)
     SELECT ${idSql(pg, 0x50, 's.n')}, ${pg ? `'INV' || lpad(s.n::text, 5, '0')` : `printf('INV%05d', s.n)`}, ${pg ? `'Artículo ' || s.n` : `'Artículo ' || s.n`}, NULL, 2100, NULL, ${pg ? 'false' : '0'},
            100 + s.n % 900, 50 + s.n % 450, ${pg ? 'true' : '1'}, 1 FROM ${series(1, PRODUCTS)}`,
  );
  // Movement n → location n % 51, product (n / 51) % 5000 + 1: every (location, product) pair gets its share.
  const loc = (n: string) => `(${n}) % ${LOCATIONS}`;
  const prod = (n: string) => `((${n}) / ${LOCATIONS}) % ${PRODUCTS} + 1`;
  const locId = (n: string) => `CASE WHEN ${loc(n)} = 0 THEN '${WAREHOUSE}' ELSE ${idSql(pg, 0x20, loc(n))} END`;
  const div = (a: string, b: number) => `(${a}) / ${b}`;
  const spread = Math.max(1, Math.floor(31_000_000 / MOVEMENTS)); // seconds between movements: a year's worth
  for (let from = 1; from <= MOVEMENTS; from += CHUNK) {
    const to = Math.min(MOVEMENTS, from + CHUNK - 1);
    const doc = `s.n % 10 = 0`;
    // About a year of movements from 2025-12-01, newest last.
    const at = pg
      ? `to_char(timestamp '2025-12-01' + (s.n * ${spread} * interval '1 second'), 'YYYY-MM-DD"T"HH24:MI:SS".000Z"')`
      : `strftime('%Y-%m-%dT%H:%M:%S.000Z', '2025-12-01', '+' || (s.n * ${spread}) || ' seconds')`;
    await ds.query(
      `INSERT INTO stock_movement (id, location_id, product_id, delta, reason, ticket_id, line_no, at, document_type, document_id, document_line, document_number, unit_cost_micros)
       SELECT ${idSql(pg, 0xa0, 's.n')}, ${locId('s.n')}, ${idSql(pg, 0x50, prod('s.n'))},
              CASE WHEN ${doc} THEN 40 ELSE -(1 + s.n % 3) END,
              CASE WHEN ${doc} THEN 'receipt' ELSE 'sale' END,
              CASE WHEN ${doc} THEN NULL ELSE ${idSql(pg, 0xb0, div('s.n', 4))} END,
              CASE WHEN ${doc} THEN NULL ELSE 1 + s.n % 4 END,
              ${at},
              CASE WHEN ${doc} THEN 'goods_receipt' ELSE NULL END,
              CASE WHEN ${doc} THEN ${idSql(pg, 0xc0, 's.n')} ELSE NULL END,
              CASE WHEN ${doc} THEN 1 ELSE NULL END,
              CASE WHEN ${doc} THEN 'EM-2026-' || s.n ELSE NULL END,
              CASE WHEN ${doc} THEN 500000 + (s.n % 450) * 10000 ELSE NULL END
         FROM ${series(from, to)}`,
    );
    log(`  ${to} movements (${round((performance.now() - t0) / 1000, 0)} s)`);
  }
  await ds.query(
    `INSERT INTO stock_level (location_id, company_id, product_id, quantity, updated_at)
     SELECT m.location_id, l.company_id, m.product_id, SUM(m.delta), '2026-11-30T00:00:00.000Z'
       FROM stock_movement m JOIN stock_location l ON l.id = m.location_id GROUP BY m.location_id, l.company_id, m.product_id`,
  );
  await ds.query(
    `INSERT INTO stock_cost (company_id, product_id, avg_cost_micros, updated_at)
     SELECT DISTINCT l.company_id, l.product_id, p.cost_cents * 10000, '2026-11-30T00:00:00.000Z' FROM stock_level l JOIN product p ON p.id = l.product_id`,
  );
  await ds.query(
    `INSERT INTO stock_cost_history (id, company_id, product_id, from_at, avg_cost_micros, document_type, document_id)
     SELECT ${idSql(pg, 0xd0, 'ROW_NUMBER() OVER (ORDER BY company_id, product_id)')}, company_id, product_id, '2025-12-01T00:00:00.000Z', avg_cost_micros, NULL, NULL FROM stock_cost`,
  );
  const t1 = performance.now();
  await ds.query(pg ? 'VACUUM ANALYZE' : 'ANALYZE');
  const detail = `${MOVEMENTS} movements over ${LOCATIONS} locations × ${PRODUCTS} products seeded in ${round((t1 - t0) / 1000, 0)} s, ${pg ? 'VACUUM ' : ''}ANALYZE ${round((performance.now() - t1) / 1000, 1)} s on ${new Date().toISOString().slice(0, 10)}`;
  await setMarker(ds, marker, detail);
  return detail;
}

interface EngineFigures {
  receiptMs: number[];
  pageMs: number[];
  pageCold: number;
  seeded: string;
  movements: number;
}

async function timeEngine(engine: 'sqlite' | 'postgres', log: (m: string) => void): Promise<EngineFigures> {
  let ds: DataSource;
  if (engine === 'sqlite') {
    const file = path.resolve(process.env.BENCH_INVENTORY_SQLITE ?? path.join(repoRoot, 'data/bench/inventory-bench.sqlite'));
    mkdirSync(path.dirname(file), { recursive: true });
    ds = await openBackofficeDatabase({ file });
  } else {
    ds = await openBackofficeDatabase({ databaseUrl: PG_URL, schema: process.env.BENCH_INVENTORY_PG_SCHEMA ?? 'tpv_bench_inventory' });
  }
  try {
    log(`[${engine}] inventory seeding (skipped when already there)…`);
    const seeded = await seed(ds, log);
    const movements = Number(((await ds.query('SELECT COUNT(*) AS n FROM stock_movement')) as Array<{ n: unknown }>)[0]!.n);
    const clock = { now: () => Date.now() };
    const franchisor = uid(0x10, 1);
    // Receipts: 1,000 distinct products at a price each, into the central warehouse; a window per run.
    const receiptMs: number[] = [];
    for (let r = 0; r < RECEIPTS; r++) {
      const docId = `00000000-0000-7000-8fd0-${Date.now().toString(16).padStart(12, '0')}`;
      const moves: StockMove[] = Array.from({ length: LINES }, (_, i) => ({
        locationId: WAREHOUSE,
        productId: uid(0x50, ((r * LINES + i) % PRODUCTS) + 1),
        delta: 12 + (i % 24),
        reason: 'receipt',
        documentType: 'goods_receipt',
        documentId: docId,
        documentLine: i + 1,
        purchaseCostMicros: 600_000 + ((i * 7_919) % 4_000_000),
      }));
      const t0 = performance.now();
      await writeTransaction(ds, async (m) => {
        const n = await allocateDocumentNumber(m, franchisor, 'goods_receipt', 2026);
        const res = await postStockMoves(m, clock, moves.map((x) => ({ ...x, documentNumber: n.code })));
        if (!res.ok) throw new Error('receipt refused');
      });
      receiptMs.push(performance.now() - t0);
    }
    const server = createBackofficeServer({ dataSource: ds, version: 'bench', uiDist: '/nonexistent', log: () => {}, logger: createLogger({ level: 'silent', pretty: false }) });
    const port = await server.listen(0);
    const base = `http://127.0.0.1:${port}`;
    try {
      const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(HQ) });
      const token = ((await login.json()) as { token: string }).token;
      const url = `${base}/api/stock/locations/${uid(0x20, 7)}/stock?page=1&pageSize=50`;
      const time = async () => {
        const t0 = performance.now();
        const r = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
        const body = (await r.json()) as { items: unknown[] };
        if (r.status !== 200 || body.items.length !== 50) throw new Error(`stock list answered ${r.status}: ${JSON.stringify(body).slice(0, 300)}`);
        return performance.now() - t0;
      };
      const pageCold = await time();
      const pageMs: number[] = [];
      for (let i = 0; i < RUNS; i++) pageMs.push(await time());
      return { receiptMs, pageMs, pageCold, seeded, movements };
    } finally {
      await server.close();
    }
  } finally {
    await ds.destroy();
  }
}

const machine = () => `${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}`;

export async function inventoryFigures(log: (m: string) => void = (m) => console.log(m)): Promise<Figures> {
  const figures: Figures = {};
  const pages: Array<{ engine: string; p50: number; p95: number; cold: number }> = [];
  for (const engine of ENGINES as Array<'sqlite' | 'postgres'>) {
    const f = await timeEngine(engine, log);
    const where = engine === 'sqlite' ? 'SQLite (WAL, file)' : 'PostgreSQL 127.0.0.1';
    const p = (xs: number[], q: number) => round(percentile(xs, q), 1);
    figures[`receipt_1000_lines_ms_${engine}`] = {
      value: p(f.receiptMs, 50),
      unit: 'ms',
      conditions:
        `${where}, a 1,000-line goods receipt into the central warehouse at a price per line (gapless number + postStockMoves: 1,000 movements, levels, weighted averages of the franchisor and their history, ` +
        `one write transaction) with ${f.movements} movements in the ledger; median of ${RECEIPTS} (max ${p(f.receiptMs, 100)}, first ${round(f.receiptMs[0]!, 1)}); ${f.seeded}; ${machine()}`,
    };
    pages.push({ engine, p50: p(f.pageMs, 50), p95: p(f.pageMs, 95), cold: round(f.pageCold, 1) });
  }
  if (pages.length > 0) {
    const worst = pages.reduce((a, b) => (b.p50 > a.p50 ? b : a));
    figures.stock_first_page_ms = {
      value: worst.p50,
      unit: 'ms',
      conditions:
        `GET /api/stock/locations/:store/stock?page=1&pageSize=50 as HQ over HTTP (by SKU, total counted, average cost and value per row), a store of ${PRODUCTS} products, ${MOVEMENTS} movements in the ledger; ` +
        `the slower engine (${worst.engine}); ${pages.map((x) => `${x.engine} median of ${RUNS} ${x.p50} (p95 ${x.p95}, first ${x.cold})`).join('; ')}; ${machine()}`,
    };
  }
  return figures;
}
