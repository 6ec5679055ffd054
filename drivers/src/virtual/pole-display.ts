/**
 * Virtual 2 × 20 pole display: decodes the Epson display command set it receives (ESC @, FF / CLR, CAN,
 * CR, LF, BS, HT, US $ x y, ESC t n, US B/C/E/X/r/@/MD modes skipped) into two lines of 20 characters.
 * Feed it bytes with `write()`, or `attach()` it to the device end of a PTY.
 */
import { closeSerial, openSerial, type AnySerialPort } from '../adapters/serial-interface';
import { codePageFromNumber, decodeByte, type CodePageName } from '../escpos/codepage';

export class VirtualPoleDisplay {
  readonly width = 20;
  readonly rows: string[][] = [[], []];
  private x = 0;
  private y = 0;
  private codePage: CodePageName = 'CP437';
  private pending: number[] = [];
  private port: AnySerialPort | null = null;
  /** Every complete write, as the two lines after it, for assertions. */
  readonly history: [string, string][] = [];

  constructor() {
    this.clearScreen();
  }

  get lines(): [string, string] {
    return [this.rows[0]?.join('') ?? '', this.rows[1]?.join('') ?? ''];
  }

  private clearScreen(): void {
    for (let r = 0; r < 2; r++) this.rows[r] = Array.from({ length: this.width }, () => ' ');
    this.x = 0;
    this.y = 0;
  }

  private put(ch: string): void {
    const row = this.rows[this.y];
    if (row) row[this.x] = ch;
    this.x++;
    if (this.x >= this.width) {
      this.x = 0;
      this.y = (this.y + 1) % 2;
    }
  }

  write(bytes: Uint8Array): void {
    const buf = [...this.pending, ...bytes];
    let i = 0;
    while (i < buf.length) {
      const c = buf[i] ?? 0;
      const need = (n: number): boolean => i + n <= buf.length;
      if (c === 0x1b) {
        if (!need(2)) break;
        const cmd = buf[i + 1];
        if (cmd === 0x40) {
          this.clearScreen();
          this.codePage = 'CP437';
          i += 2;
        } else if (cmd === 0x74 || cmd === 0x3d || cmd === 0x52) {
          if (!need(3)) break;
          if (cmd === 0x74) this.codePage = codePageFromNumber(buf[i + 2] ?? 0, 'epson') ?? this.codePage;
          i += 3;
        } else i += 2;
      } else if (c === 0x1f) {
        if (!need(2)) break;
        const cmd = buf[i + 1];
        if (cmd === 0x24) {
          if (!need(4)) break;
          this.x = Math.min(this.width - 1, Math.max(0, (buf[i + 2] ?? 1) - 1));
          this.y = Math.min(1, Math.max(0, (buf[i + 3] ?? 1) - 1));
          i += 4;
        } else if (cmd === 0x01 || cmd === 0x02 || cmd === 0x03 || cmd === 0x42 || cmd === 0x43 || cmd === 0x58) {
          i += cmd === 0x43 || cmd === 0x58 ? 3 : 2;
        } else i += 2;
      } else if (c === 0x0c) {
        this.clearScreen();
        i++;
      } else if (c === 0x18) {
        const row = this.rows[this.y];
        if (row) row.fill(' ');
        this.x = 0;
        i++;
      } else if (c === 0x0d) {
        this.x = 0;
        i++;
      } else if (c === 0x0a) {
        this.y = (this.y + 1) % 2;
        i++;
      } else if (c === 0x08) {
        this.x = Math.max(0, this.x - 1);
        i++;
      } else if (c === 0x09) {
        this.x = Math.min(this.width - 1, this.x + 1);
        i++;
      } else if (c === 0x0b) {
        this.x = 0;
        this.y = 0;
        i++;
      } else if (c >= 0x20) {
        this.put(decodeByte(c, this.codePage));
        i++;
      } else i++;
    }
    this.pending = buf.slice(i);
    if (this.pending.length === 0) this.history.push(this.lines);
  }

  /** Reads from the device end of a PTY (or a MockBinding port with `mock: true`). */
  async attach(devicePath: string, mock = false): Promise<void> {
    const port = await openSerial({ path: devicePath, mock });
    port.on('data', (d: Buffer) => this.write(new Uint8Array(d)));
    this.port = port;
  }

  async detach(): Promise<void> {
    const p = this.port;
    this.port = null;
    if (p) await closeSerial(p);
  }
}
