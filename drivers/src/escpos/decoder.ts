/**
 * ESC/POS decoder: a streaming parser of printer bytes into a structured document.
 *
 * Two dialects: `epson` (ESC/POS as sent by our encoder and by node-thermal-printer's EPSON type) and `star`
 * (Star line mode as sent by node-thermal-printer's STAR type). It behaves like a printer: a command whose
 * parameters have not all arrived waits for the next chunk; bytes it does not know are recorded as
 * `unknown` items and skipped; it never throws on input.
 */
import { codePageFromNumber, decodeByte, EPSON_CODE_PAGE_LABEL, type CodePageName, type Dialect } from './codepage';
import { blankBitmap, columnsToBitmap, orInto, rasterToBitmap, scaleBitmap, stackBitmaps } from './bitmap';
import type { MonoBitmap } from './logo';

export type Align = 'left' | 'center' | 'right';

export interface DecodedText {
  readonly kind: 'text';
  readonly text: string;
  readonly align: Align;
  readonly bold: boolean;
  readonly underline: boolean;
  readonly invert: boolean;
  readonly width: number;
  readonly height: number;
  /** Characters printed with user-defined glyphs (`ESC &` + `ESC %`): index in `text` → glyph. */
  readonly userChars?: Readonly<Record<number, MonoBitmap>>;
}
export interface DecodedQr {
  readonly kind: 'qr';
  readonly data: string;
  readonly ecc: 'L' | 'M' | 'Q' | 'H';
  readonly model: number;
  readonly moduleSize: number;
}
/** PDF417 settings (`GS ( k` cn 48) in force when it was printed; 0 = automatic. */
export interface Pdf417Options {
  readonly columns: number;
  readonly rows: number;
  readonly moduleWidth: number;
  readonly rowHeight: number;
  /** `level 0..8` or `ratio n` (n tenths of the data codewords). */
  readonly errorCorrection: string;
  readonly truncated: boolean;
}
export interface DecodedBarcode {
  readonly kind: 'barcode';
  readonly symbology: string;
  readonly data: string;
  readonly pdf417?: Pdf417Options;
}
/** Where a picture came from. */
export type ImageSource = 'GS v 0' | 'GS ( L' | 'ESC *' | 'FS p' | 'GS /' | 'GS Q 0';
/** A picture on the paper: `data` rows of ceil(widthDots/8) bytes, MSB = leftmost dot, 1 = black. */
export interface DecodedRaster {
  readonly kind: 'raster';
  readonly widthDots: number;
  readonly heightDots: number;
  readonly data: Uint8Array;
  readonly source: ImageSource;
  readonly align: Align;
  /** Key of a stored graphic printed by key (`GS ( L` fn 69/85), or the NV bit image number (`FS p`). */
  readonly key?: string;
}
export interface DecodedUnknown {
  readonly kind: 'unknown';
  /** The first bytes (up to 16) in hex. */
  readonly hex: string;
  /** The command as the reference names it, e.g. `GS ( E` or `ESC 0xfe`. */
  readonly name?: string;
  /** Bytes skipped for it (the rest of the stream decodes from there). */
  readonly length?: number;
  readonly note?: string;
}

/**
 * What a printer keeps across jobs and connections: NV graphics (`GS ( L` fn 67/68), NV bit images
 * (`FS q`) and — until power-off — download graphics (fn 83/84) and the `GS *` image. The virtual printer
 * holds one for its lifetime so a logo stored in one job prints by key in the next.
 */
export class PrinterMemory {
  readonly nvGraphics = new Map<string, MonoBitmap>();
  readonly downloadGraphics = new Map<string, MonoBitmap>();
  nvBitImages: MonoBitmap[] = [];
  downloadedBitImage: MonoBitmap | null = null;
}
export interface DecodedPulse {
  readonly kind: 'pulse';
  /** Drawer connector pin: 2 (drawer 1) or 5 (drawer 2). */
  readonly pin: 2 | 5;
  /** Raw parameters as sent (ESC p: units of 2 ms). */
  readonly t1: number;
  readonly t2: number;
  readonly onMs: number;
  readonly offMs: number;
}
export type DecodedItem =
  | DecodedText
  | DecodedQr
  | DecodedBarcode
  | DecodedPulse
  | { readonly kind: 'cut'; readonly partial: boolean }
  | { readonly kind: 'feed'; readonly lines: number }
  | { readonly kind: 'init' }
  | { readonly kind: 'codePage'; readonly n: number; readonly name: CodePageName | undefined; readonly label?: string }
  | DecodedRaster
  | { readonly kind: 'status'; readonly command: 'DLE EOT' | 'GS r' | 'DLE ENQ'; readonly n: number }
  | DecodedUnknown;

interface Attrs {
  align: Align;
  bold: boolean;
  underline: boolean;
  invert: boolean;
  width: number;
  height: number;
}

const DEFAULT_ATTRS: Attrs = { align: 'left', bold: false, underline: false, invert: false, width: 1, height: 1 };
const ECC_BY_N: Record<number, DecodedQr['ecc']> = { 48: 'L', 49: 'M', 50: 'Q', 51: 'H', 0: 'L', 1: 'M', 2: 'Q', 3: 'H' };
const EPSON_BARCODES: Record<number, string> = {
  0: 'UPC-A', 1: 'UPC-E', 2: 'EAN13', 3: 'EAN8', 4: 'CODE39', 5: 'ITF', 6: 'CODABAR',
  65: 'UPC-A', 66: 'UPC-E', 67: 'EAN13', 68: 'EAN8', 69: 'CODE39', 70: 'ITF', 71: 'CODABAR', 72: 'CODE93', 73: 'CODE128',
};
const STAR_BARCODES: Record<number, string> = { 0: 'UPC-E', 1: 'UPC-A', 2: 'EAN8', 3: 'EAN13', 4: 'CODE39', 5: 'ITF', 6: 'CODE128', 7: 'CODE93', 8: 'CODABAR' };

