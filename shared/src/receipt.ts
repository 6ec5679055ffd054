/**
 * Receipt document model (pure, no I/O).
 *
 * A `ReceiptDocument` is a flat list of blocks that every printer back end (our ESC/POS encoder, the
 * node-thermal-printer adapter, the plain-text preview) renders the same way. Width-aware layout lives here
 * too (`layoutBlock`), so every back end prints byte-identical text lines for 32 (58 mm) and 48 (80 mm)
 * columns, and the decoder of what came out can be compared line by line with what was meant.
 *
 * Builders: `buildSaleReceipt` (factura simplificada / rectificativa), `buildCashReport` (X / Z),
 * `buildCashMovementSlip` (entrada / salida de caja). Amounts are integer cents, rates basis points.
 */
import { buildFiscalQrUrl, type AeatQrEnvironment } from './fiscal/qr';
import { formatMoney } from './money';

export type Cents = number;
export type Align = 'left' | 'center' | 'right';
/** Character magnification: `tall` = double height, `wide` = double width, `double` = both. */
export type TextSize = 'normal' | 'tall' | 'wide' | 'double';
export type Columns = 32 | 48;

export interface TextBlock {
  readonly kind: 'text';
  readonly text: string;
  readonly align?: Align;
  readonly bold?: boolean;
  readonly size?: TextSize;
}
/** Two columns on one line: left text, right text flush right. Wraps the left part if it does not fit. */
export interface RowBlock {
  readonly kind: 'row';
  readonly left: string;
  readonly right: string;
  readonly bold?: boolean;
  readonly size?: 'normal' | 'tall';
}
export interface SeparatorBlock {
  readonly kind: 'separator';
  readonly char?: '-' | '=' | '*';
}
export interface TaxTableRow {
  /** `iva` = IVA rate, `re` = recargo de equivalencia rate. */
  readonly kind: 'iva' | 're';
  readonly rateBp: number;
  readonly base: Cents;
  readonly cuota: Cents;
}
export interface TaxTableBlock {
  readonly kind: 'taxTable';
  readonly rows: readonly TaxTableRow[];
}
export interface QrBlock {
  readonly kind: 'qr';
  /** Keep ASCII: printers (and node-thermal-printer) size QR data in bytes. */
  readonly data: string;
  readonly ecc: 'L' | 'M' | 'Q' | 'H';
  /** Module size in dots (ESC/POS GS ( k fn 67), 1..16. */
  readonly moduleSize?: number;
}
export interface BarcodeBlock {
  readonly kind: 'barcode';
  readonly symbology: 'CODE128';
  /** ASCII 32..126 (printed with code set B). */
  readonly data: string;
  readonly height?: number;
}
export interface FeedBlock {
  readonly kind: 'feed';
  readonly lines: number;
}
export interface CutBlock {
  readonly kind: 'cut';
  readonly partial?: boolean;
}
/**
 * A picture centred across the paper (the franchise's logo, issue 19): one-bit rows of ceil(w/8) bytes,
 * MSB = leftmost dot, 1 = black, as base64. `key` (2 ASCII characters) and `logoId` let a printer with
 * `GS ( L` keep it in its memory and print it by key; others get it as a raster image each time.
 */
export interface LogoBlock {
  readonly kind: 'logo';
  readonly key: string;
  readonly logoId: string;
  readonly widthDots: number;
  readonly heightDots: number;
  readonly bits: string;
}
export type ReceiptBlock =
  | LogoBlock
  | TextBlock
  | RowBlock
  | SeparatorBlock
  | TaxTableBlock
  | QrBlock
  | BarcodeBlock
  | FeedBlock
  | CutBlock;

export interface ReceiptDocument {
  /** What the document is, for logs and the print queue (e.g. `sale T01-2026/000012`). */
  readonly title: string;
  readonly blocks: readonly ReceiptBlock[];
}

/** One printable text line after layout. `text` never exceeds columns / width multiplier. */
export interface LaidLine {
  readonly text: string;
  readonly align: Align;
  readonly bold: boolean;
  readonly width: 1 | 2;
  readonly height: 1 | 2;
}

