/**
 * Device configuration and live devices through the terminal's HTTP API and socket, with virtual devices
 * that speak the real protocols: a raw-TCP ESC/POS printer with its kick drawer, a serial scanner and a pole
 * display on socat pseudo-terminals.
 *
 * printing.test.ts covers one offline sale through the app object; here a whole stretch of a shift goes
 * through HTTP while the printer is off, the state the screen reads says so, and the backlog prints once,
 * in order, when the printer is back — woken by the device monitor, with no manual kick.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { VirtualPrinter } from '@tpv/drivers/virtual/printer';
import { VirtualSerialScanner } from '@tpv/drivers/virtual/scanner';
import { VirtualPoleDisplay } from '@tpv/drivers/virtual/pole-display';
import { PtyPair } from '@tpv/drivers/virtual/pty';
import { DEFAULT_DEVICES, type DevicesConfig } from '../../src/devices/config';
import { EAN, freshTerminalDb, STAFF, tempDir } from './support/fixture';
import { startDevicesTerminal, type DevicesTerminal } from './support/devices-server';

const dir = tempDir('tpv-devices-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const hasSocat = spawnSync('socat', ['-V'], { stdio: 'ignore' }).status === 0;

async function waitFor<T>(what: string, probe: () => T | Promise<T>, ms = 10_000): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  let last: T | undefined;
  while (Date.now() < end) {
    last = await probe();
    if (last) return last as NonNullable<T>;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}

const printerConfig = (vp: VirtualPrinter, extra: Partial<Extract<DevicesConfig['printer'], { kind: 'escpos-tcp' }>> = {}): DevicesConfig => ({
  ...DEFAULT_DEVICES,
  printer: { kind: 'escpos-tcp', interface: vp.url, columns: 48, ...extra },
  drawer: { kind: 'printer-kick', pin: 2, pulseMs: 50 },
});

async function sell(term: DevicesTerminal, code: string, payment: unknown): Promise<string> {
  const scan = await term.call('POST', '/api/cart/scan', { code });
  expect(scan.status).toBe(200);
  const out = await term.call('POST', '/api/cart/checkout', { payments: [payment] });
  expect(out.status, JSON.stringify(out.body)).toBe(200);
  return out.body.ticket.fiscalNumber as string;
}

const fiscalNumbersPrinted = (vp: VirtualPrinter): string[] => vp.receipts.flatMap((r) => r.barcodes.map((b) => b.data));
const auditActions = (term: DevicesTerminal, action: string) =>
  term.app.deps.db.prepare<[string], { actor_id: string; details: string }>('SELECT actor_id, details FROM audit_log WHERE action = ? ORDER BY at').all(action);

describe('device configuration through /api/devices', () => {
  it('is for managers, refuses bad input without changing anything, applies at once and survives a restart', async () => {
    const t = await freshTerminalDb(dir, 'config.sqlite');
    let term = await startDevicesTerminal(t);
    const vp = new VirtualPrinter({ port: 0 });
    await vp.start();
    // The printer's preview endpoint, as the demo launcher serves it.
    const preview = http.createServer((req, res) => {
      const limit = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('limit') ?? 5);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ receipts: vp.receipts.slice(-limit).reverse().map((r) => ({ id: r.id, receivedAt: r.receivedAt.toISOString(), text: r.text, svg: r.svg })) }));
    });
    await new Promise<void>((r) => preview.listen(0, '127.0.0.1', () => r()));
    const previewUrl = `http://127.0.0.1:${(preview.address() as { port: number }).port}/printers/M001-01/receipts`;
    try {
      await term.login(STAFF.cashier.pin);
      const first = await term.call('GET', '/api/devices');
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ config: DEFAULT_DEVICES, printer: { kind: 'none', online: true }, pendingJobs: 0, scanner: { kind: 'none', connected: false } });

      const byCashier = await term.call('PUT', '/api/devices/config', printerConfig(vp));
      expect(byCashier).toMatchObject({ status: 403, body: { code: 'MANAGER_REQUIRED', type: 'https://tpv.dev/problems/manager-required' } });
      expect((await term.call('POST', '/api/devices/open-drawer')).body.code).toBe('MANAGER_REQUIRED');

      await term.login(STAFF.manager.pin);
      const bad = await term.call('PUT', '/api/devices/config', { printer: { kind: 'escpos-tcp', interface: '/dev/usb/lp0' }, drawer: { kind: 'printer-kick', pin: 3 } });
      expect(bad.status).toBe(400);
      expect(bad.type).toContain('application/problem+json');
      expect(bad.body.code).toBe('VALIDATION_FAILED');
      expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['printer.interface', 'drawer.pin']));
      expect(existsSync(term.file)).toBe(false);
      expect((await term.call('GET', '/api/devices')).body.config).toEqual(DEFAULT_DEVICES);
      expect(auditActions(term, 'devices_config')).toEqual([]);

      // A good configuration: written to the file and in use straight away (no restart).
      const good = await term.call('PUT', '/api/devices/config', printerConfig(vp));
      expect(good.status, JSON.stringify(good.body)).toBe(200);
      expect(good.body).toMatchObject({ printer: { kind: 'escpos-tcp', interface: vp.url, online: true, paperOut: false, coverOpen: false }, drawer: { kind: 'printer-kick' } });
      expect(JSON.parse(readFileSync(term.file, 'utf8'))).toEqual(printerConfig(vp));
      expect(auditActions(term, 'devices_config')).toHaveLength(1);

      const test = await term.call('POST', '/api/devices/test-print');
      expect(test.status).toBe(200);
      await waitFor('test page', () => vp.receipts.find((r) => r.lines.some((l) => l.includes('PRUEBA DE IMPRESORA'))));
      expect(vp.last!.lines.some((l) => l.includes('€ ñ Ñ á é í ó ú ü ¿ ¡'))).toBe(true);

      const opened = await term.call('POST', '/api/devices/open-drawer');
      expect(opened.status).toBe(200);
      await waitFor('drawer pulse', () => vp.drawer.opens === 1);
      expect(auditActions(term, 'drawer_open').map((a) => [a.actor_id, JSON.parse(a.details).ok])).toEqual([[STAFF.manager.id, true]]);

      // A sale prints on the new printer.
      expect((await term.call('POST', '/api/cash/open', { float: { '2000': 2 } })).status).toBe(200);
      const fn = await sell(term, EAN.wine, { method: 'cash', amountCents: 2000 });
      await waitFor('sale receipt', () => fiscalNumbersPrinted(vp).includes(fn));
      await term.app.printing.drained(); // the printer has the bytes; the queue marks the job once the send completes

      // Last receipts: from the queue without a preview endpoint, from the printer with one.
      const fromQueue = await term.call('GET', '/api/devices/last-receipts?limit=2');
      expect(fromQueue.body.source).toBe('queue');
      expect(fromQueue.body.receipts[0].text).toContain('FACTURA SIMPLIFICADA');
      expect(fromQueue.body.receipts[0].svg).toMatch(/^<svg/);
      expect((await term.call('PUT', '/api/devices/config', printerConfig(vp, { previewUrl }))).status).toBe(200);
      const fromPrinter = await term.call('GET', '/api/devices/last-receipts?limit=2');
      expect(fromPrinter.body.source).toBe('printer');
      expect(fromPrinter.body.receipts).toHaveLength(2);
      expect(fromPrinter.body.receipts[0].text).toContain(fn.split('/')[0]);
      expect(fromPrinter.body.receipts[0].svg).toMatch(/^<svg/);
      expect((await term.call('GET', '/api/devices/last-receipts?limit=99')).status).toBe(400);

      // Restart: the same configuration comes back from the file.
      await term.close();
      term = await startDevicesTerminal(t);
      await term.login(STAFF.manager.pin);
      expect((await term.call('GET', '/api/devices')).body.config).toEqual(printerConfig(vp, { previewUrl }));
    } finally {
      await term.close();
      preview.close();
      await vp.stop();
      await t.ds.destroy();
    }
  });
});

describe('printer offline mid-shift', () => {
  it('keeps selling, reports it on the state and the socket, then prints every queued receipt once, in order', async () => {
    const t = await freshTerminalDb(dir, 'offline.sqlite');
    const vp = new VirtualPrinter({ port: 0 });
    await vp.start();
    const term = await startDevicesTerminal(t, { config: printerConfig(vp) });
    try {
      const token = await term.login(STAFF.cashier.pin);
      const socket = await term.socket(token);
      const statuses: Array<{ printer: { online: boolean; paperOut: boolean; pendingJobs: number } }> = [];
      socket.on('status', (s) => statuses.push(s));
      expect((await term.call('POST', '/api/cash/open', { float: { '2000': 5 } })).status).toBe(200);
      const sold = [await sell(term, EAN.wine, { method: 'cash', amountCents: 1250 })];
      await waitFor('first receipt', () => fiscalNumbersPrinted(vp).length === 1);

      await vp.setOnline(false);
      await waitFor('socket status: offline', () => statuses.some((s) => s.printer.online === false));
      for (const code of [EAN.bread, EAN.cola, EAN.water, EAN.wine]) sold.push(await sell(term, code, { method: 'card', amountCents: code === EAN.wine ? 1250 : code === EAN.cola ? 199 : code === EAN.bread ? 85 : 45, reference: 'T1' }));
      const state = await term.call('GET', '/api/state');
      expect(state.body.printer).toMatchObject({ online: false, pendingJobs: 4 });
      await waitFor('socket status: 4 pending', () => statuses.at(-1)?.printer.pendingJobs === 4 && statuses.at(-1)?.printer.online === false);
      expect(fiscalNumbersPrinted(vp)).toEqual(sold.slice(0, 1));

      // Back: no kick from the test — the device monitor notices and wakes the queue.
      await vp.setOnline(true);
      await waitFor('backlog printed', () => fiscalNumbersPrinted(vp).length === 5, 15_000);
      await term.app.printing.drained();
      await new Promise((r) => setTimeout(r, 300));
      expect(fiscalNumbersPrinted(vp)).toEqual(sold);
      expect((await term.call('GET', '/api/state')).body.printer).toMatchObject({ online: true, pendingJobs: 0 });
      await waitFor('socket status: back', () => statuses.at(-1)?.printer.online === true && statuses.at(-1)?.printer.pendingJobs === 0);

      // Out of paper: the same, and the state says which problem it is.
      vp.setPaperOut(true);
      const sixth = await sell(term, EAN.bread, { method: 'card', amountCents: 85, reference: 'T2' });
      await waitFor('paper-out state', async () => {
        const s = (await term.call('GET', '/api/state')).body.printer;
        // Like a real Epson, a printer out of paper also reports itself offline (DLE EOT 1 bit 3).
        return s.paperOut && !s.coverOpen && s.pendingJobs === 1;
      });
      expect(vp.discardedBytes).toBe(0); // the queue never sent a job into a printer without paper
      vp.setPaperOut(false);
      await waitFor('sixth receipt', () => fiscalNumbersPrinted(vp).at(-1) === sixth, 15_000);
      expect(fiscalNumbersPrinted(vp)).toEqual([...sold, sixth]);
    } finally {
      await term.close();
      await vp.stop();
      await t.ds.destroy();
    }
  });
});

describe.runIf(hasSocat)('serial devices on socat pseudo-terminals', () => {
  it('a serial scanner reaches the screen as the socket `scan` event, and comes back after being unplugged', async () => {
    const t = await freshTerminalDb(dir, 'scanner.sqlite');
    const scanner = new VirtualSerialScanner({ suffix: '\r\n' });
    await scanner.start();
    const term = await startDevicesTerminal(t);
    try {
      await term.login(STAFF.manager.pin);
      const config: DevicesConfig = { ...DEFAULT_DEVICES, scanner: { kind: 'serial', path: scanner.path, baud: 9600, suffix: '\r\n' } };
      expect((await term.call('PUT', '/api/devices/config', config)).status).toBe(200);
      await waitFor('scanner connected', async () => (await term.call('GET', '/api/devices')).body.scanner.connected === true);

      const token = await term.login(STAFF.cashier.pin);
      const screen = await term.socket(token);
      const stranger = await term.socket('not-a-token');
      const scans: unknown[] = [];
      const strangerScans: unknown[] = [];
      screen.on('scan', (s) => scans.push(s));
      stranger.on('scan', (s) => strangerScans.push(s));
      await scanner.scan(EAN.cola);
      await waitFor('first scan', () => scans.length === 1);
      expect(scans[0]).toEqual({ data: EAN.cola, symbology: 'EAN13', source: `serial:${scanner.path}` });

      await scanner.unplug();
      await waitFor('scanner gone', async () => (await term.call('GET', '/api/devices')).body.scanner.connected === false);
      await scanner.plug();
      await waitFor('scanner back', async () => (await term.call('GET', '/api/devices')).body.scanner.connected === true, 15_000);
      await scanner.scan(EAN.water);
      await waitFor('second scan', () => scans.length === 2);
      expect(scans[1]).toMatchObject({ data: EAN.water });
      expect((await term.call('GET', '/api/devices')).body.scanner.lastScan.data).toBe(EAN.water);
      expect(strangerScans).toEqual([]);
    } finally {
      await term.close();
      await scanner.dispose();
      await t.ds.destroy();
    }
  });

  it('the pole display shows the item and running total while selling, then total and change', async () => {
    const t = await freshTerminalDb(dir, 'display.sqlite');
    const pty = new PtyPair('tpv-display-test');
    await pty.start();
    const pole = new VirtualPoleDisplay();
    await pole.attach(pty.devicePath);
    const term = await startDevicesTerminal(t, { config: { ...DEFAULT_DEVICES, display: { kind: 'serial', path: pty.hostPath, baud: 9600 } } });
    try {
      await term.login(STAFF.cashier.pin);
      expect((await term.call('POST', '/api/cash/open', { float: { '2000': 1 } })).status).toBe(200);
      await term.call('POST', '/api/cart/scan', { code: EAN.wine });
      await term.call('POST', '/api/cart/scan', { code: EAN.bread });
      await waitFor('item on the display', () => pole.lines[0].startsWith('Pan de barra'));
      expect(pole.lines).toEqual(['Pan de barra  0,85 €', 'TOTAL        13,35 €']);
      await term.call('POST', '/api/cart/checkout', { payments: [{ method: 'cash', amountCents: 2000 }] });
      await waitFor('change on the display', () => pole.lines[1].startsWith('CAMBIO'));
      expect(pole.lines).toEqual(['TOTAL        13,35 €', 'CAMBIO        6,65 €']);
      expect((await term.call('GET', '/api/devices')).body.display).toEqual({ kind: 'serial', line1: 'TOTAL        13,35 €', line2: 'CAMBIO        6,65 €' });
    } finally {
      await term.close();
      await pole.detach();
      await pty.dispose();
      await t.ds.destroy();
    }
  });
});