const hex = (bytes: ArrayLike<number>): string => Array.from(bytes, (x) => x.toString(16).padStart(2, '0')).join(' ');
const hexHead = (bytes: Uint8Array): string => hex(bytes.subarray(0, 16));
const cmdChar = (c: number): string => (c > 0x20 && c < 0x7f ? String.fromCharCode(c) : `0x${c.toString(16).padStart(2, '0')}`);
const le16 = (d: ArrayLike<number>, k: number): number => (d[k] ?? 0) + (d[k + 1] ?? 0) * 256;
/** Size modes of GS v 0 / GS / / FS p: bit 0 double width, bit 1 double height (0..3 or 48..51). */
const sizeMode = (m: number): [number, number] => [m & 1 ? 2 : 1, m & 2 ? 2 : 1];
/** `ESC x`, `GS ( L`, … for the first bytes of a command. */
function commandName(b: Uint8Array): string {
  const lead: Record<number, string> = { 0x1b: 'ESC', 0x1d: 'GS', 0x1c: 'FS', 0x10: 'DLE' };
  const l = lead[b[0] ?? 0];
  if (!l) return `0x${(b[0] ?? 0).toString(16).padStart(2, '0')}`;
  if (b.length < 2) return l;
  const second = cmdChar(b[1] ?? 0);
  return (b[1] === 0x28 || b[1] === 0x38) && b.length > 2 ? `${l} ${second} ${cmdChar(b[2] ?? 0)}` : `${l} ${second}`;
}
const TWO_D_SYMBOLS: Record<number, string> = { 48: 'PDF417', 49: 'QR', 50: 'MAXICODE', 51: 'GS1 DATABAR 2D', 52: 'COMPOSITE', 53: 'AZTEC', 54: 'DATAMATRIX' };

/** CODE128 data as sent to GS k 73: `{A`/`{B`/`{C` code-set switches, `{{` = literal `{`, set C = digit pairs. */
export function decodeCode128Payload(bytes: Uint8Array): string {
  let set: 'A' | 'B' | 'C' = 'B';
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i] ?? 0;
    if (c === 0x7b && i + 1 < bytes.length) {
      const n = bytes[i + 1] ?? 0;
      if (n === 0x41 || n === 0x42 || n === 0x43) {
        set = String.fromCharCode(n) as 'A' | 'B' | 'C';
        i++;
        continue;
      }
      if (n === 0x7b) {
        out += '{';
        i++;
        continue;
      }
      i++; // FNC1..4, shift: no printable character
      continue;
    }
    out += set === 'C' ? String(c).padStart(2, '0') : String.fromCharCode(c);
  }
  return out;
}

type Step = { len: number } | null;

export interface DecoderOptions {
  readonly dialect?: Dialect;
  /** Code page at power-on / after ESC @ (default CP437, as the printers ship). */
  readonly defaultCodePage?: CodePageName;
  /** The printer's memory (stored graphics); a fresh one by default. */
  readonly memory?: PrinterMemory;
}

/**
 * Readers over one command that starts at `i`: `p(k)` is its k-th parameter byte (counting from `paramAt`),
 * `fixed(n, fn)` consumes an n-byte command — or answers null while the stream has not delivered it all.
 */
function commandReader(buf: Uint8Array, i: number, paramAt: number) {
  const have = buf.length - i;
  return {
    p: (k: number): number => buf[i + paramAt + k] ?? 0,
    fixed: (n: number, fn?: () => void): Step => {
      if (have < n) return null;
      fn?.();
      return { len: n };
    },
  };
}

export class EscPosDecoder {
  readonly dialect: Dialect;
  private readonly defaultCodePage: CodePageName;
  private pending: Uint8Array = new Uint8Array(0);
  private attrs: Attrs = { ...DEFAULT_ATTRS };
  private lineAttrs: Attrs | null = null;
  private lineText = '';
  private codePage: CodePageName | undefined;
  readonly memory: PrinterMemory;
  /** `GS ( L` fn 112/113 pictures waiting for fn 50. */
  private graphicsBuffer: MonoBitmap[] = [];
  private userChars = new Map<number, MonoBitmap>();
  private userCharsOn = false;
  private lineUserChars: Record<number, MonoBitmap> | null = null;
  /** The current line holds an `ESC *` band: its LF advances the paper by the band, not by an empty line. */
  private lineHasBitImage = false;
  private pdf417 = { columns: 0, rows: 0, moduleWidth: 3, rowHeight: 3, errorCorrection: 'ratio 1', truncated: false };
  private qr = { model: 2, moduleSize: 3, ecc: 'L' as DecodedQr['ecc'], data: '' };
  private starQrRawData = false;
  private starPulse = { n1: 20, n2: 20 };
  private out: DecodedItem[] = [];

  constructor(opts: DecoderOptions = {}) {
    this.dialect = opts.dialect ?? 'epson';
    this.defaultCodePage = opts.defaultCodePage ?? 'CP437';
    this.codePage = this.defaultCodePage;
    this.memory = opts.memory ?? new PrinterMemory();
  }

  /** Feeds bytes; returns the items completed by them (text lines complete on LF or before a graphic). */
  push(chunk: Uint8Array): DecodedItem[] {
    const buf = new Uint8Array(this.pending.length + chunk.length);
    buf.set(this.pending);
    buf.set(chunk, this.pending.length);
    let i = 0;
    while (i < buf.length) {
      let step: Step;
      try {
        step = this.step(buf, i);
      } catch (e) {
        this.emit({ kind: 'unknown', hex: hex(buf.subarray(i, i + 1)), note: `decoder error: ${String(e)}` });
        step = { len: 1 };
      }
      if (step === null) break;
      i += step.len;
    }
    this.pending = buf.slice(i);
    const items = this.out;
    this.out = [];
    return items;
  }

