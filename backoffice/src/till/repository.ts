/** SQL of the till channel: remembered upward documents, the store a till belongs to, stock at stores. */
import { all, exec, one, type Db } from '../persistence/sql';

export interface UpwardDocumentRow {
  id: string;
  terminalId: string;
  kind: string;
  status: 'applied' | 'rejected';
  reference: string | null;
  message: string | null;
}

export async function upwardDocumentsByIds(m: Db, ids: readonly string[]): Promise<UpwardDocumentRow[]> {
  if (ids.length === 0) return [];
  return all<UpwardDocumentRow>(
    m,
    `SELECT "id", "terminal_id" AS "terminalId", "kind", "status", "reference", "message" FROM "upward_document" WHERE "id" IN (${ids.map(() => '?').join(', ')})`,
    ids,
  );
}

export async function insertUpwardDocument(
  m: Db,
  row: UpwardDocumentRow & { createdAt: string; appliedAt: string },
): Promise<void> {
  await exec(
    m,
    `INSERT INTO "upward_document" ("id", "terminal_id", "kind", "status", "reference", "message", "created_at", "applied_at") VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [row.id, row.terminalId, row.kind, row.status, row.reference, row.message, row.createdAt, row.appliedAt],
  );
}

export async function companyOfStore(m: Db, storeId: string): Promise<string | undefined> {
  return (await one<{ companyId: string }>(m, `SELECT "company_id" AS "companyId" FROM "store" WHERE "id" = ?`, [storeId]))?.companyId;
}

export interface StoreStockRow {
  storeId: string;
  code: string;
  name: string;
  companyId: string;
  city: string | null;
  province: string | null;
  quantity: number | string | null;
}

/**
 * A product's on-hand at this store, the other stores of its company and the stores of the same city or
 * province (archived stores left out). Nearness is decided by the caller.
 */
export async function stockAtNearbyStores(m: Db, storeId: string, productId: string): Promise<StoreStockRow[]> {
  return all<StoreStockRow>(
    m,
    `SELECT s."id" AS "storeId", s."code", s."name", s."company_id" AS "companyId", s."city", s."province", l."quantity"
       FROM "store" s
       JOIN "store" me ON me."id" = ?
       LEFT JOIN "stock_level" l ON l."location_id" = s."id" AND l."product_id" = ?
      WHERE s."archived_at" IS NULL
        AND (s."id" = me."id" OR s."company_id" = me."company_id"
             OR (s."city" IS NOT NULL AND s."city" = me."city") OR (s."province" IS NOT NULL AND s."province" = me."province"))`,
    [storeId, productId],
  );
}

/** The store's open delivery notes on the change feed: the latest change of each, payload included. */
export async function openDeliveryNotePayloads(m: Db, storeId: string): Promise<unknown[]> {
  const rows = await all<{ payload: unknown }>(
    m,
    `SELECT c."payload" FROM "change_log" c
      WHERE c."entity" = 'delivery_note' AND c."store_id" = ? AND c."op" = 'upsert'
        AND c."version" = (SELECT MAX(c2."version") FROM "change_log" c2 WHERE c2."entity" = 'delivery_note' AND c2."entity_id" = c."entity_id")`,
    [storeId],
  );
  return rows.map((r) => (typeof r.payload === 'string' ? (JSON.parse(r.payload) as unknown) : r.payload));
}
