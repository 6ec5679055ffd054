/** Composition root of the back-office process: real database, real HTTP/socket.io server. */
import { mkdirSync } from 'node:fs';
import { onShutdown, readVersion } from '@tpv/runtime';
import { backofficeConfigFromEnv } from './config';
import { openBackofficeDatabase } from './persistence/data-source';
import { createBackofficeServer } from './server';
import { attachRedisAdapter } from './sync/redis';
import { createRedisThrottle, createThrottle } from './throttle/limits';
import { pairingKey } from './pairing/service';
import { createLogger } from './platform/log';

const config = backofficeConfigFromEnv();
const logger = createLogger();
mkdirSync(config.dataDir, { recursive: true });
const dataSource = await openBackofficeDatabase({ databaseUrl: config.databaseUrl, file: config.databaseFile });
await pairingKey(dataSource); // generated into the database at first start, never in the repo or the environment
// Limits hold across nodes when their counts are in Redis.
const limits = config.redisUrl ? await createRedisThrottle(config.redisUrl, config.limits) : { throttle: createThrottle(config.limits), close: async () => {} };
const server = createBackofficeServer({
  dataSource,
  version: readVersion(),
  clock: { now: () => Date.now() },
  throttle: limits.throttle,
  ...(config.preAuthFrameBytes ? { preAuthFrameBytes: config.preAuthFrameBytes } : {}),
  ...(config.trustProxy ? { trustProxy: config.trustProxy } : {}),
  modulesOff: config.modulesOff,
  requireTotpHq: config.requireTotpHq,
  dataDir: config.dataDir,
  logger,
});
// Several back-office nodes behind a load balancer share socket.io rooms through Redis.
const closeRedis = config.redisUrl ? await attachRedisAdapter(server.io, config.redisUrl) : undefined;
const port = await server.listen(config.port, config.host);
logger.info(`listening on http://${config.host}:${port}${config.redisUrl ? ' (socket.io Redis adapter)' : ''}`);

onShutdown('backoffice', async () => {
  await server.close();
  await closeRedis?.();
  await limits.close();
  await dataSource.destroy();
});
