/**
 * Virtual raw TCP (port 9100) ESC/POS printer: records every job, decodes it with our decoder, keeps the
 * last N receipts as text and SVG, answers DLE EOT 1..4 in real time, kicks its drawer on ESC p, and can be
 * switched off (connections refused), out of paper or with its cover open (it then prints nothing, like a
 * real printer, but still answers status).
 */
import { EventEmitter } from 'node:events';
import net from 'node:net';
import { EscPosDecoder, PrinterMemory, type DecodedItem, type DecodedPulse, type ImageSource } from '../escpos/decoder';
import { itemsToSvg, itemsToText } from '../escpos/render';
import type { Dialect } from '../escpos/codepage';
import { statusByte } from '../status';
import { VirtualDrawer } from './drawer';
import type { Duplex } from 'node:stream';
import { closeSerial, openSerial } from '../adapters/serial-interface';

export interface PrintedReceipt {
  readonly id: number;
  readonly receivedAt: Date;
  readonly items: DecodedItem[];
  readonly text: string;
  readonly svg: string;
  /** Text lines (no padding), for assertions. */
  readonly lines: string[];
  readonly qr: string[];
  readonly barcodes: { symbology: string; data: string }[];
  /** Pictures on the paper (logos…), with the command that printed them and the key of a stored one. */
  readonly images: { source: ImageSource; widthDots: number; heightDots: number; key?: string }[];
  readonly cut: boolean;
}

export interface VirtualPrinterOptions {
  /** TCP port, default 9100; 0 picks a free one. */
  readonly port?: number;
  readonly host?: string;
  readonly dialect?: Dialect;
  /** Receipts kept (oldest dropped), default 50. */
  readonly keep?: number;
  readonly columns?: number;
  readonly drawer?: VirtualDrawer;
}

type Events = { receipt: [PrintedReceipt]; pulse: [DecodedPulse]; discarded: [number]; connection: [] };

const PRINTABLE = new Set(['text', 'qr', 'barcode', 'raster']);

export class VirtualPrinter extends EventEmitter<Events> {
  readonly drawer: VirtualDrawer;
  /** NV / download graphics and NV bit images, kept across jobs and connections like a real printer's. */
  readonly memory = new PrinterMemory();
  readonly receipts: PrintedReceipt[] = [];
  /** Bytes received while unable to print (paper out / cover open), dropped. */
  discardedBytes = 0;
  /** Every status request seen, e.g. `DLE EOT 1`. */
  readonly statusRequests: string[] = [];
  connections = 0;
  online = true;
  paperOut = false;
  paperNearEnd = false;
  coverOpen = false;

  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private nextId = 1;
  private boundPort = 0;
  private readonly opts: VirtualPrinterOptions;

  constructor(opts: VirtualPrinterOptions = {}) {
    super();
    this.opts = opts;
    this.drawer = opts.drawer ?? new VirtualDrawer();
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `tcp://${this.opts.host ?? '127.0.0.1'}:${this.boundPort}`;
  }

  get last(): PrintedReceipt | undefined {
    return this.receipts[this.receipts.length - 1];
  }

  async start(): Promise<number> {
    await this.listen(this.boundPort || (this.opts.port ?? 9100));
    return this.boundPort;
  }

  async stop(): Promise<void> {
    this.online = false;
    await this.closeServer();
  }

  /** Off: stop listening and drop open connections (clients get ECONNREFUSED / reset). On: listen again. */
  async setOnline(on: boolean): Promise<void> {
    if (on === this.online && (on ? this.server !== null : this.server === null)) return;
    this.online = on;
    if (on) await this.listen(this.boundPort);
    else await this.closeServer();
  }

  setPaperOut(v: boolean): void {
    this.paperOut = v;
  }

  setPaperNearEnd(v: boolean): void {
    this.paperNearEnd = v;
  }

  setCoverOpen(v: boolean): void {
    this.coverOpen = v;
  }

  get canPrint(): boolean {
    return !this.paperOut && !this.coverOpen;
  }

