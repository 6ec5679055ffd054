/**
 * Inventory and order documents: their types, the series prefix of their gapless numbers (per company, type
 * and year, allocated when the document posts), and how a number is written (`AL-2026-000042`).
 */
export const DOCUMENT_SERIES = {
  purchase_order: 'PC', // pedido de compra
  replenishment_order: 'PR', // pedido de reposición
  delivery_note: 'AL', // albarán
  goods_receipt: 'EM', // entrada de mercancía
  transfer: 'TR', // traspaso
  stock_count: 'RC', // recuento
  adjustment: 'RG', // regularización
  supplier_return: 'DV', // devolución a proveedor
} as const;
export type DocumentType = keyof typeof DOCUMENT_SERIES;

/** `AL-2026-000042`: prefix, year, number padded to six digits (more digits print as they are). */
export function documentNumber(type: DocumentType, year: number, n: number): string {
  return `${DOCUMENT_SERIES[type]}-${year}-${String(n).padStart(6, '0')}`;
}