// ------------------------------------------------------------------------------------------------ formatting

/** `123456` → `1.234,56` (Spanish grouping, comma decimals; negative with a leading minus). */
export function formatAmount(cents: Cents): string {
  return formatMoney(cents, 'es').replace(/ €$/, '');
}

/** `123456` → `1.234,56 €` (`formatMoney(cents, 'es')`). */
export function formatEuro(cents: Cents): string {
  return formatMoney(cents, 'es');
}

/** Basis points → `21%`, `5,2%`, `0,5%`, `10%`. */
export function formatRate(bp: number): string {
  const whole = Math.trunc(bp / 100);
  const frac = Math.abs(bp % 100);
  if (frac === 0) return `${whole}%`;
  const f = String(frac).padStart(2, '0').replace(/0$/, '');
  return `${whole},${f}%`;
}

/** Integer grams → `0,512 kg`. */
export function formatWeight(grams: number): string {
  const kg = Math.floor(Math.abs(grams) / 1000);
  const g = String(Math.abs(grams) % 1000).padStart(3, '0');
  return `${grams < 0 ? '-' : ''}${kg},${g} kg`;
}

const ISO_LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/;

/** Local date and time as written in an ISO timestamp with offset (no time-zone conversion). */
export function splitIsoLocal(iso: string): { date: string; time: string; aeatDate: string } {
  const m = ISO_LOCAL.exec(iso);
  if (!m) throw new RangeError(`not an ISO timestamp: ${iso}`);
  const [, y, mo, d, h, mi, s] = m;
  return { date: `${d}/${mo}/${y}`, time: `${h}:${mi}${s ? `:${s}` : ''}`, aeatDate: `${d}-${mo}-${y}` };
}

/**
 * AEAT "ValidarQR" URL for a receipt (delegates to `fiscal/qr`): nif, numserie, fecha dd-mm-aaaa, importe
 * with two decimals. Pure ASCII, so printers size the QR data correctly.
 */
export function buildValidarQrUrl(p: {
  nif: string;
  numSerie: string;
  /** ISO timestamp with offset, or `dd-mm-aaaa`. */
  fecha: string;
  importe: Cents;
  env?: AeatQrEnvironment;
}): string {
  const issueDate = /^\d{2}-\d{2}-\d{4}$/.test(p.fecha) ? p.fecha : splitIsoLocal(p.fecha).aeatDate;
  return buildFiscalQrUrl({ environment: p.env ?? 'production', nif: p.nif, invoiceNumber: p.numSerie, issueDate, totalCents: p.importe });
}

// ------------------------------------------------------------------------------------------------ layout

export function sizeFactors(size: TextSize | undefined): { width: 1 | 2; height: 1 | 2 } {
  switch (size) {
    case 'tall':
      return { width: 1, height: 2 };
    case 'wide':
      return { width: 2, height: 1 };
    case 'double':
      return { width: 2, height: 2 };
    default:
      return { width: 1, height: 1 };
  }
}

/** Word wrap to `width` characters; words longer than a line are cut. */
export function wrapText(text: string, width: number): string[] {
  if (width <= 0) return [text];
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    // Leading spaces are an indent kept on every wrapped line.
    const indent = /^ */.exec(raw)?.[0] ?? '';
    const para = raw.slice(indent.length);
    if (indent.length > 0 && indent.length < width) {
      out.push(...wrapText(para, width - indent.length).map((l) => indent + l));
      continue;
    }
    let line = '';
    for (const word of para.split(/ +/)) {
      let w = word;
      while (w.length > width) {
        if (line) {
          out.push(line);
          line = '';
        }
        out.push(w.slice(0, width));
        w = w.slice(width);
      }
      if (!line) line = w;
      else if (line.length + 1 + w.length <= width) line += ` ${w}`;
      else {
        out.push(line);
        line = w;
      }
    }
    out.push(line);
  }
  return out;
}

