/**
 * Pairing codes: 12 characters of Crockford base32 shown as `ABCD-EFGH-JKMN` (60 random bits), typed into
 * the till once. The first group is a public *selector* naming the live code (and so the terminal) — the
 * row is found by it without the write lock, and wrong guesses are counted per code; the other 8 characters
 * (40 bits) are the secret. The database keeps only an HMAC-SHA-256 of the whole code under a server key
 * (persistence/server-secret.ts), so a leaked database does not give a code away even by brute force.
 */
import { createHmac, randomInt } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const SELECTOR_CHARS = 4;
const CODE_CHARS = 12;

export interface PairingCode {
  /** Canonical form, without dashes. */
  readonly value: string;
  readonly selector: string;
}

export function newPairingCode(): PairingCode & { display: string } {
  let value = '';
  for (let i = 0; i < CODE_CHARS; i++) value += ALPHABET[randomInt(ALPHABET.length)];
  return { value, selector: value.slice(0, SELECTOR_CHARS), display: `${value.slice(0, 4)}-${value.slice(4, 8)}-${value.slice(8)}` };
}

/** What a person typed → the code: any case, dashes and spaces ignored, O read as 0 and I/L as 1 (Crockford). */
export function parsePairingCode(typed: string): PairingCode | null {
  const value = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (value.length !== CODE_CHARS || [...value].some((ch) => !ALPHABET.includes(ch))) return null;
  return { value, selector: value.slice(0, SELECTOR_CHARS) };
}

export const PAIRING_CODE_FORMAT = '12 letters and digits, as XXXX-XXXX-XXXX';

/** Lowercase hex HMAC-SHA-256 of the canonical code. */
export function pairingCodeHash(key: Buffer, code: PairingCode): string {
  return createHmac('sha256', key).update(`pairing:${code.value}`).digest('hex');
}

