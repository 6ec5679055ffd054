/**
 * One-bit pictures as printers hold them (`MonoBitmap`: rows of ceil(w/8) bytes, MSB = leftmost dot,
 * 1 = black) and the conversions the decoder and the picture need. Pure and browser-safe (no Buffer, no
 * zlib): the PNG is written with stored deflate blocks.
 */
import type { MonoBitmap } from './logo';

const rowBytes = (w: number): number => Math.ceil(w / 8);

export function blankBitmap(widthDots: number, heightDots: number): MonoBitmap {
  return { widthDots, heightDots, bits: new Uint8Array(rowBytes(widthDots) * heightDots) };
}

export function getDot(bm: MonoBitmap, x: number, y: number): boolean {
  if (x < 0 || y < 0 || x >= bm.widthDots || y >= bm.heightDots) return false;
  return (((bm.bits[y * rowBytes(bm.widthDots) + (x >> 3)] ?? 0) >> (7 - (x & 7))) & 1) === 1;
}

export function setDot(bm: MonoBitmap, x: number, y: number): void {
  if (x < 0 || y < 0 || x >= bm.widthDots || y >= bm.heightDots) return;
  const i = y * rowBytes(bm.widthDots) + (x >> 3);
  bm.bits[i] = (bm.bits[i] ?? 0) | (0x80 >> (x & 7));
}

/** Column format (each column `colBytes` bytes top to bottom, MSB = top dot) → bitmap. */
export function columnsToBitmap(data: Uint8Array, widthDots: number, heightDots: number, colBytes = Math.ceil(heightDots / 8)): MonoBitmap {
  const bm = blankBitmap(widthDots, heightDots);
  for (let x = 0; x < widthDots; x++)
    for (let y = 0; y < heightDots; y++) if ((((data[x * colBytes + (y >> 3)] ?? 0) >> (7 - (y & 7))) & 1) === 1) setDot(bm, x, y);
  return bm;
}

/** Raster rows (`bytesPerRow` bytes each) → bitmap `widthDots` wide (extra dots of the last byte dropped). */
export function rasterToBitmap(data: Uint8Array, widthDots: number, heightDots: number, bytesPerRow = rowBytes(widthDots)): MonoBitmap {
  const rb = rowBytes(widthDots);
  if (rb === bytesPerRow && (widthDots & 7) === 0) return { widthDots, heightDots, bits: data.slice(0, rb * heightDots) };
  const bm = blankBitmap(widthDots, heightDots);
  for (let y = 0; y < heightDots; y++)
    for (let x = 0; x < widthDots; x++) if ((((data[y * bytesPerRow + (x >> 3)] ?? 0) >> (7 - (x & 7))) & 1) === 1) setDot(bm, x, y);
  return bm;
}

/** Dots repeated `sx` times across and `sy` times down (double width / height modes). */
export function scaleBitmap(bm: MonoBitmap, sx: number, sy: number): MonoBitmap {
  if (sx === 1 && sy === 1) return bm;
  const out = blankBitmap(bm.widthDots * sx, bm.heightDots * sy);
  for (let y = 0; y < out.heightDots; y++) for (let x = 0; x < out.widthDots; x++) if (getDot(bm, Math.floor(x / sx), Math.floor(y / sy))) setDot(out, x, y);
  return out;
}

/** Pictures under each other, left-aligned, as wide as the widest. */
export function stackBitmaps(list: readonly MonoBitmap[]): MonoBitmap {
  if (list.length === 1 && list[0]) return list[0];
  const w = Math.max(1, ...list.map((b) => b.widthDots));
  const out = blankBitmap(w, list.reduce((s, b) => s + b.heightDots, 0));
  let top = 0;
  for (const b of list) {
    for (let y = 0; y < b.heightDots; y++) for (let x = 0; x < b.widthDots; x++) if (getDot(b, x, y)) setDot(out, x, top + y);
    top += b.heightDots;
  }
  return out;
}

/** Black dots of `b` added to `a` (same size): the colour planes of one graphic drawn in one picture. */
export function orInto(a: MonoBitmap, b: MonoBitmap): void {
  for (let i = 0; i < a.bits.length; i++) a.bits[i] = (a.bits[i] ?? 0) | (b.bits[i] ?? 0);
}

export function bitmapsEqual(a: MonoBitmap, b: MonoBitmap): boolean {
  if (a.widthDots !== b.widthDots || a.heightDots !== b.heightDots) return false;
  for (let y = 0; y < a.heightDots; y++) for (let x = 0; x < a.widthDots; x++) if (getDot(a, x, y) !== getDot(b, x, y)) return false;
  return true;
}

