/** Composition root of a terminal process: its SQLite file, its local HTTP/socket.io service. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { onShutdown, readVersion } from '@tpv/runtime';
import { terminalConfigFromEnv } from './config';
import { openTerminalDatabase } from './persistence/data-source';
import { createTerminalServer } from './server';

const config = terminalConfigFromEnv();
mkdirSync(path.dirname(config.databaseFile), { recursive: true });
const dataSource = await openTerminalDatabase(config.databaseFile);
const server = createTerminalServer({ dataSource, databaseFile: config.databaseFile, version: readVersion() });
const port = await server.listen(config.port, config.host);
console.log(`[terminal] listening on http://${config.host}:${port} (db ${config.databaseFile})`);

onShutdown(`terminal:${port}`, async () => {
  await server.close();
  await dataSource.destroy();
});
