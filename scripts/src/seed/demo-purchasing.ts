/**
 * The demo's purchase orders (issue 11), so the Pedidos de compra and Recepción pages have something in them:
 * from the drinks supplier to the central warehouse, one draft, one sent and waiting for goods, and one
 * partly received (a posted goods receipt: stock in at the line's net cost). Written with the purchasing
 * module's own repository and the stock ledger, inside the seed's transaction.
 */
import type { EntityManager } from 'typeorm';
import { netUnitCostMicros, purchaseAmounts } from '@tpv/shared/inventory/purchase-amounts';
import { allocateDocumentNumber } from '@tpv/backoffice/platform/numbering';
import * as repo from '@tpv/backoffice/purchasing/repository';
import { all } from '@tpv/backoffice/persistence/sql';
import { postStockMoves } from '@tpv/backoffice/stock/ledger';
import { DEMO_SUPPLIERS, sid } from './demo-catalog';
import type { DemoFranchise } from './demo-franchise';

export async function seedPurchaseOrders(m: EntityManager, f: DemoFranchise, nowMs: number): Promise<void> {
  const warehouse = f.warehouses[0];
  const supplier = DEMO_SUPPLIERS[4]!;
  if (!warehouse) return;
  const offered = await all<{ productId: string; costCents: unknown; reference: string | null; taxRateBp: unknown }>(
    m,
    `SELECT ps.product_id AS "productId", ps.cost_cents AS "costCents", ps.reference, p.tax_rate_bp AS "taxRateBp"
     FROM product_supplier ps JOIN product p ON p.id = ps.product_id WHERE ps.supplier_id = ? AND p.weighed = ? ORDER BY p.sku LIMIT 12`,
    [supplier.id, false],
  );
  if (offered.length < 6) return;
  const clock = { now: () => nowMs };
  const at = new Date(nowMs).toISOString();
  const year = new Date(nowMs).getUTCFullYear();
  const day = (d: number) => new Date(nowMs + d * 86_400_000).toISOString().slice(0, 10);
  const orders = [
    { n: 0x201, status: 'draft' as const, lines: offered.slice(0, 3), expected: day(5) },
    { n: 0x202, status: 'sent' as const, lines: offered.slice(3, 7), expected: day(2) },
    { n: 0x203, status: 'partially_received' as const, lines: offered.slice(7, 12), expected: day(-1) },
  ];
  for (const o of orders) {
    const id = sid(o.n);
    const lines = o.lines.map((x, i) => ({
      productId: x.productId, supplierRef: x.reference, quantity: 24 + 12 * i, unitCostCents: Number(x.costCents ?? 0), discountBp: i === 0 ? 500 : 0, taxRateBp: Number(x.taxRateBp), weighed: false,
    }));
    const amounts = purchaseAmounts(lines);
    await repo.insertOrder(m, {
      id, companyId: warehouse.companyId, supplierId: supplier.id, locationId: warehouse.id, expectedDate: o.expected, toleranceBp: 500, note: null, proposalId: null,
      baseCents: amounts.baseCents, taxCents: amounts.taxCents, totalCents: amounts.totalCents, createdBy: null,
    }, at);
    await repo.insertOrderLines(m, id, lines.map(({ weighed: _w, ...l }, i) => ({ ...l, baseCents: amounts.lineBases[i]! })));
    if (o.status === 'draft') continue;
    const { code } = await allocateDocumentNumber(m, warehouse.companyId, 'purchase_order', year);
    await repo.transition(m, id, ['draft'], 'sent', at, { number: code, sent_at: at });
    if (o.status !== 'partially_received') continue;
    // The first two lines arrived in full.
    const receiptId = sid(o.n + 0x100);
    const { code: em } = await allocateDocumentNumber(m, warehouse.companyId, 'goods_receipt', year);
    const got = lines.slice(0, 2).map((l, i) => ({ lineNo: i + 1, orderLineNo: i + 1, productId: l.productId, quantity: l.quantity, unitCostMicros: netUnitCostMicros(l), lot: null, bestBefore: null, overReason: null }));
    await repo.insertReceipt(m, { id: receiptId, companyId: warehouse.companyId, orderId: id, locationId: warehouse.id, number: em, note: null, postedAt: at, postedBy: null }, got);
    await postStockMoves(m, clock, got.map((g) => ({
      locationId: warehouse.id, productId: g.productId, delta: g.quantity, reason: 'receipt' as const, documentType: 'goods_receipt', documentId: receiptId, documentLine: g.lineNo, purchaseCostMicros: g.unitCostMicros,
    })), { at, documentNumber: em });
    for (const g of got) await repo.addReceived(m, id, g.orderLineNo, g.quantity);
    await repo.transition(m, id, ['sent'], 'partially_received', at);
  }
}