  clear(): void {
    this.receipts.length = 0;
  }

  private async listen(port: number): Promise<void> {
    const server = net.createServer((s) => this.onConnection(s));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.opts.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const addr = server.address();
    this.boundPort = typeof addr === 'object' && addr ? addr.port : port;
    this.server = server;
  }

  private async closeServer(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /**
   * Serves the device end of a serial line (a PTY from `PtyPair`, or a MockBinding port) as the same
   * printer: jobs split on cut; status answered on the line.
   */
  async attachSerial(devicePath: string, mock = false): Promise<() => Promise<void>> {
    const port = await openSerial({ path: devicePath, mock });
    this.serve(port);
    return () => closeSerial(port);
  }

  private onConnection(socket: net.Socket): void {
    this.connections++;
    this.sockets.add(socket);
    this.emit('connection');
    socket.on('error', () => socket.destroy());
    this.serve(socket);
  }

  private serve(socket: Duplex): void {
    socket.on('error', () => undefined);
    const decoder = new EscPosDecoder({ dialect: this.opts.dialect ?? 'epson', memory: this.memory });
    let items: DecodedItem[] = [];
    const handle = (batch: DecodedItem[]): void => {
      for (const it of batch) {
        if (it.kind === 'status') {
          this.statusRequests.push(`${it.command} ${it.n}`);
          if (it.command === 'DLE EOT' && !socket.destroyed) socket.write(Uint8Array.of(statusByte(it.n, this.flags())));
          if (it.command === 'GS r' && !socket.destroyed) socket.write(Uint8Array.of(this.paperOut ? 0x0c : this.paperNearEnd ? 0x03 : 0));
          continue;
        }
        if (it.kind === 'pulse') {
          this.drawer.pulse(it.pin, it.onMs, it.offMs);
          this.emit('pulse', it);
          continue;
        }
        items.push(it);
        if (it.kind === 'cut') {
          this.finish(items);
          items = [];
        }
      }
    };
    socket.on('data', (chunk: Buffer) => {
      if (!this.canPrint) {
        // A stopped printer still answers real-time status requests but prints nothing.
        const batch = decoder.push(chunk).filter((i) => i.kind === 'status');
        const dropped = chunk.length - batch.length * 3;
        if (dropped > 0) {
          this.discardedBytes += dropped;
          this.emit('discarded', dropped);
        }
        handle(batch);
        return;
      }
      handle(decoder.push(chunk));
    });
    const done = (): void => {
      if (socket instanceof net.Socket) this.sockets.delete(socket);
      handle(decoder.end());
      this.finish(items);
      items = [];
    };
    socket.on('close', done);
  }

  private flags() {
    return { coverOpen: this.coverOpen, paperOut: this.paperOut, paperNearEnd: this.paperNearEnd, drawerOpen: this.drawer.open };
  }

  private finish(items: DecodedItem[]): void {
    if (!items.some((i) => PRINTABLE.has(i.kind))) return;
    const columns = this.opts.columns ?? 48;
    const receipt: PrintedReceipt = {
      id: this.nextId++,
      receivedAt: new Date(),
      items,
      text: itemsToText(items, columns),
      svg: itemsToSvg(items, { columns }),
      lines: items.flatMap((i) => (i.kind === 'text' ? [i.text] : [])),
      qr: items.flatMap((i) => (i.kind === 'qr' ? [i.data] : [])),
      barcodes: items.flatMap((i) => (i.kind === 'barcode' ? [{ symbology: i.symbology, data: i.data }] : [])),
      images: items.flatMap((i) =>
        i.kind === 'raster' ? [{ source: i.source, widthDots: i.widthDots, heightDots: i.heightDots, ...(i.key !== undefined ? { key: i.key } : {}) }] : [],
      ),
      cut: items.some((i) => i.kind === 'cut'),
    };
    this.receipts.push(receipt);
    while (this.receipts.length > (this.opts.keep ?? 50)) this.receipts.shift();
    this.emit('receipt', receipt);
  }
}
