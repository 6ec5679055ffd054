/**
 * Logos and other pictures in ESC/POS (Epson TM command set), pure: every function returns the exact bytes.
 *
 * Two ways to print a receipt's logo, chosen by the printer profile (`LogoMode`):
 * - `gs_paren_l`: `GS ( L` graphics. The logo is defined once in the printer's NV graphics memory under a
 *   two-character key (function 67), and every receipt prints it by key (function 69) — a few bytes per
 *   receipt instead of the whole picture. Re-stored when the design changes (NV memory is flash: store
 *   when the design changes, not on every receipt).
 * - `raster`: `GS v 0` with the picture on every receipt, for printers without `GS ( L`.
 *
 * Also here, for completeness and for the decoder's tests: the column-format definition (function 68),
 * the download (volatile) graphics memory (functions 83/84/85), the graphics print buffer (functions
 * 112/113 then 50), deleting a key (66), and `ESC *` 24-dot column bit images.
 * Layouts follow Epson's ESC/POS command reference (GS ( L / GS 8 L, GS v 0, ESC *).
 */
import { concatBytes, raster } from './encoder';

/** Rows of ceil(widthDots/8) bytes, MSB = leftmost dot, 1 = black. */
export interface MonoBitmap {
  widthDots: number;
  heightDots: number;
  bits: Uint8Array;
}
export type LogoMode = 'gs_paren_l' | 'raster';

const GS = 0x1d;
const ESC = 0x1b;
/** `GS ( L` / `GS 8 L` m = 48 */
const M = 0x30;
/** a = 48: monochrome (digital) */
const MONO = 0x30;
/** c = 49: first colour (black) */
const COLOUR_1 = 0x31;

const rowBytes = (widthDots: number): number => Math.ceil(widthDots / 8);

function checkBitmap(bm: MonoBitmap, maxW = 8192, maxH = 2304): void {
  if (!Number.isInteger(bm.widthDots) || bm.widthDots < 1 || bm.widthDots > maxW) throw new RangeError(`logo width must be 1..${maxW} dots, got ${bm.widthDots}`);
  if (!Number.isInteger(bm.heightDots) || bm.heightDots < 1 || bm.heightDots > maxH) throw new RangeError(`logo height must be 1..${maxH} dots, got ${bm.heightDots}`);
  if (bm.bits.length !== rowBytes(bm.widthDots) * bm.heightDots)
    throw new RangeError(`logo bits must be ${rowBytes(bm.widthDots)} × ${bm.heightDots} bytes, got ${bm.bits.length}`);
}

/** The key of a stored graphic: two printable ASCII characters (32..126), e.g. `"LG"`. */
export function logoKeyBytes(key: string): [number, number] {
  if (key.length !== 2 || !/^[\x20-\x7e]{2}$/.test(key)) throw new RangeError(`graphics key must be 2 printable ASCII characters, got ${JSON.stringify(key)}`);
  return [key.charCodeAt(0), key.charCodeAt(1)];
}

/**
 * `GS ( L pL pH m fn …` when the parameters fit in 65535 bytes, else `GS 8 L p1 p2 p3 p4 m fn …`.
 * `params` start at `fn` (m = 48 is added).
 */
function graphicsCommand(fn: number, params: readonly Uint8Array[]): Uint8Array {
  const body = concatBytes([Uint8Array.of(M, fn), ...params]);
  const n = body.length;
  if (n <= 0xffff) return concatBytes([Uint8Array.of(GS, 0x28, 0x4c, n & 0xff, n >> 8), body]);
  return concatBytes([Uint8Array.of(GS, 0x38, 0x4c, n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff), body]);
}

const le16 = (n: number): [number, number] => [n & 0xff, (n >> 8) & 0xff];

/** Raster rows → column format: for each column, ceil(h/8) bytes top to bottom, MSB = top dot. */
export function rasterToColumns(bm: MonoBitmap): Uint8Array {
  const rb = rowBytes(bm.widthDots);
  const colBytes = Math.ceil(bm.heightDots / 8);
  const out = new Uint8Array(bm.widthDots * colBytes);
  for (let x = 0; x < bm.widthDots; x++)
    for (let y = 0; y < bm.heightDots; y++)
      if (((bm.bits[y * rb + (x >> 3)] ?? 0) >> (7 - (x & 7))) & 1) {
        const o = x * colBytes + (y >> 3);
        out[o] = (out[o] ?? 0) | (0x80 >> (y & 7));
      }
  return out;
}

/** A key-defined graphic (`fn` 67/68 NV, 83/84 download): `a kc1 kc2 b xL xH yL yH c d1…dk`. */
function defineByKey(fn: number, bm: MonoBitmap, key: string, column: boolean): Uint8Array {
  checkBitmap(bm, column ? 8192 : 8192, column ? 2048 : 2304);
  const [k1, k2] = logoKeyBytes(key);
  const data = column ? rasterToColumns(bm) : bm.bits;
  return graphicsCommand(fn, [Uint8Array.of(MONO, k1, k2, 1, ...le16(bm.widthDots), ...le16(bm.heightDots), COLOUR_1), data]);
}

/**
 * Defines the logo in the printer's NV graphics memory under `key` — `GS ( L` function 67, raster format:
 * `1D 28 4C pL pH 30 43 30 kc1 kc2 01 xL xH yL yH 31 d1…dk`, p = 11 + k, k = ceil(x/8) × y.
 */
