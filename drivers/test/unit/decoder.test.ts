import { describe, expect, it } from 'vitest';
import QRCode from 'qrcode';
import { PNG } from 'pngjs';
import jsQR from 'jsqr';
import { buildCashReport, buildSaleReceipt, documentLines, type ReceiptDocument } from '@tpv/shared/receipt';
import { EscPosDecoder, encodeReceipt, itemsToLines, itemsToSvg, itemsToText, decodeCode128Payload, code128Widths, CODE128_PATTERNS, type DecodedItem } from '../../src/escpos';
import { ThermalPrinterAdapter } from '../../src/adapters/thermal-printer';
import { ret, sale, SALE_QR_URL, xReport, zReport } from '../fixtures/receipts';

const docs: [string, ReceiptDocument][] = [
  ['sale', buildSaleReceipt(sale)],
  ['return', buildSaleReceipt(ret)],
  ['X', buildCashReport(xReport)],
  ['Z', buildCashReport(zReport)],
];

function expectFaithful(items: DecodedItem[], doc: ReceiptDocument, columns: number): void {
  const lines = itemsToLines(items).filter((l) => l !== '');
  const expected = documentLines(doc, columns).map((l) => l.text);
  expect(lines).toEqual(expected);
  const qrs = items.filter((i) => i.kind === 'qr');
  const docQr = doc.blocks.filter((b) => b.kind === 'qr');
  expect(qrs.map((q) => (q.kind === 'qr' ? [q.data, q.ecc] : []))).toEqual(docQr.map((q) => (q.kind === 'qr' ? [q.data, 'M'] : [])));
  const bars = items.filter((i) => i.kind === 'barcode').map((i) => (i.kind === 'barcode' ? `${i.symbology}:${i.data}` : ''));
  expect(bars).toEqual(doc.blocks.filter((b) => b.kind === 'barcode').map((b) => (b.kind === 'barcode' ? `CODE128:${b.data}` : '')));
  expect(items.filter((i) => i.kind === 'cut')).toHaveLength(1);
}

describe('decoder on our encoder', () => {
  it.each(docs)('%s receipt round-trips at 48 and 32 columns', (_n, doc) => {
    for (const columns of [48, 32]) {
      const items = EscPosDecoder.decode(encodeReceipt(doc, { columns }));
      expectFaithful(items, doc, columns);
      expect(items.filter((i) => i.kind === 'unknown')).toEqual([]);
    }
  });

  it('keeps text attributes and code page', () => {
    const items = EscPosDecoder.decode(encodeReceipt(buildSaleReceipt(sale), { columns: 48 }));
    const first = items.find((i) => i.kind === 'text');
    expect(first).toMatchObject({ text: 'Ultramarinos Peña', align: 'center', bold: true, width: 2, height: 2 });
    expect(items).toContainEqual({ kind: 'codePage', n: 19, name: 'CP858' });
    const total = items.find((i) => i.kind === 'text' && i.text.startsWith('TOTAL'));
    expect(total).toMatchObject({ bold: true, height: 2, width: 1 });
  });

  it('gives the same result however the stream is chunked', () => {
    const bytes = encodeReceipt(buildSaleReceipt(sale), { columns: 32 });
    const whole = EscPosDecoder.decode(bytes);
    for (const size of [1, 2, 3, 7, 64]) {
      const d = new EscPosDecoder();
      const items: DecodedItem[] = [];
      for (let i = 0; i < bytes.length; i += size) items.push(...d.push(bytes.subarray(i, i + size)));
      items.push(...d.end());
      expect(items).toEqual(whole);
    }
  });

  it('never throws on garbage and records unknown commands', () => {
    let seed = 42;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 256);
    for (let k = 0; k < 50; k++) {
      const junk = Uint8Array.from({ length: 500 }, rnd);
      expect(() => EscPosDecoder.decode(junk)).not.toThrow();
      expect(() => EscPosDecoder.decode(junk, { dialect: 'star' })).not.toThrow();
    }
    const items = EscPosDecoder.decode(Uint8Array.of(0x1b, 0xfe, 0x41, 0x0a, 0x1d, 0x28, 0x6b));
    expect(items[0]).toMatchObject({ kind: 'unknown', hex: '1b fe' });
    expect(items[1]).toMatchObject({ kind: 'text', text: 'A' });
    expect(items[2]).toMatchObject({ kind: 'unknown', note: 'incomplete command at end of job' });
  });

  it('reads drawer pulses, status requests and CODE128 code sets', () => {
    const items = EscPosDecoder.decode(Uint8Array.of(0x1b, 0x70, 0x00, 0x19, 0xfa, 0x10, 0x04, 0x01, 0x10, 0x14, 0x01, 0x01, 0x02));
    expect(items).toEqual([
      { kind: 'pulse', pin: 2, t1: 25, t2: 250, onMs: 50, offMs: 500 },
      { kind: 'status', command: 'DLE EOT', n: 1 },
      { kind: 'pulse', pin: 5, t1: 2, t2: 2, onMs: 200, offMs: 200 },
    ]);
    expect(decodeCode128Payload(Uint8Array.of(0x7b, 0x42, 0x41, 0x7b, 0x43, 12, 34, 0x7b, 0x7b))).toBe('A1234{');
  });
});

