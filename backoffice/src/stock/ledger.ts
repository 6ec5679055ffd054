/**
 * The inventory ledger's one way in for documents (receipts, shipments, transfers, counts, adjustments,
 * supplier returns): `postStockMoves` writes the movements, the levels (each = Σ its movements) and the
 * owner's weighted average cost in the caller's transaction, so a document and its stock can never disagree.
 * The till's sales come in through the ingest ledger (persistence/ledger/*), which writes the same two
 * tables without cost.
 *
 * Costing: goods that come in *at a price* (`purchaseCostMicros`: a supplier receipt, goods bought from the
 * franchisor) move the owning company's average, computed on its on-hand over every location (transit
 * included: goods in transit are still its stock); everything else moves at the current average, which it
 * does not change. A change of average is appended to `stock_cost_history`, so stock can be valued at any
 * date. Never a re-run over history: one read of the company's on-hand per product, one upsert.
 */
import type { Clock } from '@tpv/shared/clock';
import { weightedAverage, type Micros } from '@tpv/shared/inventory/cost';
import type { AdjustmentCause, LocationKind, MovementReason } from '@tpv/shared/inventory/movements';
import { newRowId } from '../persistence/row-id';
import { all, exec, inList, type Db } from '../persistence/sql';

export interface StockMove {
  locationId: string;
  productId: string;
  /** Units, or grams for weighed products: + in, − out. Never 0. */
  delta: number;
  reason: MovementReason;
  /** Why, for an adjustment. */
  cause?: AdjustmentCause | null;
  documentType: string;
  documentId: string;
  /** The document's line (1-based): one line moves one location once per reason. */
  documentLine: number;
  /** The posted document's number as shown (`AL-2026-000042`), kept on the movement for the movements list. */
  documentNumber?: string | null;
  /** Incoming goods bought at this unit cost (µ€ per unit or gram): moves the owner's average. */
  purchaseCostMicros?: Micros | null;
  lot?: string | null;
  bestBefore?: string | null;
}

export interface PostedMove extends StockMove {
  id: string;
  companyId: string;
  /** The cost it moved at: the purchase cost, else the owner's average before it (null: no cost known yet). */
  unitCostMicros: Micros | null;
}

export interface StockLocation {
  id: string;
  kind: LocationKind;
  companyId: string;
  code: string;
  name: string;
}

export interface Shortfall {
  /** Index of the move in the list given. */
  index: number;
  locationId: string;
  productId: string;
  onHand: number;
  wanted: number;
}

export interface PostOptions {
  /** ISO instant of the movements (default: the clock's now). */
  at?: string;
  /** Refuse the whole posting (nothing written) when an outgoing move would leave a store or warehouse below zero. */
  refuseBelowZero?: boolean;
  /** The posting document's number (`EM-2026-000001`), written on every move that does not name its own. */
  documentNumber?: string | null;
}

export type PostResult = { ok: true; moves: PostedMove[] } | { ok: false; shortfalls: Shortfall[] };

const CHUNK = 400;
const chunks = <T>(xs: readonly T[], n = CHUNK): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
};

/** Every location named, with its owner; unknown ids are missing from the map. */
export async function locationsById(m: Db, ids: readonly string[]): Promise<Map<string, StockLocation>> {
  const out = new Map<string, StockLocation>();
  for (const c of chunks([...new Set(ids)])) {
    const rows = await all<{ id: string; kind: LocationKind; company_id: string; code: string; name: string }>(
      m,
      `SELECT id, kind, company_id, code, name FROM stock_location WHERE id IN (${inList(c.length)})`,
      c,
    );
    for (const r of rows) out.set(r.id, { id: r.id, kind: r.kind, companyId: r.company_id, code: r.code, name: r.name });
  }
  return out;
}

/** On-hand per product at one location (0 for products never held there). */
export async function onHandAt(m: Db, locationId: string, productIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const c of chunks([...new Set(productIds)])) {
    const rows = await all<{ product_id: string; quantity: unknown }>(
      m,
      `SELECT product_id, quantity FROM stock_level WHERE location_id = ? AND product_id IN (${inList(c.length)})`,
      [locationId, ...c],
    );
    for (const r of rows) out.set(r.product_id, Number(r.quantity));
  }
  return out;
}