  /** End of stream: flushes the pending line and reports an incomplete trailing command. */
  end(): DecodedItem[] {
    if (this.pending.length)
      this.emit({ kind: 'unknown', hex: hexHead(this.pending), name: commandName(this.pending), length: this.pending.length, note: 'incomplete command at end of job' });
    this.pending = new Uint8Array(0);
    this.flushLine(false);
    const items = this.out;
    this.out = [];
    return items;
  }

  /** Decodes a whole job at once. */
  static decode(bytes: Uint8Array, opts: DecoderOptions = {}): DecodedItem[] {
    const d = new EscPosDecoder(opts);
    return [...d.push(bytes), ...d.end()];
  }

  private emit(item: DecodedItem): void {
    this.out.push(item);
  }

  private flushLine(force: boolean): void {
    if (!force && this.lineText === '') return;
    const a = this.lineAttrs ?? this.attrs;
    const base = { kind: 'text' as const, align: a.align, bold: a.bold, underline: a.underline, invert: a.invert, width: a.width, height: a.height };
    if (this.lineUserChars) this.emit({ ...base, text: this.lineText, userChars: this.lineUserChars });
    else this.emit({ ...base, text: /[\u0300-\u036f]/.test(this.lineText) ? this.lineText.normalize('NFC') : this.lineText });
    this.lineText = '';
    this.lineAttrs = null;
    this.lineUserChars = null;
  }

  private unknown(bytes: Uint8Array, name: string, note?: string): void {
    this.emit({ kind: 'unknown', hex: hexHead(bytes), name, length: bytes.length, ...(note ? { note } : {}) });
  }

  private image(bm: MonoBitmap, source: ImageSource, key?: string): void {
    this.flushLine(false);
    this.emit({ kind: 'raster', widthDots: bm.widthDots, heightDots: bm.heightDots, data: bm.bits, source, align: this.attrs.align, ...(key !== undefined ? { key } : {}) });
  }

  private addChar(ch: string): void {
    if (this.lineAttrs === null) this.lineAttrs = { ...this.attrs };
    else if (this.attrs.bold) this.lineAttrs.bold = true;
    this.lineText += ch;
  }

  private reset(): void {
    this.flushLine(false);
    this.attrs = { ...DEFAULT_ATTRS };
    this.codePage = this.defaultCodePage;
    this.starQrRawData = false;
    this.graphicsBuffer = [];
    this.userChars.clear();
    this.userCharsOn = false;
    this.emit({ kind: 'init' });
  }

  private setCodePage(n: number): void {
    const name = codePageFromNumber(n, this.dialect);
    // A page we cannot read still switches the printer: its upper half decodes as U+FFFD, not as the old page.
    this.codePage = name;
    const label = this.dialect === 'epson' && !name ? EPSON_CODE_PAGE_LABEL[n] : undefined;
    this.emit({ kind: 'codePage', n, name, ...(label ? { label } : {}) });
  }

  private step(buf: Uint8Array, i: number): Step {
    const c = buf[i] ?? 0;
    const have = buf.length - i;
    const at = (k: number): number => buf[i + k] ?? 0;

    if (this.dialect === 'star' && this.starQrRawData) {
      // node-thermal-printer's STAR printQR omits the `ESC GS y D 1 0` prefix before nL nH data.
      this.starQrRawData = false;
      if (c !== 0x1b) {
        if (have < 2) {
          this.starQrRawData = true;
          return null;
        }
        const len = at(0) + at(1) * 256;
        if (have < 2 + len) {
          this.starQrRawData = true;
          return null;
        }
        this.qr.data = this.bytesToText(buf.subarray(i + 2, i + 2 + len));
        this.emit({ kind: 'unknown', hex: hex(buf.subarray(i, i + 2)), note: 'star QR data without ESC GS y D 1 0 prefix (node-thermal-printer); accepted' });
        return { len: 2 + len };
      }
    }

    if (c >= 0x20 && c !== 0x7f) {
      const glyph = this.userCharsOn && c < 0x7f ? this.userChars.get(c) : undefined;
      if (glyph) (this.lineUserChars ??= {})[this.lineText.length] = glyph;
      this.addChar(decodeByte(c, this.codePage));
      return { len: 1 };
    }
    switch (c) {
      case 0x0a:
      {
        const bandOnly = this.lineHasBitImage && this.lineText === '';
        this.lineHasBitImage = false;
        if (!bandOnly) this.flushLine(true);
        return { len: 1 };
      }
      case 0x0d:
      case 0x00:
        return { len: 1 };
      case 0x09: {
        const n = 8 - (this.lineText.length % 8);
        for (let k = 0; k < n; k++) this.addChar(' ');
        return { len: 1 };
      }
      case 0x0c:
        this.flushLine(false);
        return { len: 1 };
      case 0x10:
        return this.dle(buf, i);
      case 0x1b:
        return this.dialect === 'star' ? this.starEsc(buf, i) : this.esc(buf, i);
      case 0x1d:
        return this.gs(buf, i);
      case 0x1c:
        if (this.dialect === 'epson') return this.fs(buf, i);
        break;
      case 0x18: // CAN (page mode only)
        return { len: 1 };
    }
    if (this.dialect === 'star') {
      switch (c) {
        case 0x0b:
          this.flushLine(false);
          this.emit({ kind: 'feed', lines: 1 });
          return { len: 1 };
        case 0x07:
          this.flushLine(false);
          this.emit({ kind: 'pulse', pin: 2, t1: this.starPulse.n1, t2: this.starPulse.n2, onMs: this.starPulse.n1 * 10, offMs: this.starPulse.n2 * 10 });
          return { len: 1 };
        case 0x1a:
          this.flushLine(false);
          this.emit({ kind: 'pulse', pin: 5, t1: this.starPulse.n1, t2: this.starPulse.n2, onMs: this.starPulse.n1 * 10, offMs: this.starPulse.n2 * 10 });
          return { len: 1 };
        case 0x0e:
          this.attrs.width = 2;
          return { len: 1 };
        case 0x14:
          this.attrs.width = 1;
          return { len: 1 };
        case 0x0f:
        case 0x12:
        case 0x1e:
          return { len: 1 };
      }
    }
    this.unknown(buf.subarray(i, i + 1), `control 0x${c.toString(16).padStart(2, '0')}`);
    return { len: 1 };
  }

