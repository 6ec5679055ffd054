/**
 * What moves stock, in one list both the back office (ledger, checks) and the UIs (labels) read.
 *
 * A movement's `reason` is what happened; an adjustment's `cause` says why. Goods in transit sit at a
 * transit location of their own (one per shipped document): nobody's on-hand, still somebody's stock.
 */
export const MOVEMENT_REASONS = [
  'sale', // a till sold it (ingest)
  'return', // a till took it back (ingest)
  'receipt', // goods received into a store or warehouse (from a supplier, or out of transit)
  'shipment', // goods left a store or warehouse (a delivery note or transfer was shipped)
  'transit_in', // shipped goods entered transit
  'transit_out', // goods left transit (received, or written off as short when the document closed)
  'count', // a posted stock count set the quantity
  'adjustment', // an authorised correction with a cause
  'supplier_return', // goods sent back to a supplier
] as const;
export type MovementReason = (typeof MOVEMENT_REASONS)[number];

/** Why an adjustment was made; each needs the permission named (store staff vs. a manager above them). */
export const ADJUSTMENT_CAUSES = {
  breakage: 'inventory.write',
  expiry: 'inventory.write',
  own_consumption: 'inventory.write',
  sample: 'inventory.write',
  damaged: 'inventory.write',
  shrinkage: 'inventory.admin',
  found: 'inventory.admin',
  delivery_short: 'inventory.admin',
  other: 'inventory.admin',
  // Issue 17: a store withdrawing a blocked / recalled product (recorded against the block).
  recall: 'inventory.write',
} as const;
export type AdjustmentCause = keyof typeof ADJUSTMENT_CAUSES;

/** Kinds of stock location: a store, a warehouse, or goods in transit on one shipped document. */
export const LOCATION_KINDS = ['store', 'warehouse', 'transit'] as const;
export type LocationKind = (typeof LOCATION_KINDS)[number];
