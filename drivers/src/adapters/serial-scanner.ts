/**
 * Serial barcode scanner (RS-232 or USB-CDC "virtual COM"): reads bytes, splits on the configured suffix
 * (`\r`, `\n` or `\r\n`), strips an AIM identifier if the scanner sends one, and reopens the port with
 * exponential backoff when it disappears (unplugged, PTY closed).
 */
import { existsSync } from 'node:fs';
import { closeSerial, openSerial, type AnySerialPort, type SerialOptions } from './serial-interface';
import { parseAimPrefix } from './hid-pos';
import { ReconnectingSource, type ReconnectOptions } from './reconnecting-source';

export interface SerialScannerOptions extends SerialOptions {
  readonly suffix?: '\r' | '\n' | '\r\n';
  readonly reconnect?: ReconnectOptions;
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

/** How often an open port's device node is checked for (an unplugged USB-serial scanner removes it). */
const NODE_WATCH_MS = 500;

export class SerialScanner extends ReconnectingSource<AnySerialPort> {
  constructor(private readonly opts: SerialScannerOptions) {
    super(opts.reconnect);
  }

  get source(): string {
    return `serial:${this.opts.path}`;
  }

  protected openHandle(): Promise<AnySerialPort> {
    return openSerial(this.opts);
  }

  protected attach(port: AnySerialPort): void {
    const splitter = new SuffixSplitter(this.opts.suffix ?? '\r');
    port.on('data', (chunk: Buffer) => {
      for (const raw of splitter.push(chunk.toString('latin1'))) {
        const p = parseAimPrefix(raw);
        this.emit('scan', { data: p.data, symbology: p.symbology, source: this.source });
      }
    });
    port.on('error', (e: Error) => this.emit('error', e));
    // The device node going away is the unplug itself; the port's own close (EIO on the next read) has been
    // seen to come late or not at all on a busy machine, so the node is watched too (paths only, not COMn).
    const path = this.opts.path;
    const watch = path.startsWith('/')
      ? setInterval(() => {
          if (existsSync(path)) return;
          clearInterval(watch);
          this.lost(port, new Error(`${path}: device gone`));
        }, NODE_WATCH_MS)
      : undefined;
    watch?.unref();
    port.on('close', (e?: Error | null) => {
      clearInterval(watch);
      this.lost(port, e ?? undefined);
    });
  }

  protected closeHandle(port: AnySerialPort): Promise<void> {
    return closeSerial(port);
  }
}
