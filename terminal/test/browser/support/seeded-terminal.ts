/**
 * A real terminal service for browser tests: a fresh SQLite file seeded with the demo franchise (terminal
 * "Caja 1" of Madrid Malasaña), `terminal/src/main.ts` started as a child process on a free loopback port,
 * and the built cashier screen (terminal/ui/dist, built here if missing).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '@tpv/runtime/testing/ports';
import { buildDemoFranchise, type DemoFranchise, type DemoTerminal } from '@tpv/scripts/src/seed/demo-franchise';
import { hashSecrets, seedTerminal } from '@tpv/scripts/src/seed/write';
import { openTerminalDatabase } from '@tpv/terminal/persistence/data-source';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../../../..');

export interface SeededTerminal {
  url: string;
  port: number;
  dir: string;
  databaseFile: string;
  franchise: DemoFranchise;
  terminal: DemoTerminal;
  /** Everything the service printed (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

export function ensureUiBuilt(): void {
  if (existsSync(path.join(REPO_ROOT, 'terminal/ui/dist/index.html'))) return;
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/vite/bin/vite.js'), 'build', 'terminal/ui', '--logLevel', 'warn'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`vite build terminal/ui failed:\n${r.stdout}\n${r.stderr}`);
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`terminal exited with ${child.exitCode}:\n${output()}`);
    try {
      const r = await fetch(`${url}/health`);
      if (r.ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`terminal did not answer /health within ${timeoutMs} ms:\n${output()}`);
}

export async function startSeededTerminal(opts: { env?: Record<string, string> } = {}): Promise<SeededTerminal> {
  ensureUiBuilt();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tpv-browser-'));
  const databaseFile = path.join(dir, 'terminal.sqlite');
  const franchise = buildDemoFranchise();
  const terminal = franchise.terminals[0]!;
  const hashes = await hashSecrets(franchise);
  const ds = await openTerminalDatabase(databaseFile);
  try {
    seedTerminal(ds, franchise, terminal, hashes);
  } finally {
    await ds.destroy();
  }
  const port = await freePort();
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'terminal/src/main.ts')], {
    cwd: REPO_ROOT,
    env: { ...process.env, TPV_TERMINAL_DB: databaseFile, TPV_TERMINAL_PORT: String(port), TPV_DATA_DIR: dir, TPV_HOST: '127.0.0.1', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  const url = `http://127.0.0.1:${port}`;
  const output = () => out;
  await waitForHealth(url, child, output);
  return {
    url,
    port,
    dir,
    databaseFile,
    franchise,
    terminal,
    output,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
