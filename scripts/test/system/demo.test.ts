import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, isListening } from '@tpv/runtime/testing/ports';

interface Health { status: string; service: string; database: { engine: string; location: string; ok: boolean } }

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tpv-demo-'));

/** Every live process whose environment names our data dir: the launcher's children. */
function processesUsingDataDir(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const env = readFileSync(`/proc/${entry}/environ`, 'utf8');
      if (env.includes(`TPV_DATA_DIR=${dataDir}\0`)) pids.push(Number(entry));
    } catch {
      /* gone, or not ours to read */
    }
  }
  return pids;
}

async function startDemo(ports: { backoffice: number; terminals: number[] }) {
  // Own process group, so the test can send SIGINT to the whole group the way Ctrl-C in a terminal does.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'scripts/src/demo.ts')], {
    cwd: repoRoot,
    detached: true,
    env: { ...process.env, TPV_DATA_DIR: dataDir, TPV_BACKOFFICE_PORT: String(ports.backoffice), TPV_TERMINAL_PORTS: ports.terminals.join(',') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo not up within 150 s:\n${output}`)), 150_000);
    child.stdout!.on('data', () => output.includes('Ctrl-C stops everything') && (clearTimeout(timer), resolve()));
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`demo exited ${code}:\n${output}`))));
  });
  return { child, output: () => output };
}

async function ctrlC(child: ChildProcess) {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  process.kill(-child.pid!, 'SIGINT');
  return exited;
}

describe('npm start (demo launcher)', () => {
  afterAll(() => {
    for (const pid of processesUsingDataDir()) process.kill(pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('brings up the back office and two terminals with /health ok, then Ctrl-C leaves nothing behind', async () => {
    const ports = { backoffice: await freePort(), terminals: [await freePort(), await freePort()] };
    const demo = await startDemo(ports);

    const bo = (await (await fetch(`http://127.0.0.1:${ports.backoffice}/health`)).json()) as Health;
    expect(bo).toMatchObject({ status: 'ok', service: 'backoffice', database: { engine: 'sqlite', ok: true } });
    expect(bo.database.location).toBe(path.join(dataDir, 'backoffice.sqlite'));
    for (const [i, port] of ports.terminals.entries()) {
      const t = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as Health;
      const file = path.join(dataDir, `terminal-M001-0${i + 1}.sqlite`);
      expect(t).toMatchObject({ status: 'ok', service: 'terminal', database: { engine: 'sqlite', location: file } });
      expect(existsSync(file)).toBe(true);
    }
    // The pages are served (built UI), and the demo printed logins a person can use.
    const page = await fetch(`http://127.0.0.1:${ports.terminals[0]}/`);
    expect(await page.text()).toContain('<div id="root">');
    expect(demo.output()).toMatch(/central@mercadoverde\.demo/);
    expect(demo.output()).toMatch(/1111 {2}.+\(cashier\)/);
    // ~90 days of sales history in every store: the ticket search, a ticket's page and the daily sales report.
    const base = `http://127.0.0.1:${ports.backoffice}`;
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'central@mercadoverde.demo', password: 'demo-central' }) });
    const auth = { authorization: `Bearer ${((await login.json()) as { token: string }).token}` };
    const tickets = (await (await fetch(`${base}/api/tickets?pageSize=5`, { headers: auth })).json()) as { items: Array<{ id: string }>; total: number };
    expect(tickets.total).toBeGreaterThan(10_000 - 1);
    const ticket = (await (await fetch(`${base}/api/tickets/${tickets.items[0]!.id}`, { headers: auth })).json()) as { fiscal: { verified: boolean } };
    expect(ticket.fiscal.verified).toBe(true);
    const from = new Date(Date.now() - 89 * 86_400_000).toISOString().slice(0, 10);
    const daily = (await (await fetch(`${base}/api/sales/daily?from=${from}`, { headers: auth })).json()) as Array<{ storeCode: string; businessDate: string }>;
    for (const store of ['M001', 'M002', 'V001']) expect(new Set(daily.filter((d) => d.storeCode === store).map((d) => d.businessDate)).size).toBeGreaterThan(80);
    // the launcher and its three children (plus esbuild helpers tsx may start)
    expect(processesUsingDataDir().length).toBeGreaterThanOrEqual(4);

    expect(await ctrlC(demo.child)).toBe(0);
    expect(processesUsingDataDir()).toEqual([]);
    for (const port of [ports.backoffice, ...ports.terminals]) expect(await isListening(port)).toBe(false);
  });

  it('restarts on the same data without seeding again', async () => {
    const ports = { backoffice: await freePort(), terminals: [await freePort(), await freePort()] };
    const demo = await startDemo(ports);
    expect(demo.output()).not.toContain('seeded now');
    expect(await ctrlC(demo.child)).toBe(0);
    expect(processesUsingDataDir()).toEqual([]);
  });
});
