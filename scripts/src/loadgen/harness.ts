/**
 * One load run end to end: fresh database, back office as its own process (the real main.ts), simulated
 * terminals in this process, flood then trickle, teardown.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openBackofficeDatabase } from '@tpv/backoffice/persistence/data-source';
import { freePort } from '@tpv/runtime/testing/ports';
import { startProcess, waitForHealth } from '../processes';
import { provisionLoadFranchise } from './provision';
import { connectTerminals, flood, trickle, type FloodResult } from './run';

export interface SyncLoadOptions {
  terminals: number;
  stores: number;
  ticketsPerTerminal: number;
  batchSize: number;
  /** postgres://… to run on PostgreSQL (a throw-away schema); otherwise a SQLite file. */
  databaseUrl?: string | undefined;
  /** Steady phase for the lag figure (0 = skip). */
  trickleSeconds: number;
  trickleIntervalMs?: number;
  products?: number;
}

export interface SyncLoadResult {
  engine: 'sqlite' | 'postgres';
  flood: FloodResult;
  /** CPU time (user + system) the back-office process spent per flooded ticket, µs (Linux /proc; NaN elsewhere). */
  serverCpuUsPerTicket: number;
  lagMs: number[];
  /** What the back office holds afterwards (read through a second connection before teardown). */
  ledger: { tickets: number; ackedSeqSum: number; stockMismatches: number; unverifiedFiscal: number; held: number };
}

const repoRoot = path.resolve(import.meta.dirname, '../../..');

export async function runSyncLoad(o: SyncLoadOptions): Promise<SyncLoadResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tpv-load-'));
  const schema = o.databaseUrl ? `tpv_load_${randomUUID().replace(/-/g, '').slice(0, 12)}` : undefined;
  const databaseUrl = o.databaseUrl && schema ? withSchema(o.databaseUrl, schema) : undefined;
  const file = path.join(dir, 'backoffice.sqlite');
  const ds = await openBackofficeDatabase({ databaseUrl, file });
  const franchise = await provisionLoadFranchise(ds, {
    stores: o.stores,
    terminalsPerStore: Math.ceil(o.terminals / o.stores),
    products: o.products ?? 500,
  });
  franchise.terminals = franchise.terminals.slice(0, o.terminals);
  await ds.destroy();
  const port = await freePort();
  const child = startProcess('backoffice', path.join(repoRoot, 'backoffice/src/main.ts'), {
    ...process.env,
    TPV_DATA_DIR: dir,
    TPV_BACKOFFICE_DB: file,
    TPV_BACKOFFICE_PORT: String(port),
    TPV_HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl ?? '',
    REDIS_URL: '',
  });
  try {
    const url = `http://127.0.0.1:${port}`;
    await waitForHealth(`${url}/health`, 60_000);
    const sims = await connectTerminals(url, franchise, o.batchSize);
    const cpu0 = processCpuMs(child.process.pid);
    const floodResult = await flood(sims, o.ticketsPerTerminal);
    const serverCpuUsPerTicket = ((processCpuMs(child.process.pid) - cpu0) * 1000) / floodResult.tickets;
    const lagMs = o.trickleSeconds > 0 ? await trickle(sims, o.trickleSeconds, o.trickleIntervalMs ?? 1000) : [];
    for (const s of sims) s.close();
    return { engine: databaseUrl ? 'postgres' : 'sqlite', flood: floodResult, serverCpuUsPerTicket, lagMs, ledger: await readLedger(databaseUrl, file) };
  } finally {
    await child.stop();
    rmSync(dir, { recursive: true, force: true });
    if (o.databaseUrl && schema) {
      const admin = new pg.Client({ connectionString: o.databaseUrl });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => admin.end());
    }
  }
}

/** utime + stime of a process in ms, from /proc (NaN where there is none). */
export function processCpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * (1000 / 100); // clock ticks of 10 ms
  } catch {
    return NaN;
  }
}

async function readLedger(databaseUrl: string | undefined, file: string): Promise<SyncLoadResult['ledger']> {
  const ds = await openBackofficeDatabase({ databaseUrl, file });
  try {
    const one = async (sql: string) => Number(((await ds.query(sql)) as Array<{ n: number | string | null }>)[0]?.n ?? 0);
    return {
      tickets: await one('SELECT COUNT(*) AS n FROM sale_ticket'),
      ackedSeqSum: await one('SELECT SUM(last_acked_seq) AS n FROM terminal'),
      // stock_level must equal Σ stock_movement for every (location, product).
      stockMismatches: await one(
        `SELECT COUNT(*) AS n FROM stock_level l LEFT JOIN (SELECT location_id, product_id, SUM(delta) AS q FROM stock_movement GROUP BY location_id, product_id) m
           ON m.location_id = l.location_id AND m.product_id = l.product_id WHERE m.q IS NULL OR m.q <> l.quantity`,
      ),
      unverifiedFiscal: await one(`SELECT COUNT(*) AS n FROM fiscal_record WHERE verified = ${databaseUrl ? 'false' : '0'}`),
      held: await one('SELECT COUNT(*) AS n FROM ingest_hold'),
    };
  } finally {
    await ds.destroy();
  }
}

function withSchema(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('schema', schema);
  return u.toString();
}
