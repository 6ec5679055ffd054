/**
 * Gift-voucher codes (pure): `<prefix><12 random chars><check char>` over Crockford's base-32 alphabet (no I,
 * L, O, U: nothing to misread on a card). The prefix names the terminal that made it (store code + terminal
 * code), so offline tills never collide; the 12 random chars (60 bits from the injected random source) make
 * a code unguessable; the check char (Luhn mod 32) catches a mistyped char or two swapped neighbours before
 * the till asks HQ. Pre-printed cards carry codes of the same shape (their own prefix) and are scanned.
 */
export const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const N = CODE_ALPHABET.length;
export const CODE_RANDOM_CHARS = 12;
/** Whole code: 8–32 chars of the alphabet, the last one the check char. */
export const CODE_PATTERN = /^[0-9A-HJKMNP-TV-Z]{8,32}$/;

/** Luhn mod N check char of `body` (all chars of the alphabet). */
export function checkChar(body: string): string {
  let factor = 2;
  let sum = 0;
  for (let i = body.length - 1; i >= 0; i--) {
    const cp = CODE_ALPHABET.indexOf(body[i]!);
    if (cp < 0) throw new Error(`not a voucher code char: ${body[i]}`);
    let addend = factor * cp;
    factor = factor === 2 ? 1 : 2;
    addend = Math.floor(addend / N) + (addend % N);
    sum += addend;
  }
  return CODE_ALPHABET[(N - (sum % N)) % N]!;
}

/** Upper-cased, spaces and dashes removed, O→0 and I/L→1 (what a cashier types from a card). */
export function normalizeCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

/** A well-formed code with a right check char (normalised first). */
export function isValidCode(input: string): boolean {
  const c = normalizeCode(input);
  return CODE_PATTERN.test(c) && checkChar(c.slice(0, -1)) === c.slice(-1);
}

/** The terminal's prefix: its store code and terminal code, letters/digits of the alphabet only (`M00101`). */
export function terminalPrefix(storeCode: string, terminalCode: string): string {
  return normalizeCode(`${storeCode}${terminalCode}`).replace(/[^0-9A-HJKMNP-TV-Z]/g, '').slice(0, 12);
}

/** A new code: prefix + 12 chars from `randomBytes` (5 bits each) + check char. */
export function newVoucherCode(prefix: string, randomBytes: (n: number) => Uint8Array): string {
  const bytes = randomBytes(CODE_RANDOM_CHARS);
  let body = prefix;
  for (let i = 0; i < CODE_RANDOM_CHARS; i++) body += CODE_ALPHABET[bytes[i]! & 31];
  return body + checkChar(body);
}

/** `M001 01AB CDEF GHJK M` — groups of 4 for the slip (the scanner reads the barcode). */
export const displayCode = (code: string) => code.replace(/(.{4})(?=.)/g, '$1 ');
