/**
 * Receipt documents from ticket documents and cash reports, and their text / SVG previews; the receipt
 * design HQ published for this store (issue 19: logo, header, footer, policy, promotion — kept in SQLite,
 * so the till prints it offline) and which logo each printer holds in its memory.
 */
import { EscPosDecoder } from '@tpv/drivers/escpos/decoder';
import { encodeReceipt } from '@tpv/drivers/escpos/encoder';
import { itemsToSvg } from '@tpv/drivers/escpos/render';
import { buildFiscalQrUrl } from '@tpv/shared/fiscal/qr';
import { buildSaleReceipt, receiptToText, type ReceiptDocument, type ReceiptStore, type SaleReceiptPayment, type TaxTableRow } from '@tpv/shared/receipt';
import type { TaxBreakdownRow } from '@tpv/shared/tax';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import type { TerminalIdentity } from '../identity';
import type { SqliteHandle } from '../persistence/data-source';
import type { LogoMemory } from '@tpv/drivers/adapters/escpos-tcp';
import { buildGiftReceipt } from '@tpv/shared/receipts/gift';
import { applyReceiptDesign, ReceiptDesignDataSchema, type ReceiptDesignData, type ReceiptPurpose } from '@tpv/shared/receipts/design';

/** The design this store prints with, as the change feed last sent it (null: none published yet). */
export interface ReceiptDesignStore {
  current(): ReceiptDesignData | null;
}

export function createReceiptDesignStore(db: SqliteHandle): ReceiptDesignStore {
  const latestVersion = db.prepare<[], { version: number }>('SELECT version FROM receipt_design ORDER BY version DESC LIMIT 1');
  const latest = db.prepare<[], { data: string; version: number }>('SELECT data, version FROM receipt_design ORDER BY version DESC LIMIT 1');
  // Every receipt asks for the design: parse it (logo bitmap included) once per feed version, not per sale.
  let cached: { version: number; design: ReceiptDesignData | null } | undefined;
  return {
    current() {
      const top = latestVersion.get();
      if (!top) return null;
      if (cached?.version !== top.version) {
        const row = latest.get()!;
        // Checked again on the way out: a row written by an older till version must not break printing.
        const parsed = ReceiptDesignDataSchema.safeParse(JSON.parse(row.data));
        cached = { version: row.version, design: parsed.success ? parsed.data : null };
      }
      return cached.design;
    },
  };
}

/** Which logo each printer holds in NV memory (`printer_logo`), for the ESC/POS adapter. */
export function createLogoMemory(db: SqliteHandle, now: () => string): LogoMemory {
  const get = db.prepare<[string], { logo_id: string | null }>('SELECT logo_id FROM printer_logo WHERE printer = ?');
  const put = db.prepare<[string, string | null, string]>(
    'INSERT INTO printer_logo (printer, logo_id, stored_at) VALUES (?, ?, ?) ON CONFLICT (printer) DO UPDATE SET logo_id = excluded.logo_id, stored_at = excluded.stored_at',
  );
  return {
    held: (printer) => get.get(printer)?.logo_id ?? null,
    remember: (printer, logoId) => void put.run(printer, logoId, now()),
  };
}

/** The gift receipt of a sale: its lines without prices, the exchange deadline, the gift code. */
export function giftReceipt(identity: TerminalIdentity, doc: TicketDocument, exchangeDays: number): ReceiptDocument {
  return buildGiftReceipt({
    store: receiptStore(identity), ticketId: doc.id, fiscalNumber: doc.fiscalNumber, issuedAt: doc.issuedAt, exchangeDays,
    lines: doc.lines.map((l) => ({ description: l.description, quantity: l.quantity.kind === 'units' ? { kind: 'units', units: l.quantity.units } : { kind: 'weight', grams: l.quantity.grams } })),
  });
}

/** The policy a gift receipt is made and honoured with: the store's design, else 30 days and a voucher. */
export function giftPolicy(design: ReceiptDesignData | null): { exchangeDays: number; giftRefund: 'voucher' | 'exchange_only' } {
  return design ? { exchangeDays: design.exchangeDays, giftRefund: design.giftRefund } : { exchangeDays: 30, giftRefund: 'voucher' };
}

/** What a print job's kind gets of the design: policy and promotion on sales and gift receipts only. */
export function purposeOf(kind: string | undefined): ReceiptPurpose {
  return kind === 'sale' || kind === 'return' || kind === 'gift' ? kind : 'other';
}

/** The design on a document, for this till's paper and today's date. */
export function designed(doc: ReceiptDocument, design: ReceiptDesignData | null, o: { columns: 32 | 48; today: string; kind?: string | undefined; ticketId?: string | undefined }): ReceiptDocument {
  return applyReceiptDesign(doc, design, { columns: o.columns, today: o.today, purpose: purposeOf(o.kind), ticketId: o.ticketId });
}

export function receiptStore(identity: TerminalIdentity): ReceiptStore {
  return {
    tradeName: identity.companyTradeName,
    legalName: identity.companyLegalName,
    nif: identity.companyNif,
    addressLines: [identity.storeName, identity.storeAddress].filter((s) => s.trim() !== ''),
  };
}

export function taxRows(rows: readonly TaxBreakdownRow[]): TaxTableRow[] {
  const out: TaxTableRow[] = [];
  for (const r of rows) {
    out.push({ kind: 'iva', rateBp: r.rate, base: r.base, cuota: r.ivaCuota });
    if (r.reRate > 0) out.push({ kind: 're', rateBp: r.reRate, base: r.base, cuota: r.reCuota });
  }
  return out;
}

