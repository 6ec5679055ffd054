/**
 * The gift receipt (ticket regalo, issue 19), pure: the sale's lines without any price, the last day the
 * holder may exchange or return, and a gift code (QR and text, ASCII) that any till of the company reads
 * to find the sale — the back office answers it as it answers a ticket id (shared/src/wire/ticket-lookup).
 * A return against a gift code is refunded as a gift voucher, never in cash or to the card: the holder did
 * not pay.
 */
import { formatWeight, splitIsoLocal, type ReceiptBlock, type ReceiptDocument, type ReceiptStore } from '../receipt';
import { addDays } from './design';

const GIFT_RE = /^REGALO-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** The gift code of a sale: `REGALO-<ticket id>` (41 ASCII characters; a QR holds it at any printer). */
export const giftCode = (ticketId: string): string => `REGALO-${ticketId.toLowerCase()}`;

/** The sale a scanned or typed gift code names, or null when the text is not a gift code. */
export function parseGiftCode(text: string): string | null {
  const m = GIFT_RE.exec(text.trim());
  return m ? m[1]!.toLowerCase() : null;
}

/** The last day a gift receipt is honoured: the sale's local day + the policy's days (inclusive). */
export function exchangeUntil(issuedAt: string, exchangeDays: number): string {
  return addDays(issuedAt.slice(0, 10), exchangeDays);
}

export interface GiftReceiptData {
  readonly store: ReceiptStore;
  readonly ticketId: string;
  readonly fiscalNumber: string;
  readonly issuedAt: string;
  readonly lines: ReadonlyArray<{ readonly description: string; readonly quantity: { readonly kind: 'units'; readonly units: number } | { readonly kind: 'weight'; readonly grams: number } }>;
  readonly exchangeDays: number;
}

/** The gift receipt: no amount anywhere (no prices, totals, taxes or payments). */
export function buildGiftReceipt(d: GiftReceiptData): ReceiptDocument {
  const when = splitIsoLocal(d.issuedAt);
  const until = splitIsoLocal(`${exchangeUntil(d.issuedAt, d.exchangeDays)}T00:00:00Z`).date;
  const code = giftCode(d.ticketId);
  const t = (text: string, o: Partial<Extract<ReceiptBlock, { kind: 'text' }>> = {}): ReceiptBlock => ({ kind: 'text', text, ...o });
  const b: ReceiptBlock[] = [
    t(d.store.tradeName, { align: 'center', bold: true, size: 'double' }),
    ...d.store.addressLines.map((l) => t(l, { align: 'center' })),
    { kind: 'separator' },
    t('TICKET REGALO', { align: 'center', bold: true, size: 'tall' }),
    { kind: 'row', left: 'Compra:', right: d.fiscalNumber },
    { kind: 'row', left: 'Fecha:', right: when.date },
    { kind: 'separator' },
  ];
  for (const l of d.lines) {
    const qty = l.quantity.kind === 'units' ? `${l.quantity.units} x` : formatWeight(l.quantity.grams);
    b.push({ kind: 'row', left: l.description, right: qty });
  }
  b.push({ kind: 'separator' });
  if (d.exchangeDays > 0) {
    b.push(t(`Cambio o devolución hasta el ${until}`, { align: 'center', bold: true }));
    b.push(t('La devolución se entrega en un vale regalo.', { align: 'center' }));
  } else b.push(t('Este artículo no admite cambio.', { align: 'center' }));
  b.push({ kind: 'qr', data: code, ecc: 'M', moduleSize: 4 });
  b.push(t(code, { align: 'center' }));
  b.push({ kind: 'feed', lines: 2 }, { kind: 'cut' });
  return { title: `gift ${d.fiscalNumber}`, blocks: b };
}
