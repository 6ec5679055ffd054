/**
 * Management reports, must-be-true #1 (issue 18), on both engines: random tickets (sales, returns, line
 * discounts, promotions, several days, stores in Europe/Madrid and Atlantic/Canary, some around midnight)
 * go through the real ingest; every report's totals equal the sums computed here from the raw ticket
 * documents (dates and hours read off the documents' local time), and rebuilding the rollups from the stored
 * tickets gives exactly the rows the ingest kept. Voids and cash closes (issue 18) go up through the tills'
 * documents channel too: the cashiers report's voids and cash differences equal the documents' sums, and the
 * rebuild gives their rollup rows back. Then the HTTP edge: scope (a franchisee asking for another
 * company's store: 403 problem+json), bad dates (400 naming the field), XLSX totals = JSON totals, PDF text.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '@tpv/shared/prng';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import type { TillCashClose, TillVoid, UpwardAck, UpwardDocument } from '@tpv/shared/wire/upward';
import type { LineInput } from '@tpv/shared/ticket';
import { REPORT_KEYS, type ReportResult } from '@tpv/shared/wire/http/reports';
import { connectTerminal, engines, F, startHarness } from '../support/harness';
import { createTicketFactory, type TicketFactory } from '../support/ticket-factory';
import { all, exec } from '../../src/persistence/sql';
import { rebuildRollups } from '../../src/reports/rebuild';
import { forgetPartitions } from '../../src/reports/rollups';
import { foldedScope, foldRollups } from '../../src/reports/fold';
import { planPeriod } from '../../src/reports/queries';

const CANARY = 'Atlantic/Canary';
const FROM = '2026-11-02';
const TO = '2026-11-06';
/** Average cost per product (micros per stock unit: a unit or a gram), per company. */
const costOf = (i: number, company: 'ruiz' | 'levante') => (company === 'ruiz' ? 300_000 + i * 41_000 : 280_000 + i * 53_000) / (F.products[i]!.weighed ? 1000 : 1);

const units = (l: TicketDocument['lines'][number]) => (l.quantity.kind === 'units' ? l.quantity.units : Math.sign(l.quantity.grams));
const lineBase = (total: number, rate: number) => total - Math.sign(total) * Math.round((Math.abs(total) * rate) / (10_000 + rate));

