/** Composition root of the back-office process: real database, real HTTP/socket.io server. */
import { mkdirSync } from 'node:fs';
import { onShutdown, readVersion } from '@tpv/runtime';
import { backofficeConfigFromEnv } from './config';
import { openBackofficeDatabase } from './persistence/data-source';
import { createBackofficeServer } from './server';

const config = backofficeConfigFromEnv();
mkdirSync(config.dataDir, { recursive: true });
const dataSource = await openBackofficeDatabase({ databaseUrl: config.databaseUrl, file: config.databaseFile });
const server = createBackofficeServer({ dataSource, version: readVersion() });
const port = await server.listen(config.port, config.host);
console.log(`[backoffice] listening on http://${config.host}:${port}`);

onShutdown('backoffice', async () => {
  await server.close();
  await dataSource.destroy();
});
