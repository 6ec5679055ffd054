/**
 * HID POS barcode scanner (HID usage page 0x8C "Bar Code Scanner"), over node-hid.
 *
 * Report layout (Honeywell / Zebra / Datalogic "HID POS" mode, 64-byte input report):
 *   [0] report id (0x02)   [1] n = bytes of barcode data in this report
 *   [2..4] AIM symbology identifier (`]E0`) or zeros   [5 .. 5+n) data   [last] 0x01 = more reports follow
 * A long barcode spans several reports; `HidPosReassembler` (pure) joins them and resolves the symbology
 * from the AIM identifier, which it also strips when the scanner puts it at the head of the data instead.
 */
import type { ScanEvent, Symbology } from '../ports';
import { ReconnectingSource, type ReconnectOptions } from './reconnecting-source';

/** AIM code character + modifier → symbology. */
export function symbologyFromAim(code: string, modifier: string, data = ''): Symbology {
  switch (code) {
    case 'E':
      if (modifier === '4') return 'EAN8';
      return data.length === 12 ? 'UPC-A' : 'EAN13';
    case 'C':
      return modifier === '1' ? 'GS1-128' : 'CODE128';
    case 'A':
      return 'CODE39';
    case 'G':
      return 'CODE93';
    case 'I':
      return 'ITF';
    case 'F':
      return 'CODABAR';
    case 'Q':
      return 'QR';
    case 'd':
      return 'DATAMATRIX';
    case 'L':
      return 'PDF417';
    case 'e':
      return 'GS1-DATABAR';
    default:
      return 'UNKNOWN';
  }
}

/** Strips a leading AIM identifier (`]` + code + modifier) and names the symbology. */
export function parseAimPrefix(raw: string): { data: string; symbology: Symbology; aim?: string } {
  const m = /^\](.)(.)/.exec(raw);
  if (!m) return { data: raw, symbology: guessSymbology(raw) };
  const data = raw.slice(3);
  return { data, symbology: symbologyFromAim(m[1] ?? '', m[2] ?? '', data), aim: m[0] };
}

/** Best guess without an identifier: digits of EAN/UPC lengths, else unknown. */
export function guessSymbology(data: string): Symbology {
  if (/^\d{13}$/.test(data)) return 'EAN13';
  if (/^\d{8}$/.test(data)) return 'EAN8';
  if (/^\d{12}$/.test(data)) return 'UPC-A';
  return 'UNKNOWN';
}

export interface HidPosLayout {
  readonly reportId: number;
  readonly lengthIndex: number;
  readonly aimIndex: number;
  readonly dataIndex: number;
  /** Index of the "more reports follow" flag; negative counts from the end. */
  readonly moreIndex: number;
}

export const DEFAULT_HID_POS_LAYOUT: HidPosLayout = { reportId: 0x02, lengthIndex: 1, aimIndex: 2, dataIndex: 5, moreIndex: -1 };

/** Joins multi-report barcodes. `push` returns a scan when the last report of a barcode arrives. */
export class HidPosReassembler {
  private parts: number[] = [];
  private aim = '';

  constructor(
    private readonly source = 'hid',
    private readonly layout: HidPosLayout = DEFAULT_HID_POS_LAYOUT,
  ) {}

  push(report: Uint8Array): ScanEvent | null {
    const L = this.layout;
    if (report.length <= L.dataIndex || report[0] !== L.reportId) return null;
    const n = Math.min(report[L.lengthIndex] ?? 0, report.length - L.dataIndex - 1);
    if (this.parts.length === 0) {
      const aimBytes = report.subarray(L.aimIndex, L.aimIndex + 3);
      this.aim = aimBytes[0] === 0x5d ? String.fromCharCode(...aimBytes) : '';
    }
    for (let k = 0; k < n; k++) this.parts.push(report[L.dataIndex + k] ?? 0);
    const moreAt = L.moreIndex < 0 ? report.length + L.moreIndex : L.moreIndex;
    if ((report[moreAt] ?? 0) & 0x01) return null;
    const raw = new TextDecoder('latin1').decode(Uint8Array.from(this.parts));
    this.parts = [];
    const aim = this.aim;
    this.aim = '';
    if (aim) {
      const code = aim[1] ?? '';
      const mod = aim[2] ?? '';
      // Some scanners send the identifier both in the header and at the head of the data.
      const data = raw.startsWith(aim) ? raw.slice(3) : raw;
      return { data, symbology: symbologyFromAim(code, mod, data), source: this.source };
    }
    const p = parseAimPrefix(raw);
    return { data: p.data, symbology: p.symbology, source: this.source };
  }

  reset(): void {
    this.parts = [];
    this.aim = '';
  }
}

/** The minimal node-hid device surface we use (so tests can hand in a fake). */
export interface HidDeviceLike {
  on(event: 'data', cb: (data: Buffer) => void): unknown;
  on(event: 'error', cb: (err: Error) => void): unknown;
  close(): void;
}

export interface HidPosScannerOptions {
  readonly vendorId?: number;
  readonly productId?: number;
  readonly path?: string;
  readonly layout?: HidPosLayout;
  readonly reconnect?: ReconnectOptions;
  /** Opens the device; default uses node-hid, picking the first interface with usage page 0x8C. */
  readonly open?: () => Promise<HidDeviceLike>;
}

async function openWithNodeHid(o: HidPosScannerOptions): Promise<HidDeviceLike> {
  const HID = await import('node-hid');
  if (o.path) return new HID.HID(o.path);
  const dev = HID.devices().find(
    (d) => d.usagePage === 0x8c && (o.vendorId === undefined || d.vendorId === o.vendorId) && (o.productId === undefined || d.productId === o.productId),
  );
  if (!dev?.path) throw new Error('no HID POS scanner (usage page 0x8C) found');
  return new HID.HID(dev.path);
}

/** `BarcodeSource` over a HID POS scanner, reconnecting with backoff when it is unplugged. */
export class HidPosScanner extends ReconnectingSource<HidDeviceLike> {
  private readonly reassembler: HidPosReassembler;

  constructor(private readonly opts: HidPosScannerOptions = {}) {
    super(opts.reconnect);
    const id = opts.path ?? `${(opts.vendorId ?? 0).toString(16).padStart(4, '0')}:${(opts.productId ?? 0).toString(16).padStart(4, '0')}`;
    this.reassembler = new HidPosReassembler(`hid:${id}`, opts.layout);
  }

  protected openHandle(): Promise<HidDeviceLike> {
    return (this.opts.open ?? (() => openWithNodeHid(this.opts)))();
  }

  protected attach(dev: HidDeviceLike): void {
    this.reassembler.reset();
    dev.on('data', (d: Buffer) => {
      const scan = this.reassembler.push(new Uint8Array(d));
      if (scan) this.emit('scan', scan);
    });
    dev.on('error', (e: Error) => this.lost(dev, e));
  }

  protected closeHandle(dev: HidDeviceLike): void {
    try {
      dev.close();
    } catch {
      // already gone
    }
  }
}