describe.each(engines)('report rollups on $name', (engine) => {
  let h: Awaited<ReturnType<typeof startHarness>>;
  let hq: string;
  let levante: string;
  const sent: Array<{ doc: TicketDocument; storeId: string; company: 'ruiz' | 'levante' }> = [];
  /** Voids and cash closes the tills sent up (issue 18), `at` in the store's local time with its offset. */
  const events: Array<{ storeId: string; cashier: string; at: string; kind: 'void' | 'close'; cents: number; emptied: boolean }> = [];
  /** HQ's clock (the ingest's "today", the fold's "yesterday"): 30 Nov 2026, moved to December for the fold. */
  let nowMs = Date.UTC(2026, 10, 30, 12);
  let clockMs = 0;
  const factories = new Map<string, TicketFactory>();

  const tables = async () => {
    const out: Record<string, unknown[]> = {};
    for (const [t, order] of [
      ['report_sales_hour', 'store_id, business_date, hour, product_id'],
      ['report_ticket_hour', 'store_id, business_date, hour'],
      ['report_cashier_day', 'store_id, business_date, cashier_id'],
      ['report_payment_day', 'store_id, business_date, method'],
      ['report_promotion_day', 'store_id, business_date, promotion_id, product_id'],
      ['report_cashier_event_day', 'store_id, business_date, cashier_id'],
      ['report_sales_month', 'store_id, product_id, month'],
      ['report_sales_month_store', 'store_id, month'],
      ['report_sales_month_network', 'month, product_id'],
      ['report_sales_day_network', 'business_date, product_id'],
      ['report_ticket_month_store', 'store_id, month'],
      ['report_ticket_day_network', 'business_date, hour'],
      ['report_cashier_month', 'store_id, month, cashier_id'],
      ['report_promotion_month', 'store_id, month, promotion_id, product_id'],
      ['report_sales_pair_year', 'store_id, product_id, year'],
      ['report_ticket_day_store', 'store_id, business_date'],
      ['report_ticket_heat_month', 'store_id, month, weekday, hour'],
      ['report_sales_heat_month', 'store_id, month, product_id, weekday, hour'],
      ['report_sales_heat_month_network', 'product_id, month, weekday, hour'],
      ['report_sales_day_store', 'store_id, business_date'],
      ['report_sales_day_store_product', 'store_id, month, product_id, business_date'],
    ] as const) {
      out[t] = (await all<Record<string, unknown>>(h.ds.manager, `SELECT * FROM ${t} ORDER BY ${order}`)).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' || v === null ? v : Number(v)])));
    }
    return out;
  };
  const report = async (key: string, q: string, token = hq): Promise<ReportResult> => {
    const r = await h.api('GET', `/api/reports/${key}?${q}`, { token });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body as ReportResult;
  };

  beforeAll(async () => {
    forgetPartitions();
    h = await startHarness(engine, { now: () => nowMs });
    hq = await h.login(F.hq);
    levante = await h.login(F.managerLevante);
    await exec(h.ds.manager, `UPDATE store SET timezone = ? WHERE id = ?`, [CANARY, F.storeV1.id]);
    const at = new Date(Date.UTC(2026, 9, 1)).toISOString();
    for (const [company, id] of [['ruiz', F.ruiz.id], ['levante', F.levante.id]] as const) {
      for (let i = 0; i < F.products.length; i++) {
        await exec(h.ds.manager, `INSERT INTO stock_cost (company_id, product_id, avg_cost_micros, updated_at) VALUES (?, ?, ?, ?)`, [id, F.products[i]!.id, Math.round(costOf(i, company)), at]);
      }
    }

    const rnd = seededRandom(18);
    // The voids and closes draw from their own sequence: the tickets stay the ones this test always had.
    const erd = seededRandom(1818);
    const tills = [
      { t: F.t1, store: F.storeM1, nif: F.ruiz.nif, tz: 'Europe/Madrid', company: 'ruiz' as const, cashiers: [{ id: 'cajera-ana', name: 'Ana' }, { id: 'cajero-luis', name: 'Luis' }] },
      { t: F.t3, store: F.storeV1, nif: F.levante.nif, tz: CANARY, company: 'levante' as const, cashiers: [{ id: 'cajera-vera', name: 'Vera' }] },
    ];
    for (const till of tills) {
      const client = await connectTerminal(h.url, till.t.id, await h.pair(till.t.id));
      const f = createTicketFactory({
        identity: { terminalId: till.t.id, terminalCode: till.t.code, storeId: till.store.id, storeCode: till.store.code, installation: till.t.installation, companyNif: till.nif, timezone: till.tz },
        products: F.products,
        clock: { now: () => clockMs },
        seed: 100,
        cashier: till.cashiers[0]!,
        returnRate: 0,
      });
      factories.set(till.t.id, f);
      const batch: TicketDocument[] = [];
      for (let day = 2; day <= 6; day++) {
        for (let i = 0; i < 9; i++) {
          // Hours spread over the day, a few just before and after midnight UTC (another local date in Madrid).
          const hour = i === 0 ? 23 : i === 1 ? 0 : 8 + Math.floor(rnd() * 13);
          clockMs = Date.UTC(2026, 10, day, hour, Math.floor(rnd() * 60), i);
          const r = rnd();
          let doc: TicketDocument;
          const earlier = batch.filter((d) => d.kind === 'sale' && d.lines.some((l) => l.quantity.kind === 'units'));
          if (r < 0.15 && earlier.length > 0) {
            const s = earlier[Math.floor(rnd() * earlier.length)]!;
            doc = f.returnOf(s, s.lines.findIndex((l) => l.quantity.kind === 'units'), 1);
          } else {
            const n = 1 + Math.floor(rnd() * 4);
            const picked = [...new Set(Array.from({ length: n }, () => F.products[Math.floor(rnd() * F.products.length)]!))];
            const promo = rnd() < 0.4;
            const disc = rnd() < 0.3;
            doc = f.sale({
              lines: picked.map((p) => ({ product: p, units: 1 + Math.floor(rnd() * 3), grams: 200 + Math.floor(rnd() * 900) })),
              payment: rnd() < 0.5 ? 'card' : 'cash',
              promote: (lines: LineInput[]) => {
                const out = lines.map((l, k) => ({
                  ...l,
                  ...(disc && k === 0 ? { discount: { kind: 'percent' as const, bp: 1000 } } : {}),
                  ...(promo && k === lines.length - 1 ? { benefits: [{ kind: 'promotion' as const, id: k % 2 ? 'PROMO-2X1' : 'PROMO-10', cents: 15 }] } : {}),
                }));
                const benefits = promo ? [{ kind: 'promotion' as const, id: (lines.length - 1) % 2 ? 'PROMO-2X1' : 'PROMO-10', name: 'Promoción de prueba', cents: 15 }] : [];
                return { lines: out, benefits };
              },
            });
          }
          batch.push(doc);
          sent.push({ doc, storeId: till.store.id, company: till.company });
        }
      }
      const ack = await client.send(batch);
      expect(ack.ackedSeq).toBe(batch.length);
      expect(ack.rejected ?? []).toEqual([]);
      // Voids and cash closes (issue 18) through the till's documents channel: each day a few voids by any of
      // the store's cashiers (some around midnight UTC), and one close short, over or exact.
      const offset = till.tz === CANARY ? '+00:00' : '+01:00';
      const local = (ms: number) => new Date(ms + (offset === '+01:00' ? 3_600_000 : 0)).toISOString().slice(0, 19) + offset;
      const docs: UpwardDocument[] = [];
      for (let day = 1; day <= 7; day++) {
        const voids = Math.floor(erd() * 4);
        for (let i = 0; i < voids + 1; i++) {
          const hour = i === 0 ? 23 : 8 + Math.floor(erd() * 13);
          const at = local(Date.UTC(2026, 10, day, hour, Math.floor(erd() * 60), i));
          const who = till.cashiers[Math.floor(erd() * till.cashiers.length)]!;
          const id = `01900000-0000-7000-8${String(day).padStart(3, '0')}-${till.t.id.slice(-6)}${String(i).padStart(6, '0')}`;
          if (i === voids) {
            const expected = 20_000 + Math.floor(erd() * 80_000);
            const difference = [-200, 0, 50, -1_000, 30][Math.floor(erd() * 5)]!;
            docs.push({ id, kind: 'cash.close', createdAt: at, payload: { sessionId: `s-${day}`, number: day, openedAt: at, openedBy: who.id, closedAt: at, closedBy: who.id, closedByName: who.name, expectedCents: expected, countedCents: expected + difference, differenceCents: difference } satisfies TillCashClose });
            events.push({ storeId: till.store.id, cashier: who.name, at, kind: 'close', cents: difference, emptied: false });
          } else {
            const cents = 1 + Math.floor(erd() * 5_000);
            const emptied = erd() < 0.3;
            docs.push({ id, kind: 'sales.void', createdAt: at, payload: { cartId: `c-${day}-${i}`, lineId: String(i + 1), productId: F.products[i]!.id, cashierId: who.id, cashierName: who.name, authorisedBy: 'sup-1', cents, cartEmptied: emptied, at } satisfies TillVoid });
            events.push({ storeId: till.store.id, cashier: who.name, at, kind: 'void', cents, emptied });
          }
        }
      }
      const answered = (await client.socket.timeout(10_000).emitWithAck('documents', { terminalId: till.t.id, documents: docs })) as UpwardAck;
      expect(answered.results.map((r) => r.status)).toEqual(docs.map(() => 'applied'));
      if (till.cashiers.length > 1) {
        // The second cashier sells at the store's other till (random baskets with returns).
        const t2 = await connectTerminal(h.url, F.t2.id, await h.pair(F.t2.id));
        const g = createTicketFactory({
          identity: { terminalId: F.t2.id, terminalCode: F.t2.code, storeId: till.store.id, storeCode: till.store.code, installation: F.t2.installation, companyNif: till.nif, timezone: till.tz },
          products: F.products,
          clock: { now: () => clockMs },
          seed: 7,
          cashier: till.cashiers[1]!,
          returnRate: 0.1,
        });
        const b2: TicketDocument[] = [];
        for (let day = 3; day <= 5; day++) {
          for (let i = 0; i < 6; i++) {
            clockMs = Date.UTC(2026, 10, day, 9 + i * 2, 15, 0);
            const d = g.next();
            b2.push(d);
            sent.push({ doc: d, storeId: till.store.id, company: till.company });
          }
        }
        expect((await t2.send(b2)).ackedSeq).toBe(b2.length);
        t2.close();
      }
      client.close();
    }
  }, 60_000);
  afterAll(async () => {
    await h?.teardown();
  });

  // ---- what the raw documents say ----
  const inRange = (d: TicketDocument, from = FROM, to = TO) => d.issuedAt.slice(0, 10) >= from && d.issuedAt.slice(0, 10) <= to;
  const raw = (pred: (x: (typeof sent)[number]) => boolean = () => true, from = FROM, to = TO) => {
    const xs = sent.filter((x) => pred(x) && inRange(x.doc, from, to));
    const sales = xs.filter((x) => x.doc.kind === 'sale');
    const returns = xs.filter((x) => x.doc.kind === 'return');
    const lines = xs.flatMap((x) => x.doc.lines.map((l) => ({ l, x })));
    return {
      tickets: sales.length,
      returnsTickets: returns.length,
      units: lines.reduce((a, { l }) => a + units(l), 0),
      grossCents: xs.reduce((a, x) => a + x.doc.totals.total, 0),
      netCents: xs.reduce((a, x) => a + x.doc.totals.total - x.doc.totals.taxTotal, 0),
      discountCents: xs.reduce((a, x) => a + x.doc.totals.discountTotal, 0),
      returnsCents: returns.reduce((a, x) => a - x.doc.totals.total, 0),
      returnsUnits: lines.filter(({ l }) => units(l) < 0).reduce((a, { l }) => a - units(l), 0),
      lineNet: lines.reduce((a, { l }) => a + lineBase(l.total, l.taxRate), 0),
      lineGross: lines.reduce((a, { l }) => a + l.total, 0),
      cost: lines.reduce((a, { l, x }) => {
        const i = F.products.findIndex((p) => p.id === l.productId);
        const qty = l.quantity.kind === 'units' ? l.quantity.units : l.quantity.grams;
        return a + Math.sign(qty) * Math.round((Math.abs(qty) * Math.round(costOf(i, x.company))) / 10_000);
      }, 0),
      savings: xs.reduce((a, x) => a + (x.doc.benefits ?? []).filter((b) => b.kind === 'promotion').reduce((s, b) => s + (x.doc.kind === 'return' ? -b.cents : b.cents), 0), 0),
    };
  };

  it('ingested tickets landed in both time zones, some on the next local day', () => {
    expect(sent.length).toBeGreaterThan(90);
    expect(sent.some((x) => x.doc.issuedAt.endsWith('+01:00') && x.doc.issuedAt.slice(11, 13) === '00')).toBe(true);
    expect(sent.some((x) => x.doc.issuedAt.endsWith('+00:00'))).toBe(true);
    expect(sent.some((x) => x.doc.kind === 'return')).toBe(true);
    expect(sent.some((x) => (x.doc.benefits ?? []).length > 0)).toBe(true);
  });

  it('every report total equals the sums of the raw ticket documents', async () => {
    const r = raw();
    const q = `from=${FROM}&to=${TO}`;
    const byStore = await report('sales-by-store', q);
    expect(byStore.totals).toMatchObject({ tickets: r.tickets, returnsTickets: r.returnsTickets, units: r.units, grossCents: r.grossCents, netCents: r.netCents, discountCents: r.discountCents });
    for (const storeId of [F.storeM1.id, F.storeV1.id]) {
      const s = raw((x) => x.storeId === storeId);
      expect(byStore.rows.find((row) => row.storeId === storeId)).toMatchObject({ tickets: s.tickets, grossCents: s.grossCents, netCents: s.netCents });
    }
    for (const g of ['day', 'week', 'month']) {
      const p = await report('sales-by-period', `${q}&groupBy=${g}`);
      expect(p.totals, g).toMatchObject({ tickets: r.tickets, units: r.units, grossCents: r.grossCents, netCents: r.netCents, discountCents: r.discountCents });
    }
    const days = await report('sales-by-period', `${q}&groupBy=day`);
    for (const row of days.rows) {
      const d = sent.filter((x) => x.doc.issuedAt.slice(0, 10) === row.period);
      expect(row.grossCents, String(row.period)).toBe(d.reduce((a, x) => a + x.doc.totals.total, 0));
    }
    const heat = await report('heatmap', q);
    expect(heat.totals.total).toBe(r.grossCents);
    // One cell by hand: the Canary store's tickets at its local 23:00 on Mondays… any cell: hour 09 on Wednesday 4 Nov.
    const wed09 = sent.filter((x) => x.doc.issuedAt.slice(0, 10) === '2026-11-04' && x.doc.issuedAt.slice(11, 13) === '09').reduce((a, x) => a + x.doc.totals.total, 0);
    expect(heat.rows.find((row) => row.hour === '09:00')?.wed ?? 0).toBe(wed09);

    const products = await report('sales-by-product', q);
    expect(products.totals).toMatchObject({ units: r.units, grossCents: r.lineGross, netCents: r.lineNet });
    expect(r.lineGross).toBe(r.grossCents);
    const cats = await report('sales-by-category', q);
    expect(cats.totals).toMatchObject({ units: r.units, grossCents: r.lineGross });
    const pay = await report('sales-by-payment', q);
    expect(pay.totals.amountCents).toBe(r.grossCents);
    const cashiers = await report('sales-by-cashier', q);
    expect(cashiers.totals).toMatchObject({ tickets: r.tickets, returnsTickets: r.returnsTickets, grossCents: r.grossCents });
    expect(cashiers.rows.map((c) => c.cashier).sort()).toEqual(['Ana', 'Luis', 'Vera']);
    const cf = await report('cashiers', q);
    expect(cf.totals).toMatchObject({ tickets: r.tickets, returnsCents: r.returnsCents, discountCents: r.discountCents });
    // Voids and cash differences (issue 18): the sums of the documents the tills sent, by local date and cashier.
    const ev = events.filter((e) => e.at.slice(0, 10) >= FROM && e.at.slice(0, 10) <= TO);
    const evSums = (xs: typeof ev) => ({
      voids: xs.filter((e) => e.kind === 'void').length,
      voidCents: xs.filter((e) => e.kind === 'void').reduce((a, e) => a + e.cents, 0),
      cartsVoided: xs.filter((e) => e.emptied).length,
      cashCloses: xs.filter((e) => e.kind === 'close').length,
      cashDifferenceCents: xs.filter((e) => e.kind === 'close').reduce((a, e) => a + e.cents, 0),
    });
    expect(ev.length).toBeGreaterThan(10);
    expect(cf.totals).toMatchObject(evSums(ev));
    for (const name of ['Ana', 'Luis', 'Vera']) expect(cf.rows.find((row) => row.cashier === name), name).toMatchObject(evSums(ev.filter((e) => e.cashier === name)));
    const rd = await report('returns-discounts', q);
    expect(rd.totals).toMatchObject({ returnsTickets: r.returnsTickets, returnsUnits: r.returnsUnits, returnsCents: r.returnsCents, discountCents: r.discountCents });
    for (const by of ['store', 'category', 'product']) {
      const m = await report('margin', `${q}&groupBy=${by}`);
      expect(m.totals, by).toMatchObject({ netCents: r.lineNet, costCents: r.cost, marginCents: r.lineNet - r.cost });
    }
    const abc = await report('abc', q);
    expect(abc.rows.every((row) => ['A', 'B', 'C'].includes(String(row.class)))).toBe(true);
    const promos = await report('promotions', q);
    expect(promos.totals.savingsCents).toBe(r.savings);
    const bench = await report('benchmark', q);
    expect(bench.totals).toMatchObject({ tickets: r.tickets, netCents: r.netCents });
    // Every report answers for the period (the stock ones read stock levels: none here).
    for (const key of REPORT_KEYS) await report(key, q);
  });

  it('filters by store, product and cashier, and one day, add up to the documents too', async () => {
    const v = raw((x) => x.storeId === F.storeV1.id);
    expect((await report('sales-by-store', `from=${FROM}&to=${TO}&store=${F.storeV1.id}`)).totals).toMatchObject({ tickets: v.tickets, grossCents: v.grossCents });
    const p = F.products[1]!.id;
    const lines = sent.filter((x) => inRange(x.doc)).flatMap((x) => x.doc.lines.filter((l) => l.productId === p));
    expect((await report('sales-by-period', `from=${FROM}&to=${TO}&product=${p}`)).totals).toMatchObject({ tickets: null, grossCents: lines.reduce((a, l) => a + l.total, 0) });
    const luis = raw((x) => x.doc.cashier.name === 'Luis');
    expect((await report('sales-by-period', `from=${FROM}&to=${TO}&cashier=cajero-luis`)).totals).toMatchObject({ tickets: luis.tickets, grossCents: luis.grossCents });
    const day = sent.filter((x) => x.doc.issuedAt.slice(0, 10) === '2026-11-03');
    expect((await report('sales-by-store', 'from=2026-11-03&to=2026-11-03')).totals.grossCents).toBe(day.reduce((a, x) => a + x.doc.totals.total, 0));
  });

  // ---- the fold: month and network tables (reports at 10 million tickets) ----

  /** Periods: a whole month, one inside a month, across months, the last 90 days; as HQ and as a franchisee. */
  const PERIODS = ['from=2026-11-01&to=2026-11-30', `from=${FROM}&to=${TO}`, 'from=2026-10-15&to=2026-12-10', 'from=2026-09-16&to=2026-12-14'];
  const everyReport = async () => {
    const out: Record<string, unknown> = {};
    for (const [who, token] of [['hq', hq], ['levante', levante]] as const) {
      for (const q of PERIODS) {
        for (const key of REPORT_KEYS) {
          const r = await report(key, q, token);
          // Rows of equal sort keys may come in another order: compared as a set.
          out[`${who} ${key} ${q}`] = { columns: r.columns, totals: r.totals, rows: r.rows.map((x) => JSON.stringify(x)).sort() };
        }
      }
    }
    for (const by of ['store', 'category', 'product']) out[`margin ${by}`] = (await report('margin', `${PERIODS[0]}&groupBy=${by}`)).totals;
    out['product filter'] = (await report('sales-by-product', `${PERIODS[0]}&product=${F.products[1]!.id}`)).totals;
    // By day with a store and a product (folded: the store's product-day rows), the late sale's product and store.
    const byDay = await report('sales-by-period', `${PERIODS[0]}&groupBy=day&store=${F.storeV1.id}&product=${F.products[2]!.id}`);
    out['store and product by day'] = { rows: byDay.rows, totals: byDay.totals };
    return out;
  };
  const expectNovemberTotals = async () => {
    const r = raw(() => true, '2026-11-01', '2026-11-30');
    const q = PERIODS[0]!;
    expect((await report('sales-by-store', q)).totals).toMatchObject({ tickets: r.tickets, returnsTickets: r.returnsTickets, units: r.units, grossCents: r.grossCents, netCents: r.netCents });
    expect((await report('sales-by-product', q)).totals).toMatchObject({ units: r.units, grossCents: r.lineGross, netCents: r.lineNet });
    expect((await report('sales-by-category', q)).totals).toMatchObject({ units: r.units, grossCents: r.lineGross });
    for (const by of ['store', 'category', 'product']) expect((await report('margin', `${q}&groupBy=${by}`)).totals, by).toMatchObject({ netCents: r.lineNet, costCents: r.cost });
    expect((await report('returns-discounts', q)).totals).toMatchObject({ returnsUnits: r.returnsUnits, returnsCents: r.returnsCents, discountCents: r.discountCents });
    expect((await report('promotions', q)).totals.savingsCents).toBe(r.savings);
    expect((await report('benchmark', q)).totals).toMatchObject({ tickets: r.tickets, netCents: r.netCents });
    const v = raw((x) => x.storeId === F.storeV1.id, '2026-11-01', '2026-11-30');
    expect((await report('margin', `${q}&groupBy=product`, levante)).totals).toMatchObject({ netCents: v.lineNet, costCents: v.cost });
    const sums = await all<{ g: unknown }>(h.ds.manager, `SELECT SUM(gross_cents) AS g FROM report_sales_month_network WHERE month = '2026-11'`);
    return { r, networkGross: Number(sums[0]!.g ?? 0) };
  };

  it('after the fold, and after a late ticket for a folded day and the refold, every report answers exactly as from the hour rows', async () => {
    const before = await everyReport();
    const paired = await h.pair(F.t3.id);
    // 15 December: November has ended in both time zones.
    nowMs = Date.UTC(2026, 11, 15, 12);
    hq = await h.login(F.hq);
    levante = await h.login(F.managerLevante);
    const out = await foldRollups(h.ds, nowMs);
    expect(out).toMatchObject({ stores: expect.any(Number), networkTo: '2026-12-14' });
    expect(out.storeMonths).toBeGreaterThanOrEqual(2);
    expect(await all(h.ds.manager, `SELECT * FROM report_fold_dirty`)).toEqual([]);
    // November now reads the month tables (network and per store), its edges the network's day table.
    expect(planPeriod('2026-10-15', '2026-12-15', await foldedScope(h.ds.manager, null), true)).toEqual({ months: ['2026-11'], days: [{ from: '2026-10-15', to: '2026-10-31' }, { from: '2026-12-01', to: '2026-12-14' }], hours: [{ from: '2026-12-15', to: '2026-12-15' }] });
    expect(planPeriod('2026-11-01', '2026-11-30', await foldedScope(h.ds.manager, [F.storeV1.id]), false).months).toEqual(['2026-11']);
    expect(await everyReport()).toEqual(before);
    const folded = await expectNovemberTotals();
    expect(folded.networkGross).toBe(folded.r.lineGross);

    // A till of the Canary store was offline: a sale of 4 November arrives on 15 December.
    clockMs = Date.UTC(2026, 10, 4, 10, 30);
    const f = factories.get(F.t3.id)!;
    const late = f.sale({ lines: [{ product: F.products[2]!, units: 3, grams: 500 }], payment: 'cash' });
    sent.push({ doc: late, storeId: F.storeV1.id, company: 'levante' });
    const client = await connectTerminal(h.url, F.t3.id, paired);
    expect((await client.send([late])).rejected ?? []).toEqual([]);
    client.close();
    expect(await all(h.ds.manager, `SELECT store_id, month FROM report_fold_dirty`)).toEqual([{ store_id: F.storeV1.id, month: '2026-11' }]);
    // Marked dirty: November is read from the hour rows until the refold, the late sale included.
    const dirty = await everyReport();
    expect((dirty['store and product by day'] as { rows: unknown[] }).rows.length).toBeGreaterThan(0);
    const stale = await expectNovemberTotals();
    expect(stale.networkGross).toBe(folded.networkGross);
    expect(stale.r.lineGross).toBe(folded.r.lineGross + late.totals.total);

    const again = await foldRollups(h.ds, nowMs);
    expect(again.storeMonths).toBe(1);
    expect(await all(h.ds.manager, `SELECT * FROM report_fold_dirty`)).toEqual([]);
    expect(await everyReport()).toEqual(dirty);
    const refolded = await expectNovemberTotals();
    expect(refolded.networkGross).toBe(refolded.r.lineGross);
  }, 120_000);

  it('a rebuild from the stored tickets gives exactly the rows the ingest kept', async () => {
    const before = await tables();
    expect(before.report_sales_hour!.length).toBeGreaterThan(50);
    expect(before.report_promotion_day!.length).toBeGreaterThan(0);
    expect(before.report_cashier_event_day!.length).toBeGreaterThan(8);
    expect(before.report_sales_month!.length).toBeGreaterThan(0);
    expect(before.report_sales_day_network!.length).toBeGreaterThan(0);
    expect(before.report_ticket_month_store!.length).toBeGreaterThan(0);
    expect(before.report_ticket_day_network!.length).toBeGreaterThan(0);
    expect(before.report_cashier_month!.length).toBeGreaterThan(0);
    expect(before.report_promotion_month!.length).toBeGreaterThan(0);
    expect(before.report_sales_pair_year!.length).toBeGreaterThan(0);
    expect(before.report_ticket_day_store!.length).toBeGreaterThan(0);
    expect(before.report_ticket_heat_month!.length).toBeGreaterThan(0);
    expect(before.report_sales_heat_month!.length).toBeGreaterThan(0);
    expect(before.report_sales_heat_month_network!.length).toBeGreaterThan(0);
    expect(before.report_sales_day_store!.length).toBeGreaterThan(0);
    expect(before.report_sales_day_store_product!.length).toBeGreaterThan(0);
    // The voids' and closes' rollup wiped: the rebuild makes it again from the events the tills sent.
    await exec(h.ds.manager, `DELETE FROM report_cashier_event_day`);
    await rebuildRollups(h.ds, { storeIds: null, from: '2026-10-01', to: '2026-12-31' });
    expect(await tables()).toEqual(before);
    // The rebuild marked its months: folded again, the month and network tables are the incremental ones.
    expect((await all(h.ds.manager, `SELECT DISTINCT month FROM report_fold_dirty ORDER BY month`)).map((r) => (r as { month: string }).month)).toEqual(['2026-10', '2026-11', '2026-12']);
    await foldRollups(h.ds, nowMs);
    expect(await tables()).toEqual(before);
    expect(await all(h.ds.manager, `SELECT * FROM report_fold_dirty`)).toEqual([]);
    // Wiped and rebuilt through the HTTP job for one store: the same again.
    await exec(h.ds.manager, `DELETE FROM report_ticket_hour WHERE store_id = ?`, [F.storeV1.id]);
    await exec(h.ds.manager, `DELETE FROM report_cashier_event_day WHERE store_id = ?`, [F.storeV1.id]);
    const job = await h.api('POST', '/api/reports/rebuild', { token: hq, body: { storeId: F.storeV1.id, from: '2026-11-01', to: '2026-11-30' } });
    expect(job.status).toBe(202);
    for (let i = 0; i < 200; i++) {
      const j = await h.api('GET', `/api/jobs/${job.body.jobId}`, { token: hq });
      if (j.body.status === 'succeeded' || j.body.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await tables()).toEqual(before);
  });

  it('scope: a franchisee sees its own stores only; another company’s store is 403 problem+json; bad dates are 400 naming the field', async () => {
    const own = await report('sales-by-store', `from=${FROM}&to=${TO}`, levante);
    expect(own.rows.map((r) => r.storeId)).toEqual([F.storeV1.id]);
    const foreign = await h.api('GET', `/api/reports/sales-by-store?from=${FROM}&to=${TO}&store=${F.storeM1.id}`, { token: levante });
    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe('FORBIDDEN');
    const otherCompany = await h.api('GET', `/api/reports/sales-by-store?company=${F.ruiz.id}`, { token: levante });
    expect(otherCompany.status).toBe(403);
    const swapped = await h.api('GET', `/api/reports/sales-by-store?from=${TO}&to=${FROM}`, { token: hq });
    expect(swapped.status).toBe(400);
    expect(swapped.body.errors).toEqual([{ path: 'to', message: expect.stringContaining('to is before from') }]);
    const badDay = await h.api('GET', '/api/reports/sales-by-store?from=2026-13-01', { token: hq });
    expect(badDay.status).toBe(400);
    expect(badDay.body.errors[0].path).toBe('from');
    const badGroup = await h.api('GET', '/api/reports/margin?groupBy=week', { token: hq });
    expect(badGroup.status).toBe(400);
    expect(badGroup.body.errors[0].path).toBe('groupBy');
    expect((await h.api('GET', '/api/reports/no-such-report', { token: hq })).status).toBe(400);
    const list = await h.api('GET', '/api/reports', { token: levante });
    expect(list.body.map((r: { key: string }) => r.key)).toEqual([...REPORT_KEYS]);
  });

  it('XLSX totals equal the JSON totals; the PDF shows title, period and the total', async () => {
    const q = `from=${FROM}&to=${TO}&compare=previous`;
    const json = await report('sales-by-store', q);
    const res = await fetch(`${h.url}/api/reports/sales-by-store?${q}&format=xlsx`, { headers: { authorization: `Bearer ${hq}` } });
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ExcelJS.Buffer);
    const ws = book.worksheets[0]!;
    const last = ws.getRow(ws.rowCount);
    expect(last.getCell(1).value).toBe('Total');
    const col = (key: string) => json.columns.findIndex((c) => c.key === key) + 1;
    expect(last.getCell(col('grossCents')).value).toBe(Number(json.totals.grossCents) / 100);
    expect(last.getCell(col('tickets')).value).toBe(json.totals.tickets);
    expect(ws.getColumn(col('grossCents')).numFmt).toContain('€');
    expect(book.worksheets.length).toBe(2);

    const pdf = await fetch(`${h.url}/api/reports/sales-by-store?${q}&format=pdf`, { headers: { authorization: `Bearer ${hq}` } });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const dir = mkdtempSync(path.join(tmpdir(), 'tpv-report-pdf-'));
    try {
      writeFileSync(path.join(dir, 'r.pdf'), Buffer.from(await pdf.arrayBuffer()));
      const text = execFileSync('pdftotext', ['-layout', path.join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
      expect(text).toContain('Ventas por tienda / Sales by store');
      expect(text).toContain(`${FROM} – ${TO}`);
      const euros = (Number(json.totals.grossCents) / 100).toLocaleString('es-ES', { minimumFractionDigits: 2, useGrouping: 'always' } as Intl.NumberFormatOptions);
      expect(text).toMatch(new RegExp(`Total.*${euros.replace('.', '\\.')} €`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const csv = await fetch(`${h.url}/api/reports/sales-by-store?${q}&format=csv`, { headers: { authorization: `Bearer ${hq}` } });
    const body = await csv.text();
    expect(body).toContain(`Total;${json.totals.tickets};`);
  });
});
