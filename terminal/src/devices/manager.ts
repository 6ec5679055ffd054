/**
 * The till's devices behind stable ports (ARCHITECTURE invariant 7). The selling code holds the `printer`,
 * `drawer` and `display` of this manager for the life of the process; `apply(config)` swaps the adapters
 * behind them without a restart (the print queue keeps its jobs and simply prints to the new printer).
 *
 * Also: serial / HID scanners → `scan` events (the drivers' adapters reconnect by themselves when a cable
 * is pulled), and a printer status monitor (`status` events when online / paper / cover change, so the
 * screen's banner is live and the print queue is woken as soon as the printer is back).
 */
import { EventEmitter } from 'node:events';
import { EscPosTcpPrinter, type LogoMemory } from '@tpv/drivers/adapters/escpos-tcp';
import { HidPosScanner } from '@tpv/drivers/adapters/hid-pos';
import { SerialPoleDisplay } from '@tpv/drivers/adapters/pole-display';
import { SerialScanner } from '@tpv/drivers/adapters/serial-scanner';
import { PrinterKickDrawer, SerialDrawer, ThermalPrinterAdapter } from '@tpv/drivers/adapters/thermal-printer';
import { drawerPulse } from '@tpv/drivers/escpos/encoder';
import type { BarcodeSource, CashDrawer, CustomerDisplay, PrinterStatus, ReceiptPrinter, ScanEvent } from '@tpv/drivers/ports';
import { RecordingDrawer, RecordingPrinter } from '../printing/devices';
import { DEFAULT_DEVICES, writeDevicesFile, type DevicesConfig } from './config';

interface Built {
  config: DevicesConfig;
  printer: ReceiptPrinter;
  drawer: CashDrawer;
  scanner: BarcodeSource | null;
  display: (CustomerDisplay & { close?(): Promise<void> }) | null;
}

type RawPrinter = ReceiptPrinter & { sendRaw(bytes: Uint8Array): Promise<void> };

/** Adapters for a configuration (no I/O yet: connections are opened on first use / `connect`). */
export function buildDevices(config: DevicesConfig, logoMemory?: LogoMemory): Built {
  const p = config.printer;
  let printer: ReceiptPrinter;
  let raw: RawPrinter | null = null;
  if (p.kind === 'escpos-tcp') printer = raw = new EscPosTcpPrinter(p.interface, { columns: p.columns, ...(p.logo ? { logoMode: p.logo } : {}), ...(logoMemory ? { logoMemory } : {}) });
  else if (p.kind === 'epson' || p.kind === 'star') printer = raw = new ThermalPrinterAdapter({ type: p.kind, connection: p.interface, columns: p.columns });
  else printer = new RecordingPrinter();

  const d = config.drawer;
  let drawer: CashDrawer;
  if (d.kind === 'printer-kick' && raw) {
    drawer = new PrinterKickDrawer(raw, { pin: d.pin, onMs: d.pulseMs, offMs: 500, commandSet: p.kind === 'star' ? 'star' : 'escpos' });
  } else if (d.kind === 'serial') drawer = new SerialDrawer({ path: d.path, baudRate: d.baud }, drawerPulse(2, 50, 500));
  else drawer = new RecordingDrawer();

  const s = config.scanner;
  const scanner: BarcodeSource | null =
    s.kind === 'serial'
      ? new SerialScanner({ path: s.path, baudRate: s.baud, suffix: s.suffix, reconnect: { initialMs: 250, maxMs: 5000 } })
      : s.kind === 'hid'
        ? new HidPosScanner({ vendorId: s.vendorId, productId: s.productId, reconnect: { initialMs: 250, maxMs: 5000 } })
        : null;

  const v = config.display;
  const display = v.kind === 'serial' ? new SerialPoleDisplay({ path: v.path, baudRate: v.baud }) : null;
  return { config, printer, drawer, scanner, display };
}