export function storeLogoCommand(bitmap: MonoBitmap, key: string): Uint8Array {
  return defineByKey(0x43, bitmap, key, false);
}

/** The same definition in column format — `GS ( L` function 68 (k = x × ceil(y/8)). */
export function storeLogoColumnCommand(bitmap: MonoBitmap, key: string): Uint8Array {
  return defineByKey(0x44, bitmap, key, true);
}

/** Prints the NV graphic `key` at normal size — `GS ( L` function 69: `1D 28 4C 06 00 30 45 kc1 kc2 01 01`. */
export function printStoredLogoCommand(key: string, scale: { x?: 1 | 2; y?: 1 | 2 } = {}): Uint8Array {
  const [k1, k2] = logoKeyBytes(key);
  return graphicsCommand(0x45, [Uint8Array.of(k1, k2, scale.x ?? 1, scale.y ?? 1)]);
}

/** Deletes the NV graphic `key` — `GS ( L` function 66: `1D 28 4C 04 00 30 42 kc1 kc2`. */
export function deleteStoredLogoCommand(key: string): Uint8Array {
  return graphicsCommand(0x42, [Uint8Array.of(...logoKeyBytes(key))]);
}

/** Defines a download (RAM, lost at power-off) graphic — `GS ( L` function 83 raster / 84 column. */
export function storeDownloadGraphicCommand(bitmap: MonoBitmap, key: string, format: 'raster' | 'column' = 'raster'): Uint8Array {
  return defineByKey(format === 'raster' ? 0x53 : 0x54, bitmap, key, format === 'column');
}

/** Prints the download graphic `key` — `GS ( L` function 85: `1D 28 4C 06 00 30 55 kc1 kc2 01 01`. */
export function printDownloadGraphicCommand(key: string, scale: { x?: 1 | 2; y?: 1 | 2 } = {}): Uint8Array {
  const [k1, k2] = logoKeyBytes(key);
  return graphicsCommand(0x55, [Uint8Array.of(k1, k2, scale.x ?? 1, scale.y ?? 1)]);
}

/**
 * Puts a picture in the graphics print buffer — `GS ( L` function 112 (raster) / 113 (column):
 * `30 70 30 bx by 31 xL xH yL yH d1…dk` — then prints it with function 50 (`1D 28 4C 02 00 30 32`).
 */
export function printBufferedGraphicCommand(bitmap: MonoBitmap, format: 'raster' | 'column' = 'raster'): Uint8Array {
  checkBitmap(bitmap, format === 'raster' ? 2400 : 2400, format === 'raster' ? 2400 : 2400);
  const data = format === 'raster' ? bitmap.bits : rasterToColumns(bitmap);
  const fn = format === 'raster' ? 0x70 : 0x71;
  return concatBytes([
    graphicsCommand(fn, [Uint8Array.of(MONO, 1, 1, COLOUR_1, ...le16(bitmap.widthDots), ...le16(bitmap.heightDots)), data]),
    graphicsCommand(0x32, []),
  ]);
}

/**
 * The picture as `ESC *` 24-dot double-density bands (m = 33), the oldest way: `ESC 3 24` (line spacing =
 * band height, so the bands join), per band `ESC * 33 nL nH` + 3 bytes per column + `LF`, then `ESC 2`.
 */
export function bitImageColumnsCommand(bitmap: MonoBitmap): Uint8Array {
  checkBitmap(bitmap, 2400, 4800);
  const rb = rowBytes(bitmap.widthDots);
  const parts: Uint8Array[] = [Uint8Array.of(ESC, 0x33, 24)];
  for (let top = 0; top < bitmap.heightDots; top += 24) {
    const band = new Uint8Array(bitmap.widthDots * 3);
    for (let x = 0; x < bitmap.widthDots; x++)
      for (let dy = 0; dy < 24 && top + dy < bitmap.heightDots; dy++)
        if (((bitmap.bits[(top + dy) * rb + (x >> 3)] ?? 0) >> (7 - (x & 7))) & 1) {
          const o = x * 3 + (dy >> 3);
          band[o] = (band[o] ?? 0) | (0x80 >> (dy & 7));
        }
    parts.push(Uint8Array.of(ESC, 0x2a, 33, ...le16(bitmap.widthDots)), band, Uint8Array.of(0x0a));
  }
  parts.push(Uint8Array.of(ESC, 0x32));
  return concatBytes(parts);
}

/**
 * The bytes that print the logo on a receipt.
 * - `gs_paren_l`: the NV definition (unless `alreadyStored`) followed by print-by-key.
 * - `raster`: `GS v 0` with the whole picture, every time.
 * `stored` says whether the printer holds this logo under `key` after these bytes: true for
 * `gs_paren_l`; for `raster` it is `alreadyStored` unchanged (nothing was stored or forgotten). The caller
 * keeps it per printer and passes it back, and passes false after a design change.
 */
export function printLogoCommand(bitmap: MonoBitmap, mode: LogoMode, key: string, alreadyStored: boolean): { bytes: Uint8Array; stored: boolean } {
  if (mode === 'raster') {
    checkBitmap(bitmap, 255 * 8, 2303);
    return { bytes: raster(bitmap.widthDots, bitmap.heightDots, bitmap.bits), stored: alreadyStored };
  }
  const print = printStoredLogoCommand(key);
  return { bytes: alreadyStored ? print : concatBytes([storeLogoCommand(bitmap, key), print]), stored: true };
}
