/**
 * Epson real-time status (DLE EOT n) bytes: building them (virtual printer) and reading them (adapters).
 *
 * n = 1 printer:   bit2 drawer connector pin 3 HIGH, bit3 offline.
 * n = 2 offline:   bit2 cover open, bit3 paper fed by button, bit5 stopped by paper end, bit6 error.
 * n = 3 error:     bit3 autocutter error, bit5 unrecoverable, bit6 auto-recoverable.
 * n = 4 paper:     bits2-3 near-end, bits5-6 roll end.
 * Every answer has bit1 and bit4 set and bits 0 and 7 clear (mask 0x93 = 0x12), which tells a status byte
 * from noise.
 */
import type { PrinterStatus } from './ports';

export interface StatusFlags {
  readonly coverOpen: boolean;
  readonly paperOut: boolean;
  readonly paperNearEnd: boolean;
  readonly drawerOpen: boolean;
  readonly autocutterError?: boolean;
}

export function statusByte(n: number, f: StatusFlags): number {
  const offline = f.coverOpen || f.paperOut || !!f.autocutterError;
  switch (n) {
    case 1:
      return 0x12 | (f.drawerOpen ? 0x04 : 0) | (offline ? 0x08 : 0);
    case 2:
      return 0x12 | (f.coverOpen ? 0x04 : 0) | (f.paperOut ? 0x20 : 0) | (f.autocutterError ? 0x40 : 0);
    case 3:
      return 0x12 | (f.autocutterError ? 0x08 : 0);
    case 4:
      return 0x12 | (f.paperNearEnd || f.paperOut ? 0x0c : 0) | (f.paperOut ? 0x60 : 0);
    default:
      return 0x12;
  }
}

export const isStatusByte = (b: number): boolean => (b & 0x93) === 0x12;

/** Reads the answers to DLE EOT 1, 2 and 4 (in that order). */
export function parseStatusBytes(b1: number, b2: number, b4: number): PrinterStatus {
  if (![b1, b2, b4].every(isStatusByte)) {
    return { online: false, coverOpen: false, paperNearEnd: false, paperOut: false, error: 'invalid status bytes' };
  }
  const coverOpen = (b2 & 0x04) !== 0;
  const paperOut = (b4 & 0x60) !== 0 || (b2 & 0x20) !== 0;
  const error = (b2 & 0x40) !== 0 ? 'printer error' : undefined;
  return {
    online: (b1 & 0x08) === 0,
    coverOpen,
    paperNearEnd: (b4 & 0x0c) !== 0,
    paperOut,
    drawerOpen: (b1 & 0x04) !== 0,
    ...(error ? { error } : {}),
  };
}

/** DLE EOT 1, DLE EOT 2, DLE EOT 4 — the three questions `parseStatusBytes` reads. */
export const STATUS_QUERY = Uint8Array.from([0x10, 0x04, 0x01, 0x10, 0x04, 0x02, 0x10, 0x04, 0x04]);
