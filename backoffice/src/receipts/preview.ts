/**
 * The live preview of a receipt design: a sample sale receipt with the design applied by the same function
 * the till uses, encoded by our ESC/POS encoder as a `GS ( L` printer would receive it (logo stored by key,
 * then printed by key), decoded by our decoder (the virtual printer's), drawn as the virtual printer draws
 * it, and rasterised to a PNG. What HQ sees is therefore what the till's bytes print, not a mock-up.
 *
 * The one place the back office uses drivers/: the encoder, decoder and renderer are pure (no I/O) and the
 * preview must be made by exactly them (eslint.config.js allows this file).
 */
import { Resvg } from '@resvg/resvg-js';
import { EscPosDecoder, PrinterMemory, type DecodedRaster } from '@tpv/drivers/escpos/decoder';
import { encodeReceiptJob } from '@tpv/drivers/escpos/encoder';
import { itemsToSvg, itemsToText } from '@tpv/drivers/escpos/render';
import { buildSaleReceipt, type ReceiptStore } from '@tpv/shared/receipt';
import { applyReceiptDesign, type ReceiptDesignData } from '@tpv/shared/receipts/design';

/** SVG margin of the virtual printer's picture (drivers/src/escpos/render.ts) and Font A's dot width. */
const MARGIN = 8;
const CHAR_DOTS = 12;

/** A sale of three lines, paid in cash: enough to see header, lines, taxes, QR and footer. */
export function sampleReceipt(store: ReceiptStore, issuedAt: string) {
  return buildSaleReceipt({
    kind: 'sale',
    store,
    fiscalNumber: 'M00101-26T/000001',
    issuedAt,
    cashier: 'Ana',
    terminal: 'Caja 1',
    // 2 × 1,50 + 2,95 + 0,80 = 6,75 € at 10 %: base round(675 × 100 / 110) = 614, cuota 61
    lines: [
      { description: 'Café con leche', quantity: { kind: 'units', units: 2 }, unitPrice: 150, gross: 300, total: 300 },
      { description: 'Bocadillo de jamón', quantity: { kind: 'units', units: 1 }, unitPrice: 295, gross: 295, total: 295 },
      { description: 'Agua mineral 50 cl', quantity: { kind: 'units', units: 1 }, unitPrice: 80, gross: 80, total: 80 },
    ],
    taxes: [{ kind: 'iva', rateBp: 1000, base: 614, cuota: 61 }],
    total: 675,
    payments: [{ label: 'Efectivo', amount: 1000 }],
    change: 325,
    footer: ['Gracias por su compra'],
  });
}

export interface Preview {
  png: string;
  width: number;
  height: number;
  text: string;
  logo: { left: number; top: number; widthDots: number; heightDots: number; source: string } | null;
  bytes: number;
  unknownCommands: number;
}

export function renderPreview(store: ReceiptStore, design: ReceiptDesignData, o: { columns: 32 | 48; day: string }): Preview {
  const doc = applyReceiptDesign(sampleReceipt(store, `${o.day}T10:15:00+01:00`), design, { columns: o.columns, today: o.day, purpose: 'sale' });
  const job = encodeReceiptJob(doc, { columns: o.columns, codePage: 'CP858', logo: { mode: 'gs_paren_l', storedLogoId: null } });
  const items = EscPosDecoder.decode(job.bytes, { defaultCodePage: 'CP858', memory: new PrinterMemory() });
  const svg = itemsToSvg(items, { columns: o.columns });
  const img = new Resvg(svg, { font: { loadSystemFonts: true }, background: 'white' }).render();
  const pic = items.find((i): i is DecodedRaster => i.kind === 'raster');
  const paper = o.columns * CHAR_DOTS;
  // The logo is the first thing printed: at the top margin, centred across the paper (render.ts).
  const logo = pic ? { left: MARGIN + Math.max(0, Math.floor((paper - pic.widthDots) / 2)), top: MARGIN, widthDots: pic.widthDots, heightDots: pic.heightDots, source: pic.source } : null;
  return {
    png: `data:image/png;base64,${img.asPng().toString('base64')}`,
    width: img.width,
    height: img.height,
    text: itemsToText(items, o.columns),
    logo,
    bytes: job.bytes.length,
    unknownCommands: items.filter((i) => i.kind === 'unknown').length,
  };
}
