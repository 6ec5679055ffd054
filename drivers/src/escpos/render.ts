/** Renders decoded ESC/POS items as plain text and as an SVG image of the paper. */
import QRCode from 'qrcode';
import { code128Widths } from './code128';
import type { DecodedItem } from './decoder';
import { bitmapDataUri } from './bitmap';

/** Plain text as a human would read the paper; graphics as `[QR …]` / `[CODE128 …]` markers. */
export function itemsToText(items: readonly DecodedItem[], columns = 48): string {
  const out: string[] = [];
  for (const it of items) {
    switch (it.kind) {
      case 'text': {
        const w = Math.max(1, Math.floor(columns / it.width));
        const pad = Math.max(0, w - it.text.length);
        out.push(it.align === 'center' ? ' '.repeat(Math.floor(pad / 2)) + it.text : it.align === 'right' ? ' '.repeat(pad) + it.text : it.text);
        break;
      }
      case 'qr':
        out.push(`[QR ${it.data}]`);
        break;
      case 'barcode':
        out.push(`[${it.symbology} ${it.data}]`);
        break;
      case 'feed':
        for (let k = 0; k < it.lines; k++) out.push('');
        break;
      case 'cut':
        out.push(it.partial ? '- - - - - 8< - - - - -' : '========== 8< ==========');
        break;
      case 'raster':
        out.push(`[image ${it.widthDots}x${it.heightDots} ${it.source}${it.key !== undefined ? ` key ${it.key}` : ''}]`);
        break;
      default:
        break;
    }
  }
  return out.map((l) => l.replace(/\s+$/, '')).join('\n');
}

/** The text lines only, trimmed, for assertions. */
export function itemsToLines(items: readonly DecodedItem[]): string[] {
  return items.filter((i) => i.kind === 'text').map((i) => (i.kind === 'text' ? i.text : ''));
}

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface SvgOptions {
  readonly columns?: number;
  /** Dot width of one character at normal size (Font A: 12). */
  readonly charWidth?: number;
  readonly lineHeight?: number;
}

