import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import net from 'node:net';
import QRCode from 'qrcode';
import { PNG } from 'pngjs';
import jsQR from 'jsqr';
import { buildCashReport, buildSaleReceipt, documentLines, formatEuro, type ReceiptDocument } from '@tpv/shared/receipt';
import { VirtualPrinter } from '../../src/virtual/printer';
import { ThermalPrinterAdapter, PrinterKickDrawer } from '../../src/adapters/thermal-printer';
import { EscPosTcpPrinter } from '../../src/adapters/escpos-tcp';
import { queryTcpStatus } from '../../src/adapters/tcp-status';
import type { PrinterStatus, ReceiptPrinter } from '../../src/ports';
import { ret, sale, SALE_QR_URL, xReport, zReport } from '../fixtures/receipts';

const docs: [string, ReceiptDocument, SaleOrReport][] = [
  ['sale', buildSaleReceipt(sale), { total: sale.total, taxes: sale.taxes.length }],
  ['return', buildSaleReceipt(ret), { total: ret.total, taxes: ret.taxes.length }],
  ['X report', buildCashReport(xReport), { total: undefined, taxes: xReport.taxes.length }],
  ['Z report', buildCashReport(zReport), { total: undefined, taxes: zReport.taxes.length }],
];
type SaleOrReport = { total: number | undefined; taxes: number };

const waitFor = async (cond: () => boolean, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
};

async function qrImageDecodes(data: string): Promise<string | undefined> {
  const png = PNG.sync.read(await QRCode.toBuffer(data, { errorCorrectionLevel: 'M', type: 'png', scale: 4 }));
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
}

for (const dialect of ['epson', 'star'] as const) {
  describe(`virtual TCP printer (${dialect}) round trip`, () => {
    const vp = new VirtualPrinter({ port: 0, dialect, columns: 48 });
    let printers: [string, ReceiptPrinter][];

    beforeAll(async () => {
      await vp.start();
      printers = [['node-thermal-printer', new ThermalPrinterAdapter({ type: dialect, connection: vp.url, columns: 48 })]];
      if (dialect === 'epson') printers.push(['our encoder', new EscPosTcpPrinter(vp.url, { columns: 48 })]);
    });
    afterAll(() => vp.stop());

    it.each(docs)('%s: every line, every IVA row, the total and the QR URL arrive', async (_name, doc, meta) => {
      for (const [, printer] of printers) {
        const before = vp.receipts.length;
        await printer.print(doc);
        await waitFor(() => vp.receipts.length === before + 1);
        const r = vp.last;
        expect(r).toBeDefined();
        if (!r) return;
        const expected = documentLines(doc, 48).map((l) => l.text);
        expect(r.lines.filter((l) => l !== '')).toEqual(expected);
        expect(r.lines.filter((l) => /^(IVA|RE) \d/.test(l))).toHaveLength(meta.taxes);
        if (meta.total !== undefined) expect(r.text).toMatch(new RegExp(`^TOTAL +${formatEuro(meta.total)}$`, 'm'));
        expect(r.cut).toBe(true);
        expect(r.svg.startsWith('<svg')).toBe(true);
        const qr = doc.blocks.find((b) => b.kind === 'qr');
        if (qr?.kind === 'qr') {
          expect(r.qr).toEqual([qr.data]);
          expect(await qrImageDecodes(r.qr[0] ?? '')).toBe(qr.data);
        }
      }
    });

    it('the sale QR payload is exactly the ValidarQR URL we built', async () => {
      await printers[0]?.[1].print(buildSaleReceipt(sale));
      await waitFor(() => vp.last?.qr[0] === SALE_QR_URL);
      expect(vp.last?.barcodes).toEqual([{ symbology: 'CODE128', data: 'T01-2026/000123' }]);
      expect(vp.last?.text).toContain('Ultramarinos Peña');
    });
  });
}

