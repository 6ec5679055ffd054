/** Composition root of the back-office process: real database, real HTTP/socket.io server. */
import { mkdirSync } from 'node:fs';
import { onShutdown, readVersion } from '@tpv/runtime';
import { backofficeConfigFromEnv } from './config';
import { openBackofficeDatabase } from './persistence/data-source';
import { createBackofficeServer } from './server';
import { attachRedisAdapter } from './sync/redis';

const config = backofficeConfigFromEnv();
mkdirSync(config.dataDir, { recursive: true });
const dataSource = await openBackofficeDatabase({ databaseUrl: config.databaseUrl, file: config.databaseFile });
const server = createBackofficeServer({ dataSource, version: readVersion(), clock: { now: () => Date.now() } });
// Several back-office nodes behind a load balancer share socket.io rooms through Redis.
const closeRedis = config.redisUrl ? await attachRedisAdapter(server.io, config.redisUrl) : undefined;
const port = await server.listen(config.port, config.host);
console.log(`[backoffice] listening on http://${config.host}:${port}${config.redisUrl ? ' (socket.io Redis adapter)' : ''}`);

onShutdown('backoffice', async () => {
  await server.close();
  await closeRedis?.();
  await dataSource.destroy();
});
