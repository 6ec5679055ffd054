/**
 * SHA-256 for the Veri*Factu huella, from @noble/hashes (audited, pure JS, synchronous): shared/ may not
 * import node:crypto, and WebCrypto is async-only. We keep only the thin text → uppercase-hex wrapper.
 */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/** UTF-8 bytes of a JS string (TextEncoder semantics: a lone surrogate becomes U+FFFD). */
export function utf8Encode(text: string): Uint8Array {
  return utf8ToBytes(text);
}

/** SHA-256 digest (32 bytes) of a byte string. */
export function sha256(message: Uint8Array): Uint8Array {
  return nobleSha256(message);
}

/** Uppercase hexadecimal of a byte string. */
export function toHexUpper(bytes: Uint8Array): string {
  return bytesToHex(bytes).toUpperCase();
}

/** Uppercase hex SHA-256 of the UTF-8 bytes of `text` (the AEAT huella format). */
export function sha256HexUpper(text: string): string {
  return toHexUpper(sha256(utf8Encode(text)));
}
