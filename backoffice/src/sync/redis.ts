/** Optional socket.io Redis adapter (REDIS_URL): rooms, nudges and revocations span every back-office node. */
import type { Server } from 'socket.io';

/** `key`: channel prefix (default `socket.io`); nodes of one back office must share it. */
export async function attachRedisAdapter(io: Server, url: string, key?: string): Promise<() => Promise<void>> {
  // Imported only when REDIS_URL asks for them: a single node starts without node-redis.
  const [{ createAdapter }, { createClient }] = await Promise.all([import('@socket.io/redis-adapter'), import('redis')]);
  const pub = createClient({ url });
  const sub = pub.duplicate();
  await Promise.all([pub.connect(), sub.connect()]);
  io.adapter(createAdapter(pub, sub, key ? { key } : {}));
  return async () => {
    await Promise.allSettled([pub.quit(), sub.quit()]);
  };
}
