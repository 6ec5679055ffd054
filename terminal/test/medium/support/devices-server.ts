/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies of HTTP answers */
/** The real terminal server with a `DeviceManager` (as main.ts wires it) on an ephemeral port. */
import path from 'node:path';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { createTerminalApp, type TerminalApp } from '../../../src/app/terminal-app';
import { readDevicesFile, DEFAULT_DEVICES, type DevicesConfig } from '../../../src/devices/config';
import { DeviceManager } from '../../../src/devices/manager';
import { createTerminalServer } from '../../../src/server';
import type { TestDb } from './fixture';

export interface DevicesTerminal {
  url: string;
  app: TerminalApp;
  devices: DeviceManager;
  file: string;
  call(method: string, path: string, body?: unknown, token?: string | null): Promise<{ status: number; body: any; type: string }>;
  login(pin: string): Promise<string>;
  socket(token: string): Promise<Socket>;
  close(): Promise<void>;
}

export async function startDevicesTerminal(t: TestDb, opts: { config?: DevicesConfig; monitorMs?: number } = {}): Promise<DevicesTerminal> {
  const file = path.join(path.dirname(t.file), 'devices-terminal.json');
  const devices = new DeviceManager({ file, config: opts.config ?? readDevicesFile(file).config ?? DEFAULT_DEVICES, monitorMs: opts.monitorMs ?? 100, log: () => undefined });
  await devices.start();
  const app = createTerminalApp({ db: t.db, devices });
  const server = createTerminalServer({ dataSource: t.ds, databaseFile: t.file, version: 'test', uiDist: '/nonexistent', selling: app });
  const port = await server.listen(0);
  const url = `http://127.0.0.1:${port}`;
  let defaultToken: string | null = null;
  const sockets: Socket[] = [];
  const call: DevicesTerminal['call'] = async (method, p, body, token) => {
    const tk = token === undefined ? defaultToken : token;
    const res = await fetch(url + p, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(tk ? { authorization: `Bearer ${tk}` } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, type: res.headers.get('content-type') ?? '' };
  };
  return {
    url, app, devices, file, call,
    async login(pin) {
      const r = await call('POST', '/api/auth/login', { pin }, null);
      if (r.status !== 200) throw new Error(`login ${pin}: ${r.status} ${JSON.stringify(r.body)}`);
      defaultToken = r.body.token;
      return r.body.token as string;
    },
    async socket(token) {
      const s = connectSocket(url, { auth: { token }, transports: ['websocket'], reconnection: false });
      sockets.push(s);
      // The first `status` comes from the server's connection handler, after it put the socket in its room.
      await new Promise<void>((resolve, reject) => {
        s.once('status', () => resolve());
        s.once('connect_error', reject);
      });
      return s;
    },
    async close() {
      for (const s of sockets) s.disconnect();
      await server.close();
      await app.stop();
      await devices.stop();
    },
  };
}