/** The company's on-hand per product over all its locations (transit included). */
export async function companyOnHand(m: Db, companyId: string, productIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const c of chunks([...new Set(productIds)])) {
    const rows = await all<{ product_id: string; q: unknown }>(
      m,
      `SELECT product_id, SUM(quantity) AS q FROM stock_level WHERE company_id = ? AND product_id IN (${inList(c.length)}) GROUP BY product_id`,
      [companyId, ...c],
    );
    for (const r of rows) out.set(r.product_id, Number(r.q));
  }
  return out;
}

/** The company's current weighted average per product (absent: never received at a price). */
export async function averageCosts(m: Db, companyId: string, productIds: readonly string[]): Promise<Map<string, Micros>> {
  const out = new Map<string, Micros>();
  for (const c of chunks([...new Set(productIds)])) {
    const rows = await all<{ product_id: string; avg_cost_micros: unknown }>(
      m,
      `SELECT product_id, avg_cost_micros FROM stock_cost WHERE company_id = ? AND product_id IN (${inList(c.length)})`,
      [companyId, ...c],
    );
    for (const r of rows) out.set(r.product_id, Number(r.avg_cost_micros));
  }
  return out;
}

/** A transit location for one shipped document, owned by `companyId` (whose stock the goods are on the way). */
export async function createTransitLocation(
  m: Db,
  clock: Clock,
  t: { companyId: string; documentType: string; documentId: string; code: string; name: string },
): Promise<string> {
  const id = newRowId(clock);
  await exec(m, 'INSERT INTO transit_location (id, company_id, document_type, document_id, code, name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
    id,
    t.companyId,
    t.documentType,
    t.documentId,
    t.code,
    t.name,
    new Date(clock.now()).toISOString(),
  ]);
  return id;
}

/**
 * Posts stock moves in the caller's transaction: movements, levels, averages. Throws on an unknown
 * location or a zero delta (programming errors); with `refuseBelowZero`, returns the shortfalls instead of
 * writing anything when an outgoing move would take a store or warehouse below zero.
 */
