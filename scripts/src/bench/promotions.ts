/**
 * Promotions at the till (issue 15): what evaluating promotions adds to scan → line. A fresh terminal database
 * with `BENCH_PROMO_PRODUCTS` products (default 20,000) in 200 categories; the same scans measured with no
 * promotion and with `BENCH_PROMOTIONS` (default 5,000) active ones of every kind (n×m, nth unit, mix & match,
 * bundles over random products; category ones; a few ticket-threshold ones), arriving as on the feed. Rounds
 * alternate between the two so machine drift hits both alike. Figure: p99(with) − p99(without).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { makeEan13 } from '@tpv/shared/barcode';
import type { Promotion } from '@tpv/shared/promotions/definition';
import { createTerminalApp } from '@tpv/terminal/app/terminal-app';
import { writeIdentity } from '@tpv/terminal/identity';
import { openTerminalDatabase, sqliteHandle } from '@tpv/terminal/persistence/data-source';
import { RecordingDrawer, RecordingPrinter } from '@tpv/terminal/printing/devices';
import { createCatalogStore } from '@tpv/terminal/sync/catalog';
import { percentile, round, type Figures } from './types';

const PRODUCTS = Number(process.env.BENCH_PROMO_PRODUCTS ?? 20_000);
const PROMOTIONS = Number(process.env.BENCH_PROMOTIONS ?? 5_000);
const ROUNDS = Number(process.env.BENCH_PROMO_ROUNDS ?? 10);
const SALES_PER_ROUND = 50;
const SCANS_PER_SALE = 10;

export async function promotionsFigures(): Promise<Figures> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tpv-bench-promo-'));
  const load0 = os.loadavg()[0]!;
  try {
    const ds = await openTerminalDatabase(path.join(dir, 'terminal.sqlite'));
    const db = sqliteHandle(ds);
    const barcodes: string[] = [];
    const insP = db.prepare('INSERT INTO product (id, sku, name, category_id, tax_rate_bp, exemption, weighed, price_cents, active, version) VALUES (?, ?, ?, ?, 2100, NULL, 0, ?, 1, 1)');
    const insB = db.prepare('INSERT INTO product_barcode (barcode, product_id, version) VALUES (?, ?, 1)');
    db.transaction(() => {
      for (let i = 1; i <= PRODUCTS; i++) {
        const ean = makeEan13(`84${String(1_000_000_000 + i).slice(-10)}`);
        insP.run(`p${i}`, `SKU${i}`, `Producto ${i}`, `cat${i % 200}`, 50 + (i % 2000));
        insB.run(ean, `p${i}`);
        barcodes.push(ean);
      }
      db.prepare("INSERT INTO staff (id, code, name, role, pin_hash, active, version) VALUES ('s1', 'S1', 'Bench', 'cashier', 'x', 1, 1)").run();
      writeIdentity(db, {
        terminalId: '00000000-0000-7000-8003-000000000001', terminalCode: '01', terminalName: 'Caja 1', storeId: 'store-1',
        storeCode: 'M001', storeName: 'Bench', storeAddress: 'Calle 1', timezone: 'Europe/Madrid', companyId: 'c1', companyNif: 'B12345674',
        companyLegalName: 'Bench S.L.', companyTradeName: 'Bench', installation: 'M001-01',
      });
    })();
    const rnd = (n: number) => randomBytes(4).readUInt32BE(0) % n;
    const prod = () => `p${1 + rnd(PRODUCTS)}`;
    const promos: Promotion[] = Array.from({ length: PROMOTIONS }, (_, i): Promotion => {
      const conditions: Promotion['conditions'] = { validFrom: '2020-01-01T00:00:00Z', ...(i % 7 === 0 ? { weekdays: [1, 2, 3, 4, 5, 6, 7], hours: { from: '00:00', to: '23:59' } } : {}) };
      const base = { id: `promo-${i}`, name: `Promo ${i}`, conditions, priority: i % 5, exclusive: i % 50 === 0 };
      switch (i % 6) {
        case 0: return { ...base, rule: { kind: 'n_for_m', productIds: [prod(), prod(), prod()], buy: 3, pay: 2 } };
        case 1: return { ...base, rule: { kind: 'nth_unit', productIds: [prod()], nth: 2, percentBp: 5000 } };
        case 2: return { ...base, rule: { kind: 'mix_match', productIds: Array.from({ length: 10 }, prod), quantity: 3, priceCents: 300 } };
        case 3: return { ...base, rule: { kind: 'bundle', items: [{ productId: prod(), units: 1 }, { productId: prod(), units: 1 }], priceCents: 200 } };
        case 4: return { ...base, rule: { kind: 'category', categoryIds: [`cat${rnd(200)}`], percentBp: 500 } };
        default: return i % 120 === 5 ? { ...base, rule: { kind: 'ticket', thresholdCents: 5000 + rnd(5000), percentBp: 300 } } : { ...base, rule: { kind: 'category', categoryIds: [`cat${rnd(200)}`], amountCents: 10 } };
      }
    });
    const store = createCatalogStore(db);
    let v = 0;
    const feed = (changes: Array<Record<string, unknown>>) => {
      for (let i = 0; i < changes.length; i += 1000) {
        const part = changes.slice(i, i + 1000);
        store.applyPage({ fromVersion: v, toVersion: v + part.length, hasMore: false, changes: part.map((c, k) => ({ version: v + k + 1, ...c })) }, new Date().toISOString());
        v += part.length;
      }
    };
    const app = createTerminalApp({ db, printer: new RecordingPrinter(), drawer: new RecordingDrawer(), startPrinting: false });
    const me = { id: 's1', name: 'Bench', role: 'cashier' as const };
    if (!app.cash.open(me, { '5000': 4 }).ok) throw new Error('cash open');

    const without: number[] = [];
    const withPromos: number[] = [];
    let applied = 0;
    for (let round_ = -1; round_ < ROUNDS * 2; round_++) {
      const on = round_ % 2 === 1;
      // Switch the set as the feed would: all upserted, or all deleted (the index reloads once).
      feed(promos.map((p) => (on ? { entity: 'promotion', id: p.id, op: 'upsert', data: p } : { entity: 'promotion', id: p.id, op: 'delete', data: null })));
      for (let s = 0; s < SALES_PER_ROUND; s++) {
        for (let k = 0; k < SCANS_PER_SALE; k++) {
          const code = barcodes[rnd(barcodes.length)]!;
          const t0 = performance.now();
          const r = app.cart.scan(me, code);
          const dt = performance.now() - t0;
          if (!r.ok) throw new Error(r.error.message);
          if (round_ >= 0 && !(s === 0 && k === 0)) (on ? withPromos : without).push(dt); // the first scan of a round rebuilds the index
        }
        const cart = app.cart.priced();
        if (on) applied += cart.promotions.length;
        const paid = app.checkout.checkout(me, [{ method: 'cash', amountCents: cart.totals.total + 37 }]);
        if (!paid.ok) throw new Error(paid.error.message);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    await app.stop();
    await ds.destroy();
    const p99a = percentile(without, 99);
    const p99b = percentile(withPromos, 99);
    const cond = `${withPromos.length} scans with ${PROMOTIONS.toLocaleString('en')} active promotions vs ${without.length} with none, alternating rounds of ${SALES_PER_ROUND} sales × ${SCANS_PER_SALE} scans; ${PRODUCTS.toLocaleString('en')} products in 200 categories; ${applied} promotions applied; p99 ${round(p99b)} vs ${round(p99a)} ms (p50 ${round(percentile(withPromos, 50))} vs ${round(percentile(without, 50))}); ${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, load avg ${load0.toFixed(1)} → ${os.loadavg()[0]!.toFixed(1)} (shared machine)`;
    return {
      promotions_scan_overhead_p99_ms: { value: round(Math.max(0, p99b - p99a)), unit: 'ms', conditions: `${cond}; target ≤ 1 ms` },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
