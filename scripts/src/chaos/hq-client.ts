/**
 * The few back-office HTTP calls the demo launcher and the chaos tests make: HQ login and pairing codes,
 * and whether a terminal database still needs pairing.
 */
import { openTerminalDatabase, sqliteHandle } from '@tpv/terminal/persistence/data-source';
import { readCredentials } from '@tpv/terminal/sync/state';
import { recordSeededPrices } from '@tpv/terminal/sync/seeded';

async function json<T>(res: Response, what: string): Promise<T> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${what}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/** `POST /api/auth/login` → bearer token. */
export async function hqLogin(backofficeUrl: string, email: string, password: string): Promise<string> {
  const r = await json<{ token: string }>(
    await fetch(`${backofficeUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) }),
    'HQ login',
  );
  return r.token;
}

/** `POST /api/terminals/:id/pairing-code` → the one-time code a terminal trades at `/api/pairing`. */
export async function createPairingCode(backofficeUrl: string, token: string, terminalId: string): Promise<string> {
  const r = await json<{ code: string }>(
    await fetch(`${backofficeUrl}/api/terminals/${terminalId}/pairing-code`, { method: 'POST', headers: { authorization: `Bearer ${token}` } }),
    `pairing code for ${terminalId}`,
  );
  return r.code;
}

/** True when the terminal database has no token yet (or the back office revoked it). */
export async function terminalNeedsPairing(databaseFile: string): Promise<boolean> {
  const ds = await openTerminalDatabase(databaseFile);
  try {
    const creds = readCredentials(sqliteHandle(ds));
    return !creds || !!creds.revokedAt;
  } finally {
    await ds.destroy();
  }
}

/** See terminal/src/sync/seeded.ts: a seeded catalogue records its store prices so feed changes keep them. */
export async function recordSeededTerminalPrices(
  databaseFile: string,
  prices: ReadonlyArray<{ productId: string; basePriceCents: number; storePriceCents: number | null }>,
): Promise<number> {
  const ds = await openTerminalDatabase(databaseFile);
  try {
    return recordSeededPrices(sqliteHandle(ds), prices);
  } finally {
    await ds.destroy();
  }
}
