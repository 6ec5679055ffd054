/**
 * A node-thermal-printer "interface" object over serialport (node-thermal-printer accepts any object with
 * `execute(buffer)` and `isPrinterConnected()` as its interface). Also used for serial status queries.
 */
import { SerialPort, SerialPortMock } from 'serialport';

export interface SerialOptions {
  readonly path: string;
  readonly baudRate?: number;
  /** Use serialport's MockBinding (`SerialPortMock`; create the port first with `MockBinding.createPort`). */
  readonly mock?: boolean;
}

export type AnySerialPort = SerialPort | SerialPortMock;

/**
 * The MockBinding instance `SerialPortMock` uses. Create mock ports through this one: importing
 * `@serialport/binding-mock` directly under an ESM loader can yield a second copy (CJS/ESM dual package).
 */
export const mockBinding = SerialPortMock.binding;

export function openSerial(opts: SerialOptions): Promise<AnySerialPort> {
  return new Promise((resolve, reject) => {
    const base = { path: opts.path, baudRate: opts.baudRate ?? 9600, autoOpen: false };
    const port: AnySerialPort = opts.mock ? new SerialPortMock(base) : new SerialPort(base);
    port.open((err) => (err ? reject(err) : resolve(port)));
  });
}

export function closeSerial(port: AnySerialPort): Promise<void> {
  return new Promise((resolve) => {
    if (!port.isOpen) return resolve();
    port.close(() => resolve());
  });
}

export function writeSerial(port: AnySerialPort, bytes: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    port.write(Buffer.from(bytes), (err) => {
      if (err) return reject(err);
      port.drain((e) => (e ? reject(e) : resolve()));
    });
  });
}

/** Opens, writes, drains and closes for each job: a printer or drawer on a serial line. */
export class SerialPrinterInterface {
  constructor(readonly opts: SerialOptions) {}

  async isPrinterConnected(): Promise<boolean> {
    try {
      const p = await openSerial(this.opts);
      await closeSerial(p);
      return true;
    } catch {
      return false;
    }
  }

  async execute(buffer: Buffer): Promise<string> {
    const p = await openSerial(this.opts);
    try {
      await writeSerial(p, buffer);
    } finally {
      await closeSerial(p);
    }
    return 'Print done';
  }
}
