/**
 * The demo's sales history: ~90 days of tickets in every demo store, written once straight into the back
 * office's database (the shared generator and writer of backoffice/src/tickets/seeding), so the ticket search,
 * reports and stock pages show a franchise that has been trading for a quarter.
 *
 * Till identity: the history belongs to its own "history" tills (codes H1/H2, installations `<store>-H1`),
 * retired at the end of the history. The live demo tills (codes 01/02) start their own series and chains at
 * 1, as a till paired for the first time does, so they never collide with a seeded number, seq or huella
 * (series ownership is by till code: sales-ingest/series.ts).
 */
import type { DataSource } from 'typeorm';
import * as bo from '@tpv/backoffice/persistence/entities';
import { rebuildRollup } from '@tpv/backoffice/restocking/service';
import { rebuildSalesDayRollup } from '@tpv/backoffice/fees/service';
import { rebuildSalesSessions } from '@tpv/backoffice/accounting/sales/rollup';
import { rebuildRollups } from '@tpv/backoffice/reports/rebuild';
import { shiftDay as shiftIsoDay } from '@tpv/backoffice/reports/queries';
import { seedSalesHistory, type SeedHistoryResult } from '@tpv/backoffice/tickets/seeding/history';
import type { HistoryPlan } from '@tpv/backoffice/tickets/seeding/generate';
import type { DemoFranchise } from './demo-franchise';

export const DEMO_HISTORY_DAYS = 90;
export const DEMO_HISTORY_MARKER = 'demo-history-v1';
/** Average tickets a day per store code (the flagship sells most). */
const TICKETS_PER_DAY: Record<string, number> = { M001: 150, M002: 100, V001: 120 };

const historyTillId = (n: number) => `00000000-0000-7000-8030-${n.toString(16).padStart(12, '0')}`;

export function demoHistoryPlan(f: DemoFranchise, todayMs: number): { plan: HistoryPlan; tills: Array<{ id: string; storeId: string; code: string; installation: string }> } {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const tills: Array<{ id: string; storeId: string; code: string; installation: string }> = [];
  let n = 0;
  const stores = f.stores.map((s) => {
    const company = f.companies.find((c) => c.id === s.companyId)!;
    const count = f.terminals.filter((t) => t.storeId === s.id).length;
    const own = Array.from({ length: Math.max(1, count) }, (_, i) => ({ id: historyTillId(++n), storeId: s.id, code: `H${i + 1}`, installation: `${s.code}-H${i + 1}` }));
    tills.push(...own);
    return {
      id: s.id,
      code: s.code,
      companyNif: company.nif,
      timezone: s.timezone,
      tills: own,
      cashiers: f.staff.filter((x) => x.storeId === s.id).map((x) => ({ id: x.id, name: x.name })),
      ticketsPerDay: TICKETS_PER_DAY[s.code] ?? 150,
      prices: new Map(f.storePrices.filter((p) => p.storeId === s.id).map((p) => [p.productId, p.priceCents])),
    };
  });
  const plan: HistoryPlan = {
    seed: 20261130,
    fromDay: day(todayMs - DEMO_HISTORY_DAYS * 86_400_000),
    toDay: day(todayMs - 86_400_000),
    products: f.products.map((p) => ({ id: p.id, name: p.name, taxRateBp: p.taxRateBp as 2100 | 1000 | 400 | 0, exemption: (p.exemption as 'E1' | null) ?? null, weighed: p.weighed, priceCents: p.basePriceCents })),
    // On-account buyers outside the recargo regime (a recargo customer would need RE pricing on every line).
    customers: f.customers.filter((c) => c.creditLimitCents > 0 && !c.reRegime).map((c) => ({ id: c.id, name: c.name, nif: c.nif })),
    stores,
    returnRate: 0.01,
  };
  return { plan, tills };
}

/** Seeds the history once (a marker row says it is there); returns what was done. */
export async function seedDemoHistory(ds: DataSource, f: DemoFranchise, todayMs = Date.now()): Promise<SeedHistoryResult> {
  const { plan, tills } = demoHistoryPlan(f, todayMs);
  const existing = await ds.getRepository(bo.TerminalEntity).findBy(tills.map((t) => ({ id: t.id })));
  const retiredAt = new Date(Date.parse(`${plan.toDay}T23:00:00Z`)).toISOString();
  const missing = tills.filter((t) => !existing.some((e) => e.id === t.id));
  if (missing.length > 0) {
    await ds.getRepository(bo.TerminalEntity).insert(
      missing.map((t) => ({
        id: t.id, storeId: t.storeId, code: t.code, name: `Caja histórica ${t.code.slice(1)}`, installation: t.installation, tokenHash: null, pairingCodeHash: null,
        pairingExpiresAt: null, revokedAt: retiredAt, lastSeenAt: null, lastAckedSeq: 0, lastFiscalHash: null, catalogVersion: 0, appVersion: null,
      })),
    );
  }
  const r = await seedSalesHistory(ds, plan, { marker: DEMO_HISTORY_MARKER, stock: true });
  // The history is written straight into the ledger, not through the ingest: the restocking rollup (sales_week)
  // is rebuilt from it (also for a demo database seeded before the rollup existed).
  const [{ n }] = (await ds.query('SELECT COUNT(*) AS n FROM sales_week')) as [{ n: unknown }];
  if (r.seeded || Number(n) === 0) await rebuildRollup(ds, null);
  // So is the daily rollup the fee run and the reports read (sales_day).
  const [{ d }] = (await ds.query('SELECT COUNT(*) AS d FROM sales_day')) as [{ d: unknown }];
  if (r.seeded || Number(d) === 0) await rebuildSalesDayRollup(ds, null);
  // And accounting's daily sales rollups (what the tills' daily sales entries post).
  const [{ t }] = (await ds.query('SELECT COUNT(*) AS t FROM sales_tax_session')) as [{ t: unknown }];
  if (r.seeded || Number(t) === 0) await rebuildSalesSessions(ds, null);
  // And the management reports' rollups (issue 18), over the history's days.
  const [{ h }] = (await ds.query('SELECT COUNT(*) AS h FROM report_ticket_hour')) as [{ h: unknown }];
  if (r.seeded || Number(h) === 0) await rebuildRollups(ds, { storeIds: null, from: shiftIsoDay(plan.fromDay, -1), to: shiftIsoDay(plan.toDay, 1) });
  return r;
}