export async function postStockMoves(m: Db, clock: Clock, moves: readonly StockMove[], opts: PostOptions = {}): Promise<PostResult> {
  if (moves.length === 0) return { ok: true, moves: [] };
  const at = opts.at ?? new Date(clock.now()).toISOString();
  const locations = await locationsById(m, moves.map((x) => x.locationId));
  for (const x of moves) {
    if (!locations.has(x.locationId)) throw new Error(`stock location ${x.locationId} unknown`);
    if (!Number.isSafeInteger(x.delta) || x.delta === 0) throw new Error(`stock move of ${x.delta} (${x.documentType} ${x.documentId} line ${x.documentLine})`);
    if (x.purchaseCostMicros !== undefined && x.purchaseCostMicros !== null && (x.purchaseCostMicros < 0 || x.delta < 0)) {
      throw new Error(`purchase cost ${x.purchaseCostMicros} on a move of ${x.delta}`);
    }
  }

  if (opts.refuseBelowZero) {
    const shortfalls: Shortfall[] = [];
    const byLocation = new Map<string, number[]>();
    moves.forEach((x, i) => {
      if (x.delta < 0 && locations.get(x.locationId)!.kind !== 'transit') byLocation.set(x.locationId, [...(byLocation.get(x.locationId) ?? []), i]);
    });
    for (const [loc, idx] of byLocation) {
      const have = await onHandAt(m, loc, idx.map((i) => moves[i]!.productId));
      for (const i of idx) {
        const x = moves[i]!;
        const left = (have.get(x.productId) ?? 0) + x.delta;
        if (left < 0) shortfalls.push({ index: i, locationId: loc, productId: x.productId, onHand: have.get(x.productId) ?? 0, wanted: -x.delta });
        have.set(x.productId, left);
      }
    }
    if (shortfalls.length > 0) return { ok: false, shortfalls };
  }

  // Averages and on-hand per owning company, read once per (company, product).
  const byCompany = new Map<string, Set<string>>();
  const priced = new Map<string, Set<string>>();
  for (const x of moves) {
    const c = locations.get(x.locationId)!.companyId;
    (byCompany.get(c) ?? byCompany.set(c, new Set()).get(c)!).add(x.productId);
    if (x.purchaseCostMicros !== undefined && x.purchaseCostMicros !== null) (priced.get(c) ?? priced.set(c, new Set()).get(c)!).add(x.productId);
  }
  const avg = new Map<string, Micros>(); // company|product → average
  const held = new Map<string, number>(); // company|product → on-hand (priced products only)
  for (const [c, products] of byCompany) {
    for (const [p, v] of await averageCosts(m, c, [...products])) avg.set(`${c}|${p}`, v);
    const pp = priced.get(c);
    if (pp) for (const [p, q] of await companyOnHand(m, c, [...pp])) held.set(`${c}|${p}`, q);
  }

  const posted: PostedMove[] = [];
  const changed = new Map<string, { companyId: string; productId: string; avg: Micros; documentType: string; documentId: string }>();
  for (const x of moves) {
    const companyId = locations.get(x.locationId)!.companyId;
    const key = `${companyId}|${x.productId}`;
    const current = avg.get(key) ?? null;
    let unitCost: Micros | null = current;
    if (x.purchaseCostMicros !== undefined && x.purchaseCostMicros !== null) {
      const onHand = held.get(key) ?? 0;
      const next = weightedAverage(onHand, current ?? 0, x.delta, x.purchaseCostMicros);
      unitCost = x.purchaseCostMicros;
      held.set(key, onHand + x.delta);
      if (next !== current) {
        avg.set(key, next);
        changed.set(key, { companyId, productId: x.productId, avg: next, documentType: x.documentType, documentId: x.documentId });
      }
    } else if (held.has(key)) {
      held.set(key, held.get(key)! + x.delta);
    }
    posted.push({ ...x, id: newRowId(clock), companyId, unitCostMicros: unitCost });
  }

  for (const c of chunks(posted)) {
    await exec(
      m,
      `INSERT INTO stock_movement (id, location_id, product_id, delta, reason, cause, ticket_id, line_no, document_type, document_id, document_line,
         document_number, unit_cost_micros, lot, best_before, at) VALUES ${c.map(() => '(?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      c.flatMap((x) => [
        x.id, x.locationId, x.productId, x.delta, x.reason, x.cause ?? null, x.documentType, x.documentId, x.documentLine, x.documentNumber ?? opts.documentNumber ?? null,
        x.unitCostMicros, x.lot ?? null, x.bestBefore ?? null, at,
      ]),
    );
  }
  // One row per (location, product) per statement, in a fixed order (row locks are always taken alike).
  const levels = new Map<string, { locationId: string; companyId: string; productId: string; delta: number }>();
  for (const x of posted) {
    const k = `${x.locationId}|${x.productId}`;
    const l = levels.get(k);
    if (l) l.delta += x.delta;
    else levels.set(k, { locationId: x.locationId, companyId: x.companyId, productId: x.productId, delta: x.delta });
  }
  const sorted = [...levels.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  for (const c of chunks(sorted)) {
    await exec(
      m,
      `INSERT INTO stock_level (location_id, company_id, product_id, quantity, updated_at) VALUES ${c.map(() => '(?, ?, ?, ?, ?)').join(', ')}
       ON CONFLICT (location_id, product_id) DO UPDATE SET quantity = stock_level.quantity + excluded.quantity, updated_at = excluded.updated_at`,
      c.flatMap((l) => [l.locationId, l.companyId, l.productId, l.delta, at]),
    );
  }
  const costs = [...changed.values()].sort((a, b) => (a.companyId + a.productId < b.companyId + b.productId ? -1 : 1));
  for (const c of chunks(costs)) {
    await exec(
      m,
      `INSERT INTO stock_cost (company_id, product_id, avg_cost_micros, updated_at) VALUES ${c.map(() => '(?, ?, ?, ?)').join(', ')}
       ON CONFLICT (company_id, product_id) DO UPDATE SET avg_cost_micros = excluded.avg_cost_micros, updated_at = excluded.updated_at`,
      c.flatMap((x) => [x.companyId, x.productId, x.avg, at]),
    );
    await exec(
      m,
      `INSERT INTO stock_cost_history (id, company_id, product_id, from_at, avg_cost_micros, document_type, document_id) VALUES ${c.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      c.flatMap((x) => [newRowId(clock), x.companyId, x.productId, at, x.avg, x.documentType, x.documentId]),
    );
  }
  return { ok: true, moves: posted };
}