let crcTable: Uint32Array | null = null;
function crc32(bytes: Uint8Array, start: number, end: number): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = (crcTable[(c ^ (bytes[i] ?? 0)) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A 1-bit greyscale PNG of the bitmap (black dots black, the rest white). */
export function bitmapToPng(bm: MonoBitmap): Uint8Array {
  const rb = rowBytes(bm.widthDots);
  // Scanlines: filter byte 0, then the row inverted (PNG greyscale 1-bit: 0 = black).
  const raw = new Uint8Array((rb + 1) * bm.heightDots);
  for (let y = 0; y < bm.heightDots; y++) for (let x = 0; x < rb; x++) raw[y * (rb + 1) + 1 + x] = ~(bm.bits[y * rb + x] ?? 0) & 0xff;
  // zlib stream with stored blocks.
  const blocks = Math.max(1, Math.ceil(raw.length / 65535));
  const z = new Uint8Array(2 + raw.length + blocks * 5 + 4);
  z[0] = 0x78;
  z[1] = 0x01;
  let o = 2;
  for (let k = 0; k < blocks; k++) {
    const part = raw.subarray(k * 65535, Math.min(raw.length, (k + 1) * 65535));
    z[o++] = k === blocks - 1 ? 1 : 0;
    z[o++] = part.length & 0xff;
    z[o++] = part.length >> 8;
    z[o++] = ~part.length & 0xff;
    z[o++] = (~part.length >> 8) & 0xff;
    z.set(part, o);
    o += part.length;
  }
  let s1 = 1;
  let s2 = 0;
  for (const v of raw) {
    s1 = (s1 + v) % 65521;
    s2 = (s2 + s1) % 65521;
  }
  const adler = ((s2 << 16) | s1) >>> 0;
  z.set([adler >>> 24, (adler >>> 16) & 0xff, (adler >>> 8) & 0xff, adler & 0xff], o);
  const chunk = (type: string, data: Uint8Array): Uint8Array => {
    const c = new Uint8Array(12 + data.length);
    const n = data.length;
    c.set([n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff], 0);
    for (let i = 0; i < 4; i++) c[4 + i] = type.charCodeAt(i);
    c.set(data, 8);
    const crc = crc32(c, 4, 8 + n);
    c.set([crc >>> 24, (crc >>> 16) & 0xff, (crc >>> 8) & 0xff, crc & 0xff], 8 + n);
    return c;
  };
  const w = bm.widthDots;
  const h = bm.heightDots;
  const ihdr = Uint8Array.of(w >>> 24, (w >>> 16) & 0xff, (w >>> 8) & 0xff, w & 0xff, h >>> 24, (h >>> 16) & 0xff, (h >>> 8) & 0xff, h & 0xff, 1, 0, 0, 0, 0);
  const parts = [Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), chunk('IHDR', ihdr), chunk('IDAT', z), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let p = 0;
  for (const part of parts) {
    out.set(part, p);
    p += part.length;
  }
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
export function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] ?? 0;
    const b = bytes[i + 1] ?? 0;
    const c = bytes[i + 2] ?? 0;
    s += (B64[a >> 2] ?? '') + (B64[((a & 3) << 4) | (b >> 4)] ?? '');
    s += i + 1 < bytes.length ? (B64[((b & 15) << 2) | (c >> 6)] ?? '') : '=';
    s += i + 2 < bytes.length ? (B64[c & 63] ?? '') : '=';
  }
  return s;
}

/** base64 → bytes (the logo blocks of a receipt document carry their dots so). */
export function fromBase64(s: string): Uint8Array {
  const clean = s.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let o = 0;
  for (let i = 0; i < clean.length; i += 4) {
    const v = [0, 1, 2, 3].map((k) => (i + k < clean.length ? B64.indexOf(clean[i + k]!) : 0));
    if (v.some((x) => x < 0)) throw new RangeError('not base64');
    const n = (v[0]! << 18) | (v[1]! << 12) | (v[2]! << 6) | v[3]!;
    if (o < out.length) out[o++] = (n >> 16) & 0xff;
    if (o < out.length) out[o++] = (n >> 8) & 0xff;
    if (o < out.length) out[o++] = n & 0xff;
  }
  return out;
}

export const bitmapDataUri = (bm: MonoBitmap): string => `data:image/png;base64,${base64(bitmapToPng(bm))}`;
