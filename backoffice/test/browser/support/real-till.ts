/**
 * A real till process (`terminal/src/main.ts`, its own SQLite file and HTTP API on a loopback port) for the
 * browser tests that follow a sale from the till to the admin app: it pairs with the code HQ's page showed,
 * loads its catalogue from the back office's change feed, and sells through its HTTP API as its UI does
 * (cashier PIN → open the drawer → add lines → checkout).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { expect } from 'vitest';
import { freePort } from '@tpv/runtime/testing/ports';
import type { TicketDocument } from '@tpv/shared/wire/ticket';

const repoRoot = path.resolve(import.meta.dirname, '../../../..');

/* eslint-disable @typescript-eslint/no-explicit-any -- the till's JSON answers */
export interface RealTill {
  url: string;
  call(method: string, pathname: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** Polls until `fn` answers something other than undefined (no fixed sleeps). */
  until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs?: number): Promise<T>;
  /** Cashier signs in with the PIN and opens the drawer. */
  open(pin: string): Promise<void>;
  /** Adds the lines and charges the total by card: the fiscal ticket the till issued. */
  sell(lines: Array<{ productId: string; units: number }>): Promise<TicketDocument>;
  /** What the till printed to its log (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

export async function startRealTill(opts: { dataDir: string; backofficeUrl: string; pairingCode: string }): Promise<RealTill> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let out = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'terminal/src/main.ts')], {
    env: {
      ...process.env, TPV_DATA_DIR: opts.dataDir, TPV_HOST: '127.0.0.1', TPV_TERMINAL_PORT: String(port), TPV_TERMINAL_DB: path.join(opts.dataDir, 'till.sqlite'),
      TPV_BACKOFFICE_URL: opts.backofficeUrl, TPV_PAIRING_CODE: opts.pairingCode, TPV_DEMO_DEVICES: '0', TPV_SYNC_BACKOFF_BASE_MS: '100', TPV_SYNC_BACKOFF_MAX_MS: '1000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  let token: string | null = null;
  const call: RealTill['call'] = async (method, pathname, body) => {
    const res = await fetch(url + pathname, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const until: RealTill['until'] = async (what, fn, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await fn().catch(() => undefined);
      if (v !== undefined) return v;
      if (child.exitCode !== null) throw new Error(`the till exited (${child.exitCode}) waiting for ${what}:\n${out.slice(-2000)}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${out.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100)); // a poll interval, not a wait for an outcome
    }
  };
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };
  return {
    url,
    call,
    until,
    log: () => out,
    stop,
    async open(pin) {
      const login = await call('POST', '/api/auth/login', { pin });
      expect(login.status, JSON.stringify(login.body)).toBe(200);
      token = login.body.token ?? token;
      const cash = await call('POST', '/api/cash/open', { float: { '5000': 2 } });
      expect(cash.status, JSON.stringify(cash.body)).toBe(200);
    },
    async sell(lines) {
      for (const l of lines) {
        const added = await call('POST', '/api/cart/lines', l);
        expect(added.status, JSON.stringify(added.body)).toBe(200);
      }
      const total = (await call('GET', '/api/cart')).body.totals.total as number;
      const sold = await call('POST', '/api/cart/checkout', { payments: [{ method: 'card', amountCents: total, reference: 'CARD' }] });
      expect(sold.status, JSON.stringify(sold.body)).toBe(200);
      return sold.body.ticket as TicketDocument;
    },
  };
}
