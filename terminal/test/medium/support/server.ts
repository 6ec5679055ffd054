/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies of HTTP answers */
/** Starts the real terminal server (createTerminalServer + selling app) on an ephemeral port. */
import type { TillRequester } from '@tpv/shared/wire/till-request';
import type { DataSource } from 'typeorm';
import type { HttpService } from '@tpv/runtime';
import type { Clock } from '@tpv/shared/clock';
import { createTerminalApp, type TerminalApp } from '../../../src/app/terminal-app';
import { DEFAULT_POLICY, type TillPolicy } from '../../../src/app/policy';
import { RecordingDrawer, RecordingPrinter } from '../../../src/printing/devices';
import { sqliteHandle } from '../../../src/persistence/data-source';
import { createTerminalServer } from '../../../src/server';
import type { HqTickets } from '../../../src/returns/returns';
import { freshTerminalDb, STAFF, type TestDb } from './fixture';

export interface RunningTerminal {
  url: string;
  app: TerminalApp;
  /** The HTTP + socket.io service (its express app lists every route). */
  service: HttpService;
  printer: RecordingPrinter;
  drawer: RecordingDrawer;
  call(method: string, path: string, body?: unknown, token?: string | null): Promise<{ status: number; body: any; type: string }>;
  login(pin: string): Promise<string>;
  close(): Promise<void>;
}

export async function startTerminal(
  ds: DataSource,
  file: string,
  opts: { policy?: Partial<TillPolicy>; clock?: Clock; hqTickets?: HqTickets; hqRequest?: TillRequester } = {},
): Promise<RunningTerminal> {
  const printer = new RecordingPrinter();
  const drawer = new RecordingDrawer();
  const app = createTerminalApp({
    db: sqliteHandle(ds), printer, drawer, policy: { ...DEFAULT_POLICY, ...opts.policy }, ...(opts.clock ? { clock: opts.clock } : {}), hqTickets: opts.hqTickets, hqRequest: opts.hqRequest,
  });
  const server = createTerminalServer({ dataSource: ds, databaseFile: file, version: 'test', uiDist: '/nonexistent', selling: app });
  const port = await server.listen(0);
  const url = `http://127.0.0.1:${port}`;
  let defaultToken: string | null = null;
  const call: RunningTerminal['call'] = async (method, path, body, token) => {
    const t = token === undefined ? defaultToken : token;
    const res = await fetch(url + path, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(t ? { authorization: `Bearer ${t}` } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, type: res.headers.get('content-type') ?? '' };
  };
  return {
    url, app, service: server, printer, drawer, call,
    async login(pin) {
      const r = await call('POST', '/api/auth/login', { pin }, null);
      if (r.status !== 200) throw new Error(`login ${pin}: ${r.status} ${JSON.stringify(r.body)}`);
      defaultToken = r.body.token;
      return r.body.token as string;
    },
    async close() {
      await server.close();
      await app.stop();
    },
  };
}

/**
 * A fresh till with the fixture data, its server started, a staff member logged in and the drawer opened with a
 * float (the set-up of most selling stories). Close with `s.close()` then `t.ds.destroy()`.
 */
export async function startOpenTill(
  dir: string,
  opts: { pin?: string; float?: Record<string, number> } & Parameters<typeof startTerminal>[2] = {},
): Promise<{ t: TestDb; s: RunningTerminal }> {
  const { pin = STAFF.cashier.pin, float = { '5000': 1 }, ...terminal } = opts;
  const t = await freshTerminalDb(dir);
  const s = await startTerminal(t.ds, t.file, terminal);
  await s.login(pin);
  const open = await s.call('POST', '/api/cash/open', { float });
  if (open.status !== 200) throw new Error(`cash open failed ${open.status} ${JSON.stringify(open.body)}`);
  return { t, s };
}
