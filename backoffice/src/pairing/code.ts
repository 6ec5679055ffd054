/**
 * Pairing codes: 12 characters of Crockford base32 shown as `ABCD-EFGH-JKMN` (60 random bits), typed into
 * the till once. The first group is a public *selector* naming the live code (and so the terminal) — the
 * row is found by it without the write lock, and wrong guesses are counted per code; the other 8 characters
 * (40 bits) are the secret. The database keeps only an HMAC-SHA-256 of the whole code under a server key
 * (persistence/server-secret.ts), so a leaked database does not give a code away even by brute force.
 */
import { createHmac, randomInt } from 'node:crypto';
import { PAIRING_ALPHABET as ALPHABET, PAIRING_CODE_CHARS as CODE_CHARS, PAIRING_SELECTOR_CHARS as SELECTOR_CHARS, type PairingCode } from '@tpv/shared/wire/http/terminals';

export { PAIRING_CODE_FORMAT, parsePairingCode, type PairingCode } from '@tpv/shared/wire/http/terminals';

export function newPairingCode(): PairingCode & { display: string } {
  let value = '';
  for (let i = 0; i < CODE_CHARS; i++) value += ALPHABET[randomInt(ALPHABET.length)];
  return { value, selector: value.slice(0, SELECTOR_CHARS), display: `${value.slice(0, 4)}-${value.slice(4, 8)}-${value.slice(8)}` };
}

/** Lowercase hex HMAC-SHA-256 of the canonical code. */
export function pairingCodeHash(key: Buffer, code: PairingCode): string {
  return createHmac('sha256', key).update(`pairing:${code.value}`).digest('hex');
}

