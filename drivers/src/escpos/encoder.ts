/**
 * ESC/POS encoder (Epson TM command set), pure: every function returns the exact bytes.
 * `encodeReceipt` turns a `ReceiptDocument` into one print job, laid out by `@tpv/shared/receipt`.
 */
import { layoutBlock, type Align, type ReceiptDocument } from '@tpv/shared/receipt';
import { EPSON_CODE_PAGE_NUMBER, encodeText, type CodePageName } from './codepage';
import { printLogoCommand, type LogoMode, type MonoBitmap } from './logo';
import { fromBase64 } from './bitmap';
import type { LogoBlock } from '@tpv/shared/receipt';

export const ESC = 0x1b;
export const GS = 0x1d;
export const DLE = 0x10;
export const EOT = 0x04;
export const LF = 0x0a;

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const b = (...xs: number[]): Uint8Array => Uint8Array.from(xs);
const byte = (n: number, what: string): number => {
  if (!Number.isInteger(n) || n < 0 || n > 255) throw new RangeError(`${what} must be a byte, got ${n}`);
  return n;
};

/** ESC @ — initialise printer (clears modes, code page back to the default). */
export const init = (): Uint8Array => b(ESC, 0x40);
/** ESC t n — select character code table (Epson numbering). */
export const selectCodePage = (cp: CodePageName): Uint8Array => b(ESC, 0x74, EPSON_CODE_PAGE_NUMBER[cp]);
/** ESC a n — justification (takes effect at the start of a line). */
export const align = (a: Align): Uint8Array => b(ESC, 0x61, a === 'left' ? 0 : a === 'center' ? 1 : 2);
/** ESC E n — emphasised. */
export const bold = (on: boolean): Uint8Array => b(ESC, 0x45, on ? 1 : 0);
/** ESC - n — underline. */
export const underline = (on: boolean): Uint8Array => b(ESC, 0x2d, on ? 1 : 0);
/** GS ! n — character size, width and height multipliers 1..8. */
export const charSize = (width: number, height: number): Uint8Array => {
  if (width < 1 || width > 8 || height < 1 || height > 8) throw new RangeError('size multipliers are 1..8');
  return b(GS, 0x21, ((width - 1) << 4) | (height - 1));
};
/** Text in the given code page (no line feed). */
export const text = (s: string, cp: CodePageName = 'CP858'): Uint8Array => encodeText(s, cp);
/** Text followed by LF. */
export const line = (s: string, cp: CodePageName = 'CP858'): Uint8Array => concatBytes([encodeText(s, cp), b(LF)]);
/** ESC d n — print and feed n lines. */
export const feed = (lines: number): Uint8Array => b(ESC, 0x64, byte(lines, 'lines'));
/** GS V m — full (m = 0) or partial (m = 1) cut. */
export const cut = (partial = false): Uint8Array => b(GS, 0x56, partial ? 1 : 0);

/**
 * ESC p m t1 t2 — drawer kick pulse: pin 2 → m = 0, pin 5 → m = 1; on time t1 × 2 ms, off time t2 × 2 ms.
 * Default 50 ms on / 500 ms off → `1b 70 00 19 fa`.
 */
export function drawerPulse(pin: 2 | 5 = 2, onMs = 50, offMs = 500): Uint8Array {
  const t1 = byte(Math.round(onMs / 2), 'on time / 2 ms');
  const t2 = byte(Math.max(t1, Math.round(offMs / 2)), 'off time / 2 ms');
  return b(ESC, 0x70, pin === 2 ? 0 : 1, t1, t2);
}

export const QR_ECC = { L: 48, M: 49, Q: 50, H: 51 } as const;

/** GS ( k — QR code: model 2, module size, error correction, store data, print. `data` should be ASCII. */
export function qr(data: string, opts: { ecc?: keyof typeof QR_ECC; moduleSize?: number } = {}): Uint8Array {
  const bytes = encodeText(data, 'CP858');
  const len = bytes.length + 3;
  if (len > 7092) throw new RangeError('QR data too long');
  return concatBytes([
    b(GS, 0x28, 0x6b, 4, 0, 49, 65, 50, 0),
    b(GS, 0x28, 0x6b, 3, 0, 49, 67, byte(opts.moduleSize ?? 4, 'module size')),
    b(GS, 0x28, 0x6b, 3, 0, 49, 69, QR_ECC[opts.ecc ?? 'M']),
    b(GS, 0x28, 0x6b, len & 0xff, len >> 8, 49, 80, 48),
    bytes,
    b(GS, 0x28, 0x6b, 3, 0, 49, 81, 48),
  ]);
}

