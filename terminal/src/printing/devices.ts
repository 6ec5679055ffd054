/**
 * Recording devices (no hardware: jobs and drawer kicks are kept in memory) and `devicesFromEnv`, the fixed
 * wiring tests use. The terminal process itself configures its devices through `../devices/` (devices file,
 * hot apply). `TPV_PRINTER=tcp://host:port` prints ESC/POS over raw TCP
 * (a real printer or the virtual one) and kicks the drawer through the printer's connector; without it the
 * terminal records jobs and drawer kicks in memory (demo without hardware, tests). `TPV_DISPLAY=/dev/ttyX[@baud]`
 * adds a serial pole display.
 */
import { EscPosTcpPrinter } from '@tpv/drivers/adapters/escpos-tcp';
import { drawerPulse } from '@tpv/drivers/escpos/encoder';
import type { CashDrawer, CustomerDisplay, PrinterStatus, ReceiptPrinter } from '@tpv/drivers/ports';
import { serialDisplayFromEnv } from './display';
import type { ReceiptDocument } from '@tpv/shared/receipt';

export class RecordingPrinter implements ReceiptPrinter {
  readonly printed: ReceiptDocument[] = [];
  online = true;
  async print(doc: ReceiptDocument): Promise<void> {
    // A real device is I/O: yield to the event loop so a backlog of jobs never starves the HTTP server.
    await new Promise((resolve) => setImmediate(resolve));
    if (!this.online) throw new Error('printer offline');
    this.printed.push(doc);
  }
  async status(): Promise<PrinterStatus> {
    await new Promise((resolve) => setImmediate(resolve));
    return { online: this.online, coverOpen: false, paperNearEnd: false, paperOut: false };
  }
}

export class RecordingDrawer implements CashDrawer {
  opened = 0;
  async open(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    this.opened++;
  }
}

export interface Devices {
  printer: ReceiptPrinter;
  drawer: CashDrawer;
  display?: CustomerDisplay | undefined;
  /** Human description for /api/devices. */
  description: string;
}

export function devicesFromEnv(env: NodeJS.ProcessEnv = process.env, columns: 32 | 48 = 48): Devices {
  const url = env.TPV_PRINTER?.trim();
  const display = serialDisplayFromEnv(env.TPV_DISPLAY);
  if (url) {
    const printer = new EscPosTcpPrinter(url, { columns });
    const drawer: CashDrawer = { open: () => printer.sendRaw(drawerPulse(2, 50, 500)) };
    return { printer, drawer, display, description: `escpos ${url}` };
  }
  return { printer: new RecordingPrinter(), drawer: new RecordingDrawer(), display, description: 'recording (no printer configured)' };
}