/** `left` and `right` on one line of `width` chars; if they do not fit, `left` wraps and `right` goes last. */
export function twoColumns(left: string, right: string, width: number): string[] {
  if (left.length + 1 + right.length <= width) return [left + ' '.repeat(width - left.length - right.length) + right];
  const lefts = wrapText(left, width);
  const last = lefts[lefts.length - 1] ?? '';
  if (last.length + 1 + right.length <= width) {
    lefts[lefts.length - 1] = last + ' '.repeat(width - last.length - right.length) + right;
    return lefts;
  }
  return [...lefts, ...wrapText(right, width).map((r) => r.padStart(width))];
}

function taxColumns(columns: number): [number, number, number] {
  const label = columns >= 48 ? 16 : 10;
  const rest = columns - label;
  const base = Math.ceil(rest / 2);
  return [label, base, rest - base];
}

function taxLine(columns: number, a: string, b: string, c: string): string {
  const [wa, wb, wc] = taxColumns(columns);
  return a.padEnd(wa).slice(0, wa) + b.padStart(wb) + c.padStart(wc);
}

/** Header and rows of an IVA table, each exactly `columns` wide. */
export function taxTableLines(rows: readonly TaxTableRow[], columns: number): string[] {
  const lines = [taxLine(columns, 'Tipo', 'Base', 'Cuota')];
  for (const r of rows) {
    const label = `${r.kind === 'iva' ? 'IVA' : 'RE'} ${formatRate(r.rateBp)}`;
    lines.push(taxLine(columns, label, formatAmount(r.base), formatAmount(r.cuota)));
  }
  return lines;
}

/**
 * The text lines a block prints as, for `columns` characters at normal size; `null` for graphic or control
 * blocks (logo, qr, barcode, feed, cut).
 */
export function layoutBlock(block: ReceiptBlock, columns: number): LaidLine[] | null {
  switch (block.kind) {
    case 'text': {
      const f = sizeFactors(block.size);
      const w = Math.floor(columns / f.width);
      return wrapText(block.text, w).map((text) => ({
        text,
        align: block.align ?? 'left',
        bold: block.bold ?? false,
        ...f,
      }));
    }
    case 'row': {
      const f = sizeFactors(block.size);
      return twoColumns(block.left, block.right, columns).map((text) => ({
        text,
        align: 'left' as const,
        bold: block.bold ?? false,
        ...f,
      }));
    }
    case 'separator':
      return [{ text: (block.char ?? '-').repeat(columns), align: 'left', bold: false, width: 1, height: 1 }];
    case 'taxTable':
      return taxTableLines(block.rows, columns).map((text) => ({ text, align: 'left', bold: false, width: 1, height: 1 }));
    default:
      return null;
  }
}

/** Every text line of a document after layout, in order (graphic blocks skipped). */
export function documentLines(doc: ReceiptDocument, columns: number): LaidLine[] {
  return doc.blocks.flatMap((b) => layoutBlock(b, columns) ?? []);
}

/** Plain-text preview (what a human sees), alignment applied by padding, graphics as placeholders. */
export function receiptToText(doc: ReceiptDocument, columns: number): string {
  const out: string[] = [];
  for (const b of doc.blocks) {
    const lines = layoutBlock(b, columns);
    if (lines) {
      for (const l of lines) {
        const w = Math.floor(columns / l.width);
        const pad = w - l.text.length;
        const text = l.align === 'center' ? ' '.repeat(Math.floor(pad / 2)) + l.text : l.align === 'right' ? l.text.padStart(w) : l.text;
        out.push(l.width === 2 ? text.split('').join(' ') : text);
      }
    } else if (b.kind === 'qr') out.push(`[QR ${b.data}]`);
    else if (b.kind === 'barcode') out.push(`[${b.symbology} ${b.data}]`);
    else if (b.kind === 'feed') for (let i = 0; i < b.lines; i++) out.push('');
    else if (b.kind === 'cut') out.push('- - - - 8< - - - -');
    else if (b.kind === 'logo') out.push(`[logo ${b.widthDots}x${b.heightDots}]`);
  }
  return out.join('\n');
}

