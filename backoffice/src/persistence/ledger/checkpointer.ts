/**
 * WAL checkpoints off the event loop. better-sqlite3 is synchronous: an automatic checkpoint runs inside
 * some COMMIT and stalls every socket until the WAL is copied into the database file and synced. With
 * `wal_autocheckpoint = 0` on the main connection, a worker thread with its own connection runs PASSIVE
 * checkpoints (they never block writers) every `intervalMs`, so commits only append to the WAL.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 5000 });
let busy = false;
const run = (mode) => {
  if (busy) return;
  busy = true;
  try { db.pragma('wal_checkpoint(' + mode + ')'); } catch (e) { parentPort.postMessage(String(e)); } finally { busy = false; }
};
const timer = setInterval(() => run('PASSIVE'), workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m === 'stop') { clearInterval(timer); try { run('PASSIVE'); db.close(); } finally { process.exit(0); } }
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(file: string, intervalMs = 1000, log: (m: string) => void = (m) => console.warn(`[backoffice:wal] ${m}`)): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, { eval: true, workerData: { file, driver, intervalMs } });
  worker.unref();
  worker.on('message', (m: unknown) => log(String(m)));
  worker.on('error', (e) => log(`checkpointer failed: ${String(e)}`));
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        worker.once('exit', () => resolve());
        // Unref'd while running; held now, or a process with nothing else pending would end before the exit.
        worker.ref();
        worker.postMessage('stop');
        setTimeout(() => void worker.terminate(), 5000).unref();
      }),
  };
}
