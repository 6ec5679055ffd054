/**
 * `ReceiptPrinter` over node-thermal-printer (EPSON or STAR command set), to `tcp://host:port`, a device
 * file (`/dev/usb/lp0`) or a serial port (through serialport). Text, styles, QR, barcode and cut go through
 * its API; the drawer pulse is sent as raw bytes (its `openCashDrawer()` on EPSON emits `ESC p m` without
 * the two pulse-time bytes). Status: DLE EOT over our own TCP / serial exchange (timeout → offline).
 *
 * Code page: `PC858_EURO` (see escpos/codepage.ts), so €, ñ, accents print on both types.
 */
import fs from 'node:fs';
import { ThermalPrinter, PrinterTypes, CharacterSet, BreakLine } from 'node-thermal-printer';
import { layoutBlock, type ReceiptDocument } from '@tpv/shared/receipt';
import { OFFLINE, type CashDrawer, type PrinterStatus, type ReceiptPrinter } from '../ports';
import { drawerPulse, encodeLogo } from '../escpos/encoder';
import { parseStatusBytes, STATUS_QUERY } from '../status';
import { parseTcpUrl, queryTcpStatus, sendTcpRaw } from './tcp-status';
import { closeSerial, openSerial, SerialPrinterInterface, writeSerial, type SerialOptions } from './serial-interface';

export type ThermalPrinterType = 'epson' | 'star';

export type PrinterConnection =
  | { readonly kind: 'tcp'; readonly url: string }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'serial'; readonly serial: SerialOptions };

export interface ThermalPrinterOptions {
  readonly type: ThermalPrinterType;
  /** `tcp://host:port`, a device file path, or `{ kind: 'serial', serial: { path, baudRate } }`. */
  readonly connection: PrinterConnection | string;
  readonly columns: 32 | 48;
  readonly timeoutMs?: number;
}

