/**
 * Windows-1252 (the "ANSI" code page A3 and ContaPlus read on Spanish Windows; ISO-8859-1 plus € and a few
 * typographic signs in 0x80–0x9F) for fixed-width files: one character is one byte, so a field's width in
 * characters is its width in bytes. Characters outside the code page are replaced by their unaccented letter
 * (ā → a) or '?'; control characters by a space (a CR/LF inside a field would break a record).
 */
const HIGH: ReadonlyArray<[number, number]> = [
  [0x20ac, 0x80], [0x201a, 0x82], [0x0192, 0x83], [0x201e, 0x84], [0x2026, 0x85], [0x2020, 0x86], [0x2021, 0x87],
  [0x02c6, 0x88], [0x2030, 0x89], [0x0160, 0x8a], [0x2039, 0x8b], [0x0152, 0x8c], [0x017d, 0x8e], [0x2018, 0x91],
  [0x2019, 0x92], [0x201c, 0x93], [0x201d, 0x94], [0x2022, 0x95], [0x2013, 0x96], [0x2014, 0x97], [0x02dc, 0x98],
  [0x2122, 0x99], [0x0161, 0x9a], [0x203a, 0x9b], [0x0153, 0x9c], [0x017e, 0x9e], [0x0178, 0x9f],
];
const TO_BYTE = new Map(HIGH);
const TO_CHAR = new Map(HIGH.map(([c, b]) => [b, c]));

/** Printable ASCII and Latin-1 only (precomposed, already NFC). */
const PLAIN = /^[\x20-\x7e\xa0-\xff]*$/;

const byteOf = (cp: number): number | undefined => (cp < 0x80 || (cp >= 0xa0 && cp <= 0xff) ? cp : TO_BYTE.get(cp));

/** The text as it will be written: NFC, control characters as spaces, anything outside cp1252 replaced. */
export function cp1252Text(s: string): string {
  if (PLAIN.test(s)) return s; // the usual case: printable ASCII and Latin-1, nothing to replace
  let out = '';
  for (const ch of s.normalize('NFC')) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x20 || cp === 0x7f || (cp >= 0x80 && cp < 0xa0)) out += ' ';
    else if (byteOf(cp) !== undefined) out += ch;
    else {
      const base = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
      out += base.length === 1 && byteOf(base.codePointAt(0)!) !== undefined ? base : '?';
    }
  }
  return out;
}

/** Bytes of a text already made of cp1252 characters (see `cp1252Text`); anything else becomes '?'. */
export function encodeCp1252(s: string): Uint8Array {
  // cp1252Text leaves only BMP characters, one UTF-16 unit each: index by unit, no iterator (files are tens of MB).
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    out[i] = u < 0x80 || (u >= 0xa0 && u <= 0xff) ? u : (TO_BYTE.get(u) ?? 0x3f);
  }
  return out;
}

export function decodeCp1252(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += 8192) {
    const chunk = Array.from(bytes.subarray(i, i + 8192), (b) => TO_CHAR.get(b) ?? b);
    parts.push(String.fromCharCode(...chunk));
  }
  return parts.join('');
}

/** A left-aligned text field of exactly `width` characters (cut or padded with spaces). */
export const padText = (s: string | null | undefined, width: number): string => cp1252Text(s ?? '').slice(0, width).padEnd(width, ' ');

/** yyyy-mm-dd → yyyymmdd. */
export const compactDate = (iso: string): string => iso.replaceAll('-', '');
/** yyyymmdd → yyyy-mm-dd. */
export const isoDate = (compact: string): string => `${compact.slice(0, 4)}-${compact.slice(4, 6)}-${compact.slice(6, 8)}`;

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