  private dle(buf: Uint8Array, i: number): Step {
    const have = buf.length - i;
    if (have < 2) return null;
    const fn = buf[i + 1] ?? 0;
    if (fn === 0x04 || fn === 0x05) {
      if (have < 3) return null;
      if (fn === 0x04) this.emit({ kind: 'status', command: 'DLE EOT', n: buf[i + 2] ?? 0 });
      else this.emit({ kind: 'status', command: 'DLE ENQ', n: buf[i + 2] ?? 0 });
      return { len: 3 };
    }
    if (fn === 0x14) {
      if (have < 5) return null;
      const f = buf[i + 2] ?? 0;
      if (f === 1) {
        const m = buf[i + 3] ?? 0;
        const t = buf[i + 4] ?? 0;
        this.emit({ kind: 'pulse', pin: m === 1 ? 5 : 2, t1: t, t2: t, onMs: t * 100, offMs: t * 100 });
      } else this.unknown(buf.subarray(i, i + 5), `DLE DC4 fn ${f}`);
      return { len: 5 };
    }
    this.unknown(buf.subarray(i, i + 2), `DLE ${cmdChar(fn)}`, 'length unknown: 2 bytes skipped');
    return { len: 2 };
  }

  private esc(buf: Uint8Array, i: number): Step {
    const have = buf.length - i;
    if (have < 2) return null;
    const cmd = buf[i + 1] ?? 0;
    const { p, fixed } = commandReader(buf, i, 2);
    switch (cmd) {
      case 0x40: // ESC @
        this.reset();
        return { len: 2 };
      case 0x74: // ESC t n
        return fixed(3, () => this.setCodePage(p(0)));
      case 0x61: // ESC a n
        return fixed(3, () => {
          const n = p(0) % 48;
          this.attrs.align = n === 1 ? 'center' : n === 2 ? 'right' : 'left';
        });
      case 0x45: // ESC E n
      case 0x47: // ESC G n (double strike, shown as bold)
        return fixed(3, () => {
          this.attrs.bold = (p(0) & 1) === 1;
        });
      case 0x2d: // ESC - n
        return fixed(3, () => {
          this.attrs.underline = p(0) % 48 !== 0;
        });
      case 0x21: // ESC ! n
        return fixed(3, () => {
          const n = p(0);
          this.attrs.bold = (n & 0x08) !== 0;
          this.attrs.height = n & 0x10 ? 2 : 1;
          this.attrs.width = n & 0x20 ? 2 : 1;
          this.attrs.underline = (n & 0x80) !== 0;
        });
      case 0x64: // ESC d n — print and feed n lines
        return fixed(3, () => {
          this.flushLine(false);
          this.emit({ kind: 'feed', lines: p(0) });
        });
      case 0x70: // ESC p m t1 t2
        return fixed(5, () => {
          this.flushLine(false);
          const m = p(0) % 48;
          this.emit({ kind: 'pulse', pin: m === 1 ? 5 : 2, t1: p(1), t2: p(2), onMs: p(1) * 2, offMs: p(2) * 2 });
        });
      case 0x69: // ESC i / ESC m — cut (obsolete)
      case 0x6d:
        this.flushLine(false);
        this.emit({ kind: 'cut', partial: true });
        return { len: 2 };
      case 0x32: // ESC 2
      case 0x3c:
      case 0x4c:
      case 0x53:
      case 0x0c:
        return { len: 2 };
      case 0x42: // ESC B n t (beep on some models)
      case 0x24:
      case 0x5c:
        return fixed(4);
      case 0x63: // ESC c x n
        return fixed(4);
      case 0x4a:
      case 0x65:
        return fixed(3, () => this.flushLine(false));
      case 0x25: // ESC % n — user-defined character set on/off
        return fixed(3, () => {
          this.userCharsOn = (p(0) & 1) === 1;
        });
      case 0x3f: // ESC ? n — cancel one user-defined character
        return fixed(3, () => {
          this.userChars.delete(p(0));
        });
      case 0x26: // ESC & y c1 c2 [x d1…d(y×x)]… — define user-defined characters
        return this.defineUserChars(buf, i);
      case 0x57: // ESC W xL xH yL yH dxL dxH dyL dyH — page mode print area
        return fixed(10);
      case 0x4b: // ESC K n — print and reverse feed (some models)
        return fixed(3, () => this.flushLine(false));
      case 0x28: {
        // ESC ( x pL pH … (ESC ( A beeper, …)
        if (have < 5) return null;
        const len = 5 + p(1) + p(2) * 256;
        return fixed(len, () => this.unknown(buf.subarray(i, i + len), `ESC ( ${cmdChar(p(0))}`));
      }
      case 0x33:
      case 0x20:
      case 0x3d:
      case 0x4d:
      case 0x52:
      case 0x54:
      case 0x55:
      case 0x56:
      case 0x72:
      case 0x75:
      case 0x76:
      case 0x7b:
        return fixed(3);
      case 0x44: {
        // ESC D n1..nk NUL — tab positions
        const end = buf.indexOf(0, i + 2);
        if (end < 0) return have > 34 ? { len: 2 } : null;
        return { len: end - i + 1 };
      }
      case 0x2a: {
        // ESC * m nL nH d1..dk — bit image
        if (have < 5) return null;
        const m = p(0);
        const n = p(1) + p(2) * 256;
        const rows = m >= 32 ? 3 : 1;
        const len = 5 + n * rows;
        return fixed(len, () => {
          // One band: n columns of 8 or 24 dots, MSB at the top; single density (m = 0, 32) prints each column twice.
          const band = columnsToBitmap(buf.subarray(i + 5, i + len), n, rows * 8, rows);
          this.image(scaleBitmap(band, m === 0 || m === 32 ? 2 : 1, 1), 'ESC *');
          this.lineHasBitImage = true;
        });
      }
      default:
        this.unknown(buf.subarray(i, i + 2), `ESC ${cmdChar(cmd)}`, 'length unknown: 2 bytes skipped');
        return { len: 2 };
    }
  }

