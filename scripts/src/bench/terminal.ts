/**
 * Terminal selling bench: a fresh terminal database with 200,000 products, then
 *  - scan_to_line p50/p99: barcode → priced cart with the line (in-process CartService.scan: GS1 parse,
 *    barcode index probe, pricing, cart persisted to SQLite), carts of up to 10 lines; receipts print (to
 *    the recording printer) between customers, as at a real till;
 *  - sale_commit p99: Checkout.checkout — the one BEGIN IMMEDIATE transaction with ticket, lines,
 *    payment, cash movement, chained Veri*Factu record, outbox row, print job — durable (WAL, synchronous=FULL);
 *  - cold_start: spawn the terminal service process (tsx terminal/src/main.ts) on that database until /health
 *    answers 200 (median of 3).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { makeEan13 } from '@tpv/shared/barcode';
import { createTerminalApp } from '@tpv/terminal/app/terminal-app';
import { writeIdentity } from '@tpv/terminal/identity';
import { openTerminalDatabase, sqliteHandle } from '@tpv/terminal/persistence/data-source';
import { RecordingDrawer, RecordingPrinter } from '@tpv/terminal/printing/devices';
import { freePort } from '@tpv/runtime/testing/ports';
import { percentile, round, type Bench } from './types';
import { customerSearchBench } from './customer-search';

const PRODUCTS = 200_000;
const SALES = 2_000;
const SCANS_PER_SALE = 10;
const RATES = [2100, 1000, 400, 2100, 1000];

/** Which parts run (`BENCH_TERMINAL_PARTS=selling,promotions`); all when unset. */
const PARTS = process.env.BENCH_TERMINAL_PARTS?.split(',').map((s) => s.trim());
const runsPart = (p: string) => PARTS === undefined || PARTS.includes(p);

export const terminalBench: Bench = async () => ({
  ...(runsPart('selling') ? await sellingFigures() : {}),
  // Issue 15: what promotions add to scan → line (scripts/src/bench/promotions.ts).
  ...(runsPart('promotions') ? await (await import('./promotions')).promotionsFigures() : {}),
  // Customer search over TPV_BENCH_CUSTOMERS customers (default 1,000,000) in its own till database.
  ...(runsPart('customers') ? await customerSearchBench() : {}),
});