const METHOD_LABEL: Record<string, string> = { cash: 'Efectivo', card: 'Tarjeta', voucher: 'Vale', on_account: 'A cuenta' };
export const paymentLabel = (method: string): string => METHOD_LABEL[method] ?? method;

/** The factura simplificada / completa (F1) / rectificativa for a ticket document. */
export function ticketReceipt(
  identity: TerminalIdentity,
  doc: TicketDocument,
  opts: { originalIssuedAt?: string | undefined; originalTerminal?: string | undefined; copy?: string | undefined; pointsEarned?: number | undefined } = {},
): ReceiptDocument {
  // loyalty: points redeemed (already spread over the lines) and, at the sale, the points it earns.
  const pointsRedeemed = (doc.benefits ?? []).filter((b) => b.kind === 'loyalty').map((b) => ({ label: `Puntos canjeados (${b.points ?? 0})`, amount: b.cents }));
  const pointsFooter = opts.pointsEarned ? [`Puntos de esta compra: ${opts.pointsEarned}`] : [];
  const payments: SaleReceiptPayment[] = doc.payments.map((p) => ({
    label: p.method === 'card' ? `${paymentLabel(p.method)} ${p.reference.slice(-4)}` : paymentLabel(p.method),
    amount: p.amount,
  }));
  return buildSaleReceipt({
    kind: doc.kind,
    store: receiptStore(identity),
    fiscalNumber: doc.fiscalNumber,
    issuedAt: doc.issuedAt,
    cashier: doc.cashier.name,
    terminal: identity.terminalName,
    ...(doc.substitutes && opts.originalIssuedAt ? { substitutes: { fiscalNumber: doc.substitutes.fiscalNumber, issuedAt: opts.originalIssuedAt } } : {}),
    ...(doc.originalTicket && opts.originalIssuedAt
      ? { original: { fiscalNumber: doc.originalTicket.fiscalNumber, issuedAt: opts.originalIssuedAt, ...(opts.originalTerminal ? { terminal: opts.originalTerminal } : {}) } }
      : {}),
    lines: doc.lines.map((l) => ({
      description: l.description,
      quantity: l.quantity.kind === 'units' ? { kind: 'units', units: l.quantity.units } : { kind: 'weight', grams: l.quantity.grams },
      unitPrice: l.unitPrice,
      gross: l.gross,
      ...lineDiscounts(doc, l),
      total: l.total,
    })),
    ...(doc.totals.ticketDiscount !== 0 || pointsRedeemed.length > 0
      ? { ticketDiscounts: [...pointsRedeemed, ...(doc.totals.ticketDiscount !== 0 ? [{ label: 'Descuento ticket', amount: Math.abs(doc.totals.ticketDiscount) }] : [])] }
      : {}),
    ...(doc.benefits?.some((b) => b.kind === 'promotion') ? { promotions: doc.benefits.filter((b) => b.kind === 'promotion').map((b) => ({ label: b.name, amount: b.cents })) } : {}),
    taxes: taxRows(doc.taxBreakdown),
    total: doc.totals.total,
    payments,
    change: doc.change,
    qrUrl: buildFiscalQrUrl({ environment: 'production', nif: doc.fiscal.issuerNif, invoiceNumber: doc.fiscal.invoiceNumber, issueDate: doc.fiscal.issueDate, totalCents: doc.totals.total }),
    ...invoiceParts(doc),
    footer: doc.kind === 'return' ? ['Gracias por su visita'] : [...pointsFooter, 'Gracias por su compra', 'Conserve el ticket para cambios'],
    ...(opts.copy ? { copy: opts.copy } : {}),
  });
}

/** A line's own discount and each benefit's share (promotions and points by name), as printed under it. */
function lineDiscounts(doc: TicketDocument, l: TicketDocument['lines'][number]): { discounts?: Array<{ label: string; amount: number }> } {
  const out: Array<{ label: string; amount: number }> = [];
  if (l.lineDiscount !== 0) out.push({ label: 'Descuento', amount: Math.abs(l.lineDiscount) });
  for (const b of l.benefits ?? []) {
    const name = doc.benefits?.find((x) => x.kind === b.kind && x.id === b.id)?.name ?? (b.kind === 'promotion' ? 'Promoción' : 'Puntos');
    if (b.cents !== 0) out.push({ label: name, amount: b.cents });
  }
  return out.length > 0 ? { discounts: out } : {};
}

/** A full invoice (F1/F3) prints FACTURA and its recipient: NIF, name, address. */
function invoiceParts(doc: TicketDocument): { fullInvoice?: boolean; recipient?: { nif: string; name: string; addressLines: string[] } } {
  const type = doc.fiscal.invoiceType;
  if (type !== 'F1' && type !== 'F3') return {};
  const c = doc.customer;
  if (!c || c.nif === undefined) return { fullInvoice: true };
  const a = c.address;
  const addressLines = a ? [a.street, `${a.postalCode} ${a.city}${a.country && a.country !== 'ES' ? ` (${a.country})` : ''}`] : [];
  return { fullInvoice: true, recipient: { nif: c.nif, name: c.name, addressLines } };
}

/** Plain text (as printed) and an SVG picture (through the real ESC/POS encoder and decoder). */
export function renderReceipt(doc: ReceiptDocument, columns: 32 | 48): { text: string; svg: string } {
  const bytes = encodeReceipt(doc, { columns, codePage: 'CP858' });
  const items = EscPosDecoder.decode(bytes, { defaultCodePage: 'CP858' });
  return { text: receiptToText(doc, columns), svg: itemsToSvg(items, { columns }) };
}