  /** ESC & y c1 c2 [x d1…d(y×x)]c1…[x d…]c2: glyphs x dots wide, y bytes (8y dots) tall, column format. */
  private defineUserChars(buf: Uint8Array, i: number): Step {
    const have = buf.length - i;
    if (have < 5) return null;
    const y = buf[i + 2] ?? 0;
    const c1 = buf[i + 3] ?? 0;
    const c2 = buf[i + 4] ?? 0;
    let o = i + 5;
    const glyphs: [number, MonoBitmap][] = [];
    for (let c = c1; c <= c2; c++) {
      if (o >= buf.length) return null;
      const x = buf[o] ?? 0;
      const k = x * y;
      if (o + 1 + k > buf.length) return null;
      glyphs.push([c, columnsToBitmap(buf.subarray(o + 1, o + 1 + k), x, y * 8, y)]);
      o += 1 + k;
    }
    if (y >= 1 && y <= 3 && c1 >= 32 && c2 <= 126 && c1 <= c2) for (const [c, g] of glyphs) this.userChars.set(c, g);
    else this.unknown(buf.subarray(i, o), 'ESC &', `parameters out of range (y ${y}, ${c1}..${c2}): nothing defined`);
    return { len: o - i };
  }

  /** FS commands (Kanji and NV bit images). */
  private fs(buf: Uint8Array, i: number): Step {
    const have = buf.length - i;
    if (have < 2) return null;
    const cmd = buf[i + 1] ?? 0;
    const { p, fixed } = commandReader(buf, i, 2);
    switch (cmd) {
      case 0x70: // FS p n m — print NV bit image n
        return fixed(4, () => {
          const bm = this.memory.nvBitImages[p(0) - 1];
          if (!bm) return this.unknown(buf.subarray(i, i + 4), 'FS p', `NV bit image ${p(0)} not defined: prints nothing`);
          const [sx, sy] = sizeMode(p(1));
          this.image(scaleBitmap(bm, sx, sy), 'FS p', String(p(0)));
        });
      case 0x71: {
        // FS q n [xL xH yL yH d1…dk]1…n — define NV bit images (replaces all); k = x × y × 8, column format
        if (have < 3) return null;
        const n = p(0);
        let o = i + 3;
        const images: MonoBitmap[] = [];
        for (let k = 0; k < n; k++) {
          if (o + 4 > buf.length) return null;
          const x = le16(buf, o);
          const y = le16(buf, o + 2);
          const size = x * y * 8;
          if (o + 4 + size > buf.length) return null;
          images.push(columnsToBitmap(buf.subarray(o + 4, o + 4 + size), x * 8, y * 8, y));
          o += 4 + size;
        }
        if (n > 0) this.memory.nvBitImages = images;
        return { len: o - i };
      }
      case 0x26: // FS & — Kanji mode on
      case 0x2e: // FS . — Kanji mode off
        return { len: 2 };
      case 0x21: // FS ! n
      case 0x2d: // FS - n
      case 0x57: // FS W n
      case 0x43: // FS C n
        return fixed(3);
      case 0x53: // FS S n1 n2
      case 0x3f: // FS ? c1 c2
        return fixed(4);
      case 0x32: // FS 2 c1 c2 d1…d72 — user-defined Kanji
        return fixed(76);
      case 0x67: {
        // FS g 1 m a1 a2 a3 a4 nL nH d… (write NV user memory) / FS g 2 m a1 a2 a3 a4 nL nH (read)
        if (have < 10) return null;
        const len = p(0) === 0x31 ? 10 + p(6) + p(7) * 256 : 10;
        return fixed(len);
      }
      case 0x28: {
        // FS ( x pL pH …
        if (have < 5) return null;
        const len = 5 + p(1) + p(2) * 256;
        return fixed(len, () => this.unknown(buf.subarray(i, i + len), `FS ( ${cmdChar(p(0))}`));
      }
      default:
        this.unknown(buf.subarray(i, i + 2), `FS ${cmdChar(cmd)}`, 'length unknown: 2 bytes skipped');
        return { len: 2 };
    }
  }

