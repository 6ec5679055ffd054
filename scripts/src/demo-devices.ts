/**
 * Virtual hardware for the demo tills (ARCHITECTURE invariant 7: the demo drives the real adapter code).
 *
 * Per till: a `VirtualPrinter` on a free loopback TCP port (raw ESC/POS, DLE EOT status) with its drawer on
 * the kick connector, and — when `socat` is installed — a serial barcode scanner and a 2 × 20 pole display
 * on pseudo-terminals. One small HTTP server ("device bench") shows what the devices did and lets a person
 * poke them:
 *
 *   GET  /                                   index: every till and its device URLs (JSON)
 *   GET  /printers/<till>/receipts?limit=5   last receipts the printer decoded, newest first: {receipts:[{id, receivedAt, text, svg}]}
 *   GET  /printers/<till>                    printer + drawer state
 *   POST /printers/<till>/state              {online?, paperOut?, paperNearEnd?, coverOpen?} (simulate trouble)
 *   POST /drawers/<till>/close               push the drawer shut
 *   POST /scanners/<till>/scan               {code} → the serial scanner reads it (it reaches the screen as `scan`)
 *   GET  /displays/<till>                    the pole display's two lines
 *
 * The terminal learns the receipts URL from its devices file (`printer.previewUrl`) and proxies it as
 * `GET /api/devices/last-receipts`, so the cashier screen never talks to anything but its own terminal.
 */
import http from 'node:http';
import { spawnSync } from 'node:child_process';
import { PtyPair } from '@tpv/drivers/virtual/pty';
import { VirtualPrinter } from '@tpv/drivers/virtual/printer';
import { VirtualPoleDisplay } from '@tpv/drivers/virtual/pole-display';
import { VirtualSerialScanner } from '@tpv/drivers/virtual/scanner';
import type { DevicesConfig } from '@tpv/terminal/devices/config';

export interface DemoTillDevices {
  code: string;
  printer: VirtualPrinter;
  scanner: VirtualSerialScanner | null;
  display: { pty: PtyPair; screen: VirtualPoleDisplay } | null;
  /** What to write into the till's devices file. */
  config: DevicesConfig;
}

export interface DemoDevices {
  url: string;
  tills: Map<string, DemoTillDevices>;
  stop(): Promise<void>;
}

export const socatAvailable = (): boolean => spawnSync('socat', ['-V'], { stdio: 'ignore' }).status === 0;

