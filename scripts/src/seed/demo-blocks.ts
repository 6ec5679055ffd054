/**
 * Demo data of product blocks and recalls (issue 17), written once (skipped when a block exists), after the
 * tills' starting feed version so the blocks reach the tills through the change feed:
 * - a closed recall: one lot of a product at Ruiz's stores, every store withdrawn (its on-hand by a recall
 *   adjustment, or nothing to withdraw), so the page shows a finished recall;
 * - an open block: a product blocked in the whole network (the tills refuse it), withdrawals pending.
 * The products are taken from the end of the catalogue, away from those the other demos and tests sell.
 */
import type { DataSource } from 'typeorm';
import type { AuthUser } from '@tpv/backoffice/auth/service';
import { createBlockService } from '@tpv/backoffice/product-blocks/service';
import { all } from '@tpv/backoffice/persistence/sql';
import type { DemoFranchise } from './demo-franchise';

const DAY = 86_400_000;

export async function seedDemoBlocks(ds: DataSource, f: DemoFranchise): Promise<boolean> {
  if ((await all(ds.manager, 'SELECT id FROM product_block')).length > 0) return false;
  const hq = f.users.find((u) => u.role === 'hq_admin')!;
  const user: AuthUser = { id: hq.id, email: hq.email, name: hq.name, role: 'hq_admin', companyId: null, storeId: null, companyIds: [] };
  const svc = createBlockService(ds, { now: () => Date.now() });
  const sellable = f.products.filter((p) => !p.weighed && p.barcodes.length > 0);
  const recalled = sellable[sellable.length - 2]!;
  const blocked = sellable[sellable.length - 1]!;
  const day = (ago: number) => new Date(Date.now() - ago * DAY).toISOString().slice(0, 10);
  const ruiz = f.companies.filter((c) => c.kind === 'franchisee')[0]!;

  const recall = await svc.block(user, {
    productId: recalled.id, scope: 'lot', lot: 'L2611-07', reason: 'Retirada voluntaria del fabricante: alérgeno (leche) no declarado en el lote L2611-07',
    referenceDate: day(20), companyIds: [ruiz.id],
  });
  for (const s of recall.stores) {
    const units = Math.min(s.onHand, 6);
    await svc.withdraw(user, recall.block.id, {
      id: crypto.randomUUID(), storeId: s.storeId, method: units > 0 ? 'adjustment' : 'none', units, complete: true,
      note: units > 0 ? 'Unidades del lote L2611-07 retiradas del lineal' : 'Sin unidades del lote en tienda',
    });
  }
  await svc.block(user, { productId: blocked.id, scope: 'product', reason: 'Alerta sanitaria AESAN: posible presencia de Listeria monocytogenes', referenceDate: day(3) });
  return true;
}