export interface DevicesStatus {
  config: DevicesConfig;
  file: string;
  /** Parts of `config` that come from TPV_PRINTER / TPV_DISPLAY rather than the file. */
  overridden: string[];
  /** Why the file was not used (bad JSON / shape), if so. */
  fileProblem?: string;
  printer: PrinterStatus & { kind: string; interface?: string };
  drawer: { kind: string; open?: boolean; lastError?: string };
  scanner: { kind: string; connected: boolean; source?: string; lastScan?: { data: string; at: string }; lastError?: string };
  display: { kind: string; line1?: string; line2?: string; lastError?: string };
}

type Events = { scan: [ScanEvent]; status: []; applied: [DevicesConfig] };

export interface DeviceManagerOptions {
  file: string;
  config: DevicesConfig;
  overridden?: string[];
  fileProblem?: string;
  /** Printer status poll period (ms); 0 turns the monitor off. Default 3000. */
  monitorMs?: number;
  log?: (msg: string) => void;
  logoMemory?: LogoMemory;
}

export class DeviceManager extends EventEmitter<Events> {
  private current: Built;
  private overridden: string[];
  private fileProblem: string | undefined;
  private lastPrinter: PrinterStatus | null = null;
  private lastScan: { data: string; at: string } | undefined;
  private scannerError: string | undefined;
  private drawerError: string | undefined;
  private displayLines: { line1: string; line2: string } | undefined;
  private displayError: string | undefined;
  private monitor: NodeJS.Timeout | null = null;
  private polling = false;
  private updating: Promise<void> = Promise.resolve();
  private readonly log: (msg: string) => void;
  /** Which logo each printer holds (the till's SQLite), so `GS ( L` stores it once per logo. */
  private logoMemory: LogoMemory | undefined;
  /** What the adapters are given: reaches the memory set later (the manager is built before the database). */
  private readonly logos: LogoMemory = {
    held: (p) => this.logoMemory?.held(p) ?? null,
    remember: (p, id) => this.logoMemory?.remember(p, id),
  };
  readonly file: string;

  useLogoMemory(memory: LogoMemory): void {
    this.logoMemory = memory;
  }

  /** Stable ports for the selling code: they always reach the adapters of the current configuration. */
  readonly printer: ReceiptPrinter = {
    print: (doc) => this.current.printer.print(doc),
    status: () => this.current.printer.status(),
  };
  readonly drawer: CashDrawer = {
    open: () =>
      this.current.drawer.open().then(
        () => {
          this.drawerError = undefined;
        },
        (e: unknown) => {
          this.drawerError = (e as Error).message;
          throw e;
        },
      ),
    status: async () => (await this.current.drawer.status?.()) ?? undefined,
  };
  readonly display: CustomerDisplay = {
    show: async (line1, line2 = '') => {
      this.displayLines = { line1, line2 };
      await this.current.display?.show(line1, line2).then(
        () => {
          this.displayError = undefined;
        },
        (e: unknown) => {
          this.displayError = (e as Error).message;
        },
      );
    },
    clear: async () => {
      this.displayLines = undefined;
      await this.current.display?.clear().catch((e: unknown) => {
        this.displayError = (e as Error).message;
      });
    },
  };

  constructor(opts: DeviceManagerOptions) {
    super();
    this.file = opts.file;
    this.overridden = opts.overridden ?? [];
    this.fileProblem = opts.fileProblem;
    this.log = opts.log ?? ((m) => console.log(`[devices] ${m}`));
    this.logoMemory = opts.logoMemory;
    this.current = buildDevices(opts.config ?? DEFAULT_DEVICES, this.logos);
    const period = opts.monitorMs ?? 3000;
    if (period > 0) {
      this.monitor = setInterval(() => void this.pollPrinter(), period);
      this.monitor.unref();
    }
  }

  get config(): DevicesConfig {
    return this.current.config;
  }

  /** Opens the scanner (it keeps retrying in the background if the device is not there). */
  async start(): Promise<void> {
    await this.connectScanner(this.current);
    void this.pollPrinter();
  }

