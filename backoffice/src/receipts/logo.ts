/**
 * An uploaded logo (PNG or SVG) → the one-bit pictures a thermal printer prints, for both paper widths
 * (58 mm = 384 dots, 80 mm = 576 dots). Both formats are drawn by resvg (a PNG wrapped in an SVG `<image>`),
 * scaled to fit the paper across and at most MAX_LOGO_HEIGHT dots down, over white (transparency), then
 * turned to grey (Rec. 601 luma) and dithered with Floyd–Steinberg error diffusion: photos and gradients
 * keep their tones as dot density, flat black stays solid. The id is a hash of the dots, so it changes
 * exactly when the printed picture changes (the tills re-store the printer's copy then).
 */
import { createHash } from 'node:crypto';
import { Resvg } from '@resvg/resvg-js';
import { MAX_LOGO_HEIGHT, type DesignLogo, type LogoBitmap } from '@tpv/shared/receipts/design';
import type { LogoUpload } from '@tpv/shared/wire/http/receipts';

export class LogoProblem extends Error {}

/** Width and height from a PNG's IHDR (bytes 16..23), or null when it is not a PNG. */
export function pngSize(png: Buffer): { width: number; height: number } | null {
  if (png.length < 24 || png.readUInt32BE(0) !== 0x89504e47 || png.subarray(12, 16).toString('latin1') !== 'IHDR') return null;
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** RGBA pixels of the upload drawn `width` dots wide (height by its aspect ratio). */
function draw(upload: { kind: 'png'; data: Buffer; size: { width: number; height: number } } | { kind: 'svg'; svg: string }, width: number): { width: number; height: number; rgba: Buffer } {
  const svg =
    upload.kind === 'svg'
      ? upload.svg
      : `<svg xmlns="http://www.w3.org/2000/svg" width="${upload.size.width}" height="${upload.size.height}"><image width="${upload.size.width}" height="${upload.size.height}" href="data:image/png;base64,${upload.data.toString('base64')}"/></svg>`;
  const img = new Resvg(svg, { fitTo: { mode: 'width', value: width }, background: 'white', font: { loadSystemFonts: false } }).render();
  return { width: img.width, height: img.height, rgba: img.pixels };
}

/** Grey (0 black … 255 white) → dots with Floyd–Steinberg; rows of ceil(w/8) bytes, MSB left, 1 = black. */
export function ditherToBits(grey: Float32Array, width: number, height: number): Uint8Array {
  const rb = Math.ceil(width / 8);
  const bits = new Uint8Array(rb * height);
  const g = Float32Array.from(grey);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const old = g[i]!;
      const black = old < 128;
      if (black) bits[y * rb + (x >> 3)]! |= 0x80 >> (x & 7);
      const err = old - (black ? 0 : 255);
      // 7/16 right, 3/16 down-left, 5/16 down, 1/16 down-right
      if (x + 1 < width) g[i + 1]! += (err * 7) / 16;
      if (y + 1 < height) {
        if (x > 0) g[i + width - 1]! += (err * 3) / 16;
        g[i + width]! += (err * 5) / 16;
        if (x + 1 < width) g[i + width + 1]! += err / 16;
      }
    }
  return bits;
}

function toBitmap(rgba: Buffer, width: number, height: number): LogoBitmap {
  const grey = new Float32Array(width * height);
  for (let i = 0; i < width * height; i++) {
    const a = rgba[i * 4 + 3]! / 255;
    // Over white: transparent parts print nothing.
    const luma = 0.299 * rgba[i * 4]! + 0.587 * rgba[i * 4 + 1]! + 0.114 * rgba[i * 4 + 2]!;
    grey[i] = luma * a + 255 * (1 - a);
  }
  return { widthDots: width, heightDots: height, bits: Buffer.from(ditherToBits(grey, width, height)).toString('base64') };
}

/** The logo for one paper width: as wide as the paper unless that makes it taller than allowed. */
function forPaper(upload: Parameters<typeof draw>[0], paper: number): LogoBitmap {
  let pic = draw(upload, paper);
  if (pic.height > MAX_LOGO_HEIGHT) pic = draw(upload, Math.max(8, Math.floor((paper * MAX_LOGO_HEIGHT) / pic.height)));
  const height = Math.min(pic.height, MAX_LOGO_HEIGHT);
  return toBitmap(pic.rgba, pic.width, height);
}

/** The upload dithered to 384 and 576 dots; `LogoProblem` for a file that is not the PNG or SVG it says. */
export function ditherLogo(upload: LogoUpload): DesignLogo {
  const data = Buffer.from(upload.dataBase64, 'base64');
  let source: Parameters<typeof draw>[0];
  if (upload.contentType === 'image/png') {
    const size = pngSize(data);
    if (!size || size.width < 1 || size.height < 1 || size.width > 8000 || size.height > 8000) throw new LogoProblem('No es un PNG válido / not a valid PNG');
    source = { kind: 'png', data, size };
  } else {
    const svg = data.toString('utf8');
    if (!/<svg[\s>]/i.test(svg)) throw new LogoProblem('No es un SVG / not an SVG');
    source = { kind: 'svg', svg };
  }
  let p384: LogoBitmap;
  let p576: LogoBitmap;
  try {
    p384 = forPaper(source, 384);
    p576 = forPaper(source, 576);
  } catch (e) {
    throw new LogoProblem(`No se puede dibujar el logo / the logo cannot be drawn: ${(e as Error).message}`.slice(0, 300));
  }
  const id = createHash('sha256').update(p384.bits).update(p576.bits).update(`${p576.widthDots}x${p576.heightDots}`).digest('hex').slice(0, 16);
  return { id, p384, p576 };
}
