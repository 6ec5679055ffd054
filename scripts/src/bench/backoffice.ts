/**
 * Back-office bench (`npm run bench -- backoffice`, issue 10 must-be-true 6): the first page of the product
 * list over 200,000 products and of the ticket search over 1,000,000 tickets, timed through the real HTTP
 * endpoints on SQLite and on PostgreSQL (target ≤ 150 ms each).
 *
 * Dataset: written STRAIGHT into the database by the bench seeding (backoffice/src/tickets/seeding: real
 * documents, lines, payments and fiscal records with chained huellas; 50 stores × 2 tills of 10 franchisees,
 * a year of trading with the generator's hours, weekdays and baskets) — not through ingest, which would take
 * most of an hour. Seeded once per database and reused: a `seed_marker` row says it is there, so later runs
 * (and later benches) skip straight to the timings. Where: BENCH_BACKOFFICE_SQLITE (default
 * data/bench/backoffice-bench.sqlite) and PostgreSQL schema `tpv_bench` of PG_TEST_URL/DATABASE_URL.
 * Sizes: BENCH_TICKETS (1,000,000), BENCH_PRODUCTS (200,000); BENCH_BACKOFFICE_ENGINES=sqlite,postgres.
 */
import argon2 from 'argon2';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DataSource } from 'typeorm';
import { openBackofficeDatabase } from '@tpv/backoffice/persistence/data-source';
import { engineOfDs } from '@tpv/backoffice/persistence/raw';
import { createBackofficeServer } from '@tpv/backoffice/server';
import { createLogger } from '@tpv/backoffice/platform/log';
import { seedSalesHistory } from '@tpv/backoffice/tickets/seeding/history';
import { hasMarker, insertRows, markerDetail, setMarker } from '@tpv/backoffice/tickets/seeding/write';
import type { HistoryPlan, HistoryProduct } from '@tpv/backoffice/tickets/seeding/generate';
import { companyNifControl } from '@tpv/shared/nif';
import { percentile, round, type Bench, type Figures } from './types';
import { catalogImportFigure } from './catalog-import';
import { inventoryFigures } from './inventory';
import { restockingFigures } from './restocking';
import { feeRunFigures } from './fees';
import { invoicePdfFigures } from './invoice-pdf';
import { statementMatchFigures } from './statement-match';
import { agingFigures } from './aging';
import { trialBalanceFigures } from './trial-balance';
import { monthPostingFigures } from './month-posting';
import { timeRecordFigures } from './time-records';
import { dashboardFigures } from './dashboard';
import { reportFigures } from './reports';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const TICKETS = Number(process.env.BENCH_TICKETS ?? 1_000_000);
const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 200_000);
const PG_URL = process.env.PG_TEST_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ENGINES = (process.env.BENCH_BACKOFFICE_ENGINES ?? 'sqlite,postgres').split(',').map((s) => s.trim());
const STORES = 50;
const FRANCHISEES = 10;
const RUNS = 15;
/** Which parts run (`BENCH_BACKOFFICE_PARTS=search,import,inventory,restocking,fees,invoice-pdf,statement-match,aging,trial-balance,month-posting,time-records,reports,reports-ingest,dashboard`); all when unset. */
const PARTS = process.env.BENCH_BACKOFFICE_PARTS?.split(',').map((s) => s.trim());
const runsPart = (part: string) => !PARTS || PARTS.includes(part);
const HQ = { email: 'bench-hq@tpv.bench', password: 'bench-hq-password' };
const MANAGER = { email: 'bench-franchisee@tpv.bench', password: 'bench-franchisee-password' };


const uid = (kind: number, n: number) => `00000000-0000-7000-8${kind.toString(16).padStart(3, '0')}-${n.toString(16).padStart(12, '0')}`;
const RATES = [2100, 1000, 400, 2100, 1000, 400, 0] as const;

function benchProducts(): HistoryProduct[] {
  return Array.from({ length: PRODUCTS }, (_, i) => {
    const rate = RATES[i % RATES.length]!;
    return { id: uid(0x50, i + 1), name: `Artículo ${i + 1} marca ${i % 97}`, taxRateBp: rate, exemption: rate === 0 ? 'E1' : null, weighed: i % 11 === 0, priceCents: 45 + ((i * 7919) % 4000) };
  });
}