  private gs(buf: Uint8Array, i: number): Step {
    const have = buf.length - i;
    if (have < 2) return null;
    const cmd = buf[i + 1] ?? 0;
    const { p, fixed } = commandReader(buf, i, 2);
    switch (cmd) {
      case 0x21: // GS ! n
        return fixed(3, () => {
          this.attrs.width = ((p(0) >> 4) & 7) + 1;
          this.attrs.height = (p(0) & 7) + 1;
        });
      case 0x42: // GS B n
        return fixed(3, () => {
          this.attrs.invert = (p(0) & 1) === 1;
        });
      case 0x56: {
        // GS V m [n]
        if (have < 3) return null;
        const m = p(0);
        const len = m >= 65 ? 4 : 3;
        return fixed(len, () => {
          this.flushLine(false);
          this.emit({ kind: 'cut', partial: m % 2 === 1 || m === 66 });
        });
      }
      case 0x72: // GS r n
        return fixed(3, () => this.emit({ kind: 'status', command: 'GS r', n: p(0) }));
      case 0x48:
      case 0x66:
      case 0x68:
      case 0x77:
      case 0x7c:
      case 0x61:
      case 0x49:
      case 0x62:
      case 0x45:
      case 0x54: // GS T n
      case 0x6a: // GS j n
        return fixed(3);
      case 0x2f: // GS / m — print the downloaded bit image
        return fixed(3, () => {
          const bm = this.memory.downloadedBitImage;
          if (!bm) return this.unknown(buf.subarray(i, i + 3), 'GS /', 'no downloaded bit image: prints nothing');
          const [sx, sy] = sizeMode(p(0));
          this.image(scaleBitmap(bm, sx, sy), 'GS /');
        });
      case 0x2a: {
        // GS * x y d1…d(x×y×8) — define the downloaded bit image, column format, x×8 by y×8 dots
        if (have < 4) return null;
        const x = p(0);
        const y = p(1);
        const len = 4 + x * y * 8;
        return fixed(len, () => {
          if (x > 0 && y > 0) this.memory.downloadedBitImage = columnsToBitmap(buf.subarray(i + 4, i + len), x * 8, y * 8, y);
        });
      }
      case 0x5e: // GS ^ r t m — execute macro
      case 0x7a: // GS z 0 t1 t2 — online recovery wait
        return fixed(5);
      case 0x63: // GS c — print counter
        return { len: 2 };
      case 0x67: {
        // GS g 0 m nL nH (counter init) / GS g 2 m nL nH (counter transmit)
        if (have < 3) return null;
        return fixed(p(0) === 0x30 || p(0) === 0x32 ? 6 : 3);
      }
      case 0x51: {
        // GS Q 0 m xL xH yL yH d1…d(x×y) — variable vertical size bit image, raster layout
        if (have < 8) return null;
        const x = p(2) + p(3) * 256;
        const y = p(4) + p(5) * 256;
        const len = 8 + x * y;
        return fixed(len, () => {
          const [sx, sy] = sizeMode(p(1));
          this.image(scaleBitmap(rasterToBitmap(buf.subarray(i + 8, i + len), x * 8, y, x), sx, sy), 'GS Q 0');
        });
      }
      case 0x44: {
        if (have < 4) return null;
        // GS D pL pH m fn … — Windows BMP graphics (not pictured)
        const len = 4 + p(0) + p(1) * 256;
        return fixed(len, () => this.unknown(buf.subarray(i, i + len), 'GS D', 'Windows BMP graphics are not pictured'));
      }
      case 0x4c:
      case 0x57:
      case 0x50:
      case 0x24:
      case 0x5c:
        return fixed(4);
      case 0x3a:
        return { len: 2 };
      case 0x6b:
        return this.gsK(buf, i);
      case 0x28: {
        // GS ( x pL pH data
        if (have < 5) return null;
        const fn = p(0);
        const len = p(1) + p(2) * 256;
        if (have < 5 + len) return null;
        const data = buf.subarray(i + 5, i + 5 + len);
        this.gsParen(fn, data, buf.subarray(i, i + 5 + len));
        return { len: 5 + len };
      }
      case 0x76: {
        // GS v 0 m xL xH yL yH data — raster bit image, x bytes per row, y rows
        if (have < 8) return null;
        const x = p(2) + p(3) * 256;
        const y = p(4) + p(5) * 256;
        const len = 8 + x * y;
        return fixed(len, () => {
          const [sx, sy] = sizeMode(p(1));
          this.image(scaleBitmap({ widthDots: x * 8, heightDots: y, bits: buf.slice(i + 8, i + len) }, sx, sy), 'GS v 0');
        });
      }
      case 0x38: {
        // GS 8 L p1 p2 p3 p4 m fn … — GS ( L with a four-byte length
        if (have < 7) return null;
        const len = p(1) + p(2) * 256 + p(3) * 65536 + p(4) * 16777216;
        return fixed(7 + len, () => this.gsParen(p(0), buf.subarray(i + 7, i + 7 + len), buf.subarray(i, i + 7 + len)));
      }
      default:
        this.unknown(buf.subarray(i, i + 2), `GS ${cmdChar(cmd)}`, 'length unknown: 2 bytes skipped');
        return { len: 2 };
    }
  }

  private gsK(buf: Uint8Array, i: number): Step {
    const have = buf.length - i;
    if (have < 3) return null;
    const m = buf[i + 2] ?? 0;
    const symbology = EPSON_BARCODES[m] ?? `GS k ${m}`;
    if (m <= 6) {
      const end = buf.indexOf(0, i + 3);
      if (end < 0) return null;
      this.flushLine(false);
      this.emit({ kind: 'barcode', symbology, data: this.bytesToText(buf.subarray(i + 3, end)) });
      return { len: end - i + 1 };
    }
    if (have < 4) return null;
    const n = buf[i + 3] ?? 0;
    if (have < 4 + n) return null;
    const payload = buf.subarray(i + 4, i + 4 + n);
    this.flushLine(false);
    this.emit({ kind: 'barcode', symbology, data: m === 73 ? decodeCode128Payload(payload) : this.bytesToText(payload) });
    return { len: 4 + n };
  }

