/**
 * The till's device configuration: which printer, drawer, scanner and pole display are attached and how.
 *
 * Kept as a JSON file beside the terminal database (`devices-<till>.json`, e.g. `devices-M001-01.json` for
 * `terminal-M001-01.sqlite`; `TPV_DEVICES_FILE` overrides the path). `TPV_PRINTER` / `TPV_DISPLAY` still
 * override the file's printer / display when the process starts (a field engineer's quick switch); a
 * manager's `PUT /api/devices/config` replaces the running configuration and is written to the file.
 *
 * Validated with zod: a bad file or body changes nothing (the file is reported and the defaults are used).
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const TcpUrl = z.string().regex(/^tcp:\/\/[^/:\s]+(:\d{1,5})?\/?$/, 'expected tcp://host:port');
const SerialUrl = z.string().regex(/^serial:\/[^@\s]+(@\d{3,7})?$/, 'expected serial:/dev/ttyUSB0@9600');
const DevicePath = z.string().regex(/^\/[^\s]+$/, 'expected an absolute device path such as /dev/usb/lp0');
const Baud = z.number().int().min(300).max(921_600);
const HttpUrl = z.url({ protocol: /^https?$/ });

export const PrinterConfigSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({
    kind: z.literal('escpos-tcp'),
    interface: TcpUrl,
    columns: z.union([z.literal(32), z.literal(48)]).default(48),
    /**
     * How the printer prints the receipt's logo (issue 19): `gs_paren_l` keeps it in NV memory by key (Epson
     * TM-T20II and later), `raster` sends it as a `GS v 0` image on every receipt (printers without it; the default).
     */
    logo: z.enum(['gs_paren_l', 'raster']).optional(),
    /** Where the printed receipts can be seen (a virtual printer's preview endpoint); optional. */
    previewUrl: HttpUrl.optional(),
  }),
  z.strictObject({
    kind: z.enum(['epson', 'star']),
    interface: z.union([TcpUrl, SerialUrl, DevicePath]),
    columns: z.union([z.literal(32), z.literal(48)]).default(48),
    previewUrl: HttpUrl.optional(),
  }),
]);

export const DrawerConfigSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({
    kind: z.literal('printer-kick'),
    pin: z.union([z.literal(2), z.literal(5)]).default(2),
    pulseMs: z.number().int().min(10).max(1270).default(50),
  }),
  z.strictObject({ kind: z.literal('serial'), path: DevicePath, baud: Baud.default(9600) }),
]);

export const ScannerConfigSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({
    kind: z.literal('serial'),
    path: DevicePath,
    baud: Baud.default(9600),
    suffix: z.enum(['\r', '\n', '\r\n']).default('\r'),
  }),
  z.strictObject({
    kind: z.literal('hid'),
    vendorId: z.number().int().min(0).max(0xffff),
    productId: z.number().int().min(0).max(0xffff),
  }),
]);

export const DisplayConfigSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({ kind: z.literal('serial'), path: DevicePath, baud: Baud.default(9600) }),
]);

export const DevicesConfigSchema = z.strictObject({
  printer: PrinterConfigSchema.default({ kind: 'none' }),
  drawer: DrawerConfigSchema.default({ kind: 'none' }),
  scanner: ScannerConfigSchema.default({ kind: 'none' }),
  display: DisplayConfigSchema.default({ kind: 'none' }),
});

export type DevicesConfig = z.output<typeof DevicesConfigSchema>;
export type PrinterConfig = DevicesConfig['printer'];
export type DrawerConfig = DevicesConfig['drawer'];
export type ScannerConfig = DevicesConfig['scanner'];
export type DisplayConfig = DevicesConfig['display'];

export const DEFAULT_DEVICES: DevicesConfig = {
  printer: { kind: 'none' },
  drawer: { kind: 'none' },
  scanner: { kind: 'none' },
  display: { kind: 'none' },
};

/** `<dir of db>/devices-<till>.json`; `<till>` is the database name without `terminal-` and `.sqlite`. */
export function devicesFilePath(databaseFile: string, env: NodeJS.ProcessEnv = process.env): string {
  const override = env.TPV_DEVICES_FILE?.trim();
  if (override) return path.resolve(override);
  const base = path.basename(databaseFile).replace(/\.(sqlite3?|db)$/i, '').replace(/^terminal-/, '');
  return path.join(path.dirname(databaseFile), `devices-${base || 'terminal'}.json`);
}

/** `TPV_PRINTER=tcp://host:port` and `TPV_DISPLAY=/dev/ttyX[@baud]` on top of a configuration. */
export function applyEnvOverrides(config: DevicesConfig, env: NodeJS.ProcessEnv = process.env): { config: DevicesConfig; overridden: Array<'printer' | 'display'> } {
  const overridden: Array<'printer' | 'display'> = [];
  let out = config;
  const printer = env.TPV_PRINTER?.trim();
  if (printer) {
    const p = PrinterConfigSchema.safeParse({ kind: 'escpos-tcp', interface: printer, columns: config.printer.kind === 'none' ? 48 : config.printer.columns });
    if (!p.success) throw new Error(`TPV_PRINTER=${printer}: ${p.error.issues.map((i) => i.message).join('; ')}`);
    const previewUrl = config.printer.kind !== 'none' ? config.printer.previewUrl : undefined;
    out = { ...out, printer: { ...p.data, ...(previewUrl ? { previewUrl } : {}) } as PrinterConfig };
    // A printer from the environment brings its kick drawer unless the file says otherwise.
    if (out.drawer.kind === 'none') out = { ...out, drawer: { kind: 'printer-kick', pin: 2, pulseMs: 50 } };
    overridden.push('printer');
  }
  const display = env.TPV_DISPLAY?.trim();
  if (display) {
    const [p, baud] = display.split('@');
    const d = DisplayConfigSchema.safeParse({ kind: 'serial', path: p, baud: baud ? Number(baud) : 9600 });
    if (!d.success) throw new Error(`TPV_DISPLAY=${display}: ${d.error.issues.map((i) => i.message).join('; ')}`);
    out = { ...out, display: d.data };
    overridden.push('display');
  }
  return { config: out, overridden };
}

export type LoadedDevices = { config: DevicesConfig; problem?: string };

/** Reads and validates the file; a missing file is the defaults, a bad one is the defaults plus a problem. */
export function readDevicesFile(file: string): LoadedDevices {
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { config: DEFAULT_DEVICES };
    return { config: DEFAULT_DEVICES, problem: `${file}: ${(e as Error).message}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    return { config: DEFAULT_DEVICES, problem: `${file}: not JSON (${(e as Error).message})` };
  }
  const parsed = DevicesConfigSchema.safeParse(json);
  if (!parsed.success) {
    return { config: DEFAULT_DEVICES, problem: `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}` };
  }
  return { config: parsed.data };
}

/** Writes atomically (temp file + rename), so a crash never leaves half a file. */
export function writeDevicesFile(file: string, config: DevicesConfig): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(config, null, 2)}\n`);
  fs.renameSync(tmp, file);
}
