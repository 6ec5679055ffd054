/**
 * Demo promotions (issue 15), written once (skipped when any promotion exists) at HQ with their change-feed
 * rows, after the tills' starting version so the tills receive them on the feed: a 3×2 on a demo product, 10 %
 * off a category, and 5 % off tickets of 30 € or more for loyalty members.
 */
import type { DataSource } from 'typeorm';
import type { Promotion } from '@tpv/shared/promotions/definition';
import { appendChanges } from '@tpv/backoffice/catalog/changes';
import { writeTransaction } from '@tpv/backoffice/persistence/raw';
import { all } from '@tpv/backoffice/persistence/sql';
import { savePromotion } from '@tpv/backoffice/promotions/repository';
import { feedChanges } from '@tpv/backoffice/promotions/service';
import type { DemoFranchise } from './demo-franchise';

const id = (n: number) => `00000000-0000-7000-8f50-${n.toString(16).padStart(12, '0')}`;

export async function seedDemoPromotions(ds: DataSource, f: DemoFranchise): Promise<boolean> {
  if ((await all(ds.manager, 'SELECT id FROM promotion LIMIT 1')).length > 0) return false;
  // Away from the first products and categories, which the system and browser tests sell and add up by hand.
  const category = f.categories[f.categories.length - 1]!;
  const product = f.products.slice(100).find((p) => !p.weighed && p.basePriceCents >= 100 && p.barcodes.length > 0 && p.categoryId !== category.id) ?? f.products[f.products.length - 1]!;
  const from = new Date(Date.UTC(new Date().getUTCFullYear(), 0, 1)).toISOString();
  const promos: Promotion[] = [
    { id: id(1), name: `3x2 ${product.name}`.slice(0, 120), rule: { kind: 'n_for_m', productIds: [product.id], buy: 3, pay: 2 }, conditions: { validFrom: from }, priority: 0, exclusive: false },
    { id: id(2), name: `${category.name} -10%`.slice(0, 120), rule: { kind: 'category', categoryIds: [category.id], percentBp: 1000 }, conditions: { validFrom: from }, priority: 0, exclusive: false },
    { id: id(3), name: 'Socios: 5% desde 30 €', rule: { kind: 'ticket', thresholdCents: 3000, percentBp: 500 }, conditions: { validFrom: from, loyaltyOnly: true }, priority: 0, exclusive: false },
  ];
  const at = new Date().toISOString();
  await writeTransaction(ds, async (m) => {
    for (const p of promos) await savePromotion(m, p, at, null, true);
    await appendChanges(m, promos.flatMap((p) => feedChanges(null, p, at).changes));
  });
  console.log(`[demo] promotions: ${promos.map((p) => p.name).join(' · ')}`);
  return true;
}
