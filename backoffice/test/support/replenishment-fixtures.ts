/**
 * Rows the replenishment routes need in a given state (authorization matrix, browser test): an order of a
 * store at a given stage, a shipped delivery note, an incident. Made through the API as HQ where it has a
 * route, with warehouse stock posted straight through the ledger.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '@tpv/shared/clock';
import { writeTransaction } from '../../src/persistence/raw';
import { exec, one } from '../../src/persistence/sql';
import { openIncident } from '../../src/quality/incidents-api';
import { postStockMoves } from '../../src/stock/ledger';
import { F, type Harness } from './harness';

const clock: Clock = { now: () => Date.now() };
const PRODUCT = F.products[0]!;

/** The franchisor has an active warehouse (orders are served from its first one by code). */
async function ensureWarehouse(h: Harness): Promise<void> {
  const w = await one(h.ds.manager, `SELECT w.id FROM warehouse w JOIN company c ON c.id = w.company_id WHERE c.kind = 'franchisor' AND w.archived_at IS NULL`);
  if (!w) await exec(h.ds.manager, `INSERT INTO warehouse (id, code, company_id, name, address) VALUES (?, 'REP-CENTRAL', ?, 'Almacén central', NULL)`, [randomUUID(), F.franchisor.id]);
}

/** A one-line order (1 × the first product) of the store, moved by HQ up to `stage`. */
export async function orderIn(h: Harness, hqToken: string, storeId: string, stage: 'registered' | 'approved' | 'picking' = 'registered'): Promise<string> {
  await ensureWarehouse(h);
  const r = await h.api('POST', '/api/replenishment-orders', { token: hqToken, body: { storeId, lines: [{ productId: PRODUCT.id, quantity: 1 }] } });
  if (r.status !== 201) throw new Error(`order: ${r.status} ${JSON.stringify(r.body)}`);
  const id = r.body.id as string;
  if (stage !== 'registered') await h.api('POST', `/api/replenishment-orders/${id}/approve`, { token: hqToken });
  if (stage === 'picking') await h.api('POST', `/api/replenishment-orders/${id}/picking`, { token: hqToken });
  return id;
}

/** Puts `quantity` of the product in the order's warehouse (bought at 1,00 €) and gives it a wholesale price. */
export async function stockFor(h: Harness, hqToken: string, orderId: string, quantity = 1): Promise<void> {
  const o = (await one<{ warehouse_id: string }>(h.ds.manager, 'SELECT warehouse_id FROM replenishment_order WHERE id = ?', [orderId]))!;
  await writeTransaction(h.ds, (m) =>
    postStockMoves(m, clock, [{ documentType: 'test', documentId: randomUUID(), documentLine: 1, locationId: o.warehouse_id, productId: PRODUCT.id, delta: quantity, reason: 'receipt', purchaseCostMicros: 1_000_000 }]),
  );
  await h.api('PUT', '/api/wholesale-prices', { token: hqToken, body: { prices: [{ productId: PRODUCT.id, priceCents: 150 }] } });
}

/** A delivery note shipped to the store (1 unit), not yet received. */
export async function shippedNoteIn(h: Harness, hqToken: string, storeId: string): Promise<string> {
  const order = await orderIn(h, hqToken, storeId, 'picking');
  await stockFor(h, hqToken, order);
  const r = await h.api('POST', `/api/replenishment-orders/${order}/ship`, { token: hqToken });
  if (r.status !== 200) throw new Error(`ship: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.id as string;
}

export async function incidentIn(h: Harness, storeId: string, companyId: string): Promise<string> {
  return (await writeTransaction(h.ds, (m) => openIncident(m, clock, { companyId, storeId, kind: 'cleanliness', severity: 'low', title: 'Prueba' }))).id;
}