/** An SVG of the receipt: monospace text, QR from the `qrcode` matrix, CODE128 as bars, cuts dashed. */
export function itemsToSvg(items: readonly DecodedItem[], opts: SvgOptions = {}): string {
  const columns = opts.columns ?? 48;
  const cw = opts.charWidth ?? 12;
  const lh = opts.lineHeight ?? 24;
  const margin = 8;
  const width = columns * cw + margin * 2;
  const parts: string[] = [];
  let y = margin;
  for (const it of items) {
    switch (it.kind) {
      case 'text': {
        const h = lh * it.height;
        const textW = it.text.length * cw * it.width;
        const x = it.align === 'center' ? (width - textW) / 2 : it.align === 'right' ? width - margin - textW : margin;
        const fontSize = Math.round(cw * 1.65);
        const glyphs = it.userChars ?? {};
        // User-defined characters: the cell left blank in the text, the downloaded glyph drawn in it.
        const shown = [...it.text].map((ch, k) => (glyphs[k] ? ' ' : ch)).join('');
        parts.push(
          `<text x="0" y="0" transform="translate(${x} ${y + h - 6}) scale(${it.width} ${it.height})" font-family="monospace" font-size="${fontSize}"` +
            `${it.bold ? ' font-weight="bold"' : ''}${it.underline ? ' text-decoration="underline"' : ''} xml:space="preserve">${escapeXml(shown)}</text>`,
        );
        for (const [k, g] of Object.entries(glyphs)) {
          parts.push(
            `<image x="${x + Number(k) * cw * it.width}" y="${y}" width="${g.widthDots * it.width}" height="${g.heightDots * it.height}" preserveAspectRatio="none"` +
              ` style="image-rendering:pixelated" data-user-char="${escapeXml(it.text[Number(k)] ?? '')}" href="${bitmapDataUri(g)}"/>`,
          );
        }
        y += h;
        break;
      }
      case 'qr': {
        let size = 0;
        let rects = '';
        const mod = Math.max(2, it.moduleSize) * 2;
        try {
          const q = QRCode.create(it.data, { errorCorrectionLevel: it.ecc });
          size = q.modules.size;
          for (let r = 0; r < size; r++)
            for (let c = 0; c < size; c++) if (q.modules.get(r, c)) rects += `<rect x="${c * mod}" y="${r * mod}" width="${mod}" height="${mod}"/>`;
        } catch {
          rects = `<text x="0" y="12" font-size="12">QR error</text>`;
          size = 10;
        }
        const total = size * mod;
        const x = (width - total) / 2;
        parts.push(`<g transform="translate(${x} ${y + mod * 2})" fill="#000" data-qr="${escapeXml(it.data)}">${rects}</g>`);
        y += total + mod * 4;
        break;
      }
      case 'barcode': {
        if (it.symbology !== 'CODE128') {
          // 2-D symbols we do not draw: a labelled block with their data, as wide as the paper allows.
          const chars = Math.max(8, columns - 4);
          const chunks = it.data.match(new RegExp(`.{1,${chars}}`, 'gs')) ?? [''];
          const boxH = 28 + chunks.length * 16;
          const opts = it.pdf417 ? ` ${it.pdf417.columns || 'auto'} cols × ${it.pdf417.rows || 'auto'} rows, ${it.pdf417.errorCorrection}${it.pdf417.truncated ? ', truncated' : ''}` : '';
          parts.push(
            `<g transform="translate(${margin + cw} ${y + 4})" data-barcode="${escapeXml(it.data)}" data-symbology="${escapeXml(it.symbology)}">` +
              `<rect x="0" y="0" width="${width - 2 * margin - 2 * cw}" height="${boxH}" fill="none" stroke="#000" stroke-width="2"/>` +
              `<text x="8" y="18" font-family="monospace" font-size="14" font-weight="bold">${escapeXml(it.symbology + opts)}</text>` +
              chunks.map((c, k) => `<text x="8" y="${38 + k * 16}" font-family="monospace" font-size="13" xml:space="preserve">${escapeXml(c)}</text>`).join('') +
              `</g>`,
          );
          y += boxH + 12;
          break;
        }
        const widths = it.symbology === 'CODE128' ? code128Widths(it.data) : [];
        const mw = 2;
        const total = widths.reduce((s, w) => s + w * mw, 0);
        let x = (width - total) / 2;
        let rects = '';
        widths.forEach((w, k) => {
          if (k % 2 === 0) rects += `<rect x="${x}" y="0" width="${w * mw}" height="60"/>`;
          x += w * mw;
        });
        if (!widths.length) rects = `<text x="${width / 2}" y="30" text-anchor="middle" font-size="14">[${escapeXml(it.symbology)}]</text>`;
        parts.push(`<g transform="translate(0 ${y + 4})" fill="#000" data-barcode="${escapeXml(it.data)}">${rects}</g>`);
        y += 72;
        break;
      }
      case 'feed':
        y += lh * it.lines;
        break;
      case 'cut':
        parts.push(`<line x1="0" y1="${y + 6}" x2="${width}" y2="${y + 6}" stroke="#999" stroke-dasharray="6 4"/>`);
        y += 12;
        break;
      case 'raster': {
        // The picture dot for dot (one dot = one SVG unit, the paper is columns × charWidth dots wide).
        const paper = columns * cw;
        const x = margin + (it.align === 'center' ? Math.max(0, Math.floor((paper - it.widthDots) / 2)) : it.align === 'right' ? Math.max(0, paper - it.widthDots) : 0);
        const bm = { widthDots: it.widthDots, heightDots: it.heightDots, bits: it.data };
        parts.push(
          `<image x="${x}" y="${y}" width="${it.widthDots}" height="${it.heightDots}" preserveAspectRatio="none" style="image-rendering:pixelated"` +
            ` data-image-source="${escapeXml(it.source)}"${it.key !== undefined ? ` data-key="${escapeXml(it.key)}"` : ''} href="${bitmapDataUri(bm)}"/>`,
        );
        y += it.heightDots;
        break;
      }
      default:
        break;
    }
  }
  const height = y + margin;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<rect width="100%" height="100%" fill="#fff"/>${parts.join('')}</svg>`
  );
}

/** A QR code alone as SVG (black modules on white, 4-module quiet zone): the e-receipt link on a screen (issue 19). */
export function qrSvg(data: string, moduleSize = 6): string {
  const q = QRCode.create(data, { errorCorrectionLevel: 'M' });
  const size = q.modules.size;
  const quiet = 4;
  const total = (size + 2 * quiet) * moduleSize;
  let rects = '';
  for (let r = 0; r < size; r++)
    for (let c = 0; c < size; c++) if (q.modules.get(r, c)) rects += `<rect x="${(c + quiet) * moduleSize}" y="${(r + quiet) * moduleSize}" width="${moduleSize}" height="${moduleSize}"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${total}" height="${total}" viewBox="0 0 ${total} ${total}" shape-rendering="crispEdges"><rect width="${total}" height="${total}" fill="#fff"/><g fill="#000">${rects}</g></svg>`;
}
