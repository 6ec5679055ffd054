import { describe, expect, it } from 'vitest';
import { Resvg } from '@resvg/resvg-js';
import { PNG } from 'pngjs';
import { buildSaleReceipt, documentLines } from '@tpv/shared/receipt';
import {
  EscPosDecoder,
  PrinterMemory,
  bitImageColumnsCommand,
  bitmapToPng,
  concatBytes,
  cut,
  deleteStoredLogoCommand,
  encodeReceipt,
  getDot,
  init,
  itemsToLines,
  itemsToSvg,
  itemsToText,
  printBufferedGraphicCommand,
  printDownloadGraphicCommand,
  printLogoCommand,
  printStoredLogoCommand,
  storeDownloadGraphicCommand,
  storeLogoColumnCommand,
  storeLogoCommand,
  type DecodedItem,
  type DecodedRaster,
  type MonoBitmap,
} from '../../src/escpos';
import { sale } from '../fixtures/receipts';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').replace(/(..)(?!$)/g, '$1 ');

/**
 * 10 × 3 dots, rows of 2 bytes (MSB = leftmost):
 *   row 0  ██████████   ff c0
 *   row 1  █........█   80 40
 *   row 2  █.█.█.█.█.   aa 80
 */
const tiny: MonoBitmap = { widthDots: 10, heightDots: 3, bits: Uint8Array.of(0xff, 0xc0, 0x80, 0x40, 0xaa, 0x80) };

describe('logo commands, byte for byte (ESC/POS reference: GS ( L, GS 8 L, GS v 0, ESC *)', () => {
  it('stores in NV graphics (fn 67, raster): p = 11 + ceil(10/8) × 3 = 17', () => {
    expect(hex(storeLogoCommand(tiny, 'LG'))).toBe(
      // GS ( L  pL pH  m  fn a  kc1 kc2 b  xL xH yL yH c  d1..d6
      '1d 28 4c 11 00 30 43 30 4c 47 01 0a 00 03 00 31 ff c0 80 40 aa 80',
    );
  });

  it('prints by key (fn 69) at normal and double size, and deletes a key (fn 66)', () => {
    expect(hex(printStoredLogoCommand('LG'))).toBe('1d 28 4c 06 00 30 45 4c 47 01 01');
    expect(hex(printStoredLogoCommand('LG', { x: 2, y: 2 }))).toBe('1d 28 4c 06 00 30 45 4c 47 02 02');
    expect(hex(deleteStoredLogoCommand('LG'))).toBe('1d 28 4c 04 00 30 42 4c 47');
  });

  it('column format (fn 68): per column ceil(3/8) = 1 byte, top dot = MSB', () => {
    // columns 0..9: x0 rows 0,1,2 → e0; x1 row 0 → 80; x2 rows 0,2 → a0; … x8 rows 0,2 → a0; x9 rows 0,1 → c0
    expect(hex(storeLogoColumnCommand(tiny, 'LG'))).toBe(
      '1d 28 4c 15 00 30 44 30 4c 47 01 0a 00 03 00 31 e0 80 a0 80 a0 80 a0 80 a0 c0',
    );
  });

  it('download graphics (fn 83 store, fn 85 print) and the print buffer (fn 112 then fn 50)', () => {
    expect(hex(storeDownloadGraphicCommand(tiny, 'DL'))).toBe('1d 28 4c 11 00 30 53 30 44 4c 01 0a 00 03 00 31 ff c0 80 40 aa 80');
    expect(hex(printDownloadGraphicCommand('DL'))).toBe('1d 28 4c 06 00 30 55 44 4c 01 01');
    // fn 112: m fn a bx by c xL xH yL yH = 10 bytes + 6 data = 16
    expect(hex(printBufferedGraphicCommand(tiny))).toBe('1d 28 4c 10 00 30 70 30 01 01 31 0a 00 03 00 ff c0 80 40 aa 80 1d 28 4c 02 00 30 32');
  });

  it('a definition over 65535 bytes goes as GS 8 L with a four-byte length', () => {
    const big: MonoBitmap = { widthDots: 2048, heightDots: 300, bits: new Uint8Array(256 * 300) };
    const bytes = storeLogoCommand(big, 'LG');
    // p = 11 + 256 × 300 = 76811 = 0x00012c0b
    expect(hex(bytes.subarray(0, 12))).toBe('1d 38 4c 0b 2c 01 00 30 43 30 4c 47');
    expect(bytes.length).toBe(7 + 76811);
  });

  it('printLogoCommand: gs_paren_l stores once then prints by key; raster sends GS v 0 every time', () => {
    const first = printLogoCommand(tiny, 'gs_paren_l', 'LG', false);
    expect(hex(first.bytes)).toBe(`${hex(storeLogoCommand(tiny, 'LG'))} 1d 28 4c 06 00 30 45 4c 47 01 01`);
    expect(first.stored).toBe(true);
    const next = printLogoCommand(tiny, 'gs_paren_l', 'LG', true);
    expect(hex(next.bytes)).toBe('1d 28 4c 06 00 30 45 4c 47 01 01');
    expect(next.stored).toBe(true);
    // GS v 0 m xL xH (bytes per row) yL yH
    const r = printLogoCommand(tiny, 'raster', 'LG', false);
    expect(hex(r.bytes)).toBe('1d 76 30 00 02 00 03 00 ff c0 80 40 aa 80');
    expect(r.stored).toBe(false);
    expect(printLogoCommand(tiny, 'raster', 'LG', true).stored).toBe(true);
  });

  it('ESC * 33: line spacing 24, one band of 3 bytes per column, LF, default spacing', () => {
    const cols = ['e0', '80', 'a0', '80', 'a0', '80', 'a0', '80', 'a0', 'c0'].map((c) => `${c} 00 00`).join(' ');
    expect(hex(bitImageColumnsCommand(tiny))).toBe(`1b 33 18 1b 2a 21 0a 00 ${cols} 0a 1b 32`);
  });

  it('rejects bad keys and sizes', () => {
    for (const key of ['L', 'LGX', 'Ñ1', 'L\n']) expect(() => storeLogoCommand(tiny, key)).toThrow(RangeError);
    expect(() => storeLogoCommand({ widthDots: 10, heightDots: 3, bits: new Uint8Array(5) }, 'LG')).toThrow(RangeError);
    expect(() => storeLogoCommand({ widthDots: 0, heightDots: 0, bits: new Uint8Array(0) }, 'LG')).toThrow(RangeError);
  });
});

