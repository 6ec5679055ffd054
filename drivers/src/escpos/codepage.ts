/**
 * Character code pages for ESC/POS text.
 *
 * Decision: receipts print in **CP858** (PC858 "Multilingual + Euro"): it holds €, ñ Ñ, á é í ó ú (and
 * capitals), ü Ü, ¿ ¡, º ª — all of Spanish — and it is on every Epson TM (ESC t 19) and Star (ESC GS t 4,
 * star line mode). node-thermal-printer names it `PC858_EURO` and maps it to the same CP858 table, so both
 * back ends emit identical text bytes. WPC1252 (Epson ESC t 16) is supported as an alternative.
 */
import { CP1252_HIGH, CP437_HIGH, CP850_HIGH, CP858_HIGH } from './codepage-tables';

export type CodePageName = 'CP437' | 'CP850' | 'CP858' | 'CP1252';
export type Dialect = 'epson' | 'star';

const HIGH: Record<CodePageName, string> = { CP437: CP437_HIGH, CP850: CP850_HIGH, CP858: CP858_HIGH, CP1252: CP1252_HIGH };

/** ESC t n values (Epson). */
export const EPSON_CODE_PAGE_NUMBER: Record<CodePageName, number> = { CP437: 0, CP850: 2, CP1252: 16, CP858: 19 };
/** ESC GS t n values (Star line mode). */
export const STAR_CODE_PAGE_NUMBER: Record<CodePageName, number> = { CP437: 1, CP850: 0, CP858: 4, CP1252: 32 };

export function codePageFromNumber(n: number, dialect: Dialect): CodePageName | undefined {
  const table = dialect === 'star' ? STAR_CODE_PAGE_NUMBER : EPSON_CODE_PAGE_NUMBER;
  if (dialect === 'star' && (n === 0 || n === 3)) return n === 0 ? 'CP850' : 'CP437';
  return (Object.keys(table) as CodePageName[]).find((k) => table[k] === n);
}

const encoders = new Map<CodePageName, Map<string, number>>();
function encoderFor(cp: CodePageName): Map<string, number> {
  let m = encoders.get(cp);
  if (!m) {
    m = new Map();
    const high = HIGH[cp];
    for (let i = 0; i < 128; i++) {
      const ch = high[i];
      if (ch !== undefined && ch !== '\ufffd' && !m.has(ch)) m.set(ch, 0x80 + i);
    }
    encoders.set(cp, m);
  }
  return m;
}

/** Typographic look-alikes that are not in the single-byte pages. */
const FALLBACK: Record<string, string> = { '‘': "'", '’': "'", '“': '"', '”': '"', '–': '-', '—': '-', '…': '...', '\u00a0': ' ' };

/** Encodes text in `cp`; characters it lacks become their ASCII fallback or `?`. Control chars are dropped. */
export function encodeText(text: string, cp: CodePageName): Uint8Array {
  const map = encoderFor(cp);
  const out: number[] = [];
  for (const ch of text.normalize('NFC')) {
    const code = ch.codePointAt(0) ?? 0x3f;
    if (code >= 0x20 && code < 0x7f) out.push(code);
    else if (code < 0x20 || code === 0x7f) continue;
    else {
      const b = map.get(ch);
      if (b !== undefined) out.push(b);
      else for (const c of FALLBACK[ch] ?? '?') out.push(c.charCodeAt(0));
    }
  }
  return Uint8Array.from(out);
}

export function decodeByte(byte: number, cp: CodePageName): string {
  if (byte < 0x80) return String.fromCharCode(byte);
  return HIGH[cp][byte - 0x80] ?? '\ufffd';
}

export function decodeText(bytes: Uint8Array, cp: CodePageName): string {
  let s = '';
  for (const b of bytes) s += decodeByte(b, cp);
  return s;
}
