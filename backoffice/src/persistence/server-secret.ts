/**
 * Secrets the back office makes for itself at first start and keeps in its database (`server_secret`):
 * shared by every node of one back office, never in the repository or the environment. Two nodes starting
 * at once both try to insert; the first row wins and both read it back.
 */
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { engineOfDs, placeholders, writeTransaction } from './raw';

/** The key that signs device tokens: made by migration 1795400000101, so older copies of the database hold it. */
export const DEVICE_TOKEN_SECRET = 'device-token';

const cache = new WeakMap<DataSource, Map<string, Promise<Buffer>>>();

export function serverSecret(ds: DataSource, name: string, now: () => number = Date.now): Promise<Buffer> {
  let byName = cache.get(ds);
  if (!byName) cache.set(ds, (byName = new Map()));
  let secret = byName.get(name);
  if (!secret) {
    secret = loadOrCreate(ds, name, now);
    byName.set(name, secret);
    secret.catch(() => byName.delete(name)); // a database hiccup at start: try again next time
  }
  return secret;
}

async function loadOrCreate(ds: DataSource, name: string, now: () => number): Promise<Buffer> {
  const e = engineOfDs(ds);
  const read = async () =>
    ((await ds.query(`SELECT value FROM server_secret WHERE name = ${placeholders(e, 1)}`, [name])) as Array<{ value: string }>)[0]?.value;
  let value = await read();
  if (value === undefined) {
    await writeTransaction(ds, (m) =>
      m.query(`INSERT INTO server_secret (name, value, created_at) VALUES (${placeholders(e, 3)}) ON CONFLICT (name) DO NOTHING`, [
        name,
        randomBytes(32).toString('base64'),
        new Date(now()).toISOString(),
      ]),
    );
    value = await read();
  }
  if (value === undefined) throw new Error(`server secret ${name} could not be stored`);
  return Buffer.from(value, 'base64');
}
