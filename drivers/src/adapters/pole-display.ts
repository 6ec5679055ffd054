/**
 * 2 × 20 customer pole display on a serial line, Epson ESC/POS display command set (DM-D and compatibles):
 * ESC @ init, ESC t n code page (19 = PC858, for €, ñ and accents), FF clear, US $ x y cursor position.
 */
import { encodeText, EPSON_CODE_PAGE_NUMBER, type CodePageName } from '../escpos/codepage';
import { concatBytes } from '../escpos/encoder';
import type { CustomerDisplay } from '../ports';
import { closeSerial, openSerial, writeSerial, type AnySerialPort, type SerialOptions } from './serial-interface';

export const DISPLAY_WIDTH = 20;

const fit = (s: string, width = DISPLAY_WIDTH): string => (s.length > width ? s.slice(0, width) : s.padEnd(width));

/** Bytes that put two lines on the display (each padded / cut to 20 characters). */
export function poleDisplayBytes(line1: string, line2 = '', cp: CodePageName = 'CP858'): Uint8Array {
  return concatBytes([
    Uint8Array.of(0x1b, 0x74, EPSON_CODE_PAGE_NUMBER[cp]),
    Uint8Array.of(0x0c),
    Uint8Array.of(0x1f, 0x24, 1, 1),
    encodeText(fit(line1), cp),
    Uint8Array.of(0x1f, 0x24, 1, 2),
    encodeText(fit(line2), cp),
  ]);
}

export const POLE_DISPLAY_INIT = Uint8Array.of(0x1b, 0x40);
export const POLE_DISPLAY_CLEAR = Uint8Array.of(0x0c);

/** Two amounts on one 20-char line: `TOTAL        17,35 €`. */
export function displayRow(left: string, right: string, width = DISPLAY_WIDTH): string {
  const room = width - right.length - 1;
  return room <= 0 ? right.slice(0, width) : `${left.slice(0, room).padEnd(room)} ${right}`;
}

export class SerialPoleDisplay implements CustomerDisplay {
  private port: AnySerialPort | null = null;
  /** Writes run one after another: two overlapping `show()` calls must not open the port twice. */
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly serial: SerialOptions,
    private readonly codePage: CodePageName = 'CP858',
  ) {}

  private async ensure(): Promise<AnySerialPort> {
    if (this.port?.isOpen) return this.port;
    const p = await openSerial(this.serial);
    p.on('close', () => {
      if (this.port === p) this.port = null;
    });
    this.port = p;
    await writeSerial(p, POLE_DISPLAY_INIT);
    return p;
  }

  private write(bytes: Uint8Array): Promise<void> {
    const run = this.chain.then(() => this.writeNow(bytes));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async writeNow(bytes: Uint8Array): Promise<void> {
    try {
      await writeSerial(await this.ensure(), bytes);
    } catch (e) {
      // One retry on a fresh port: the display may have been unplugged and come back.
      const p = this.port;
      this.port = null;
      if (p) await closeSerial(p);
      await writeSerial(await this.ensure(), bytes).catch(() => {
        throw e;
      });
    }
  }

  show(line1: string, line2 = ''): Promise<void> {
    return this.write(poleDisplayBytes(line1, line2, this.codePage));
  }

  clear(): Promise<void> {
    return this.write(POLE_DISPLAY_CLEAR);
  }

  async close(): Promise<void> {
    const p = this.port;
    this.port = null;
    if (p) await closeSerial(p);
  }
}