/** A logo as HQ's dithering would make it: a ring, a bar, a dithered (checkerboard) patch; 300 dots wide. */
function makeLogo(w = 300, h = 90): MonoBitmap {
  const rb = Math.ceil(w / 8);
  const bits = new Uint8Array(rb * h);
  const set = (x: number, y: number): void => {
    bits[y * rb + (x >> 3)] = (bits[y * rb + (x >> 3)] ?? 0) | (0x80 >> (x & 7));
  };
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const r = Math.hypot(x - 45, y - 45);
      const ring = r > 30 && r < 40;
      const bar = x > 100 && x < 290 && y > 20 && y < 34;
      const dither = x > 100 && x < 290 && y > 50 && y < 80 && (x + y) % 2 === 0;
      if (ring || bar || dither) set(x, y);
    }
  return { widthDots: w, heightDots: h, bits };
}

/** Renders the receipt SVG to pixels (resvg) and reads back the dots of the picture at (left, top). */
function pictureFromSvg(svg: string, raster: DecodedRaster, left: number, top: number): MonoBitmap {
  const png = PNG.sync.read(Buffer.from(new Resvg(svg, { font: { loadSystemFonts: false } }).render().asPng()));
  const rb = Math.ceil(raster.widthDots / 8);
  const out: MonoBitmap = { widthDots: raster.widthDots, heightDots: raster.heightDots, bits: new Uint8Array(rb * raster.heightDots) };
  for (let y = 0; y < raster.heightDots; y++)
    for (let x = 0; x < raster.widthDots; x++) {
      const o = ((top + y) * png.width + left + x) * 4;
      if ((png.data[o] ?? 255) < 128) out.bits[y * rb + (x >> 3)] = (out.bits[y * rb + (x >> 3)] ?? 0) | (0x80 >> (x & 7));
    }
  return out;
}

