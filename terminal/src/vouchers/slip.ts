/** The slip of a voucher sold or loaded: no IVA lines (a multi-purpose voucher), the code, its barcode and QR. */
import { formatEuro, type ReceiptBlock, type ReceiptDocument, type ReceiptStore } from '@tpv/shared/receipt';
import { displayCode } from '@tpv/shared/vouchers/codes';

export interface VoucherSlipData {
  store: ReceiptStore;
  terminal: string;
  /** Local timestamp as printed on receipts. */
  at: string;
  cashier: string;
  number: string;
  kind: 'issue' | 'load';
  code: string;
  amountCents: number;
  change: number;
  validityMonths: number;
}

export function voucherSlip(d: VoucherSlipData): ReceiptDocument {
  const t = (text: string, o: Partial<Extract<ReceiptBlock, { kind: 'text' }>> = {}): ReceiptBlock => ({ kind: 'text', text, ...o });
  const row = (left: string, right: string, bold = false): ReceiptBlock => ({ kind: 'row', left, right, bold });
  const blocks: ReceiptBlock[] = [
    t(d.store.tradeName, { align: 'center', bold: true }),
    t(`NIF: ${d.store.nif}`, { align: 'center' }),
    { kind: 'separator' },
    t(d.kind === 'issue' ? 'VALE REGALO' : 'RECARGA DE VALE', { align: 'center', bold: true, size: 'tall' }),
    row('Num.:', d.number),
    row('Fecha:', d.at),
    row('Terminal:', d.terminal),
    row('Cajero:', d.cashier),
    { kind: 'separator' },
    row('Importe', formatEuro(d.amountCents), true),
    ...(d.change > 0 ? [row('Cambio', formatEuro(d.change))] : []),
    t(displayCode(d.code), { align: 'center', bold: true }),
    { kind: 'barcode', symbology: 'CODE128', data: d.code, height: 60 },
    { kind: 'qr', data: `VALE:${d.code}`, ecc: 'M', moduleSize: 5 },
    t(`Valido ${d.validityMonths} meses desde la compra o la ultima recarga.`),
    t('Bono polivalente: IVA no incluido en esta venta; se repercute al canjearlo (art. 75 LIVA).'),
    { kind: 'feed', lines: 2 },
    { kind: 'cut' },
  ];
  return { title: `voucher ${d.number}`, blocks };
}
