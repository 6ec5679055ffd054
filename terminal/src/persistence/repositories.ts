import type { Clock } from '@tpv/shared/clock';
import type { SqliteHandle } from './data-source';
import type { Product } from './entities';

/**
 * Hot-path queries on prepared better-sqlite3 statements (synchronous, no TypeORM overhead).
 * Build once per process with the handle from `sqliteHandle(dataSource)`.
 */

/** sequence_counter names. */
export const COUNTER_TICKET_SEQ = 'ticket_seq';
export const COUNTER_Z_NUMBER = 'z_number';

export interface ReturnedQuantity { units: number; grams: number }

export interface TerminalRepositories {
  /** Product for a barcode (active or not — the caller decides), or undefined. One index probe. */
  findProductByBarcode(code: string): Product | undefined;
  /**
   * Active products whose name or SKU has words starting with every word of `text` (accents folded), sorted
   * by name. Broad queries (more than 500 hits) see only the first 500 hits in index order: type more words.
   */
  searchProducts(text: string, limit?: number): Product[];
  /** Units a pack barcode rings up (box of 12 → 12), undefined for a unit barcode. */
  barcodeUnits(code: string): number | undefined;
  /** Increments and returns a named counter (first value 1). Atomic; inside `transaction` it rolls back with it. */
  nextValue(counterName: string): number;
  /** Increments and returns the last number of an invoice series (first value 1). */
  nextSeriesNumber(series: string): number;
  /** Units and grams already returned against a sold line (sum over earlier return lines). */
  returnedQuantity(ticketId: string, lineNo: number): ReturnedQuantity;
  /** Runs `fn` in a BEGIN IMMEDIATE transaction (write lock taken up front, so no SQLITE_BUSY upgrade mid-sale). */
  transaction<T>(fn: () => T): T;
  /** Rebuilds the product search index from the product table (after a bulk load or a VACUUM). */
  rebuildProductSearch(): void;
}

interface ProductRow {
  id: string; sku: string; name: string; category_id: string | null; tax_rate_bp: number; exemption: string | null;
  weighed: number; price_cents: number; active: number; version: number;
}

/** Most FTS hits considered per search (in index order) before sorting by name. */
const SEARCH_CANDIDATES = 500;

/**
 * The price the till sells at now: the newest scheduled entry effective at the till's clock (bound as the
 * first parameter of every statement using it), else the product's own price. One index probe per row.
 */
export const PRICE_NOW_SQL = `COALESCE((SELECT s.price_cents FROM price_schedule s WHERE s.product_id = p.id AND s.at <= ? ORDER BY s.at DESC LIMIT 1), p.price_cents)`;

const PRODUCT_COLUMNS = `p.id, p.sku, p.name, p.category_id, p.tax_rate_bp, p.exemption, p.weighed, ${PRICE_NOW_SQL} AS price_cents, p.active, p.version`;

function toProduct(row: ProductRow): Product {
  return {
    id: row.id, sku: row.sku, name: row.name, categoryId: row.category_id, taxRateBp: row.tax_rate_bp,
    exemption: row.exemption, weighed: row.weighed === 1, priceCents: row.price_cents, active: row.active === 1,
    version: row.version,
  };
}

/**
 * FTS5 query for "every word is a prefix": words are split on anything that is not a letter or digit and
 * each is quoted (so no user input is read as FTS syntax). Returns undefined when there is no word.
 */
export function toPrefixQuery(text: string): string | undefined {
  const words = text.normalize('NFC').split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0).slice(0, 8);
  if (words.length === 0) return undefined;
  return words.map((w) => `"${w}"*`).join(' ');
}

export function createTerminalRepositories(db: SqliteHandle, clock: Clock = { now: () => Date.now() }): TerminalRepositories {
  const nowIso = () => new Date(clock.now()).toISOString();
  const byBarcode = db.prepare<[string, string], ProductRow>(
    `SELECT ${PRODUCT_COLUMNS} FROM product_barcode b JOIN product p ON p.id = b.product_id WHERE b.barcode = ?`,
  );
  const search = db.prepare<[string, string, number], ProductRow>(
    // Candidates are capped before sorting: ranking every hit of a one-letter prefix over 200k products
    // costs tens of ms, the capped set keeps a search under a few ms whatever the input.
    `SELECT ${PRODUCT_COLUMNS} FROM product p
      WHERE p.rowid IN (SELECT rowid FROM product_fts WHERE product_fts MATCH ? LIMIT ${SEARCH_CANDIDATES})
        AND p.active = 1
      ORDER BY p.name COLLATE NOCASE LIMIT ?`,
  );
  const unitsOf = db.prepare<[string], { units: number | null }>('SELECT units FROM product_barcode WHERE barcode = ?');
  const bumpCounter = db.prepare<[string], { value: number }>(
    `INSERT INTO sequence_counter (name, value) VALUES (?, 1)
       ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value`,
  );
  const bumpSeries = db.prepare<[string], { last_number: number }>(
    `INSERT INTO series_counter (series, last_number) VALUES (?, 1)
       ON CONFLICT (series) DO UPDATE SET last_number = last_number + 1 RETURNING last_number`,
  );
  const returned = db.prepare<[string, number], { units: number; grams: number }>(
    `SELECT COALESCE(SUM(units), 0) AS units, COALESCE(SUM(grams), 0) AS grams
       FROM ticket_line WHERE return_of_ticket_id = ? AND return_of_line_no = ?`,
  );
  const rebuild = db.prepare(`INSERT INTO product_fts (product_fts) VALUES ('rebuild')`);

  return {
    findProductByBarcode(code) {
      const row = byBarcode.get(nowIso(), code);
      return row ? toProduct(row) : undefined;
    },
    barcodeUnits(code) {
      return unitsOf.get(code)?.units ?? undefined;
    },
    searchProducts(text, limit = 20) {
      const query = toPrefixQuery(text);
      if (query === undefined) return [];
      return search.all(nowIso(), query, Math.max(1, Math.min(200, Math.trunc(limit)))).map(toProduct);
    },
    nextValue(counterName) {
      const row = bumpCounter.get(counterName);
      if (!row) throw new Error(`nextValue: counter ${counterName} returned no row`);
      return row.value;
    },
    nextSeriesNumber(series) {
      const row = bumpSeries.get(series);
      if (!row) throw new Error(`nextSeriesNumber: series ${series} returned no row`);
      return row.last_number;
    },
    returnedQuantity(ticketId, lineNo) {
      const row = returned.get(ticketId, lineNo);
      return { units: Math.abs(row?.units ?? 0), grams: Math.abs(row?.grams ?? 0) };
    },
    transaction(fn) {
      return db.transaction(fn).immediate();
    },
    rebuildProductSearch() {
      rebuild.run();
    },
  };
}
