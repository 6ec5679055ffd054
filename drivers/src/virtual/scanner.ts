/**
 * Virtual serial barcode scanner: a PTY pair (socat) whose device end "scans" codes from a list, each
 * followed by the configured suffix, optionally with an AIM identifier in front. `unplug()` / `plug()`
 * simulate the cable being pulled.
 */
import fs from 'node:fs';
import { PtyPair } from './pty';

export interface VirtualScannerOptions {
  readonly suffix?: '\r' | '\n' | '\r\n';
  readonly codes?: readonly string[];
}

export class VirtualSerialScanner {
  readonly pty = new PtyPair('tpv-scanner');
  private next = 0;

  constructor(private readonly opts: VirtualScannerOptions = {}) {}

  /** The path to give `SerialScanner` (a symlink to the host-side PTY). */
  get path(): string {
    return this.pty.hostPath;
  }

  start(): Promise<void> {
    return this.pty.start();
  }

  /** Writes one code (and the suffix) as the scanner would. */
  async scan(code?: string, aim?: string): Promise<string> {
    const list = this.opts.codes ?? [];
    const data = code ?? list[this.next++ % Math.max(1, list.length)] ?? '';
    const payload = `${aim ?? ''}${data}${this.opts.suffix ?? '\r'}`;
    await fs.promises.appendFile(this.pty.devicePath, Buffer.from(payload, 'latin1'));
    return data;
  }

  unplug(): Promise<void> {
    return this.pty.stop();
  }

  plug(): Promise<void> {
    return this.pty.start();
  }

  dispose(): Promise<void> {
    return this.pty.dispose();
  }
}
