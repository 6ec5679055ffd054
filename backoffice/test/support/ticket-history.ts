/** A small deterministic sales history over the harness franchise (tickets module tests). */
import type { HistoryPlan } from '../../src/tickets/seeding/generate';
import { F } from './harness';

export const CASHIERS = {
  ana: { id: '00000000-0000-7000-8006-0000000000a1', name: 'Ana Cajera' },
  luis: { id: '00000000-0000-7000-8006-0000000000a2', name: 'Luis Cajero' },
  vera: { id: '00000000-0000-7000-8006-0000000000a3', name: 'Vera Cajera' },
};

export function smallPlan(): HistoryPlan {
  return {
    seed: 7,
    fromDay: '2026-11-16',
    toDay: '2026-11-22',
    returnRate: 0.08,
    products: F.products.map((p) => ({ id: p.id, name: p.name, taxRateBp: p.taxRateBp, weighed: p.weighed, priceCents: p.priceCents })),
    customers: [{ id: F.customer.id, name: F.customer.name, nif: 'B44556677' }],
    stores: [
      { id: F.storeM1.id, code: F.storeM1.code, companyNif: F.ruiz.nif, timezone: 'Europe/Madrid', tills: [F.t1, F.t2], cashiers: [CASHIERS.ana, CASHIERS.luis], ticketsPerDay: 14 },
      { id: F.storeV1.id, code: F.storeV1.code, companyNif: F.levante.nif, timezone: 'Europe/Madrid', tills: [F.t3], cashiers: [CASHIERS.vera], ticketsPerDay: 9 },
    ],
  };
}