// ------------------------------------------------------------------------------------------------ builders

export interface ReceiptStore {
  /** Nombre comercial (shop sign). */
  readonly tradeName: string;
  /** Razón social of the issuer. */
  readonly legalName: string;
  readonly nif: string;
  readonly addressLines: readonly string[];
  readonly phone?: string;
}

export type ReceiptQuantity =
  | { readonly kind: 'units'; readonly units: number }
  | { readonly kind: 'weight'; readonly grams: number };

export interface SaleReceiptLine {
  readonly description: string;
  readonly quantity: ReceiptQuantity;
  /** Price per unit, or per kg for weighed goods, IVA included. */
  readonly unitPrice: Cents;
  /** quantity × unitPrice before discounts (rounded by the ticket rules). */
  readonly gross: Cents;
  readonly discounts?: readonly { readonly label: string; readonly amount: Cents }[];
  /** Line total after discounts. */
  readonly total: Cents;
}

export interface SaleReceiptPayment {
  readonly label: string;
  readonly amount: Cents;
}

export interface SaleReceiptData {
  readonly kind: 'sale' | 'return';
  readonly store: ReceiptStore;
  /** Fiscal number `series/number` as issued (e.g. `T01-2026/000123`). */
  readonly fiscalNumber: string;
  /** ISO timestamp with offset, `2026-11-23T10:15:30+01:00`. */
  readonly issuedAt: string;
  readonly cashier: string;
  readonly terminal?: string;
  /** For returns (factura rectificativa): the ticket it corrects; `terminal` when another till sold it. */
  readonly original?: { readonly fiscalNumber: string; readonly issuedAt: string; readonly terminal?: string };
  readonly lines: readonly SaleReceiptLine[];
  /** Ticket-level discounts already spread over lines, shown for information. */
  readonly ticketDiscounts?: readonly { readonly label: string; readonly amount: Cents }[];
  /** Each promotion applied and what it saved (its shares are among the lines' discounts), with a total saving line. */
  readonly promotions?: readonly { readonly label: string; readonly amount: Cents }[];
  readonly taxes: readonly TaxTableRow[];
  readonly total: Cents;
  readonly payments: readonly SaleReceiptPayment[];
  readonly change: Cents;
  /** Override of the AEAT QR URL (if the fiscal module already built it); otherwise built from the data. */
  readonly qrUrl?: string;
  readonly qrEnv?: AeatQrEnvironment;
  /** CODE128 of the fiscal number so a later return can scan the receipt (default true). */
  readonly barcode?: boolean;
  readonly footer?: readonly string[];
  /** Reprint marker, e.g. `COPIA`. */
  readonly copy?: string;
  /** A full invoice (F1, or F3 with `substitutes`): titled FACTURA, printed with its recipient. */
  readonly fullInvoice?: boolean;
  /** The full invoice's recipient (destinatario): NIF, name and address lines. */
  readonly recipient?: { readonly nif: string; readonly name: string; readonly addressLines: readonly string[] };
  /** F3: the simplified invoice this full invoice replaces. */
  readonly substitutes?: { readonly fiscalNumber: string; readonly issuedAt: string };
}

const text = (t: string, o: Omit<TextBlock, 'kind' | 'text'> = {}): TextBlock => ({ kind: 'text', text: t, ...o });
const row = (left: string, right: string, o: Omit<RowBlock, 'kind' | 'left' | 'right'> = {}): RowBlock => ({ kind: 'row', left, right, ...o });
const sep = (char: SeparatorBlock['char'] = '-'): SeparatorBlock => ({ kind: 'separator', char });

function header(store: ReceiptStore): ReceiptBlock[] {
  return [
    text(store.tradeName, { align: 'center', bold: true, size: 'double' }),
    text(store.legalName, { align: 'center' }),
    text(`NIF: ${store.nif}`, { align: 'center' }),
    ...store.addressLines.map((l) => text(l, { align: 'center' })),
    ...(store.phone ? [text(`Tel.: ${store.phone}`, { align: 'center' })] : []),
  ];
}