/** GS H / GS h / GS w / GS k 73 — CODE128 in code set B (`{B` prefix), HRI below. ASCII 32..126 only. */
export function code128(data: string, opts: { height?: number; moduleWidth?: number; hri?: boolean } = {}): Uint8Array {
  if (!/^[\x20-\x7e]*$/.test(data)) throw new RangeError('CODE128 set B takes ASCII 32..126');
  const payload = data.replace(/\{/g, '{{');
  return concatBytes([
    b(GS, 0x48, opts.hri === false ? 0 : 2),
    b(GS, 0x68, byte(opts.height ?? 60, 'height')),
    b(GS, 0x77, byte(opts.moduleWidth ?? 2, 'module width')),
    b(GS, 0x6b, 73, byte(payload.length + 2, 'length'), 0x7b, 0x42),
    encodeText(payload, 'CP437'),
  ]);
}

/** GS v 0 — raster bit image; `bits` rows of ceil(width/8) bytes, MSB = leftmost, 1 = black. */
export function raster(widthDots: number, heightDots: number, bits: Uint8Array): Uint8Array {
  const xBytes = Math.ceil(widthDots / 8);
  if (bits.length !== xBytes * heightDots) throw new RangeError('raster size mismatch');
  return concatBytes([b(GS, 0x76, 0x30, 0, xBytes & 0xff, xBytes >> 8, heightDots & 0xff, heightDots >> 8), bits]);
}

/** DLE EOT n — real-time status: 1 printer, 2 offline cause, 3 error cause, 4 paper roll sensor. */
export const statusRequest = (n: 1 | 2 | 3 | 4): Uint8Array => b(DLE, EOT, n);

export interface EncodeOptions {
  readonly columns: number;
  readonly codePage?: CodePageName;
  /** Emit ESC @ first (default true). */
  readonly init?: boolean;
  /**
   * How this printer prints logo blocks (its profile): `gs_paren_l` keeps the logo in NV memory by key,
   * `raster` sends `GS v 0` each time (the default: needs nothing of the printer). `storedLogoId` is the
   * logo the printer already holds under the block's key (the caller remembers it per printer).
   */
  readonly logo?: { readonly mode: LogoMode; readonly storedLogoId?: string | null };
}

/** The dots of a logo block. */
export function logoBitmapOf(block: LogoBlock): MonoBitmap {
  return { widthDots: block.widthDots, heightDots: block.heightDots, bits: fromBase64(block.bits) };
}

/** The bytes of a logo block, centred, and which logo the printer holds after them (null: none known). */
export function encodeLogo(block: LogoBlock, logo: EncodeOptions['logo']): { bytes: Uint8Array; storedLogoId: string | null } {
  const mode = logo?.mode ?? 'raster';
  const held = logo?.storedLogoId ?? null;
  const cmd = printLogoCommand(logoBitmapOf(block), mode, block.key, held === block.logoId);
  return { bytes: concatBytes([align('center'), cmd.bytes, align('left')]), storedLogoId: cmd.stored ? block.logoId : held };
}

/** The job for a document and which logo the printer holds afterwards (to remember for the next job). */
export function encodeReceiptJob(doc: ReceiptDocument, opts: EncodeOptions): { bytes: Uint8Array; storedLogoId: string | null } {
  let held = opts.logo?.storedLogoId ?? null;
  const bytes = encodeReceiptWith(doc, opts, (block) => {
    const r = encodeLogo(block, opts.logo ? { mode: opts.logo.mode, storedLogoId: held } : undefined);
    held = r.storedLogoId;
    return r.bytes;
  });
  return { bytes, storedLogoId: held };
}

/** One print job for a whole document. */
export function encodeReceipt(doc: ReceiptDocument, opts: EncodeOptions): Uint8Array {
  return encodeReceiptJob(doc, opts).bytes;
}

function encodeReceiptWith(doc: ReceiptDocument, opts: EncodeOptions, logo: (block: LogoBlock) => Uint8Array): Uint8Array {
  const cp = opts.codePage ?? 'CP858';
  const out: Uint8Array[] = [];
  if (opts.init ?? true) out.push(init());
  out.push(selectCodePage(cp));
  for (const block of doc.blocks) {
    const lines = layoutBlock(block, opts.columns);
    if (lines) {
      for (const l of lines) {
        out.push(align(l.align), bold(l.bold), charSize(l.width, l.height), line(l.text, cp));
      }
      continue;
    }
    switch (block.kind) {
      case 'qr':
        out.push(align('center'), qr(block.data, { ecc: block.ecc, moduleSize: block.moduleSize ?? 4 }), align('left'));
        break;
      case 'barcode':
        out.push(align('center'), code128(block.data, { height: block.height ?? 60 }), align('left'));
        break;
      case 'logo':
        out.push(logo(block));
        break;
      case 'feed':
        out.push(feed(block.lines));
        break;
      case 'cut':
        out.push(cut(block.partial ?? false));
        break;
      default:
        break;
    }
  }
  return concatBytes(out);
}
