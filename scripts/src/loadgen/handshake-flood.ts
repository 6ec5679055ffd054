/**
 * Does a flood of socket handshakes slow the ingest of a connected till? One back office (its own process,
 * SQLite), a few simulated tills streaming a backlog; the same backlog size is timed without and then with
 * a bounded handshake flood from another process on loopback (wrong tokens, FLOOD_CONCURRENCY in flight).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openBackofficeDatabase } from '@tpv/backoffice/persistence/data-source';
import { freePort } from '@tpv/runtime/testing/ports';
import { startProcess, waitForHealth } from '../processes';
import { provisionLoadFranchise } from './provision';
import { connectTerminals, flood, type FloodResult } from './run';
import { processCpuMs } from './harness';

export interface HandshakeFloodOptions {
  terminals: number;
  ticketsPerTerminal: number;
  batchSize: number;
  floodConcurrency: number;
  /** Extra environment of the back office (e.g. TPV_LIMIT_HANDSHAKE_ADDRESS to loosen the limit). */
  env?: NodeJS.ProcessEnv;
}

export interface HandshakeFloodResult {
  quiet: FloodResult;
  flooded: FloodResult;
  handshakes: { attempts: number; perSecond: number; outcomes: Record<string, number> };
  /** Back-office CPU (user + system, ms) while the quiet and the flooded backlog were ingested. */
  serverCpuMs: { quiet: number; flooded: number };
}

const repoRoot = path.resolve(import.meta.dirname, '../../..');

/** A back office (real main.ts, own process) on a fresh SQLite file with one store of `tills` paired tills. */
export async function startLoadBackoffice(tills: number, env: NodeJS.ProcessEnv = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'tpv-flood-'));
  const file = path.join(dir, 'backoffice.sqlite');
  const ds = await openBackofficeDatabase({ file });
  const franchise = await provisionLoadFranchise(ds, { stores: 1, terminalsPerStore: tills, products: 200 });
  await ds.destroy();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const bo = startProcess('backoffice', path.join(repoRoot, 'backoffice/src/main.ts'), {
    ...process.env,
    TPV_DATA_DIR: dir,
    TPV_BACKOFFICE_DB: file,
    TPV_BACKOFFICE_PORT: String(port),
    TPV_HOST: '127.0.0.1',
    DATABASE_URL: '',
    REDIS_URL: '',
    ...env,
  });
  const stop = async () => {
    await bo.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(`${url}/health`, 60_000);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, port, pid: bo.process.pid, franchise, stop };
}

export async function runHandshakeFlood(o: HandshakeFloodOptions): Promise<HandshakeFloodResult> {
  const { url, pid, franchise, stop } = await startLoadBackoffice(o.terminals + 1, o.env);
  const victim = franchise.terminals.pop()!; // the flood names a real terminal, with a wrong token
  try {
    const sims = await connectTerminals(url, franchise, o.batchSize);
    await flood(sims, Math.min(300, o.ticketsPerTerminal)); // warm-up (JIT, caches), untimed
    let cpu = processCpuMs(pid);
    const quiet = await flood(sims, o.ticketsPerTerminal);
    const quietCpu = processCpuMs(pid) - cpu;

    const flooder = startProcess('flooder', path.join(repoRoot, 'scripts/src/loadgen/flooder.ts'), {
      ...process.env,
      FLOOD_URL: url,
      FLOOD_CONCURRENCY: String(o.floodConcurrency),
      FLOOD_TERMINAL_ID: victim.terminalId,
    });
    const messages: Array<Record<string, unknown>> = [];
    let notify: (() => void) | undefined;
    flooder.process.on('message', (m) => {
      messages.push(m as Record<string, unknown>);
      notify?.();
    });
    const next = () => new Promise<void>((resolve) => (notify = resolve));
    await next(); // started
    await new Promise((r) => setTimeout(r, 1000)); // let the flood reach its steady state
    const t0 = performance.now();
    cpu = processCpuMs(pid);
    const flooded = await flood(sims, o.ticketsPerTerminal);
    const floodedCpu = processCpuMs(pid) - cpu;
    const seconds = (performance.now() - t0) / 1000;
    flooder.process.send('stop');
    await next(); // summary
    await flooder.stop();
    for (const s of sims) s.close();
    const summary = messages.at(-1) as { attempts: number; outcomes: Record<string, number> };
    return {
      quiet,
      flooded,
      handshakes: { attempts: summary.attempts, perSecond: summary.attempts / (seconds + 1), outcomes: summary.outcomes },
      serverCpuMs: { quiet: quietCpu, flooded: floodedCpu },
    };
  } finally {
    await stop();
  }
}