/** The ValidarQR URL a sale receipt carries. */
export function saleReceiptQrUrl(data: SaleReceiptData): string {
  return (
    data.qrUrl ??
    buildValidarQrUrl({ nif: data.store.nif, numSerie: data.fiscalNumber, fecha: data.issuedAt, importe: data.total, env: data.qrEnv ?? 'production' })
  );
}

/** Lays out a factura simplificada (sale) or factura rectificativa (return). */
export function buildSaleReceipt(data: SaleReceiptData): ReceiptDocument {
  const when = splitIsoLocal(data.issuedAt);
  const b: ReceiptBlock[] = [...header(data.store), sep()];
  if (data.copy) b.push(text(`*** ${data.copy} ***`, { align: 'center', bold: true }));
  const title = data.kind === 'return' ? 'FACTURA RECTIFICATIVA' : data.fullInvoice === true ? 'FACTURA' : 'FACTURA SIMPLIFICADA';
  b.push(text(title, { align: 'center', bold: true }));
  b.push(row('Num.:', data.fiscalNumber));
  if (data.substitutes) {
    b.push(row('Sustituye a:', data.substitutes.fiscalNumber));
    b.push(row('Fecha original:', splitIsoLocal(data.substitutes.issuedAt).date));
  }
  if (data.kind === 'return' && data.original) {
    const o = splitIsoLocal(data.original.issuedAt);
    b.push(row('Rectifica a:', data.original.fiscalNumber));
    b.push(row('Fecha original:', o.date));
    if (data.original.terminal) b.push(row('Terminal original:', data.original.terminal));
  }
  b.push(row('Fecha:', `${when.date} ${when.time}`));
  b.push(row('Cajero:', data.cashier));
  if (data.terminal) b.push(row('Terminal:', data.terminal));
  if (data.recipient) {
    b.push(sep());
    b.push(text('Destinatario:', { bold: true }));
    b.push(text(data.recipient.name));
    b.push(text(`NIF: ${data.recipient.nif}`));
    for (const l of data.recipient.addressLines) b.push(text(l));
  }
  b.push(sep());
  for (const l of data.lines) {
    b.push(row(l.description, formatAmount(l.gross)));
    if (l.quantity.kind === 'weight') {
      b.push(text(`  ${formatWeight(l.quantity.grams)} x ${formatAmount(l.unitPrice)} €/kg`));
    } else if (l.quantity.units !== 1) {
      b.push(text(`  ${l.quantity.units} x ${formatAmount(l.unitPrice)} €`));
    }
    for (const d of l.discounts ?? []) b.push(row(`  ${d.label}`, formatAmount(-Math.abs(d.amount) * Math.sign(l.gross || 1))));
  }
  for (const d of data.ticketDiscounts ?? []) b.push(row(d.label, `(${formatAmount(-Math.abs(d.amount))})`));
  b.push(sep());
  b.push({ kind: 'taxTable', rows: data.taxes });
  b.push(sep('='));
  b.push(row('TOTAL', formatEuro(data.total), { bold: true, size: 'tall' }));
  if (data.promotions?.length) {
    b.push(sep());
    b.push(text('Promociones aplicadas', { bold: true }));
    for (const p of data.promotions) b.push(row(`  ${p.label}`, formatAmount(-Math.abs(p.amount))));
    b.push(row('Total ahorrado', formatEuro(data.promotions.reduce((s, p) => s + Math.abs(p.amount), 0)), { bold: true }));
  }
  b.push(sep());
  for (const p of data.payments) b.push(row(p.label, formatEuro(p.amount)));
  if (data.change !== 0 || data.payments.length > 0) b.push(row('Cambio', formatEuro(data.change)));
  b.push(sep());
  b.push(text('QR tributario:', { align: 'center' }));
  b.push({ kind: 'qr', data: saleReceiptQrUrl(data), ecc: 'M', moduleSize: 4 });
  b.push(text('VERI*FACTU', { align: 'center', bold: true }));
  if (data.barcode ?? true) {
    b.push({ kind: 'feed', lines: 1 });
    b.push({ kind: 'barcode', symbology: 'CODE128', data: data.fiscalNumber, height: 60 });
    b.push(text(data.fiscalNumber, { align: 'center' }));
  }
  if (data.footer?.length) {
    b.push(sep());
    for (const f of data.footer) b.push(text(f, { align: 'center' }));
  }
  b.push({ kind: 'feed', lines: 2 }, { kind: 'cut' });
  const docTitle = `${data.kind === 'return' ? 'return' : data.fullInvoice === true ? 'invoice' : 'sale'} ${data.fiscalNumber}${data.copy ? ` (${data.copy})` : ''}`;
  return { title: docTitle, blocks: b };
}