  private gsParen(fn: number, data: Uint8Array, whole: Uint8Array): void {
    if (fn === 0x4c) return this.graphics(data, whole);
    if (fn !== 0x6b) return this.unknown(whole, `GS ( ${cmdChar(fn)}`);
    const cn = data[0] ?? 0;
    const f = data[1] ?? 0;
    const a = data[2] ?? 0;
    if (cn === 49) {
      if (f === 65) this.qr.model = a - 48;
      else if (f === 67) this.qr.moduleSize = a;
      else if (f === 69) this.qr.ecc = ECC_BY_N[a] ?? 'L';
      else if (f === 80) this.qr.data = this.bytesToText(data.subarray(3));
      else if (f === 81) {
        this.flushLine(false);
        this.emit({ kind: 'qr', data: this.qr.data, ecc: this.qr.ecc, model: this.qr.model, moduleSize: this.qr.moduleSize });
      }
      return;
    }
    const symbology = TWO_D_SYMBOLS[cn];
    if (!symbology) return this.unknown(whole, `GS ( k cn ${cn}`);
    if (cn === 48) {
      if (f === 65) this.pdf417.columns = a;
      else if (f === 66) this.pdf417.rows = a;
      else if (f === 67) this.pdf417.moduleWidth = a;
      else if (f === 68) this.pdf417.rowHeight = a;
      else if (f === 69) this.pdf417.errorCorrection = a === 48 ? `level ${(data[3] ?? 48) - 48}` : `ratio ${data[3] ?? 1}`;
      else if (f === 70) this.pdf417.truncated = (a & 1) === 1;
    }
    if (f === 80) {
      this.symbolData = this.bytesToText(data.subarray(3));
      return;
    }
    if (f === 81) {
      this.flushLine(false);
      this.emit({ kind: 'barcode', symbology, data: this.symbolData, ...(cn === 48 ? { pdf417: { ...this.pdf417 } } : {}) });
    }
  }

  /** `GS ( L` / `GS 8 L` (m fn …): graphics in the print buffer, NV and download memories. */
  private graphics(data: Uint8Array, whole: Uint8Array): void {
    const f = data[1] ?? 0;
    const name = `GS ( L fn ${f}`;
    const key = (k: number): string => String.fromCharCode(data[k] ?? 0x20, data[k + 1] ?? 0x20);
    switch (f) {
      case 48: // capacities / key lists: answers to the host
      case 51:
      case 52:
      case 64:
      case 80:
      case 0:
      case 3:
      case 49: // reference dot density
      case 1:
        return;
      case 50: // print the graphics buffer
      case 2:
        if (this.graphicsBuffer.length) this.image(stackBitmaps(this.graphicsBuffer), 'GS ( L');
        this.graphicsBuffer = [];
        return;
      case 65: // delete all NV graphics ("CLR")
        this.memory.nvGraphics.clear();
        return;
      case 81: // delete all download graphics
        this.memory.downloadGraphics.clear();
        return;
      case 66:
        this.memory.nvGraphics.delete(key(2));
        return;
      case 82:
        this.memory.downloadGraphics.delete(key(2));
        return;
      case 67: // define NV graphics, raster / column
      case 68:
      case 83: // define download graphics, raster / column
      case 84: {
        // a kc1 kc2 b xL xH yL yH [c d1…dk]1…b
        const column = f === 68 || f === 84;
        const x = le16(data, 6);
        const y = le16(data, 8);
        const b = data[5] ?? 0;
        const k = column ? x * Math.ceil(y / 8) : Math.ceil(x / 8) * y;
        if (x < 1 || y < 1 || b < 1 || data.length < 10 + b * (1 + k)) return this.unknown(whole, name, `definition of ${x}×${y} dots, ${b} colour(s) is short or out of range: nothing stored`);
        const bm = blankBitmap(x, y);
        for (let c = 0; c < b; c++) {
          const plane = data.subarray(10 + c * (1 + k) + 1, 10 + (c + 1) * (1 + k));
          orInto(bm, column ? columnsToBitmap(plane, x, y) : rasterToBitmap(plane, x, y));
        }
        (f < 80 ? this.memory.nvGraphics : this.memory.downloadGraphics).set(key(3), bm);
        return;
      }
      case 69: // print NV / download graphics by key: kc1 kc2 x y
      case 85: {
        const k = key(2);
        const bm = (f === 69 ? this.memory.nvGraphics : this.memory.downloadGraphics).get(k);
        if (!bm) return this.unknown(whole, name, `key ${JSON.stringify(k)} not defined: prints nothing`);
        this.image(scaleBitmap(bm, (data[4] ?? 1) === 2 ? 2 : 1, (data[5] ?? 1) === 2 ? 2 : 1), 'GS ( L', k);
        return;
      }
      case 112: // store in the graphics buffer: a bx by c xL xH yL yH d…, raster / column
      case 113: {
        const x = le16(data, 6);
        const y = le16(data, 8);
        const k = f === 112 ? Math.ceil(x / 8) * y : x * Math.ceil(y / 8);
        if (x < 1 || y < 1 || data.length < 10 + k) return this.unknown(whole, name, `picture of ${x}×${y} dots is short: not stored`);
        const plane = data.subarray(10, 10 + k);
        const bm = f === 112 ? rasterToBitmap(plane, x, y) : columnsToBitmap(plane, x, y);
        this.graphicsBuffer.push(scaleBitmap(bm, data[3] === 2 ? 2 : 1, data[4] === 2 ? 2 : 1));
        return;
      }
      default:
        return this.unknown(whole, name);
    }
  }

  private symbolData = '';

  private bytesToText(bytes: Uint8Array): string {
    let s = '';
    for (const x of bytes) s += decodeByte(x, this.codePage);
    return s;
  }

