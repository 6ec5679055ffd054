/**
 * `npm run devices` — what hardware this machine sees, and a test print.
 *
 *   npm run devices                                  list serial ports and HID devices
 *   npm run devices -- --test-print tcp://host:9100  print a sample receipt, kick the drawer, show status
 *        [--type epson|star] [--columns 48|32] [--no-drawer]
 *   npm run devices -- --test-print virtual          same against an in-process virtual printer; prints
 *                                                    what it decoded
 *   npm run devices -- --serve-virtual 9100 [--type star] [--columns 32]
 *                                                    runs a virtual TCP printer and shows each receipt
 */
import { SerialPort } from 'serialport';
import { buildSaleReceipt, type SaleReceiptData } from '@tpv/shared/receipt';
import { PrinterKickDrawer, ThermalPrinterAdapter } from '@tpv/drivers/adapters/thermal-printer';
import { VirtualPrinter } from '@tpv/drivers/virtual/printer';

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

async function listSerial(): Promise<void> {
  console.log('Serial ports:');
  try {
    const ports = await SerialPort.list();
    if (!ports.length) console.log('  (none)');
    for (const p of ports) {
      const id = p.vendorId ? ` [${p.vendorId}:${p.productId ?? '????'}]` : '';
      console.log(`  ${p.path}${id} ${p.manufacturer ?? ''}${p.serialNumber ? ` s/n ${p.serialNumber}` : ''}`);
    }
  } catch (e) {
    const msg = (e as Error).message;
    console.log(/udevadm|ENOENT/.test(msg) ? '  (cannot list: udevadm is not installed; open a known path such as /dev/ttyUSB0)' : `  (cannot list: ${msg})`);
  }
}

async function listHid(): Promise<void> {
  console.log('HID devices:');
  try {
    const HID = await import('node-hid');
    const devices = HID.devices();
    if (!devices.length) console.log('  (none)');
    for (const d of devices) {
      const pos = d.usagePage === 0x8c ? '  <- HID POS barcode scanner (usage page 0x8C)' : '';
      const id = `${d.vendorId.toString(16).padStart(4, '0')}:${d.productId.toString(16).padStart(4, '0')}`;
      console.log(`  ${id} ${d.manufacturer ?? ''} ${d.product ?? ''} page 0x${(d.usagePage ?? 0).toString(16)} ${d.path ?? ''}${pos}`);
    }
  } catch (e) {
    console.log(`  (cannot list: ${(e as Error).message})`);
  }
}

const sample: SaleReceiptData = {
  kind: 'sale',
  store: { tradeName: 'TPV prueba', legalName: 'Tienda de Pruebas, S.L.', nif: 'B00000000', addressLines: ['C/ Ñandú, 1', '28001 Madrid'] },
  fiscalNumber: 'TEST-0000/000001',
  issuedAt: '2026-01-01T12:00:00+01:00',
  cashier: 'Técnico',
  lines: [
    { description: 'Artículo de prueba ¿€ñáéíóúü¡', quantity: { kind: 'units', units: 1 }, unitPrice: 121, gross: 121, total: 121 },
    { description: 'Fruta a granel', quantity: { kind: 'weight', grams: 512 }, unitPrice: 1290, gross: 660, total: 660 },
  ],
  taxes: [
    { kind: 'iva', rateBp: 2100, base: 100, cuota: 21 },
    { kind: 'iva', rateBp: 400, base: 635, cuota: 25 },
  ],
  total: 781,
  payments: [{ label: 'Efectivo', amount: 1000 }],
  change: 219,
  qrEnv: 'test',
  footer: ['*** TICKET DE PRUEBA, SIN VALOR ***'],
};

async function testPrint(target: string): Promise<void> {
  const type = opt('--type') === 'star' ? 'star' : 'epson';
  const columns = opt('--columns') === '32' ? 32 : 48;
  let virtual: VirtualPrinter | null = null;
  let url = target;
  if (target === 'virtual') {
    virtual = new VirtualPrinter({ port: 0, dialect: type, columns });
    await virtual.start();
    url = virtual.url;
  }
  const printer = new ThermalPrinterAdapter({ type, connection: url, columns });
  console.log(`Status before: ${JSON.stringify(await printer.status())}`);
  await printer.print(buildSaleReceipt(sample));
  console.log(`Printed a sample receipt to ${url} (${type}, ${columns} columns).`);
  if (!args.includes('--no-drawer')) {
    await new PrinterKickDrawer(printer, type === 'star' ? { commandSet: 'star' } : {}).open();
    console.log('Drawer pulse sent (pin 2, 50 ms on / 500 ms off).');
  }
  console.log(`Status after: ${JSON.stringify(await printer.status())}`);
  if (virtual) {
    await new Promise((r) => setTimeout(r, 200));
    console.log(virtual.last?.text ?? '(nothing decoded)');
    console.log(`Drawer open: ${virtual.drawer.open}`);
    await virtual.stop();
  }
}

async function serveVirtual(port: number): Promise<void> {
  const type = opt('--type') === 'star' ? 'star' : 'epson';
  const columns = opt('--columns') === '32' ? 32 : 48;
  const vp = new VirtualPrinter({ port, dialect: type, columns });
  await vp.start();
  console.log(`Virtual ${type} printer on ${vp.url} (${columns} columns). Ctrl-C to stop.`);
  vp.on('receipt', (r) => console.log(`\n--- receipt #${r.id} ---\n${r.text}`));
  vp.drawer.on('opened', (p) => console.log(`[drawer opened: pin ${p.pin}, ${p.onMs} ms]`));
  await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  await vp.stop();
}

async function main(): Promise<void> {
  const serve = opt('--serve-virtual');
  if (serve !== undefined) return serveVirtual(Number(serve) || 9100);
  const target = opt('--test-print');
  if (target) return testPrint(target);
  await listSerial();
  await listHid();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
