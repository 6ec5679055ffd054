/**
 * Serial barcode scanner (RS-232 or USB-CDC "virtual COM"): reads bytes, splits on the configured suffix
 * (`\r`, `\n` or `\r\n`), strips an AIM identifier if the scanner sends one, and reopens the port with
 * exponential backoff when it disappears (unplugged, PTY closed).
 */
import { EventEmitter } from 'node:events';
import type { BarcodeSource, BarcodeSourceEvents } from '../ports';
import { closeSerial, openSerial, type AnySerialPort, type SerialOptions } from './serial-interface';
import { parseAimPrefix } from './hid-pos';

export interface SerialScannerOptions extends SerialOptions {
  readonly suffix?: '\r' | '\n' | '\r\n';
  readonly reconnect?: { readonly initialMs?: number; readonly maxMs?: number };
}

/** Pure line splitter: feed chunks, get complete barcodes. A bare `\r` or `\n` also ends a code for `\r\n`. */
export class SuffixSplitter {
  private buf = '';
  constructor(private readonly suffix: '\r' | '\n' | '\r\n' = '\r') {}

  push(chunk: string): string[] {
    this.buf += chunk;
    const sep = this.suffix === '\r\n' ? /\r\n|\r|\n/ : this.suffix;
    const parts = this.buf.split(sep);
    this.buf = parts.pop() ?? '';
    return parts.filter((p) => p.length > 0);
  }
}

export class SerialScanner extends EventEmitter<BarcodeSourceEvents> implements BarcodeSource {
  connected = false;
  private port: AnySerialPort | null = null;
  private stopped = true;
  private timer: NodeJS.Timeout | null = null;
  private delay: number;

  constructor(private readonly opts: SerialScannerOptions) {
    super();
    this.delay = opts.reconnect?.initialMs ?? 250;
  }

  get source(): string {
    return `serial:${this.opts.path}`;
  }

  async connect(): Promise<void> {
    this.stopped = false;
    await this.tryOpen();
  }

  async disconnect(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const p = this.port;
    this.port = null;
    if (p) await closeSerial(p);
    if (this.connected) {
      this.connected = false;
      this.emit('disconnected', undefined);
    }
  }

  private async tryOpen(): Promise<void> {
    if (this.stopped) return;
    let port: AnySerialPort;
    try {
      port = await openSerial(this.opts);
    } catch (e) {
      this.emit('error', e as Error);
      this.schedule();
      return;
    }
    if (this.stopped) {
      await closeSerial(port);
      return;
    }
    this.port = port;
    this.connected = true;
    this.delay = this.opts.reconnect?.initialMs ?? 250;
    const splitter = new SuffixSplitter(this.opts.suffix ?? '\r');
    port.on('data', (chunk: Buffer) => {
      for (const raw of splitter.push(chunk.toString('latin1'))) {
        const p = parseAimPrefix(raw);
        this.emit('scan', { data: p.data, symbology: p.symbology, source: this.source });
      }
    });
    port.on('error', (e: Error) => this.emit('error', e));
    port.on('close', (e?: Error | null) => {
      if (this.port !== port) return;
      this.port = null;
      this.connected = false;
      this.emit('disconnected', e ?? undefined);
      this.schedule();
    });
    this.emit('connected');
  }

  private schedule(): void {
    if (this.stopped || this.timer) return;
    const wait = this.delay;
    this.delay = Math.min(this.delay * 2, this.opts.reconnect?.maxMs ?? 5000);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.tryOpen();
    }, wait);
  }
}
