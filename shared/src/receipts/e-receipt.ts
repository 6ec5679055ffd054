/**
 * The e-receipt link (issue 19), pure: `<base>/api/e-receipts/<ticket id>.<signature>`, where the signature
 * is HMAC-SHA256 of the ticket id under the store's e-receipt key, base64url, first 22 characters (132
 * bits). The store's key is itself HMAC-SHA256 of `e-receipt:<store id>` under the back office's server
 * secret, so only HQ can make keys, a till (given its store's key with the receipt design) signs its own
 * tickets offline, and HQ checks a link by deriving the key again: nothing is stored per link.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
export function base64url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = i + 2 < bytes.length ? 4 : i + 1 < bytes.length ? 3 : 2;
    for (let k = 0; k < chars; k++) out += B64URL[(n >> (18 - 6 * k)) & 63];
  }
  return out;
}
function fromBase64url(s: string): Uint8Array {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const ch of s) {
    const v = B64URL.indexOf(ch);
    if (v < 0) throw new RangeError('not base64url');
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
    }
  }
  return Uint8Array.from(out);
}

/** The store's key (base64url), made at HQ from the server secret. */
export const eReceiptStoreKey = (serverSecret: Uint8Array, storeId: string): string => base64url(hmac(sha256, serverSecret, utf8ToBytes(`e-receipt:${storeId}`)));

const SIG_CHARS = 22;
const TOKEN_RE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{22})$/;

/** `<ticket id>.<signature>` under the store's key. */
export function eReceiptToken(storeKey: string, ticketId: string): string {
  const sig = base64url(hmac(sha256, fromBase64url(storeKey), utf8ToBytes(ticketId.toLowerCase()))).slice(0, SIG_CHARS);
  return `${ticketId.toLowerCase()}.${sig}`;
}

/** The ticket id a token names (not yet checked), or null when it is not a token. */
export function parseEReceiptToken(token: string): { ticketId: string; signature: string } | null {
  const m = TOKEN_RE.exec(token);
  return m ? { ticketId: m[1]!, signature: m[2]! } : null;
}

/** Whether the token was signed with this store key (constant-time over the signature). */
export function eReceiptTokenValid(storeKey: string, token: string): boolean {
  const p = parseEReceiptToken(token);
  if (!p) return false;
  const want = eReceiptToken(storeKey, p.ticketId).slice(-SIG_CHARS);
  let diff = 0;
  for (let i = 0; i < SIG_CHARS; i++) diff |= want.charCodeAt(i) ^ p.signature.charCodeAt(i);
  return diff === 0;
}

export const eReceiptUrl = (baseUrl: string, token: string): string => `${baseUrl.replace(/\/+$/, '')}/api/e-receipts/${token}`;
