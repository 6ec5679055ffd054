/**
 * The lifecycle every device-backed barcode source shares: open the device, say `connected`, and when it
 * goes away (unplugged, PTY closed, read error) say `disconnected` and reopen it with a doubling delay until
 * `disconnect()`. Subclasses only open, wire and close their kind of handle.
 */
import { EventEmitter } from 'node:events';
import type { BarcodeSource, BarcodeSourceEvents } from '../ports';

export interface ReconnectOptions {
  readonly initialMs?: number;
  readonly maxMs?: number;
}

export abstract class ReconnectingSource<Handle> extends EventEmitter<BarcodeSourceEvents> implements BarcodeSource {
  connected = false;
  private handle: Handle | null = null;
  private stopped = true;
  private timer: NodeJS.Timeout | null = null;
  private delay: number;

  constructor(private readonly reconnect: ReconnectOptions | undefined) {
    super();
    this.delay = reconnect?.initialMs ?? 250;
  }

  /** Opens the device (throws when it is not there). */
  protected abstract openHandle(): Promise<Handle>;
  /** Wires the handle's data to `scan` events and its failures to `lost(handle, error)`. */
  protected abstract attach(handle: Handle): void;
  /** Closes the handle; must not throw for one that is already closed. */
  protected abstract closeHandle(handle: Handle): Promise<void> | void;

  async connect(): Promise<void> {
    this.stopped = false;
    await this.tryOpen();
  }

  async disconnect(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const h = this.handle;
    this.handle = null;
    if (h) await this.closeHandle(h);
    if (this.connected) {
      this.connected = false;
      this.emit('disconnected', undefined);
    }
  }

  /** The device behind `handle` is gone: close what is left of it and start reopening. */
  protected lost(handle: Handle, error?: Error): void {
    if (this.handle !== handle) return;
    this.handle = null;
    void this.closeHandle(handle);
    this.connected = false;
    this.emit('disconnected', error);
    this.schedule();
  }

  private async tryOpen(): Promise<void> {
    if (this.stopped) return;
    let h: Handle;
    try {
      h = await this.openHandle();
    } catch (e) {
      this.emit('error', e as Error);
      this.schedule();
      return;
    }
    // disconnect() while the device was opening: do not come back to life.
    if (this.stopped) {
      await this.closeHandle(h);
      return;
    }
    this.handle = h;
    this.connected = true;
    this.delay = this.reconnect?.initialMs ?? 250;
    this.attach(h);
    this.emit('connected');
  }

  private schedule(): void {
    if (this.stopped || this.timer) return;
    const wait = this.delay;
    this.delay = Math.min(this.delay * 2, this.reconnect?.maxMs ?? 5000);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.tryOpen();
    }, wait);
  }
}
