/**
 * `npm start`: the demo franchise on one machine. Migrates and seeds the databases if they are empty,
 * builds the UIs if they are missing, starts the back office and two terminals as child processes, prints
 * the URLs and demo logins, and stops every child on Ctrl-C.
 *
 * Configuration (environment): TPV_DATA_DIR (default ./data), TPV_BACKOFFICE_PORT (3000),
 * TPV_TERMINAL_PORTS (3101,3102), DATABASE_URL (back office on PostgreSQL instead of SQLite),
 * TPV_DEMO_DEVICES=0 (no virtual devices: the tills record print jobs in memory), TPV_DEVICES_PORT (device
 * bench port, default a free one), TPV_LOG_FORMAT (default `pretty` here: human-readable logs; `json` for JSON lines),
 * TPV_LOG_LEVEL (info).
 * bench port, default a free one), TPV_DEMO_HISTORY=0 (no seeded sales history).
 *
 * Virtual devices (scripts/src/demo-devices.ts): each till gets a virtual ESC/POS printer on a free TCP port
 * with a drawer on its kick connector (and, with socat, a serial scanner and a pole display on PTYs). The
 * launcher writes the till's devices file (`<data>/devices-<till>.json`) to use them — rewritten on every
 * start, since the ports change — and serves what they did on the "device bench" URL it prints.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { buildDemoFranchise, type DemoUserRole } from './seed/demo-franchise';
import { seedDemoDatabases } from './seed/write';
import { buildUisIfMissing } from './ui-build';
import { startProcess, waitForHealth, type Child } from './processes';
import { createPairingCode, hqLogin, recordSeededTerminalPrices, terminalNeedsPairing } from './chaos/hq-client';
import { startDemoDevices, type DemoDevices } from './demo-devices';
import { devicesFilePath, writeDevicesFile } from '@tpv/terminal/devices/config';

const ROLE_LABELS: Record<DemoUserRole, string> = {
  hq_admin: 'HQ admin',
  hq_operations: 'HQ operations',
  hq_accountant: 'HQ accountant',
  franchisee_manager: 'franchisee manager',
  store_manager: 'store manager',
  auditor: 'auditor (read-only)',
};

const repoRoot = path.resolve(import.meta.dirname, '../..');
const dataDir = path.resolve(process.env.TPV_DATA_DIR ?? path.join(repoRoot, 'data'));
const host = process.env.TPV_HOST ?? '127.0.0.1';
const backofficePort = Number(process.env.TPV_BACKOFFICE_PORT ?? 3000);
const terminalPorts = (process.env.TPV_TERMINAL_PORTS ?? '3101,3102').split(',').map((p) => Number(p.trim()));
const children: Child[] = [];
let devices: DemoDevices | null = null;
let stopping = false;

async function stopAll(code: number): Promise<never> {
  stopping = true;
  await Promise.all(children.map((c) => c.stop()));
  await devices?.stop().catch(() => undefined);
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

async function main() {
  const started = Date.now();
  mkdirSync(dataDir, { recursive: true });
  const franchise = buildDemoFranchise();
  const demoTerminals = franchise.terminals.slice(0, terminalPorts.length);
  // Named after the terminal, not the port, so a restart on other ports finds the same till's data.
  const terminalDb = (i: number) => {
    const t = demoTerminals[i]!;
    return path.join(dataDir, `terminal-${franchise.stores.find((s) => s.id === t.storeId)!.code}-${t.code}.sqlite`);
  };

  await buildUisIfMissing(repoRoot);
  const seeded = await seedDemoDatabases({
    franchise,
    backoffice: { databaseUrl: process.env.DATABASE_URL || undefined, file: path.join(dataDir, 'backoffice.sqlite') },
    terminals: demoTerminals.map((t, i) => ({ terminal: t, file: terminalDb(i) })),
    // 90 days of sales in every store, so every page has something to show (TPV_DEMO_HISTORY=0: none).
    history: process.env.TPV_DEMO_HISTORY !== '0',
  });

  // One set of virtual devices per till, and its devices file pointing at them.
  const tillCode = (i: number) => `${franchise.stores.find((s) => s.id === demoTerminals[i]!.storeId)!.code}-${demoTerminals[i]!.code}`;
  const devicesFile = (i: number) => devicesFilePath(terminalDb(i), {});
  if (process.env.TPV_DEMO_DEVICES !== '0') {
    devices = await startDemoDevices(demoTerminals.map((_t, i) => tillCode(i)), {
      host,
      port: Number(process.env.TPV_DEVICES_PORT ?? 0),
    });
    demoTerminals.forEach((_t, i) => writeDevicesFile(devicesFile(i), devices!.tills.get(tillCode(i))!.config));
  }

  // Human-readable logs in the demo (JSON lines otherwise); TPV_LOG_FORMAT=json keeps them as JSON.
  const baseEnv = { ...process.env, TPV_DATA_DIR: dataDir, TPV_HOST: host, TPV_LOG_FORMAT: process.env.TPV_LOG_FORMAT ?? 'pretty' };
  const backofficeUrl = `http://${host}:${backofficePort}`;
  children.push(
    startProcess('backoffice', path.join(repoRoot, 'backoffice/src/main.ts'), { ...baseEnv, TPV_BACKOFFICE_PORT: String(backofficePort) }, onChildExit),
  );
  await waitForHealth(`${backofficeUrl}/health`, 30_000);
  // Each demo till pairs itself with HQ the way a real one does (a one-time code from HQ), then streams its
  // sales up and pulls the catalogue down. Seeded tills first record which prices are this store's own.
  const pairingCodes = await pairDemoTerminals(franchise, demoTerminals, terminalDb, backofficeUrl, seeded);
  terminalPorts.forEach((port, i) => {
    children.push(
      startProcess(`terminal:${port}`, path.join(repoRoot, 'terminal/src/main.ts'), {
        ...baseEnv,
        TPV_TERMINAL_PORT: String(port),
        TPV_TERMINAL_DB: terminalDb(i),
        TPV_TERMINAL_ID: demoTerminals[i]?.id ?? '',
        TPV_BACKOFFICE_URL: backofficeUrl,
        TPV_PAIRING_CODE: pairingCodes[i] ?? '',
        TPV_DEVICES_FILE: devicesFile(i),
      }, onChildExit),
    );
  });
  await Promise.all(terminalPorts.map((port) => waitForHealth(`http://${host}:${port}/health`, 30_000)));

  const store = franchise.stores.find((s) => s.id === demoTerminals[0]?.storeId);
  const storeStaff = franchise.staff.filter((s) => s.storeId === store?.id);
  const lines = [
    '',
    `TPV demo franchise is up (${((Date.now() - started) / 1000).toFixed(1)} s) — data in ${dataDir}${seeded ? ' (seeded now)' : ''}`,
    `  Back office   ${backofficeUrl}`,
    `  API docs      ${backofficeUrl}/api/docs   (OpenAPI: ${backofficeUrl}/api/openapi.json)`,
    ...terminalPorts.map((p, i) => `  Terminal      http://${host}:${p}   (${store?.code} ${store?.name}, ${demoTerminals[i]?.name})`),
    ...(devices
      ? [
          `  Device bench  ${devices.url}   (virtual printers, drawers${devices.tills.values().next().value?.scanner ? ', scanners, pole displays' : ''})`,
          ...[...devices.tills.values()].map((t) => `    ${t.code}: printer ${t.printer.url}, last receipts ${devices!.url}/printers/${t.code}/receipts${t.scanner ? `, scan: curl -XPOST -d '{"code":"…"}' ${devices!.url}/scanners/${t.code}/scan` : ''}`),
        ]
      : []),
    '',
    '  Back-office logins (email / password):',
    ...franchise.users.map((u) => `    ${u.email.padEnd(32)} ${u.password.padEnd(18)} ${ROLE_LABELS[u.role]}`),
    `  Till PINs at ${store?.code}:`,
    ...storeStaff.map((s) => `    ${s.pin}  ${s.name} (${s.role})`),
    '',
    'Ctrl-C stops everything.',
  ];
  console.log(lines.join('\n'));
}

async function pairDemoTerminals(
  franchise: ReturnType<typeof buildDemoFranchise>,
  terminals: ReturnType<typeof buildDemoFranchise>['terminals'],
  terminalDb: (i: number) => string,
  backofficeUrl: string,
  seeded: boolean,
): Promise<Array<string | undefined>> {
  const hq = franchise.users.find((u) => u.role === 'hq_admin')!;
  let token: string | undefined;
  return Promise.all(
    terminals.map(async (t, i) => {
      if (seeded) {
        const base = new Map(franchise.products.map((p) => [p.id, p.basePriceCents]));
        const own = franchise.storePrices.filter((p) => p.storeId === t.storeId);
        await recordSeededTerminalPrices(terminalDb(i), own.map((p) => ({ productId: p.productId, basePriceCents: base.get(p.productId) ?? p.priceCents, storePriceCents: p.priceCents })));
      }
      if (!(await terminalNeedsPairing(terminalDb(i)))) return undefined;
      try {
        token ??= await hqLogin(backofficeUrl, hq.email, hq.password);
        return await createPairingCode(backofficeUrl, token, t.id);
      } catch (e) {
        console.error(`[demo] could not get a pairing code for ${t.name}: ${(e as Error).message} (it sells offline)`);
        return undefined;
      }
    }),
  );
}

function onChildExit(name: string, code: number | null) {
  if (stopping) return;
  console.error(`[demo] ${name} exited unexpectedly (code ${code}); stopping the demo`);
  void stopAll(1);
}

main().catch((e) => {
  console.error('[demo] failed to start:', e);
  void stopAll(1);
});