describe('decoder on node-thermal-printer output', () => {
  for (const type of ['epson', 'star'] as const) {
    it.each(docs)(`${type}: %s receipt decodes to the same lines, QR and barcode`, (_n, doc) => {
      const adapter = new ThermalPrinterAdapter({ type, connection: 'tcp://127.0.0.1:9', columns: 48 });
      const items = EscPosDecoder.decode(adapter.render(doc), { dialect: type });
      expectFaithful(items, doc, 48);
    });
  }

  it("STAR: node-thermal-printer's own printQR (no ESC GS y D prefix) still decodes, flagged", () => {
    const adapter = new ThermalPrinterAdapter({ type: 'star', connection: 'tcp://127.0.0.1:9', columns: 48 });
    const tp = adapter.createPrinter();
    tp.printQR(SALE_QR_URL, { cellSize: 4, model: 2 });
    const items = EscPosDecoder.decode(tp.getBuffer(), { dialect: 'star' });
    expect(items).toContainEqual({ kind: 'qr', data: SALE_QR_URL, ecc: 'M', model: 2, moduleSize: 4 });
    expect(items.some((i) => i.kind === 'unknown' && /without ESC GS y D/.test(i.note ?? ''))).toBe(true);
  });

  it('EPSON openCashDrawer() lacks the pulse times: a printer reads the next bytes as t1 t2', () => {
    const adapter = new ThermalPrinterAdapter({ type: 'epson', connection: 'tcp://127.0.0.1:9', columns: 48 });
    const tp = adapter.createPrinter();
    tp.clear();
    tp.openCashDrawer();
    const buf = tp.getBuffer();
    expect(buf.subarray(buf.length - 6).toString('hex')).toBe('1b70001b7001');
    const pulses = EscPosDecoder.decode(buf).filter((i) => i.kind === 'pulse');
    expect(pulses).toEqual([{ kind: 'pulse', pin: 2, t1: 0x1b, t2: 0x70, onMs: 54, offMs: 224 }]);
  });
});

describe('rendering', () => {
  const items = EscPosDecoder.decode(encodeReceipt(buildSaleReceipt(sale), { columns: 48 }));

  it('plain text shows every line centred as printed', () => {
    const t = itemsToText(items, 48);
    expect(t).toContain('              FACTURA SIMPLIFICADA');
    expect(t).toContain(`[QR ${SALE_QR_URL}]`);
  });

  it('the QR drawn in the SVG decodes (jsQR) to the URL', () => {
    const svg = itemsToSvg(items, { columns: 48 });
    const g = /<g transform="translate\(([\d.]+) ([\d.]+)\)" fill="#000" data-qr="[^"]*">(.*?)<\/g>/.exec(svg);
    expect(g).not.toBeNull();
    const rects = [...(g?.[3] ?? '').matchAll(/<rect x="(\d+)" y="(\d+)" width="(\d+)"/g)].map((m) => m.slice(1, 4).map(Number));
    const mod = rects[0]?.[2] ?? 8;
    const size = Math.max(...rects.map((r) => (r[0] ?? 0) + mod)) + mod * 8;
    const rgba = new Uint8ClampedArray(size * size * 4).fill(255);
    for (const [x = 0, y = 0] of rects)
      for (let dy = 0; dy < mod; dy++)
        for (let dx = 0; dx < mod; dx++) {
          const o = ((y + mod * 4 + dy) * size + (x + mod * 4 + dx)) * 4;
          rgba[o] = rgba[o + 1] = rgba[o + 2] = 0;
        }
    expect(jsQR(rgba, size, size)?.data).toBe(SALE_QR_URL);
  });

  it('the decoded QR payload, rendered to PNG by qrcode, decodes with jsQR', async () => {
    const qr = items.find((i) => i.kind === 'qr');
    const png = PNG.sync.read(await QRCode.toBuffer(qr?.kind === 'qr' ? qr.data : '', { errorCorrectionLevel: 'M', type: 'png', scale: 4 }));
    expect(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe(SALE_QR_URL);
  });

  it('CODE128 bar patterns are well formed', () => {
    expect(new Set(CODE128_PATTERNS).size).toBe(107);
    for (const p of CODE128_PATTERNS.slice(0, 106)) expect([...p].reduce((s, d) => s + Number(d), 0)).toBe(11);
    // start B + 'A' (33) + check (104 + 33) % 103 = 34 + stop
    expect(code128Widths('A').join('')).toBe(['211214', '111323', '131123', '2331112'].join(''));
  });
});