function franchise() {
  const companies = Array.from({ length: FRANCHISEES + 1 }, (_, i) => {
    const seven = String(3_000_000 + i * 7_919).padStart(7, '0');
    return { id: uid(0x10, i + 1), kind: i === 0 ? 'franchisor' : 'franchisee', nif: `B${seven}${companyNifControl(seven)}`, legalName: i === 0 ? 'Bench Franquicias S.L.' : `Franquiciado Bench ${i} S.L.` };
  });
  const stores = Array.from({ length: STORES }, (_, i) => ({ id: uid(0x20, i + 1), code: `B${String(i + 1).padStart(3, '0')}`, companyId: companies[1 + (i % FRANCHISEES)]!.id }));
  const tills = stores.flatMap((s, i) => ['01', '02'].map((code, k) => ({ id: uid(0x30, i * 2 + k + 1), storeId: s.id, code, installation: `${s.code}-${code}` })));
  const staff = stores.flatMap((s, i) => [1, 2, 3].map((k) => ({ id: uid(0x60, i * 3 + k), storeId: s.id, companyId: s.companyId, code: `${s.code}-${k}`, name: `Cajero/a ${k} ${s.code}` })));
  return { companies, stores, tills, staff };
}

async function seed(ds: DataSource, log: (m: string) => void): Promise<string> {
  const f = franchise();
  const pg = engineOfDs(ds) === 'postgres';
  const notes: string[] = [];
  if (!(await hasMarker(ds, 'bench-franchise'))) {
    const [hqHash, mHash] = await Promise.all([argon2.hash(HQ.password, { type: argon2.argon2id }), argon2.hash(MANAGER.password, { type: argon2.argon2id })]);
    const ph = (n: number) => Array.from({ length: n }, (_, i) => (pg ? `$${i + 1}` : '?')).join(', ');
    for (const c of f.companies) await ds.query(`INSERT INTO company (id, kind, nif, legal_name, trade_name, address) VALUES (${ph(4)}, NULL, NULL)`, [c.id, c.kind, c.nif, c.legalName]);
    for (const s of f.stores) await ds.query(`INSERT INTO store (id, code, company_id, name, address, timezone) VALUES (${ph(3)}, ${pg ? '$4' : '?'}, NULL, 'Europe/Madrid')`, [s.id, s.code, s.companyId, `Tienda ${s.code}`]);
    for (const t of f.tills) await ds.query(`INSERT INTO terminal (id, store_id, code, name, installation, last_acked_seq, catalog_version) VALUES (${ph(5)}, 0, 0)`, [t.id, t.storeId, t.code, `Caja ${t.code}`, t.installation]);
    for (const s of f.staff) await ds.query(`INSERT INTO staff (id, company_id, store_id, code, name, role, pin_hash, active, version) VALUES (${ph(5)}, 'cashier', 'x', ${pg ? 'true' : '1'}, 1)`, [s.id, s.companyId, s.storeId, s.code, s.name]);
    await ds.query(`INSERT INTO app_user (id, email, name, password_hash, role, company_id) VALUES (${ph(6)})`, [uid(0x70, 1), HQ.email, 'Bench HQ', hqHash, 'hq_admin', null]);
    await ds.query(`INSERT INTO app_user (id, email, name, password_hash, role, company_id) VALUES (${ph(6)})`, [uid(0x70, 2), MANAGER.email, 'Bench franchisee', mHash, 'franchisee_manager', f.companies[1]!.id]);
    await setMarker(ds, 'bench-franchise', `${STORES} stores`);
  }
  const products = benchProducts();
  const productMarker = `bench-products-${PRODUCTS}`;
  if (!(await hasMarker(ds, productMarker))) {
    const t0 = performance.now();
    for (let i = 0; i < products.length; i += 50_000) {
      await insertRows(ds, {
        product: products.slice(i, i + 50_000).map((p, k) => [p.id, `BENCH${String(i + k + 1).padStart(7, '0')}`, p.name, null, p.taxRateBp, p.exemption ?? null, p.weighed, p.priceCents, true, 1]),
      });
    }
    await setMarker(ds, productMarker, `${PRODUCTS} products`);
    notes.push(`${PRODUCTS} products seeded in ${round((performance.now() - t0) / 1000, 1)} s`);
  }
  const plan: HistoryPlan = {
    seed: 1_000_003,
    // A fixed year, so every machine seeds the same tickets.
    fromDay: '2025-11-30',
    toDay: '2026-11-29',
    products: products.slice(0, 20_000),
    stores: f.stores.map((s) => ({
      id: s.id,
      code: s.code,
      companyNif: f.companies.find((c) => c.id === s.companyId)!.nif,
      timezone: 'Europe/Madrid',
      tills: f.tills.filter((t) => t.storeId === s.id),
      cashiers: f.staff.filter((x) => x.storeId === s.id),
      // Enough for TICKETS over the year (weekday/season factors average ≈ 0.97); the run stops at TICKETS exactly.
      ticketsPerDay: Math.ceil((TICKETS / STORES / 365 / 0.95) * 1.02),
    })),
    returnRate: 0.01,
  };
  let lastLog = 0;
  const r = await seedSalesHistory(ds, plan, {
    marker: `bench-tickets-${TICKETS}`,
    stock: false,
    maxTickets: TICKETS,
    onProgress: (n, day) => {
      if (n - lastLog < 100_000) return;
      log(`  ${n} tickets (${day})`);
      lastLog = n;
    },
  });
  if (r.seeded) {
    const t0 = performance.now();
    // PostgreSQL: VACUUM as autovacuum would after a million inserts (visibility map: index-only counts).
    await ds.query(pg ? 'VACUUM ANALYZE' : 'ANALYZE');
    notes.push(`${r.tickets} tickets seeded in ${round(r.ms / 1000, 0)} s, ${pg ? 'VACUUM ' : ''}ANALYZE ${round((performance.now() - t0) / 1000, 1)} s`);
  }
  return notes.length ? notes.join('; ') : `dataset reused (seed_marker: ${await markerDetail(ds, `bench-tickets-${TICKETS}`)})`;
}

