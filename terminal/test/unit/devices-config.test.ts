/** Device configuration: what the schema accepts (with its defaults), what it refuses, env overrides, file path. */
import { describe, expect, it } from 'vitest';
import { applyEnvOverrides, DEFAULT_DEVICES, DevicesConfigSchema, devicesFilePath } from '../../src/devices/config';

describe('DevicesConfigSchema', () => {
  it.each([
    ['empty object → every device none', {}, DEFAULT_DEVICES],
    [
      'escpos-tcp printer with kick drawer (defaults filled in)',
      { printer: { kind: 'escpos-tcp', interface: 'tcp://192.168.1.50:9100' }, drawer: { kind: 'printer-kick' } },
      { ...DEFAULT_DEVICES, printer: { kind: 'escpos-tcp', interface: 'tcp://192.168.1.50:9100', columns: 48 }, drawer: { kind: 'printer-kick', pin: 2, pulseMs: 50 } },
    ],
    [
      'epson on a USB device file, 58 mm',
      { printer: { kind: 'epson', interface: '/dev/usb/lp0', columns: 32 } },
      { ...DEFAULT_DEVICES, printer: { kind: 'epson', interface: '/dev/usb/lp0', columns: 32 } },
    ],
    [
      'star on a serial line, drawer pin 5 with a 100 ms pulse',
      { printer: { kind: 'star', interface: 'serial:/dev/ttyUSB0@19200', columns: 48 }, drawer: { kind: 'printer-kick', pin: 5, pulseMs: 100 } },
      { ...DEFAULT_DEVICES, printer: { kind: 'star', interface: 'serial:/dev/ttyUSB0@19200', columns: 48 }, drawer: { kind: 'printer-kick', pin: 5, pulseMs: 100 } },
    ],
    [
      'serial scanner with CRLF suffix, HID scanner ids, serial display',
      { scanner: { kind: 'serial', path: '/dev/ttyACM0', suffix: '\r\n' }, display: { kind: 'serial', path: '/dev/ttyUSB1', baud: 9600 } },
      { ...DEFAULT_DEVICES, scanner: { kind: 'serial', path: '/dev/ttyACM0', baud: 9600, suffix: '\r\n' }, display: { kind: 'serial', path: '/dev/ttyUSB1', baud: 9600 } },
    ],
    [
      'HID scanner',
      { scanner: { kind: 'hid', vendorId: 0x0c2e, productId: 0x0b61 } },
      { ...DEFAULT_DEVICES, scanner: { kind: 'hid', vendorId: 0x0c2e, productId: 0x0b61 } },
    ],
    [
      'preview URL of a virtual printer',
      { printer: { kind: 'escpos-tcp', interface: 'tcp://127.0.0.1:40123', columns: 48, previewUrl: 'http://127.0.0.1:40200/printers/M001-01/receipts' } },
      { ...DEFAULT_DEVICES, printer: { kind: 'escpos-tcp', interface: 'tcp://127.0.0.1:40123', columns: 48, previewUrl: 'http://127.0.0.1:40200/printers/M001-01/receipts' } },
    ],
  ])('accepts %s', (_name, input, expected) => {
    const r = DevicesConfigSchema.safeParse(input);
    expect(r.success && r.data).toEqual(expected);
  });

  it.each([
    ['unknown printer kind', { printer: { kind: 'laser', interface: 'tcp://a:1' } }, 'printer.kind'],
    ['escpos-tcp on a device file', { printer: { kind: 'escpos-tcp', interface: '/dev/usb/lp0' } }, 'printer.interface'],
    ['epson with a bare host', { printer: { kind: 'epson', interface: '192.168.1.50' } }, 'printer.interface'],
    ['80 columns', { printer: { kind: 'epson', interface: 'tcp://a:9100', columns: 80 } }, 'printer.columns'],
    ['drawer pin 3', { drawer: { kind: 'printer-kick', pin: 3 } }, 'drawer.pin'],
    ['drawer pulse 0 ms', { drawer: { kind: 'printer-kick', pulseMs: 0 } }, 'drawer.pulseMs'],
    ['serial scanner without path', { scanner: { kind: 'serial' } }, 'scanner.path'],
    ['scanner suffix TAB', { scanner: { kind: 'serial', path: '/dev/ttyACM0', suffix: '\t' } }, 'scanner.suffix'],
    ['HID vendor id out of range', { scanner: { kind: 'hid', vendorId: 70000, productId: 1 } }, 'scanner.vendorId'],
    ['relative display path', { display: { kind: 'serial', path: 'ttyUSB0' } }, 'display.path'],
    ['baud 12', { display: { kind: 'serial', path: '/dev/ttyUSB0', baud: 12 } }, 'display.baud'],
    ['preview URL not http', { printer: { kind: 'escpos-tcp', interface: 'tcp://a:1', previewUrl: 'file:///etc/passwd' } }, 'printer.previewUrl'],
    ['extra field', { printer: { kind: 'none', interface: 'tcp://a:1' } }, 'printer'],
    ['unknown device', { camera: { kind: 'none' } }, ''],
  ])('refuses %s (at %s)', (_name, input, pathPrefix) => {
    const r = DevicesConfigSchema.safeParse(input);
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.issues.map((i) => i.path.join('.')).some((p) => p.startsWith(pathPrefix))).toBe(true);
  });
});

describe('environment overrides', () => {
  it('TPV_PRINTER makes an escpos-tcp printer (kick drawer if none), TPV_DISPLAY a serial display', () => {
    const { config, overridden } = applyEnvOverrides(DEFAULT_DEVICES, { TPV_PRINTER: 'tcp://10.0.0.5:9100', TPV_DISPLAY: '/dev/ttyUSB3@19200' });
    expect(config).toEqual({
      printer: { kind: 'escpos-tcp', interface: 'tcp://10.0.0.5:9100', columns: 48 },
      drawer: { kind: 'printer-kick', pin: 2, pulseMs: 50 },
      scanner: { kind: 'none' },
      display: { kind: 'serial', path: '/dev/ttyUSB3', baud: 19200 },
    });
    expect(overridden).toEqual(['printer', 'display']);
  });

  it('keeps the file when nothing is set, and refuses a bad TPV_PRINTER loudly', () => {
    expect(applyEnvOverrides(DEFAULT_DEVICES, {})).toEqual({ config: DEFAULT_DEVICES, overridden: [] });
    expect(() => applyEnvOverrides(DEFAULT_DEVICES, { TPV_PRINTER: 'lp0' })).toThrow(/TPV_PRINTER/);
  });
});

describe('devicesFilePath', () => {
  it('sits next to the database, named after the till; TPV_DEVICES_FILE overrides', () => {
    expect(devicesFilePath('/data/terminal-M001-01.sqlite', {})).toBe('/data/devices-M001-01.json');
    expect(devicesFilePath('/tmp/x/terminal.sqlite', {})).toBe('/tmp/x/devices-terminal.json');
    expect(devicesFilePath('/data/terminal-M001-01.sqlite', { TPV_DEVICES_FILE: '/etc/tpv/devices.json' })).toBe('/etc/tpv/devices.json');
  });
});
