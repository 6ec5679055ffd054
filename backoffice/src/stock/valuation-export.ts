/** Columns of the stock list and movements exports (CSV/XLSX): amounts in euros with two decimals, costs with six. */
import type { LocationStockItem, ProductMovementItem } from '@tpv/shared/wire/http/stock-valuation';
import type { ExportColumn } from '../platform/list';

const euros = (c: number | null) => (c === null ? null : (c / 100).toFixed(2));
const unitCost = (micros: number | null) => (micros === null ? null : (micros / 1_000_000).toFixed(6));

export const LOCATION_STOCK_EXPORT: ReadonlyArray<ExportColumn<LocationStockItem>> = [
  { header: 'sku', value: (r) => r.sku },
  { header: 'name', value: (r) => r.name },
  { header: 'category', value: (r) => r.categoryName },
  { header: 'weighed', value: (r) => (r.weighed ? 1 : 0) },
  { header: 'quantity', value: (r) => r.quantity },
  { header: 'avg_cost', value: (r) => unitCost(r.avgCostMicros) },
  { header: 'value', value: (r) => euros(r.valueCents) },
  { header: 'min_qty', value: (r) => r.minQty },
  { header: 'updated_at', value: (r) => r.updatedAt },
];

export const MOVEMENT_EXPORT: ReadonlyArray<ExportColumn<ProductMovementItem>> = [
  { header: 'at', value: (r) => r.at },
  { header: 'location', value: (r) => r.locationCode },
  { header: 'reason', value: (r) => r.reason },
  { header: 'cause', value: (r) => r.cause },
  { header: 'delta', value: (r) => r.delta },
  { header: 'document_type', value: (r) => r.documentType },
  { header: 'document_number', value: (r) => r.documentNumber ?? r.fiscalNumber },
  { header: 'unit_cost', value: (r) => unitCost(r.unitCostMicros) },
  { header: 'lot', value: (r) => r.lot },
  { header: 'best_before', value: (r) => r.bestBefore },
];