  async stop(): Promise<void> {
    if (this.monitor) clearInterval(this.monitor);
    this.monitor = null;
    await this.teardown(this.current);
  }

  /** Validated configuration → saved to the file, then swapped in (old adapters closed). One at a time. */
  update(config: DevicesConfig): Promise<void> {
    const run = this.updating.then(async () => {
      writeDevicesFile(this.file, config);
      this.overridden = [];
      this.fileProblem = undefined;
      await this.apply(config);
    });
    this.updating = run.catch(() => undefined);
    return run;
  }

  /** Swaps the adapters without touching the file. */
  async apply(config: DevicesConfig): Promise<void> {
    const next = buildDevices(config, this.logos);
    const old = this.current;
    this.current = next;
    this.lastPrinter = null;
    this.scannerError = undefined;
    this.drawerError = undefined;
    this.displayError = undefined;
    await this.teardown(old);
    await this.connectScanner(next);
    if (this.displayLines) void this.display.show(this.displayLines.line1, this.displayLines.line2);
    this.log(`applied printer=${config.printer.kind} drawer=${config.drawer.kind} scanner=${config.scanner.kind} display=${config.display.kind}`);
    this.emit('applied', config);
    await this.pollPrinter();
    this.emit('status');
  }

  async status(): Promise<DevicesStatus> {
    const c = this.current;
    const printer = await c.printer.status();
    const drawerState = await c.drawer.status?.().catch(() => undefined);
    return {
      config: c.config,
      file: this.file,
      overridden: this.overridden,
      ...(this.fileProblem ? { fileProblem: this.fileProblem } : {}),
      printer: { kind: c.config.printer.kind, ...(c.config.printer.kind !== 'none' ? { interface: c.config.printer.interface } : {}), ...printer },
      drawer: { kind: c.config.drawer.kind, ...(drawerState ? { open: drawerState.open } : {}), ...(this.drawerError ? { lastError: this.drawerError } : {}) },
      scanner: {
        kind: c.config.scanner.kind,
        connected: c.scanner?.connected ?? false,
        ...(c.scanner && 'source' in c.scanner ? { source: String((c.scanner as { source: unknown }).source) } : {}),
        ...(this.lastScan ? { lastScan: this.lastScan } : {}),
        ...(this.scannerError ? { lastError: this.scannerError } : {}),
      },
      display: { kind: c.config.display.kind, ...(this.displayLines ?? {}), ...(this.displayError ? { lastError: this.displayError } : {}) },
    };
  }

  private async connectScanner(b: Built): Promise<void> {
    const s = b.scanner;
    if (!s) return;
    s.on('scan', (ev) => {
      if (this.current !== b) return;
      this.lastScan = { data: ev.data, at: new Date().toISOString() };
      this.emit('scan', ev);
    });
    s.on('connected', () => {
      this.scannerError = undefined;
      this.log(`scanner connected (${b.config.scanner.kind})`);
      this.emit('status');
    });
    s.on('disconnected', (e) => {
      this.log(`scanner disconnected${e ? `: ${e.message}` : ''}; reconnecting`);
      this.emit('status');
    });
    s.on('error', (e) => {
      this.scannerError = e.message;
    });
    await s.connect().catch((e: unknown) => {
      this.scannerError = (e as Error).message;
    });
  }

  private async teardown(b: Built): Promise<void> {
    if (b.scanner) {
      b.scanner.removeAllListeners();
      b.scanner.on('error', () => undefined);
      await b.scanner.disconnect().catch(() => undefined);
    }
    await b.display?.close?.().catch(() => undefined);
  }

  /** Emits `status` when the printer's state changes (online, cover, paper). */
  private async pollPrinter(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const s = await this.current.printer.status();
      const prev = this.lastPrinter;
      this.lastPrinter = s;
      const changed = !prev || prev.online !== s.online || prev.coverOpen !== s.coverOpen || prev.paperOut !== s.paperOut || prev.paperNearEnd !== s.paperNearEnd;
      if (changed && prev) this.emit('status');
    } finally {
      this.polling = false;
    }
  }
}