  private starEsc(buf: Uint8Array, i: number): Step {
    const have = buf.length - i;
    if (have < 2) return null;
    const cmd = buf[i + 1] ?? 0;
    const { p, fixed } = commandReader(buf, i, 2);
    switch (cmd) {
      case 0x40:
        this.reset();
        return { len: 2 };
      case 0x45: // ESC E bold on
        this.attrs.bold = true;
        return { len: 2 };
      case 0x46: // ESC F bold off
        this.attrs.bold = false;
        return { len: 2 };
      case 0x34:
        this.attrs.invert = true;
        return { len: 2 };
      case 0x35:
        this.attrs.invert = false;
        return { len: 2 };
      case 0x2d:
        return fixed(3, () => {
          this.attrs.underline = p(0) % 48 !== 0;
        });
      case 0x69: // ESC i n1 n2 — height, width expansion
        return fixed(4, () => {
          this.attrs.height = (p(0) % 48) + 1;
          this.attrs.width = (p(1) % 48) + 1;
        });
      case 0x57:
        return fixed(3, () => {
          this.attrs.width = (p(0) % 48) + 1;
        });
      case 0x68:
        return fixed(3, () => {
          this.attrs.height = (p(0) % 48) + 1;
        });
      case 0x64: // ESC d n — cut (0/2 full, 1/3 partial)
        return fixed(3, () => {
          this.flushLine(false);
          this.emit({ kind: 'cut', partial: p(0) % 48 === 1 || p(0) % 48 === 3 });
        });
      case 0x61: // ESC a n — feed n lines
        return fixed(3, () => {
          this.flushLine(false);
          this.emit({ kind: 'feed', lines: p(0) });
        });
      case 0x07: // ESC BEL n1 n2 — drawer pulse widths
        return fixed(4, () => {
          this.starPulse = { n1: p(0), n2: p(1) };
        });
      case 0x70: // ESC p m t1 t2 (ESC/POS compatible)
        return fixed(5, () => {
          this.flushLine(false);
          this.emit({ kind: 'pulse', pin: p(0) % 48 === 1 ? 5 : 2, t1: p(1), t2: p(2), onMs: p(1) * 2, offMs: p(2) * 2 });
        });
      case 0x1e: // ESC RS x n
        return fixed(4);
      case 0x30:
      case 0x32:
      case 0x4d:
      case 0x50:
      case 0x3a:
        return { len: 2 };
      case 0x7a:
      case 0x52:
      case 0x4a:
      case 0x33:
      case 0x3d:
      case 0x3f:
        return fixed(3);
      case 0x6b: {
        // ESC k n1 n2 data(n1 × 24)
        if (have < 4) return null;
        const len = 4 + p(0) * 24;
        return fixed(len, () => this.emit({ kind: 'unknown', hex: hex(buf.subarray(i, i + 4)), note: 'star ESC k image skipped' }));
      }
      case 0x62: {
        // ESC b n1 n2 n3 n4 data RS
        if (have < 6) return null;
        const end = buf.indexOf(0x1e, i + 6);
        if (end < 0) return null;
        this.flushLine(false);
        const t = p(0) % 48;
        this.emit({ kind: 'barcode', symbology: STAR_BARCODES[t] ?? `ESC b ${t}`, data: this.bytesToText(buf.subarray(i + 6, end)) });
        return { len: end - i + 1 };
      }
      case 0x1d:
        return this.starEscGs(buf, i);
      default:
        this.unknown(buf.subarray(i, i + 2), `ESC ${cmdChar(cmd)}`, 'length unknown: 2 bytes skipped');
        return { len: 2 };
    }
  }

  private starEscGs(buf: Uint8Array, i: number): Step {
    const have = buf.length - i;
    if (have < 3) return null;
    const cmd = buf[i + 2] ?? 0;
    const { p, fixed } = commandReader(buf, i, 3);
    switch (cmd) {
      case 0x61: // ESC GS a n
        return fixed(4, () => {
          const n = p(0) % 48;
          this.attrs.align = n === 1 ? 'center' : n === 2 ? 'right' : 'left';
        });
      case 0x74: // ESC GS t n
        return fixed(4, () => this.setCodePage(p(0)));
      case 0x79:
      case 0x78: {
        // ESC GS y (QR) / ESC GS x (PDF417)
        if (have < 4) return null;
        const sub = p(0);
        const isQr = cmd === 0x79;
        if (sub === 0x53) {
          if (have < 5) return null;
          const which = p(1);
          const n = !isQr && which === 0x30 ? 8 : 6;
          return fixed(n, () => {
            if (!isQr) return;
            if (which === 0x30) this.qr.model = p(2);
            else if (which === 0x31) this.qr.ecc = ECC_BY_N[p(2)] ?? 'L';
            else if (which === 0x32) {
              this.qr.moduleSize = p(2);
              this.starQrRawData = true;
            }
          });
        }
        if (sub === 0x44) {
          // QR: ESC GS y D 1 m nL nH data ; PDF417: ESC GS x D nL nH data
          const head = isQr ? 8 : 6;
          if (have < head) return null;
          const len = isQr ? p(3) + p(4) * 256 : p(1) + p(2) * 256;
          return fixed(head + len, () => {
            const text = this.bytesToText(buf.subarray(i + head, i + head + len));
            if (isQr) this.qr.data = text;
            else this.symbolData = text;
            this.starQrRawData = false;
          });
        }
        if (sub === 0x50) {
          return fixed(4, () => {
            this.flushLine(false);
            if (isQr) this.emit({ kind: 'qr', data: this.qr.data, ecc: this.qr.ecc, model: this.qr.model, moduleSize: this.qr.moduleSize });
            else this.emit({ kind: 'barcode', symbology: 'PDF417', data: this.symbolData });
          });
        }
        this.unknown(buf.subarray(i, i + 4), `ESC GS ${cmdChar(cmd)} ${cmdChar(sub)}`);
        return { len: 4 };
      }
      default:
        this.unknown(buf.subarray(i, i + 3), `ESC GS ${cmdChar(cmd)}`, 'length unknown: 3 bytes skipped');
        return { len: 3 };
    }
  }
}