const sameDots = (a: MonoBitmap, b: MonoBitmap, w: number, h: number): string[] => {
  const diff: string[] = [];
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (getDot(a, x, y) !== getDot(b, x, y)) diff.push(`${x},${y}`);
  return diff;
};

describe('a logo receipt of ours decodes back to the same picture and text', () => {
  const logo = makeLogo();
  const doc = buildSaleReceipt(sale);
  const expectedLines = documentLines(doc, 48).map((l) => l.text);
  const job = (logoBytes: Uint8Array): Uint8Array =>
    concatBytes([init(), Uint8Array.of(0x1b, 0x61, 1), logoBytes, Uint8Array.of(0x1b, 0x61, 0), encodeReceipt(doc, { columns: 48, init: false })]);

  for (const mode of ['gs_paren_l', 'raster'] as const) {
    it(`${mode}: first and second receipt on the same printer`, () => {
      const memory = new PrinterMemory();
      let stored = false;
      for (const round of [1, 2]) {
        const cmd = printLogoCommand(logo, mode, 'LG', stored);
        stored = cmd.stored;
        // A new connection per receipt, like the till; the printer's memory outlives it.
        const items: DecodedItem[] = EscPosDecoder.decode(job(cmd.bytes), { memory });
        expect(items.filter((i) => i.kind === 'unknown')).toEqual([]);
        expect(itemsToLines(items).filter((l) => l !== '')).toEqual(expectedLines);
        const pics = items.filter((i): i is DecodedRaster => i.kind === 'raster');
        expect(pics).toHaveLength(1);
        const pic = pics[0] as DecodedRaster;
        expect(pic).toMatchObject({ source: mode === 'raster' ? 'GS v 0' : 'GS ( L', align: 'center', heightDots: 90 });
        if (mode === 'gs_paren_l') expect(pic).toMatchObject({ key: 'LG', widthDots: 300 });
        else expect(pic.widthDots).toBe(304); // GS v 0 counts whole bytes: 38 × 8
        if (mode === 'gs_paren_l') expect(cmd.bytes.length).toBe(round === 1 ? 16 + 38 * 90 + 11 : 11);
        const decoded = { widthDots: pic.widthDots, heightDots: pic.heightDots, bits: pic.data };
        expect(sameDots(decoded, logo, pic.widthDots, 90)).toEqual([]);

        // The picture: centred on 576 dots of paper inside the 8-dot margin, pixel for pixel.
        const svg = itemsToSvg(items, { columns: 48 });
        const left = 8 + Math.floor((576 - pic.widthDots) / 2);
        expect(sameDots(pictureFromSvg(svg, pic, left, 8), logo, pic.widthDots, 90)).toEqual([]);
        expect(itemsToText(items, 48)).toContain(mode === 'raster' ? '[image 304x90 GS v 0]' : '[image 300x90 GS ( L key LG]');
      }
      expect(memory.nvGraphics.has('LG')).toBe(mode === 'gs_paren_l');
    });
  }

  it('printing a key the printer does not hold prints nothing and says so', () => {
    const items = EscPosDecoder.decode(concatBytes([printStoredLogoCommand('ZZ'), cut()]));
    expect(items.filter((i) => i.kind === 'raster')).toEqual([]);
    expect(items).toContainEqual(expect.objectContaining({ kind: 'unknown', name: 'GS ( L fn 69', length: 11, note: expect.stringContaining('"ZZ" not defined') }));
  });

  it('the PNG inside the picture is a valid 1-bit image of the logo', () => {
    const png = PNG.sync.read(Buffer.from(bitmapToPng(logo)));
    expect([png.width, png.height]).toEqual([300, 90]);
    let diff = 0;
    for (let y = 0; y < 90; y++) for (let x = 0; x < 300; x++) if (((png.data[(y * 300 + x) * 4] ?? 255) < 128) !== getDot(logo, x, y)) diff++;
    expect(diff).toBe(0);
  });
});
