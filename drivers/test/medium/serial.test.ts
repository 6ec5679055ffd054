import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildSaleReceipt, documentLines } from '@tpv/shared/receipt';
import { SerialScanner } from '../../src/adapters/serial-scanner';
import { SerialPoleDisplay, displayRow } from '../../src/adapters/pole-display';
import { ThermalPrinterAdapter, SerialDrawer } from '../../src/adapters/thermal-printer';
import { openSerial, closeSerial, mockBinding as MockBinding } from '../../src/adapters/serial-interface';
import { VirtualSerialScanner } from '../../src/virtual/scanner';
import { VirtualPoleDisplay } from '../../src/virtual/pole-display';
import { PtyPair } from '../../src/virtual/pty';
import { VirtualPrinter } from '../../src/virtual/printer';
import { EscPosDecoder, type DecodedItem } from '../../src/escpos/decoder';
import type { ScanEvent } from '../../src/ports';
import { sale } from '../fixtures/receipts';

const waitFor = async (cond: () => boolean, ms = 30_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('serial scanner on a socat PTY pair', () => {
  const virtual = new VirtualSerialScanner({ suffix: '\r\n', codes: ['8410000810004', '4006381333931'] });
  let scanner: SerialScanner;
  const scans: ScanEvent[] = [];

  beforeAll(async () => {
    await virtual.start();
    scanner = new SerialScanner({ path: virtual.path, suffix: '\r\n', reconnect: { initialMs: 50, maxMs: 200 } });
    scanner.on('scan', (s) => scans.push(s));
    scanner.on('error', () => undefined);
    await scanner.connect();
  });
  afterAll(async () => {
    await scanner.disconnect();
    await virtual.dispose();
  });

  it('reads codes from the list with their suffix, and AIM-prefixed codes', async () => {
    await virtual.scan();
    await virtual.scan();
    await virtual.scan('ABC-123', ']C0');
    await waitFor(() => scans.length === 3);
    expect(scans).toEqual([
      { data: '8410000810004', symbology: 'EAN13', source: `serial:${virtual.path}` },
      { data: '4006381333931', symbology: 'EAN13', source: `serial:${virtual.path}` },
      { data: 'ABC-123', symbology: 'CODE128', source: `serial:${virtual.path}` },
    ]);
  });

  it('reconnects with backoff after the port disappears and comes back', async () => {
    const gone = new Promise((r) => scanner.once('disconnected', r));
    await virtual.unplug();
    await gone;
    expect(scanner.connected).toBe(false);
    await new Promise((r) => setTimeout(r, 150));
    const back = new Promise<void>((r) => scanner.once('connected', () => r()));
    await virtual.plug();
    await back;
    await virtual.scan('12345670');
    await waitFor(() => scans.length === 4);
    expect(scans[3]).toMatchObject({ data: '12345670', symbology: 'EAN8' });
  });
});

describe('serial scanner on MockBinding', () => {
  afterEach(() => MockBinding.reset());

  it('splits on \\r and emits scans', async () => {
    MockBinding.createPort('/dev/ttyMOCK0', { echo: false, record: true });
    const scanner = new SerialScanner({ path: '/dev/ttyMOCK0', mock: true });
    const scans: ScanEvent[] = [];
    scanner.on('scan', (s) => scans.push(s));
    await scanner.connect();
    const port = (scanner as unknown as { handle: { port: { emitData(d: string): void } } }).handle;
    port.port.emitData('8410000810004\r]Q1https://x.test/?a=1\r');
    await waitFor(() => scans.length === 2);
    expect(scans.map((s) => [s.data, s.symbology])).toEqual([
      ['8410000810004', 'EAN13'],
      ['https://x.test/?a=1', 'QR'],
    ]);
    await scanner.disconnect();
  });
});

describe('pole display and serial printer on PTYs', () => {
  const pty = new PtyPair('tpv-display');
  afterAll(() => pty.dispose());

  it('SerialPoleDisplay → PTY → VirtualPoleDisplay shows both lines with € and accents', async () => {
    await pty.start();
    const virtual = new VirtualPoleDisplay();
    await virtual.attach(pty.devicePath);
    const display = new SerialPoleDisplay({ path: pty.hostPath });
    await display.show(displayRow('Jamón serrano', '6,60 €'), displayRow('TOTAL', '17,35 €'));
    await waitFor(() => virtual.lines[1].startsWith('TOTAL'));
    expect(virtual.lines).toEqual(['Jamón serrano 6,60 €', 'TOTAL        17,35 €']);
    await display.clear();
    await waitFor(() => virtual.lines[0] === ' '.repeat(20));
    await display.close();
    await virtual.detach();
  });

  it('node-thermal-printer over a serial port prints a receipt the decoder reads; serial drawer pulses', async () => {
    const pair = new PtyPair('tpv-serial-printer');
    await pair.start();
    const device = await openSerial({ path: pair.devicePath });
    const decoder = new EscPosDecoder();
    const items: DecodedItem[] = [];
    device.on('data', (d: Buffer) => items.push(...decoder.push(new Uint8Array(d))));
    const printer = new ThermalPrinterAdapter({ type: 'epson', connection: `serial:${pair.hostPath}@115200`, columns: 32 });
    const doc = buildSaleReceipt(sale);
    await printer.print(doc);
    await waitFor(() => items.some((i) => i.kind === 'cut'));
    expect(items.flatMap((i) => (i.kind === 'text' && i.text !== '' ? [i.text] : []))).toEqual(documentLines(doc, 32).map((l) => l.text));
    await new SerialDrawer({ path: pair.hostPath }).open();
    await waitFor(() => items.some((i) => i.kind === 'pulse'));
    expect(items.find((i) => i.kind === 'pulse')).toEqual({ kind: 'pulse', pin: 2, t1: 25, t2: 250, onMs: 50, offMs: 500 });
    await closeSerial(device);
    await pair.dispose();
  });

  it('virtual printer on a serial line: status by DLE EOT, jobs split on cut, drawer kick', async () => {
    const pair = new PtyPair('tpv-serial-vp');
    await pair.start();
    const vp = new VirtualPrinter({ columns: 32 });
    const detach = await vp.attachSerial(pair.devicePath);
    const printer = new ThermalPrinterAdapter({ type: 'epson', connection: { kind: 'serial', serial: { path: pair.hostPath } }, columns: 32, timeoutMs: 1000 });
    expect(await printer.status()).toMatchObject({ online: true, paperOut: false });
    vp.setPaperOut(true);
    expect(await printer.status()).toMatchObject({ online: false, paperOut: true });
    vp.setPaperOut(false);
    const doc = buildSaleReceipt(sale);
    await printer.print(doc);
    await printer.print(doc);
    await waitFor(() => vp.receipts.length === 2);
    expect(vp.receipts[1]?.lines.filter((l) => l !== '')).toEqual(documentLines(doc, 32).map((l) => l.text));
    await printer.sendRaw(Uint8Array.of(0x1b, 0x70, 0x00, 0x19, 0xfa));
    await waitFor(() => vp.drawer.open);
    await detach();
    await pair.dispose();
  });
});