interface EngineFigures {
  ticketsMs: number[];
  ticketsScopedMs: number[];
  ticketsFilteredMs: number[];
  productsMs: number[];
  productsVia: string;
  seeded: string;
  rows: number;
  cold: number;
}

async function timeEngine(engine: 'sqlite' | 'postgres', log: (m: string) => void): Promise<EngineFigures> {
  let ds: DataSource;
  if (engine === 'sqlite') {
    const file = path.resolve(process.env.BENCH_BACKOFFICE_SQLITE ?? path.join(repoRoot, 'data/bench/backoffice-bench.sqlite'));
    mkdirSync(path.dirname(file), { recursive: true });
    ds = await openBackofficeDatabase({ file });
  } else {
    ds = await openBackofficeDatabase({ databaseUrl: PG_URL, schema: process.env.BENCH_PG_SCHEMA ?? 'tpv_bench' });
  }
  try {
    log(`[${engine}] seeding (skipped when already there)…`);
    const seeded = await seed(ds, log);
    // One log line per request would be most of what the bench prints (and costs a little of what it measures).
    const server = createBackofficeServer({ dataSource: ds, version: 'bench', uiDist: '/nonexistent', log: () => {}, logger: createLogger({ level: 'silent', pretty: false }) });
    const port = await server.listen(0);
    const base = `http://127.0.0.1:${port}`;
    try {
      const login = async (who: { email: string; password: string }) => {
        const r = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(who) });
        return ((await r.json()) as { token: string }).token;
      };
      const [hq, manager] = [await login(HQ), await login(MANAGER)];
      const time = async (url: string, token: string): Promise<{ ms: number; status: number; body: unknown }> => {
        const t0 = performance.now();
        const r = await fetch(base + url, { headers: { authorization: `Bearer ${token}` } });
        const body = await r.json();
        return { ms: performance.now() - t0, status: r.status, body };
      };
      const first = await time('/api/tickets', hq);
      if (first.status !== 200) throw new Error(`GET /api/tickets answered ${first.status}: ${JSON.stringify(first.body)}`);
      const rows = (first.body as { items: unknown[]; total: number }).items.length;
      const runs = async (url: string, token: string) => {
        const out: number[] = [];
        for (let i = 0; i < RUNS; i++) out.push((await time(url, token)).ms);
        return out;
      };
      const ticketsMs = await runs('/api/tickets', hq);
      const ticketsScopedMs = await runs('/api/tickets', manager);
      const ticketsFilteredMs = await runs(`/api/tickets?from=2026-06-01&to=2026-06-30&storeId=${uid(0x20, 11)}&minTotal=10`, hq);
      const productsVia = 'GET /api/products?page=1&pageSize=50 as HQ over HTTP (default sort by SKU, total counted)';
      const probe = await fetch(`${base}/api/products?page=1&pageSize=50`, { headers: { authorization: `Bearer ${hq}` } });
      if (probe.status !== 200) throw new Error(`GET /api/products answered ${probe.status}`);
      const productsMs = await runs('/api/products?page=1&pageSize=50', hq);
      return { ticketsMs, ticketsScopedMs, ticketsFilteredMs, productsMs, productsVia, seeded, rows, cold: first.ms };
    } finally {
      await server.close();
    }
  } finally {
    await ds.destroy();
  }
}

const machine = () => `${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}`;

