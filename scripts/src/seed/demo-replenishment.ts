/**
 * Demo data of the replenishment module, written once (skipped when any replenishment order exists): the
 * franchisor's wholesale price list (set explicitly per product: the reference cost plus 18 %, rounded to the
 * cent — the list itself never derives a price), the central warehouse stocked for the products the demo
 * orders use when it holds none of them (an opening receipt at the product's cost), and four orders of the
 * stores through the real use cases: one registered, one approved, one shipped (its delivery note waits at
 * M002's tills, on the change feed) and one received at M001 with one unit short (an incident).
 */
import type { DataSource } from 'typeorm';
import type { AuthUser } from '@tpv/backoffice/auth/service';
import { writeTransaction } from '@tpv/backoffice/persistence/raw';
import { all, exec } from '@tpv/backoffice/persistence/sql';
import { registerOrder, createReplenishmentService } from '@tpv/backoffice/replenishment/service';
import { postStockMoves } from '@tpv/backoffice/stock/ledger';
import type { DemoFranchise } from './demo-franchise';

const clock = { now: () => Date.now() };
const OPENING_DOC = '00000000-0000-7000-8e00-000000000001';

export async function seedDemoReplenishment(ds: DataSource, f: DemoFranchise): Promise<boolean> {
  if ((await all(ds.manager, 'SELECT id FROM replenishment_order LIMIT 1')).length > 0) return false;
  const hqUser = f.users.find((u) => u.role === 'hq_admin')!;
  const hq: AuthUser = { id: hqUser.id, email: hqUser.email, name: hqUser.name, role: 'hq_admin', companyId: null, storeId: null, companyIds: [] };
  const warehouse = f.warehouses.find((w) => f.companies.find((c) => c.id === w.companyId)?.kind === 'franchisor')!;
  const products = f.products.filter((p) => !p.weighed && (p.costCents ?? 0) > 0).slice(0, 12);
  const at = new Date(clock.now()).toISOString();

  await writeTransaction(ds, async (m) => {
    const priced = f.products.filter((p) => p.costCents);
    for (let i = 0; i < priced.length; i += 300) {
      const c = priced.slice(i, i + 300);
      await exec(m, `INSERT INTO wholesale_price (product_id, price_cents, updated_at, updated_by) VALUES ${c.map(() => '(?, ?, ?, ?)').join(', ')}`, c.flatMap((p) => [p.id, Math.round(p.costCents! * 1.18), at, hq.email]));
    }
    const held = new Set((await all<{ product_id: string }>(m, 'SELECT product_id FROM stock_level WHERE location_id = ? AND quantity > 0', [warehouse.id])).map((r) => r.product_id));
    const opening = products.filter((p) => !held.has(p.id));
    await postStockMoves(
      m,
      clock,
      opening.map((p, i) => ({
        documentType: 'opening', documentId: OPENING_DOC, documentLine: i + 1, locationId: warehouse.id, productId: p.id, delta: 200, reason: 'receipt' as const,
        purchaseCostMicros: (p.costCents ?? 0) * 10_000,
      })),
    );
  });

  const svc = createReplenishmentService(ds, clock, () => {});
  const order = (storeCode: string, from: number, quantities: number[]) => {
    const store = f.stores.find((s) => s.code === storeCode)!;
    return writeTransaction(ds, (m) =>
      registerOrder(m, clock, { kind: 'user', user: hq }, { storeId: store.id, source: 'manual', note: 'Pedido de demostración', lines: quantities.map((quantity, i) => ({ productId: products[from + i]!.id, quantity })) }),
    );
  };
  const toShip = async (id: string) => {
    await svc.approve(hq, id);
    await svc.startPicking(hq, id);
    return svc.ship(hq, id);
  };
  // Received at M001 with one unit of the first line short.
  const received = await order('M001', 0, [12, 6, 8]);
  const note = await toShip(received.id);
  const lines = (await svc.noteDetail(hq, note.id)).items;
  await svc.receive(hq, note.id, { lines: lines.map((l, i) => ({ productId: l.productId, received: i === 0 ? l.shipped - 1 : l.shipped })) });
  // In transit to M002 (its tills have it to receive by scanning), approved and registered ones in HQ's queue.
  await toShip((await order('M002', 3, [10, 4, 6])).id);
  await svc.approve(hq, (await order('V001', 6, [24, 12])).id);
  await order('M001', 8, [5, 5, 5, 5]);
  return true;
}