const sellingFigures = async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tpv-bench-terminal-'));
  const file = path.join(dir, 'terminal.sqlite');
  const load0 = os.loadavg()[0]!;
  try {
    const ds = await openTerminalDatabase(file);
    const db = sqliteHandle(ds);
    const barcodes: string[] = [];
    const loadStart = performance.now();
    const insP = db.prepare('INSERT INTO product (id, sku, name, category_id, tax_rate_bp, exemption, weighed, price_cents, active, version) VALUES (?, ?, ?, NULL, ?, NULL, 0, ?, 1, 1)');
    const insB = db.prepare('INSERT INTO product_barcode (barcode, product_id, version) VALUES (?, ?, 1)');
    db.transaction(() => {
      for (let i = 1; i <= PRODUCTS; i++) {
        const id = `p${i}`;
        const ean = makeEan13(`84${String(1_000_000_000 + i).slice(-10)}`);
        insP.run(id, `SKU${i}`, `Producto de prueba número ${i} marca ${i % 97}`, RATES[i % RATES.length], 50 + (i % 2000));
        insB.run(ean, id);
        barcodes.push(ean);
      }
      db.prepare("INSERT INTO staff (id, code, name, role, pin_hash, active, version) VALUES ('s1', 'S1', 'Bench', 'cashier', 'x', 1, 1)").run();
      writeIdentity(db, {
        terminalId: '00000000-0000-7000-8003-000000000001', terminalCode: '01', terminalName: 'Caja 1', storeId: '00000000-0000-7000-8002-000000000001',
        storeCode: 'M001', storeName: 'Bench', storeAddress: 'Calle 1', timezone: 'Europe/Madrid', companyId: 'c1', companyNif: 'B12345674',
        companyLegalName: 'Bench S.L.', companyTradeName: 'Bench', installation: 'M001-01',
      });
    })();
    const loadMs = performance.now() - loadStart;

    const app = createTerminalApp({ db, printer: new RecordingPrinter(), drawer: new RecordingDrawer() });
    const me = { id: 's1', name: 'Bench', role: 'cashier' as const };
    const opened = app.cash.open(me, { '5000': 4 });
    if (!opened.ok) throw new Error(opened.error.message);
    const pick = () => barcodes[randomBytes(4).readUInt32BE(0) % barcodes.length]!;

    const scan: number[] = [];
    const commit: number[] = [];
    for (let s = -50; s < SALES; s++) {
      for (let k = 0; k < SCANS_PER_SALE; k++) {
        const code = pick();
        const t0 = performance.now();
        const r = app.cart.scan(me, code);
        const dt = performance.now() - t0;
        if (!r.ok) throw new Error(r.error.message);
        if (s >= 0) scan.push(dt);
      }
      const total = app.cart.priced().totals.total;
      const t0 = performance.now();
      const r = app.checkout.checkout(me, [{ method: 'cash', amountCents: total + 37 }]);
      const dt = performance.now() - t0;
      if (!r.ok) throw new Error(r.error.message);
      if (s >= 0) commit.push(dt);
      // Between customers the event loop turns (socket.io, print worker, WAL checkpoints).
      await new Promise((resolve) => setImmediate(resolve));
    }
    const sync = db.pragma('synchronous', { simple: true });
    const journal = db.pragma('journal_mode', { simple: true });
    await app.printing.drained();
    await app.stop();
    const fsync = fsyncBaseline(db);
    await ds.destroy();

    const starts: number[] = [];
    for (let i = 0; i < 3; i++) starts.push(await coldStart(file));
    starts.sort((a, b) => a - b);

    const cond = `${PRODUCTS.toLocaleString('en')} products (loaded in ${Math.round(loadMs)} ms), journal=${String(journal)} (checkpoints off the hot path), synchronous=${String(sync) === '2' ? 'FULL' : String(sync)}, ext4 tmpdir, ${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, load avg ${load0.toFixed(1)} → ${os.loadavg()[0]!.toFixed(1)}`;
    return {
      scan_to_line_p50_ms: { value: round(percentile(scan, 50)), unit: 'ms', conditions: `${scan.length} scans, carts of 1–${SCANS_PER_SALE} lines, cart persisted per scan; ${cond}` },
      scan_to_line_p99_ms: { value: round(percentile(scan, 99)), unit: 'ms', conditions: `${scan.length} scans; target ≤ 2 ms` },
      sale_commit_p50_ms: { value: round(percentile(commit, 50)), unit: 'ms', conditions: `${commit.length} sales of ${SCANS_PER_SALE} lines, cash` },
      sale_commit_p99_ms: { value: round(percentile(commit, 99)), unit: 'ms', conditions: `${commit.length} sales of ${SCANS_PER_SALE} lines, one durable transaction each (ticket, lines, payment, cash, fiscal chain, outbox, print job); target ≤ 10 ms` },
      fsync_baseline_p99_ms: { value: round(percentile(fsync, 99)), unit: 'ms', conditions: `same disk and connection: ${fsync.length} one-row WAL commits with synchronous=FULL (p50 ${round(percentile(fsync, 50))} ms) — the floor under sale_commit` },
      cold_start_ms: { value: round(starts[1]!, 0), unit: 'ms', conditions: `spawn tsx terminal/src/main.ts on the ${PRODUCTS.toLocaleString('en')}-product DB with ${SALES} tickets until /health 200; median of 3 (${starts.map((x) => Math.round(x)).join(', ')}); target ≤ 3000 ms` },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

/** What one durable commit costs on this disk, whatever the work inside it (one-row upserts, same connection). */
function fsyncBaseline(db: ReturnType<typeof sqliteHandle>): number[] {
  const put = db.prepare("INSERT INTO terminal_config (key, value) VALUES ('bench', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  const out: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const t0 = performance.now();
    put.run(String(i));
    out.push(performance.now() - t0);
  }
  return out;
}

async function coldStart(file: string): Promise<number> {
  const repoRoot = path.resolve(import.meta.dirname, '../../..');
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'terminal/src/main.ts')], {
    cwd: repoRoot,
    env: { ...process.env, TPV_TERMINAL_DB: file, TPV_TERMINAL_PORT: String(port), TPV_PRINTER: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`terminal exited with ${child.exitCode}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/health`);
        if (res.status === 200) return performance.now() - t0;
      } catch {
        // not listening yet
      }
      if (performance.now() - t0 > 30_000) throw new Error('terminal did not become healthy in 30 s');
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}
