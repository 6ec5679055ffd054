/**
 * For system tests of a terminal against the real back-office process: the back office started (and
 * restarted) on a data folder, a pairing code asked of HQ as its staff would, a terminal database with its
 * SyncClient paired by that code, and HQ's view of the terminal's tickets read from its SQLite file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import { verifyChain, type FiscalRecord } from '@tpv/shared/fiscal/record';
import { openTerminalDatabase, sqliteHandle, type SqliteHandle } from '@tpv/terminal/persistence/data-source';
import { SyncClient } from '@tpv/terminal/sync/client';
import type { DemoFranchise } from '../../../src/seed/demo-franchise';
import { startProcess, waitForHealth, type Child } from '../../../src/processes';

const repoRoot = path.resolve(import.meta.dirname, '../../../..');

export interface BackofficeFolder {
  dataDir: string;
  /** Starts `backoffice/src/main.ts` on the folder (SQLite, no Redis) and waits for /health (30 s unless told). */
  start(port: number, healthTimeoutMs?: number): Promise<Child>;
  /** Stops every back office it started and removes the folder. */
  cleanup(): Promise<void>;
}

export function backofficeFolder(prefix: string): BackofficeFolder {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const children: Child[] = [];
  return {
    dataDir,
    async start(port, healthTimeoutMs = 120_000 /* a bound for a loaded machine, not an expectation */) {
      const child = startProcess('backoffice', path.join(repoRoot, 'backoffice/src/main.ts'), {
        ...process.env, TPV_DATA_DIR: dataDir, TPV_BACKOFFICE_PORT: String(port), TPV_HOST: '127.0.0.1', DATABASE_URL: '', REDIS_URL: '',
      });
      children.push(child);
      await waitForHealth(`http://127.0.0.1:${port}/health`, healthTimeoutMs);
      return child;
    },
    async cleanup() {
      await Promise.all(children.map((c) => c.stop(1000)));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function json<T>(res: Response): Promise<T> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/** HQ staff log in: their bearer token. */
export async function hqLogin(url: string, franchise: DemoFranchise): Promise<string> {
  const hq = franchise.users.find((u) => u.role === 'hq_admin')!;
  const { token } = await json<{ token: string }>(
    await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: hq.email, password: hq.password }) }),
  );
  return token;
}

/** HQ staff log in and ask for the terminal's one-time pairing code. */
export async function pairingCodeFromHq(url: string, franchise: DemoFranchise, terminalId: string): Promise<string> {
  const token = await hqLogin(url, franchise);
  const { code } = await json<{ code: string }>(await fetch(`${url}/api/terminals/${terminalId}/pairing-code`, { method: 'POST', headers: { authorization: `Bearer ${token}` } }));
  return code;
}

/** HQ staff press "replace this till": the new terminal and its pairing code. */
export async function replaceFromHq(url: string, franchise: DemoFranchise, terminalId: string): Promise<{ terminal: { id: string; code: string; installation: string }; code: string }> {
  const token = await hqLogin(url, franchise);
  return json(await fetch(`${url}/api/terminals/${terminalId}/replace`, { method: 'POST', headers: { authorization: `Bearer ${token}` } }));
}

/** HQ staff set a store price (the master-data feed carries it to the store's tills). */
export async function setStorePrice(url: string, franchise: DemoFranchise, storeId: string, productId: string, priceCents: number): Promise<void> {
  const token = await hqLogin(url, franchise);
  await json(
    await fetch(`${url}/api/stores/${storeId}/prices/${productId}`, {
      method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ priceCents }),
    }),
  );
}

export interface PairingTerminal {
  ds: DataSource;
  db: SqliteHandle;
  client: SyncClient;
  /** What the client logged (for failure messages). */
  logs: string[];
}

/** A fresh terminal database and a SyncClient that pairs with `code` when started (fast retries for tests). */
export async function pairingTerminal(file: string, url: string, code: string, ackTimeoutMs: number): Promise<PairingTerminal> {
  const ds = await openTerminalDatabase(file);
  const db = sqliteHandle(ds);
  const logs: string[] = [];
  const client = new SyncClient({
    db, backofficeUrl: url, clock: { now: () => Date.now() }, appVersion: '0.1.0', pairingCode: code, log: (m) => logs.push(m),
    pollMs: 20, backoff: { baseMs: 100, maxMs: 1000 }, ackTimeoutMs,
  });
  return { ds, db, client, logs };
}

export interface HqTicket {
  seq: number;
  id: string;
  chain_ok: number;
  fiscal: FiscalRecord;
}

/** The terminal's tickets as HQ stored them, in seq order, and whether their fiscal chain verifies. */
export function hqTickets(boFile: string, terminalId: string): { rows: HqTicket[]; chainVerifies: boolean } {
  const hqDb = new Database(boFile, { readonly: true });
  try {
    const rows = hqDb
      .prepare<[string], { seq: number; id: string; document: string; chain_ok: number }>('SELECT seq, id, document, chain_ok FROM sale_ticket WHERE terminal_id = ? ORDER BY seq')
      .all(terminalId)
      .map((r) => ({ seq: r.seq, id: r.id, chain_ok: r.chain_ok, fiscal: (JSON.parse(r.document) as { fiscal: FiscalRecord }).fiscal }));
    return { rows, chainVerifies: verifyChain(rows.map((r) => r.fiscal)).ok };
  } finally {
    hqDb.close();
  }
}