export function toConnection(c: PrinterConnection | string): PrinterConnection {
  if (typeof c !== 'string') return c;
  if (/^tcp:\/\//i.test(c)) return { kind: 'tcp', url: c };
  if (/^serial:/i.test(c)) {
    const [path, baud] = c.slice('serial:'.length).split('@');
    return { kind: 'serial', serial: { path: path ?? '', baudRate: baud ? Number(baud) : 9600 } };
  }
  return { kind: 'file', path: c };
}

/** Writes a document into a node-thermal-printer buffer (no I/O), one block at a time. */
export function renderWithThermalPrinter(tp: ThermalPrinter, doc: ReceiptDocument, type: ThermalPrinterType, columns: number): void {
  for (const block of doc.blocks) {
    const lines = layoutBlock(block, columns);
    if (lines) {
      for (const l of lines) {
        if (l.align === 'center') tp.alignCenter();
        else if (l.align === 'right') tp.alignRight();
        else tp.alignLeft();
        // Size first: on EPSON it is ESC ! n, which also resets emphasis.
        if (l.width === 2 && l.height === 2) tp.setTextQuadArea();
        else if (l.width === 2) tp.setTextDoubleWidth();
        else if (l.height === 2) tp.setTextDoubleHeight();
        else tp.setTextNormal();
        tp.bold(l.bold);
        tp.println(l.text);
      }
      tp.bold(false);
      tp.setTextNormal();
      tp.alignLeft();
      continue;
    }
    switch (block.kind) {
      case 'qr':
        tp.alignCenter();
        if (type === 'epson') tp.printQR(block.data, { cellSize: block.moduleSize ?? 4, correction: block.ecc, model: 2 });
        // node-thermal-printer's STAR printQR omits the `ESC GS y D 1 0` before nL nH data, which a Star
        // printer would print as text: send the QR sequence ourselves.
        else tp.append(Buffer.from(starQr(block.data, block.ecc, block.moduleSize ?? 4)));
        tp.alignLeft();
        break;
      case 'barcode':
        tp.alignCenter();
        if (type === 'epson') tp.code128(block.data, { hriPos: 2, hriFont: 0, width: 2, height: block.height ?? 60 } as never);
        else tp.code128(block.data, { text: 2, width: 'MEDIUM', height: block.height ?? 60 } as never);
        tp.alignLeft();
        break;
      case 'logo':
        // node-thermal-printer's own image path wants a PNG file: send our GS v 0 (EPSON). Star line mode
        // has another raster command set; its logo stays unprinted rather than printed as garbage.
        if (type === 'epson') tp.append(Buffer.from(encodeLogo(block, { mode: 'raster' }).bytes));
        break;
      case 'feed':
        // ESC d n feeds on EPSON; STAR line mode feeds with ESC a n (ESC d is its cut).
        tp.append(Buffer.from(type === 'epson' ? [0x1b, 0x64, block.lines] : [0x1b, 0x61, block.lines]));
        break;
      case 'cut':
        if (block.partial) tp.partialCut({ verticalTabAmount: 0 });
        else tp.cut({ verticalTabAmount: 0 });
        break;
      default:
        break;
    }
  }
}

/** Star line mode QR: model 2, ECC, cell size, data (ESC GS y D 1 0 nL nH …), print. ASCII data. */
export function starQr(data: string, ecc: 'L' | 'M' | 'Q' | 'H' = 'M', cellSize = 4): Uint8Array {
  const bytes = Buffer.from(data, 'latin1');
  const eccN = { L: 0, M: 1, Q: 2, H: 3 }[ecc];
  return Uint8Array.from([
    ...[0x1b, 0x1d, 0x79, 0x53, 0x30, 0x02],
    ...[0x1b, 0x1d, 0x79, 0x53, 0x31, eccN],
    ...[0x1b, 0x1d, 0x79, 0x53, 0x32, Math.max(1, Math.min(8, cellSize))],
    ...[0x1b, 0x1d, 0x79, 0x44, 0x31, 0x00, bytes.length & 0xff, bytes.length >> 8],
    ...bytes,
    ...[0x1b, 0x1d, 0x79, 0x50],
  ]);
}

export class ThermalPrinterAdapter implements ReceiptPrinter {
  readonly connection: PrinterConnection;

  constructor(readonly opts: ThermalPrinterOptions) {
    this.connection = toConnection(opts.connection);
  }

  /** A fresh node-thermal-printer instance for one job. */
  createPrinter(): ThermalPrinter {
    const c = this.connection;
    const iface = c.kind === 'tcp' ? c.url : c.kind === 'file' ? c.path : (new SerialPrinterInterface(c.serial) as unknown as string);
    return new ThermalPrinter({
      type: this.opts.type === 'star' ? PrinterTypes.STAR : PrinterTypes.EPSON,
      interface: iface,
      width: this.opts.columns,
      characterSet: CharacterSet.PC858_EURO,
      breakLine: BreakLine.NONE,
      options: { timeout: this.opts.timeoutMs ?? 3000 },
    });
  }

  /** The bytes `print(doc)` sends. */
  render(doc: ReceiptDocument): Buffer {
    const tp = this.createPrinter();
    renderWithThermalPrinter(tp, doc, this.opts.type, this.opts.columns);
    return tp.getBuffer();
  }

  async print(doc: ReceiptDocument): Promise<void> {
    const tp = this.createPrinter();
    renderWithThermalPrinter(tp, doc, this.opts.type, this.opts.columns);
    await tp.execute();
  }

  /** Sends raw bytes as their own job (drawer pulse, status-free commands). */
  async sendRaw(bytes: Uint8Array): Promise<void> {
    const c = this.connection;
    if (c.kind === 'tcp') {
      const t = parseTcpUrl(c.url);
      if (!t) throw new Error(`bad printer url ${c.url}`);
      await sendTcpRaw(t.host, t.port, bytes, this.opts.timeoutMs ?? 3000);
    } else if (c.kind === 'serial') {
      await new SerialPrinterInterface(c.serial).execute(Buffer.from(bytes));
    } else {
      await fs.promises.appendFile(c.path, bytes);
    }
  }

  async status(): Promise<PrinterStatus> {
    const c = this.connection;
    const timeout = this.opts.timeoutMs ?? 1500;
    if (c.kind === 'tcp') {
      const t = parseTcpUrl(c.url);
      return t ? queryTcpStatus(t.host, t.port, timeout) : { ...OFFLINE, error: 'bad url' };
    }
    if (c.kind === 'serial') return querySerialStatus(c.serial, timeout);
    // A device file cannot be asked; report it present and hope for paper.
    return fs.existsSync(c.path) ? { online: true, coverOpen: false, paperNearEnd: false, paperOut: false } : { ...OFFLINE, error: 'no device file' };
  }
}

/** DLE EOT 1, 2, 4 over a serial line; timeout → offline. */
export async function querySerialStatus(serial: SerialOptions, timeoutMs = 1500): Promise<PrinterStatus> {
  let port;
  try {
    port = await openSerial(serial);
  } catch (e) {
    return { ...OFFLINE, error: (e as Error).message };
  }
  const p = port;
  try {
    return await new Promise<PrinterStatus>((resolve) => {
      const got: number[] = [];
      const timer = setTimeout(() => resolve({ ...OFFLINE, error: 'status timeout' }), timeoutMs);
      p.on('data', (chunk: Buffer) => {
        got.push(...chunk);
        if (got.length >= 3) {
          clearTimeout(timer);
          resolve(parseStatusBytes(got[0] ?? 0, got[1] ?? 0, got[2] ?? 0));
        }
      });
      writeSerial(p, STATUS_QUERY).catch((e: Error) => {
        clearTimeout(timer);
        resolve({ ...OFFLINE, error: e.message });
      });
    });
  } finally {
    await closeSerial(p);
  }
}

export interface KickOptions {
  /** Connector pin: 2 (drawer 1, default) or 5 (drawer 2). */
  readonly pin?: 2 | 5;
  readonly onMs?: number;
  readonly offMs?: number;
  /** `escpos` = ESC p m t1 t2 (default); `star` = ESC BEL n1 n2 BEL / SUB (Star line mode). */
  readonly commandSet?: 'escpos' | 'star';
}

/** Star line mode kick: ESC BEL n1 n2 (10 ms units) then BEL (drawer 1) or SUB (drawer 2). */
export function starDrawerKick(pin: 2 | 5 = 2, onMs = 50, offMs = 500): Uint8Array {
  const n1 = Math.max(1, Math.min(127, Math.round(onMs / 10)));
  const n2 = Math.max(1, Math.min(127, Math.round(offMs / 10)));
  return Uint8Array.from([0x1b, 0x07, n1, n2, pin === 2 ? 0x07 : 0x1a]);
}

/** The drawer on a printer's kick connector: a raw pulse job through the printer. */
export class PrinterKickDrawer implements CashDrawer {
  constructor(
    private readonly printer: { sendRaw(bytes: Uint8Array): Promise<void>; status?(): Promise<PrinterStatus> },
    private readonly opts: KickOptions = {},
  ) {}

  pulseBytes(): Uint8Array {
    const { pin = 2, onMs = 50, offMs = 500 } = this.opts;
    return this.opts.commandSet === 'star' ? starDrawerKick(pin, onMs, offMs) : drawerPulse(pin, onMs, offMs);
  }

  async open(): Promise<void> {
    await this.printer.sendRaw(this.pulseBytes());
  }

  async status(): Promise<{ open: boolean } | undefined> {
    const s = await this.printer.status?.();
    return s?.online && s.drawerOpen !== undefined ? { open: s.drawerOpen } : undefined;
  }
}

/** A drawer with its own serial interface box: writes `openBytes` (default the ESC p pulse) to the port. */
export class SerialDrawer implements CashDrawer {
  constructor(
    private readonly serial: SerialOptions,
    private readonly openBytes: Uint8Array = drawerPulse(2, 50, 500),
  ) {}

  async open(): Promise<void> {
    const p = await openSerial(this.serial);
    try {
      await writeSerial(p, this.openBytes);
    } finally {
      await closeSerial(p);
    }
  }
}