export interface CashReportData {
  readonly kind: 'X' | 'Z';
  readonly store: ReceiptStore;
  readonly terminal: string;
  /** Z counter (cierre number); also shown on X as the open session's number. */
  readonly number?: number;
  readonly openedAt: string;
  readonly printedAt: string;
  readonly cashier: string;
  readonly tickets: { readonly count: number; readonly first?: string; readonly last?: string };
  readonly returns: { readonly count: number; readonly total: Cents };
  /** Net sales (sales − returns), IVA included. */
  readonly netSales: Cents;
  readonly taxes: readonly TaxTableRow[];
  readonly payments: readonly SaleReceiptPayment[];
  /** What each promotion took off the session's sales. */
  readonly promotions?: readonly { readonly label: string; readonly tickets: number; readonly amount: Cents }[];
  /** Gift vouchers sold/loaded in the session: outside sales (no IVA), printed as "Vales vendidos". */
  readonly vouchersSold?: { readonly count: number; readonly cents: Cents; readonly cashCents: Cents; readonly cardCents: Cents };
  readonly cash: {
    readonly float: Cents;
    readonly sales: Cents;
    /** Cash taken for vouchers sold. */
    readonly vouchers?: Cents;
    readonly cashIn: Cents;
    readonly cashOut: Cents;
    readonly expected: Cents;
    readonly counted?: Cents;
  };
}

