/** Composition root of a terminal process: its SQLite file, its local HTTP/socket.io service. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { onShutdown, readVersion } from '@tpv/runtime';
import { clockFromEnv } from './clock';
import { terminalConfigFromEnv } from './config';
import { openTerminalDatabase, sqliteHandle } from './persistence/data-source';
import { createTerminalApp } from './app/terminal-app';
import { applyEnvOverrides, devicesFilePath, readDevicesFile } from './devices/config';
import { DeviceManager } from './devices/manager';
import { createTerminalServer } from './server';
import { createSyncClient, syncOptionsFromEnv } from './sync';
import { createLogoMemory } from './printing/receipts';

const config = terminalConfigFromEnv();
const clock = clockFromEnv();
mkdirSync(path.dirname(config.databaseFile), { recursive: true });
const dataSource = await openTerminalDatabase(config.databaseFile);
// Devices: <data dir>/devices-<till>.json (TPV_DEVICES_FILE), TPV_PRINTER / TPV_DISPLAY on top; a manager
// can change them from the screen (PUT /api/devices/config) without a restart.
const devicesFile = devicesFilePath(config.databaseFile);
const fromFile = readDevicesFile(devicesFile);
if (fromFile.problem) console.error(`[terminal] device configuration ignored: ${fromFile.problem}`);
const effective = applyEnvOverrides(fromFile.config);
const devices = new DeviceManager({
  file: devicesFile,
  config: effective.config,
  overridden: effective.overridden,
  ...(fromFile.problem ? { fileProblem: fromFile.problem } : {}),
});
devices.useLogoMemory(createLogoMemory(sqliteHandle(dataSource), () => new Date(clock.now()).toISOString()));
await devices.start();
const sync = createSyncClient(
  syncOptionsFromEnv({ db: sqliteHandle(dataSource), backofficeUrl: config.backofficeUrl, clock, appVersion: readVersion() }),
);
const selling = createTerminalApp({ db: sqliteHandle(dataSource), clock, devices, syncStatus: () => sync.status(), hqTickets: { lookup: (q) => sync.lookupTicket(q) }, stock: { queued: () => sync.notify(), lookup: (id) => sync.lookupStock(id) }, hqRequest: sync.request, documentsQueued: () => sync.notify() });
selling.deps.events.on('ticket', () => sync.notify());
const server = createTerminalServer({ dataSource, databaseFile: config.databaseFile, version: readVersion(), selling, sync });
const port = await server.listen(config.port, config.host);
console.log(`[terminal] listening on http://${config.host}:${port} (db ${config.databaseFile})`);
void sync.start(); // pairs first if TPV_PAIRING_CODE is set and the terminal has no token; never blocks selling

onShutdown(`terminal:${port}`, async () => {
  await sync.stop();
  await server.close();
  await selling.stop();
  await devices.stop();
  await dataSource.destroy();
});
