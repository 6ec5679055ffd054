/**
 * Hardware ports (ARCHITECTURE invariant 7): the terminal talks to these interfaces only; adapters implement
 * them over node-thermal-printer / serialport / node-hid, virtual devices speak the same wire protocols.
 */
import type { EventEmitter } from 'node:events';
import type { ReceiptDocument } from '@tpv/shared/receipt';

export interface PrinterStatus {
  readonly online: boolean;
  readonly coverOpen: boolean;
  readonly paperNearEnd: boolean;
  readonly paperOut: boolean;
  /** Drawer open-sensor level (connector pin 3), where the printer reports it. */
  readonly drawerOpen?: boolean;
  readonly error?: string;
}

export const OFFLINE: PrinterStatus = { online: false, coverOpen: false, paperNearEnd: false, paperOut: false };

/** Whether a job sent now would print. */
export const canPrint = (s: PrinterStatus): boolean => s.online && !s.coverOpen && !s.paperOut && !s.error;

export interface ReceiptPrinter {
  /** Sends the whole document as one job; rejects if it could not be handed to the printer. */
  print(doc: ReceiptDocument): Promise<void>;
  /** Never rejects: an unreachable printer is `{ online: false }`. */
  status(): Promise<PrinterStatus>;
}

export interface CashDrawer {
  open(): Promise<void>;
  status?(): Promise<{ readonly open: boolean } | undefined>;
}

export type Symbology =
  | 'EAN13'
  | 'EAN8'
  | 'UPC-A'
  | 'UPC-E'
  | 'CODE128'
  | 'GS1-128'
  | 'CODE39'
  | 'CODE93'
  | 'ITF'
  | 'CODABAR'
  | 'QR'
  | 'DATAMATRIX'
  | 'PDF417'
  | 'GS1-DATABAR'
  | 'UNKNOWN';

export interface ScanEvent {
  readonly data: string;
  readonly symbology: Symbology;
  /** Which device produced it, e.g. `serial:/dev/ttyACM0` or `hid:0c2e:0b61`. */
  readonly source: string;
}

export interface BarcodeSourceEvents {
  scan: [ScanEvent];
  connected: [];
  disconnected: [Error | undefined];
  error: [Error];
}

/** Emits `scan`, `connected`, `disconnected`, `error`; reconnects by itself after the device vanishes. */
export interface BarcodeSource extends EventEmitter<BarcodeSourceEvents> {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  readonly connected: boolean;
}

/** A 2 × 20 customer pole display. Lines longer than the width are cut. */
export interface CustomerDisplay {
  show(line1: string, line2?: string): Promise<void>;
  clear(): Promise<void>;
}