describe('virtual printer status, offline and drawer', () => {
  const vp = new VirtualPrinter({ port: 0 });
  let adapter: ThermalPrinterAdapter;
  beforeAll(async () => {
    await vp.start();
    adapter = new ThermalPrinterAdapter({ type: 'epson', connection: vp.url, columns: 48, timeoutMs: 500 });
  });
  afterAll(() => vp.stop());
  beforeEach(async () => {
    await vp.setOnline(true);
    vp.setPaperOut(false);
    vp.setCoverOpen(false);
    vp.setPaperNearEnd(false);
    vp.drawer.close();
  });

  it('answers DLE EOT 1..4 with the Epson bit layout', async () => {
    const ask = (n: number): Promise<number> =>
      new Promise((resolve, reject) => {
        const s = net.connect(vp.port, '127.0.0.1', () => s.write(Uint8Array.of(0x10, 0x04, n)));
        s.once('data', (d) => {
          resolve(d[0] ?? -1);
          s.destroy();
        });
        s.once('error', reject);
      });
    expect([await ask(1), await ask(2), await ask(3), await ask(4)]).toEqual([0x12, 0x12, 0x12, 0x12]);
    vp.setPaperOut(true);
    vp.setCoverOpen(true);
    expect([await ask(1), await ask(2), await ask(4)]).toEqual([0x1a, 0x36, 0x7e]);
    vp.setPaperOut(false);
    vp.setCoverOpen(false);
    vp.setPaperNearEnd(true);
    expect(await ask(4)).toBe(0x1e);
  });

  it('status through the adapter: ready, near end, paper out, cover open, offline', async () => {
    const ready: PrinterStatus = { online: true, coverOpen: false, paperNearEnd: false, paperOut: false, drawerOpen: false };
    expect(await adapter.status()).toEqual(ready);
    vp.setPaperNearEnd(true);
    expect(await adapter.status()).toEqual({ ...ready, paperNearEnd: true });
    vp.setPaperOut(true);
    expect(await adapter.status()).toMatchObject({ online: false, paperOut: true, paperNearEnd: true });
    vp.setPaperOut(false);
    vp.setCoverOpen(true);
    expect(await adapter.status()).toMatchObject({ online: false, coverOpen: true });
    await vp.setOnline(false);
    expect(await adapter.status()).toMatchObject({ online: false });
    await expect(adapter.print(buildSaleReceipt(sale))).rejects.toBeDefined();
  });

  it('a silent host times out to offline', async () => {
    const conns: net.Socket[] = [];
    const server = net.createServer((s) => void conns.push(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as net.AddressInfo).port;
    expect(await queryTcpStatus('127.0.0.1', port, 200)).toMatchObject({ online: false, error: 'status timeout' });
    for (const c of conns) c.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('prints nothing while out of paper', async () => {
    vp.setPaperOut(true);
    const before = vp.receipts.length;
    await adapter.print(buildSaleReceipt(sale));
    await waitFor(() => vp.discardedBytes > 0);
    expect(vp.receipts.length).toBe(before);
  });

  it('printer-kick drawer sends 1b 70 00 19 fa and the virtual drawer opens', async () => {
    const drawer = new PrinterKickDrawer(adapter);
    expect(Buffer.from(drawer.pulseBytes()).toString('hex')).toBe('1b700019fa');
    const opened = new Promise((r) => vp.drawer.once('opened', r));
    await drawer.open();
    await opened;
    expect(vp.drawer.open).toBe(true);
    expect(vp.drawer.pulses.at(-1)).toEqual({ pin: 2, onMs: 50, offMs: 500 });
    expect(await drawer.status()).toEqual({ open: true });
    vp.drawer.close();
    expect(await drawer.status()).toEqual({ open: false });
  });

  it('a pulse on pin 5 does not open a drawer wired to pin 2', async () => {
    const before = vp.drawer.opens;
    await new PrinterKickDrawer(adapter, { pin: 5 }).open();
    await waitFor(() => vp.drawer.pulses.at(-1)?.pin === 5);
    expect(vp.drawer.opens).toBe(before);
  });

  it('keeps only the last N receipts', async () => {
    const small = new VirtualPrinter({ port: 0, keep: 2 });
    await small.start();
    const p = new EscPosTcpPrinter(small.url, { columns: 32 });
    for (let k = 0; k < 3; k++) await p.print(buildCashReport(xReport));
    await waitFor(() => small.receipts.at(-1)?.id === 3);
    expect(small.receipts.map((r) => r.id)).toEqual([2, 3]);
    await small.stop();
  });
});
