/**
 * Chaos run of the whole sync path, real processes on loopback: one back office, three terminals paired
 * with it through a TCP proxy, a cashier driver selling (and now and then refunding) on each till over its
 * HTTP API, while
 *   (a) the back office is SIGKILLed and restarted twice,
 *   (b) the proxy drops every connection, refuses, black-holes and delays the link,
 *   (c) already-acked tickets are replayed (the terminal's outbox is marked unsent again),
 *   (d) a terminal is SIGKILLed in the middle of a checkout and restarted on the same database.
 * Then, from the databases themselves: every ticket at HQ exactly once, each terminal's seq contiguous,
 * stock per product = start − sold + returned, and every fiscal chain verifies.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '@tpv/runtime/testing/ports';
import { verifyChain, type FiscalRecord } from '@tpv/shared/fiscal/record';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import type { TicketAck } from '@tpv/shared/wire/sync';
import { io } from 'socket.io-client';
import { buildDemoFranchise } from '../../src/seed/demo-franchise';
import { seedDemoDatabases } from '../../src/seed/write';
import { startProcess, waitForHealth, type Child } from '../../src/processes';
import { startTcpProxy, type TcpProxy } from '../../src/chaos/tcp-proxy';
import { createPairingCode, hqLogin, recordSeededTerminalPrices } from '../../src/chaos/hq-client';
import { TillDriver } from '../../src/chaos/till-driver';

const SALES_PER_TERMINAL = Number(process.env.TPV_CHAOS_SALES ?? 300);
const repoRoot = path.resolve(import.meta.dirname, '../../..');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tpv-sync-chaos-'));
const children = new Set<Child>();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let proxy: TcpProxy | undefined;

afterAll(async () => {
  await Promise.all([...children].map((c) => c.stop(2000)));
  await proxy?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function quietStart(name: string, entry: string, env: NodeJS.ProcessEnv): Child {
  const child = startProcess(name, path.join(repoRoot, entry), env);
  children.add(child);
  child.process.once('exit', () => children.delete(child));
  return child;
}

describe('sync chaos (3 terminals, back office killed twice, hostile link, replays, till killed mid-commit)', () => {
  it('ends with every ticket at HQ exactly once, contiguous seqs, exact stock and verified chains', { timeout: 600_000 }, async () => {
    const franchise = buildDemoFranchise();
    const tills = franchise.terminals.slice(0, 3); // M001-01, M001-02, M002-01
    const boFile = path.join(dataDir, 'backoffice.sqlite');
    const tillDb = (i: number) => path.join(dataDir, `terminal-${i}.sqlite`);
    await seedDemoDatabases({ franchise, backoffice: { file: boFile }, terminals: tills.map((t, i) => ({ terminal: t, file: tillDb(i) })) });
    const base = new Map(franchise.products.map((p) => [p.id, p.basePriceCents]));
    for (const [i, t] of tills.entries()) {
      await recordSeededTerminalPrices(
        tillDb(i),
        franchise.storePrices.filter((p) => p.storeId === t.storeId).map((p) => ({ productId: p.productId, basePriceCents: base.get(p.productId)!, storePriceCents: p.priceCents })),
      );
    }
    const stockAtStart = readStock(boFile);

    // Back office, then the proxy in front of it, then the tills (paired through the proxy).
    const boPort = await freePort();
    const boEnv = { ...process.env, TPV_DATA_DIR: dataDir, TPV_HOST: '127.0.0.1', TPV_BACKOFFICE_PORT: String(boPort) };
    let bo = quietStart('backoffice', 'backoffice/src/main.ts', boEnv);
    await waitForHealth(`http://127.0.0.1:${boPort}/health`, 120_000);
    proxy = await startTcpProxy({ targetPort: boPort });
    const hq = franchise.users.find((u) => u.role === 'hq_admin')!;
    const token = await hqLogin(`http://127.0.0.1:${boPort}`, hq.email, hq.password);
    const tillPorts = await Promise.all(tills.map(() => freePort()));
    const tillEnv = async (i: number, pair: boolean) => ({
      ...process.env,
      TPV_DATA_DIR: dataDir,
      TPV_HOST: '127.0.0.1',
      TPV_TERMINAL_PORT: String(tillPorts[i]),
      TPV_TERMINAL_DB: tillDb(i),
      TPV_BACKOFFICE_URL: proxy!.url,
      TPV_SYNC_BACKOFF_BASE_MS: '100',
      TPV_SYNC_BACKOFF_MAX_MS: '1500',
      TPV_PAIRING_CODE: pair ? await createPairingCode(`http://127.0.0.1:${boPort}`, token, tills[i]!.id) : '',
    });
    const tillProcs: Child[] = [];
    for (let i = 0; i < tills.length; i++) tillProcs[i] = quietStart(`terminal-${i}`, 'terminal/src/main.ts', await tillEnv(i, true));
    await Promise.all(tillPorts.map((p) => waitForHealth(`http://127.0.0.1:${p}/health`, 120_000)));
    await untilAsync(async () => (await Promise.all(tillPorts.map(syncStatus))).every((s) => s.online), 30_000, 'tills paired and online');

    // Cashiers: unit articles only (stock in units), a return every 10th sale.
    const unitBarcodes = franchise.products.filter((p) => !p.weighed && p.taxRateBp > 0).map((p) => p.barcodes[0]!).slice(0, 120);
    let killTillAt: number | undefined;
    const drivers = tills.map(
      (t, i) =>
        new TillDriver({
          url: `http://127.0.0.1:${tillPorts[i]}`,
          pin: franchise.staff.find((s) => s.storeId === t.storeId && s.role === 'cashier')!.pin,
          barcodes: unitBarcodes,
          returnEvery: 10,
          seed: 100 + i,
          // (d) terminal 1 dies 0–6 ms after a checkout request leaves: mid-commit or just around it.
          beforeCheckout: (n) => {
            if (i === 1 && killTillAt !== undefined && n >= killTillAt) {
              killTillAt = undefined;
              const victim = tillProcs[1]!;
              setTimeout(() => victim.process.kill('SIGKILL'), Math.floor(Math.random() * 7));
            }
          },
        }),
    );
    const selling = Promise.all(drivers.map((d) => d.run(SALES_PER_TERMINAL)));
    let sellingDone = false;
    void selling.finally(() => (sellingDone = true));
    const progress = () => Math.min(...drivers.map((d) => d.stats.sales)) / SALES_PER_TERMINAL;
    const at = async (fraction: number) => {
      while (!sellingDone && progress() < fraction) await sleep(50);
    };
    const restartBackoffice = async () => {
      bo.process.kill('SIGKILL');
      await new Promise((r) => bo.process.once('exit', r));
      await sleep(700);
      bo = quietStart('backoffice', 'backoffice/src/main.ts', boEnv);
      await waitForHealth(`http://127.0.0.1:${boPort}/health`, 120_000);
    };
    const restartTillWhenDead = async () => {
      const victim = tillProcs[1]!;
      await new Promise((r) => (victim.process.exitCode !== null || victim.process.signalCode !== null ? r(null) : victim.process.once('exit', r)));
      tillProcs[1] = quietStart('terminal-1', 'terminal/src/main.ts', await tillEnv(1, false));
    };

    let replay: { acks: TicketAck[]; maxSeq: number } = { acks: [], maxSeq: 0 };
    // The chaos schedule, keyed to selling progress so it always lands mid-run.
    const chaos = (async () => {
      await at(0.08);
      proxy!.delay(25); // (b) latency
      await at(0.15);
      proxy!.dropAll(); // (b) every link cut
      await at(0.22);
      await restartBackoffice(); // (a) first kill
      await at(0.3);
      killTillAt = drivers[1]!.stats.sales + 1; // (d)
      await restartTillWhenDead();
      await at(0.4);
      // (c) replays: terminal 0's first 150 tickets, long acked, are sent again over a second connection
      // with its own credentials; and its outbox forgets the acks of its first 100 (it may resend them).
      await untilAsync(async () => (await syncStatus(tillPorts[0]!)).ackedSeq >= 100, 60_000, 'terminal 0 acked 100');
      replay = await replayAcked(tillDb(0), proxy!.url, 100);
      const t0 = new Database(tillDb(0));
      t0.pragma('busy_timeout = 5000');
      t0.prepare('UPDATE outbox SET sent_at = NULL WHERE seq <= 100').run();
      t0.close();
      await at(0.5);
      await proxy!.refuse(true); // (b) refused
      await sleep(1200);
      await proxy!.refuse(false);
      await at(0.6);
      await restartBackoffice(); // (a) second kill
      await at(0.7);
      proxy!.blackhole(true); // (b) silent link: acks time out
      await sleep(2000);
      proxy!.blackhole(false);
      await at(0.8);
      proxy!.dropAll();
      proxy!.delay(0);
    })();
    await Promise.all([selling, chaos]);

    // Let every till drain, then stop them all cleanly.
    await untilAsync(
      async () => (await Promise.all(tillPorts.map(syncStatus))).every((s) => s.online && s.pendingCount === 0),
      120_000,
      'every outbox drained',
    );
    const statuses = await Promise.all(tillPorts.map(syncStatus));
    await Promise.all(tillProcs.map((c) => c.stop()));
    await bo.stop();

    // ── the verdict, from the databases ──────────────────────────────────────────────────────────
    const hqDb = new Database(boFile, { readonly: true });
    try {
      const soldNet = new Map<string, number>(); // store|product → Σ signed units (sales +, returns −)
      for (const [i, t] of tills.entries()) {
        const db = new Database(tillDb(i), { readonly: true });
        let docs: TicketDocument[];
        try {
          docs = db.prepare<[], { document: string }>('SELECT document FROM ticket ORDER BY seq').all().map((r) => JSON.parse(r.document) as TicketDocument);
          const seqs = docs.map((d) => d.seq);
          expect(seqs, `terminal ${i} seq contiguous`).toEqual(Array.from({ length: seqs.length }, (_, k) => k + 1));
          expect(seqs.length).toBeGreaterThanOrEqual(SALES_PER_TERMINAL);
          const outbox = db.prepare<[], { n: number; sent: number }>('SELECT COUNT(*) AS n, COUNT(sent_at) AS sent FROM outbox').get()!;
          expect(outbox).toEqual({ n: seqs.length, sent: seqs.length });
          const local = db.prepare<[], { record: string }>('SELECT record FROM fiscal_record ORDER BY chain_index').all().map((r) => JSON.parse(r.record) as FiscalRecord);
          expect(verifyChain(local).ok, `terminal ${i} local chain`).toBe(true);
        } finally {
          db.close();
        }
        const atHq = hqDb
          .prepare<[string], { seq: number; id: string }>('SELECT seq, id FROM sale_ticket WHERE terminal_id = ? ORDER BY seq')
          .all(t.id);
        expect(atHq.map((r) => r.seq), `terminal ${i} at HQ`).toEqual(docs.map((d) => d.seq));
        expect(atHq.map((r) => r.id)).toEqual(docs.map((d) => d.id));
        const chain = hqDb
          .prepare<[string], { hash: string; previous_hash: string | null; verified: number }>(
            'SELECT hash, previous_hash, verified FROM fiscal_record WHERE terminal_id = ? ORDER BY chain_position',
          )
          .all(t.id);
        expect(chain).toHaveLength(docs.length);
        expect(chain.every((r) => r.verified === 1), `terminal ${i} chain verified at HQ`).toBe(true);
        chain.forEach((r, k) => expect(r.previous_hash ?? '').toBe(k === 0 ? '' : chain[k - 1]!.hash));
        expect(verifyChain(docs.map((d) => d.fiscal as FiscalRecord)).ok).toBe(true);
        for (const d of docs) {
          for (const l of d.lines) {
            if (l.quantity.kind !== 'units') continue;
            const key = `${t.storeId}|${l.productId}`;
            soldNet.set(key, (soldNet.get(key) ?? 0) + l.quantity.units);
          }
        }
      }
      // The replayed batches were answered as already applied, nothing refused (and nothing doubled above).
      expect(replay.maxSeq).toBe(100);
      expect(replay.acks, JSON.stringify(replay.acks)).toHaveLength(2);
      expect(replay.acks.every((a) => a.ackedSeq >= replay.maxSeq && !a.rejected?.length), JSON.stringify(replay.acks)).toBe(true);
      const stockNow = readStock(boFile, hqDb);
      for (const [key, net] of soldNet) {
        expect(stockNow.get(key) ?? 0, `stock ${key}`).toBe((stockAtStart.get(key) ?? 0) - net);
      }
      const replays = drivers.map((d) => d.stats);
      console.log(
        `[sync-chaos] sales/returns/in-doubt per till: ${replays.map((s) => `${s.sales}/${s.returns}/${s.inDoubt}`).join(', ')}; ` +
          `proxy connections ${proxy!.stats.connections}, dropped ${proxy!.stats.dropped}; final acked ${statuses.map((s) => s.ackedSeq).join(', ')}`,
      );
    } finally {
      hqDb.close();
    }
  });
});

interface SyncStatusBody {
  online: boolean;
  pendingCount: number;
  ackedSeq: number;
}

async function syncStatus(port: number): Promise<SyncStatusBody> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/api/sync/status`, { signal: AbortSignal.timeout(2000) });
    return (await res.json()) as SyncStatusBody;
  } catch {
    return { online: false, pendingCount: -1, ackedSeq: -1 };
  }
}

async function untilAsync(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

function readStock(file: string, open?: Database.Database): Map<string, number> {
  const db = open ?? new Database(file, { readonly: true });
  try {
    return new Map(
      db
        .prepare<[], { store_id: string; product_id: string; quantity: number }>('SELECT location_id AS store_id, product_id, quantity FROM stock_level')
        .all()
        .map((r) => [`${r.store_id}|${r.product_id}`, Number(r.quantity)]),
    );
  } finally {
    if (!open) db.close();
  }
}

/** Sends a terminal's first `count` already-acked tickets again, 50 per batch, as that terminal. */
async function replayAcked(dbFile: string, url: string, count: number): Promise<{ acks: TicketAck[]; maxSeq: number }> {
  const db = new Database(dbFile, { readonly: true });
  let creds: { terminalId: string; token: string };
  let payloads: string[];
  let catalogVersion: number;
  try {
    creds = JSON.parse(db.prepare<[], { value: string }>(`SELECT value FROM terminal_config WHERE key = 'sync'`).get()!.value) as typeof creds;
    // Only tickets the terminal has seen acked: HQ holds them for sure.
    payloads = db
      .prepare<[number], { payload: string }>('SELECT payload FROM outbox WHERE seq <= ? AND sent_at IS NOT NULL ORDER BY seq')
      .all(count)
      .map((r) => r.payload);
    catalogVersion = db.prepare<[], { version: number }>('SELECT version FROM master_data_state').get()!.version;
  } finally {
    db.close();
  }
  for (let attempt = 0; ; attempt++) {
    const socket = io(`${url}/terminal`, {
      transports: ['websocket'], reconnection: false, forceNew: true, timeout: 5000,
      auth: { terminalId: creds.terminalId, token: creds.token, lastAckedSeq: count, catalogVersion },
    });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('hello:ack', () => resolve());
        socket.once('connect_error', reject);
        setTimeout(() => reject(new Error('no hello:ack')), 10_000);
      });
      const acks: TicketAck[] = [];
      for (let i = 0; i < payloads.length; i += 50) {
        const tickets = payloads.slice(i, i + 50).map((p) => JSON.parse(p) as unknown);
        acks.push((await socket.timeout(20_000).emitWithAck('tickets', { terminalId: creds.terminalId, batchId: crypto.randomUUID(), tickets })) as TicketAck);
      }
      return { acks, maxSeq: payloads.length };
    } catch (e) {
      if (attempt >= 5) throw e; // the hostile link may cut this connection too: try again
      await sleep(500);
    } finally {
      socket.disconnect();
    }
  }
}