export const backofficeBench: Bench = async () => {
  const figures: Figures = {};
  for (const engine of runsPart('search') ? (ENGINES as Array<'sqlite' | 'postgres'>) : []) {
    const f = await timeEngine(engine, (m) => console.log(m));
    const where = engine === 'sqlite' ? 'SQLite (WAL, file)' : 'PostgreSQL 127.0.0.1';
    const p = (xs: number[], q: number) => round(percentile(xs, q), 1);
    figures[`ticket_search_first_page_ms_${engine}`] = {
      value: p(f.ticketsMs, 50),
      unit: 'ms',
      conditions:
        `${where}, ${TICKETS} tickets (50 stores × 2 tills, a year), GET /api/tickets first page of 50 newest as HQ over HTTP, median of ${RUNS} (p95 ${p(f.ticketsMs, 95)}, first call ${round(f.cold, 1)}); ` +
        `franchisee (5 stores) p50 ${p(f.ticketsScopedMs, 50)}; one store + a month + min amount p50 ${p(f.ticketsFilteredMs, 50)}; total counted up to 10,000 ("at least"); ${f.seeded}; ${machine()}`,
    };
    figures[`products_first_page_ms_${engine}`] = {
      value: p(f.productsMs, 50),
      unit: 'ms',
      conditions: `${where}, ${PRODUCTS} products, ${f.productsVia}, median of ${RUNS} (p95 ${p(f.productsMs, 95)}); ${machine()}`,
    };
  }
  // Issue 11: receipt posting over 10 million movements, a store's stock list (scripts/src/bench/inventory.ts).
  if (runsPart('inventory')) Object.assign(figures, await inventoryFigures());
  // Issue 11: the restock proposal over 500 stores × 5,000 products (scripts/src/bench/restocking.ts).
  if (runsPart('restocking')) Object.assign(figures, await restockingFigures(ENGINES as Array<'sqlite' | 'postgres'>));
  // Issue 12: the monthly franchise-fee run, 500 franchisees, PDFs included (scripts/src/bench/fees.ts).
  if (runsPart('fees')) Object.assign(figures, await feeRunFigures(ENGINES as Array<'sqlite' | 'postgres'>));
  // Issue 12: one invoice PDF (scripts/src/bench/invoice-pdf.ts).
  if (runsPart('invoice-pdf')) Object.assign(figures, await invoicePdfFigures(machine));
  // Issue 13: automatic matching of a 10,000-movement bank statement (scripts/src/bench/statement-match.ts).
  if (runsPart('statement-match')) Object.assign(figures, await statementMatchFigures(ENGINES as Array<'sqlite' | 'postgres'>, machine));
  // Issue 13: the aging report over 1 million open items (scripts/src/bench/aging.ts).
  if (runsPart('aging')) Object.assign(figures, await agingFigures(ENGINES as Array<'sqlite' | 'postgres'>));
  // Issue 14: the trial balance of one company over 10 million journal lines (scripts/src/bench/trial-balance.ts).
  if (runsPart('trial-balance')) Object.assign(figures, await trialBalanceFigures(ENGINES as Array<'sqlite' | 'postgres'>));
  // Issue 14: the tills' daily sales entries of a month of 500 stores (scripts/src/bench/month-posting.ts).
  if (runsPart('month-posting')) Object.assign(figures, await monthPostingFigures(ENGINES as Array<'sqlite' | 'postgres'>));
  // Issue 16: the month's working-time records of 5,000 employees, PDFs included (scripts/src/bench/time-records.ts).
  if (runsPart('time-records')) Object.assign(figures, await timeRecordFigures(ENGINES as Array<'sqlite' | 'postgres'>, machine));
  // Issue 18: every management report for a month and a year over the rollups; what the rollups cost the ingest (scripts/src/bench/reports.ts).
  if (runsPart('reports') || runsPart('reports-ingest')) Object.assign(figures, await reportFigures(ENGINES as Array<'sqlite' | 'postgres'>, machine, { timings: runsPart('reports'), ingest: runsPart('reports-ingest') }));
  // Issue 18: the live dashboard's update latency while ingesting 1,000 tickets/s (scripts/src/bench/dashboard.ts).
  if (runsPart('dashboard')) Object.assign(figures, await dashboardFigures(machine));
  if (!runsPart('import')) return figures;
  // The import into an empty SQLite catalog: the same use cases as the API job and the CLI.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tpv-bench-import-'));
  const ds = await openBackofficeDatabase({ file: path.join(dir, 'import.sqlite') });
  try {
    Object.assign(figures, await catalogImportFigure(ds, dir));
    figures.catalog_import_200k_s!.conditions += `; ${machine()}`;
  } finally {
    await ds.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
};