/** Informe X (mid-shift, no close) or cierre Z (end of day). */
export function buildCashReport(data: CashReportData): ReceiptDocument {
  const opened = splitIsoLocal(data.openedAt);
  const printed = splitIsoLocal(data.printedAt);
  const b: ReceiptBlock[] = [...header(data.store), sep()];
  b.push(text(data.kind === 'Z' ? 'CIERRE Z' : 'INFORME X', { align: 'center', bold: true, size: 'tall' }));
  if (data.kind === 'X') b.push(text('(no cierra la caja)', { align: 'center' }));
  if (data.number !== undefined) b.push(row('Num.:', String(data.number)));
  b.push(row('Terminal:', data.terminal));
  b.push(row('Apertura:', `${opened.date} ${opened.time}`));
  b.push(row(data.kind === 'Z' ? 'Cierre:' : 'Impreso:', `${printed.date} ${printed.time}`));
  b.push(row('Cajero:', data.cashier));
  b.push(sep());
  b.push(row('Tickets:', String(data.tickets.count)));
  if (data.tickets.first) b.push(row('Primero:', data.tickets.first));
  if (data.tickets.last) b.push(row('Ultimo:', data.tickets.last));
  b.push(row(`Devoluciones (${data.returns.count}):`, formatAmount(data.returns.total)));
  b.push(row('Ventas netas:', formatEuro(data.netSales), { bold: true }));
  b.push(sep());
  b.push({ kind: 'taxTable', rows: data.taxes });
  b.push(sep());
  b.push(text('Cobros por forma de pago', { bold: true }));
  for (const p of data.payments) b.push(row(p.label, formatEuro(p.amount)));
  if (data.promotions?.length) {
    b.push(sep());
    b.push(text('Promociones', { bold: true }));
    for (const p of data.promotions) b.push(row(`${p.label} (${p.tickets})`, formatAmount(-Math.abs(p.amount))));
    b.push(row('Total promociones', formatEuro(-data.promotions.reduce((s, p) => s + Math.abs(p.amount), 0)), { bold: true }));
  }
  if (data.vouchersSold) {
    b.push(sep(), row(`Vales vendidos (${data.vouchersSold.count}):`, formatEuro(data.vouchersSold.cents), { bold: true }));
    b.push(row('  en efectivo', formatAmount(data.vouchersSold.cashCents)), row('  con tarjeta', formatAmount(data.vouchersSold.cardCents)));
  }
  b.push(sep());
  b.push(text('Efectivo', { bold: true }));
  b.push(row('Fondo de caja', formatAmount(data.cash.float)));
  b.push(row('Ventas en efectivo', formatAmount(data.cash.sales)));
  if (data.cash.vouchers) b.push(row('Vales vendidos', formatAmount(data.cash.vouchers)));
  b.push(row('Entradas', formatAmount(data.cash.cashIn)));
  b.push(row('Salidas', formatAmount(-Math.abs(data.cash.cashOut))));
  b.push(row('Esperado en caja', formatEuro(data.cash.expected), { bold: true }));
  if (data.cash.counted !== undefined) {
    b.push(row('Contado', formatEuro(data.cash.counted)));
    b.push(row('Descuadre', formatEuro(data.cash.counted - data.cash.expected), { bold: true }));
  }
  b.push({ kind: 'feed', lines: 2 }, { kind: 'cut' });
  return { title: `${data.kind} report ${data.terminal}${data.number !== undefined ? ` #${data.number}` : ''}`, blocks: b };
}

export interface CashMovementSlipData {
  readonly kind: 'in' | 'out';
  readonly store: ReceiptStore;
  readonly terminal: string;
  readonly at: string;
  readonly cashier: string;
  readonly amount: Cents;
  readonly reason: string;
  readonly number?: string;
}

/** Justificante de entrada / salida de caja, with a signature line. */
export function buildCashMovementSlip(data: CashMovementSlipData): ReceiptDocument {
  const at = splitIsoLocal(data.at);
  const b: ReceiptBlock[] = [
    text(data.store.tradeName, { align: 'center', bold: true }),
    text(`NIF: ${data.store.nif}`, { align: 'center' }),
    sep(),
    text(data.kind === 'in' ? 'ENTRADA DE CAJA' : 'SALIDA DE CAJA', { align: 'center', bold: true, size: 'tall' }),
  ];
  if (data.number) b.push(row('Num.:', data.number));
  b.push(row('Fecha:', `${at.date} ${at.time}`), row('Terminal:', data.terminal), row('Cajero:', data.cashier), sep());
  b.push(row('Importe', formatEuro(data.kind === 'out' ? -Math.abs(data.amount) : Math.abs(data.amount)), { bold: true, size: 'tall' }));
  b.push(text(`Motivo: ${data.reason}`), { kind: 'feed', lines: 2 }, text('Firma:'), { kind: 'feed', lines: 3 }, sep());
  b.push({ kind: 'feed', lines: 2 }, { kind: 'cut' });
  return { title: `cash ${data.kind} ${data.terminal} ${data.at}`, blocks: b };
}

/** Marks a document as a reprint: a `*** COPIA ***` line after the header separator (or first). */
export function markAsCopy(doc: ReceiptDocument, label = 'COPIA'): ReceiptDocument {
  if (doc.blocks.some((b) => b.kind === 'text' && b.text === `*** ${label} ***`)) return doc;
  const idx = doc.blocks.findIndex((b) => b.kind === 'separator');
  const mark = text(`*** ${label} ***`, { align: 'center', bold: true });
  const blocks = [...doc.blocks];
  blocks.splice(idx < 0 ? 0 : idx + 1, 0, mark);
  return { title: `${doc.title} (${label})`, blocks };
}