export async function startDemoDevices(
  codes: readonly string[],
  opts: { host?: string; port?: number; serial?: boolean; log?: (m: string) => void } = {},
): Promise<DemoDevices> {
  const host = opts.host ?? '127.0.0.1';
  const log = opts.log ?? (() => undefined);
  const serial = (opts.serial ?? true) && socatAvailable();
  const tills = new Map<string, DemoTillDevices>();
  const server = http.createServer((req, res) => void route(req, res).catch((e: unknown) => send(res, 500, { error: (e as Error).message })));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const addr = server.address();
  const url = `http://${host}:${typeof addr === 'object' && addr ? addr.port : 0}`;

  const started: Array<() => Promise<void>> = [];
  try {
    for (const code of codes) {
      const printer = new VirtualPrinter({ port: 0, host, columns: 48 });
      await printer.start();
      started.push(() => printer.stop());
      printer.on('receipt', (r) => log(`printer ${code}: receipt #${r.id} (${r.lines.length} lines)`));
      printer.drawer.on('opened', () => {
        log(`drawer ${code}: opened`);
        // The cashier pushes it shut a few seconds later.
        setTimeout(() => printer.drawer.close(), 3000).unref();
      });
      let scanner: VirtualSerialScanner | null = null;
      let display: DemoTillDevices['display'] = null;
      if (serial) {
        scanner = new VirtualSerialScanner({ suffix: '\r' });
        await scanner.start();
        const sc = scanner;
        started.push(() => sc.dispose());
        const pty = new PtyPair('tpv-display');
        await pty.start();
        started.push(() => pty.dispose());
        const screen = new VirtualPoleDisplay();
        await screen.attach(pty.devicePath);
        started.push(() => screen.detach());
        display = { pty, screen };
      }
      const config: DevicesConfig = {
        printer: { kind: 'escpos-tcp', interface: printer.url, columns: 48, previewUrl: `${url}/printers/${code}/receipts` },
        drawer: { kind: 'printer-kick', pin: 2, pulseMs: 50 },
        scanner: scanner ? { kind: 'serial', path: scanner.path, baud: 9600, suffix: '\r' } : { kind: 'none' },
        display: display ? { kind: 'serial', path: display.pty.hostPath, baud: 9600 } : { kind: 'none' },
      };
      tills.set(code, { code, printer, scanner, display, config });
    }
  } catch (e) {
    for (const stop of started.reverse()) await stop().catch(() => undefined);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw e;
  }

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', url);
    const parts = u.pathname.split('/').filter(Boolean);
    const till = parts[1] ? tills.get(decodeURIComponent(parts[1])) : undefined;
    if (req.method === 'GET' && parts.length === 0) {
      send(res, 200, {
        tills: [...tills.values()].map((t) => ({
          till: t.code,
          printer: t.printer.url,
          receipts: `${url}/printers/${t.code}/receipts`,
          scanner: t.scanner ? `${url}/scanners/${t.code}/scan` : null,
          display: t.display ? `${url}/displays/${t.code}` : null,
        })),
      });
      return;
    }
    if (!till) return send(res, 404, { error: 'unknown till' });
    const [kind, , action] = parts;
    if (req.method === 'GET' && kind === 'printers' && action === 'receipts') {
      const limit = Math.max(1, Math.min(20, Number(u.searchParams.get('limit') ?? 5) || 5));
      const receipts = till.printer.receipts.slice(-limit).reverse().map((r) => ({ id: String(r.id), receivedAt: r.receivedAt.toISOString(), text: r.text, svg: r.svg }));
      return send(res, 200, { receipts });
    }
    if (req.method === 'GET' && kind === 'printers' && !action) return send(res, 200, printerState(till.printer));
    if (req.method === 'POST' && kind === 'printers' && action === 'state') {
      const b = (await body(req)) as { online?: unknown; paperOut?: unknown; paperNearEnd?: unknown; coverOpen?: unknown };
      if (typeof b.online === 'boolean') await till.printer.setOnline(b.online);
      if (typeof b.paperOut === 'boolean') till.printer.setPaperOut(b.paperOut);
      if (typeof b.paperNearEnd === 'boolean') till.printer.setPaperNearEnd(b.paperNearEnd);
      if (typeof b.coverOpen === 'boolean') till.printer.setCoverOpen(b.coverOpen);
      return send(res, 200, printerState(till.printer));
    }
    if (req.method === 'POST' && kind === 'drawers' && action === 'close') {
      till.printer.drawer.close();
      return send(res, 200, { open: till.printer.drawer.open });
    }
    if (req.method === 'POST' && kind === 'scanners' && action === 'scan') {
      const b = (await body(req)) as { code?: unknown };
      if (!till.scanner) return send(res, 409, { error: 'no serial scanner (socat missing)' });
      if (typeof b.code !== 'string' || !/^[\x20-\x7e]{1,64}$/.test(b.code)) return send(res, 400, { error: 'code: 1..64 printable ASCII characters' });
      await till.scanner.scan(b.code);
      return send(res, 202, { scanned: b.code });
    }
    if (req.method === 'GET' && kind === 'displays') {
      if (!till.display) return send(res, 409, { error: 'no pole display (socat missing)' });
      return send(res, 200, { lines: till.display.screen.lines });
    }
    send(res, 404, { error: 'not found' });
  }

  return {
    url,
    tills,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      for (const stop of started.reverse()) await stop().catch(() => undefined);
    },
  };
}

function printerState(p: VirtualPrinter) {
  return { url: p.url, online: p.online, paperOut: p.paperOut, paperNearEnd: p.paperNearEnd, coverOpen: p.coverOpen, receipts: p.receipts.length, drawerOpen: p.drawer.open, drawerOpens: p.drawer.opens };
}

function send(res: http.ServerResponse, status: number, json: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(json));
}

async function body(req: http.IncomingMessage): Promise<unknown> {
  let raw = '';
  for await (const chunk of req) {
    raw += String(chunk);
    if (raw.length > 10_000) throw new Error('body too large');
  }
  try {
    return raw ? JSON.parse(raw) : {};
  } catch {
    return {};
  }
}
