/**
 * Device tokens that survive a restore of HQ's database. A terminal's token is 32 bytes (base64url, 43
 * chars, the same shape as before): a 4-byte generation, 12 random bytes and 16 bytes of HMAC-SHA256 over
 * (terminal id, generation, nonce) with a key kept in the database (`server_secret`, made by the
 * migration, so an older copy of the database holds the same key). HQ still stores the token's SHA-256
 * (the fast path); when a restore brought back an older hash (or none), a token HQ signed for this
 * terminal with a generation ≥ the stored one is accepted and adopted. Pairing again raises the generation,
 * so older tokens stay dead; a revoked terminal (revoked_at set) is refused whatever its token says.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { DEVICE_TOKEN_SECRET, serverSecret } from '../persistence/server-secret';

const NONCE = 12;
const MAC = 16;

/** The signing key of this database (read once per DataSource). */
export const deviceTokenKey = (ds: DataSource): Promise<Buffer> => serverSecret(ds, DEVICE_TOKEN_SECRET);

function mac(key: Buffer, terminalId: string, head: Buffer): Buffer {
  return createHmac('sha256', key).update(`tpv-device:${terminalId}:`).update(head).digest().subarray(0, MAC);
}

export function issueDeviceToken(key: Buffer, terminalId: string, generation: number): string {
  const head = Buffer.alloc(4 + NONCE);
  head.writeUInt32BE(generation >>> 0, 0);
  randomBytes(NONCE).copy(head, 4);
  return Buffer.concat([head, mac(key, terminalId, head)]).toString('base64url');
}

/** The generation of a token this database signed for `terminalId`, or null. */
export function deviceTokenGeneration(key: Buffer, terminalId: string, token: string): number | null {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const raw = Buffer.from(token, 'base64url');
  if (raw.length !== 4 + NONCE + MAC) return null;
  const head = raw.subarray(0, 4 + NONCE);
  const expected = mac(key, terminalId, head);
  return timingSafeEqual(expected, raw.subarray(4 + NONCE)) ? head.readUInt32BE(0) : null;
}
