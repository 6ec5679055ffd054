/**
 * Character code pages for ESC/POS text.
 *
 * Decision: receipts print in **CP858** (PC858 "Multilingual + Euro"): it holds €, ñ Ñ, á é í ó ú (and
 * capitals), ü Ü, ¿ ¡, º ª — all of Spanish — and it is on every Epson TM (ESC t 19) and Star (ESC GS t 4,
 * star line mode). node-thermal-printer names it `PC858_EURO` and maps it to the same CP858 table, so both
 * back ends emit identical text bytes. WPC1252 (Epson ESC t 16) is supported as an alternative.
 *
 * Every page of the Epson `ESC t` table that is a known single-byte encoding is mapped, so the decoder
 * (and the virtual printer's picture) reads what other software sends in any language: the DOS pages from
 * the reviewed tables in codepage-tables.ts, the Windows / ISO / 866 pages and half-width Katakana from the
 * platform's TextDecoder (WHATWG encodings, checked byte for byte against the Unicode mapping files; bytes a
 * page leaves undefined → U+FFFD). Pages with no single-byte
 * table (Thai 42…18, TCVN-3, PC720/864/1098/1118/1119, KZ-1048, Hiragana, the Indic ones, user pages) are
 * named but not mapped: their upper half decodes as U+FFFD rather than as another page's letters.
 */
import {
  CP1125_HIGH,
  CP1252_HIGH,
  CP437_HIGH,
  CP737_HIGH,
  CP775_HIGH,
  CP850_HIGH,
  CP852_HIGH,
  CP855_HIGH,
  CP857_HIGH,
  CP858_HIGH,
  CP860_HIGH,
  CP861_HIGH,
  CP862_HIGH,
  CP863_HIGH,
  CP865_HIGH,
  CP869_HIGH,
} from './codepage-tables';

export type CodePageName =
  | 'CP437'
  | 'Katakana'
  | 'CP737'
  | 'CP775'
  | 'CP850'
  | 'CP852'
  | 'CP855'
  | 'CP857'
  | 'CP858'
  | 'CP860'
  | 'CP861'
  | 'CP862'
  | 'CP863'
  | 'CP865'
  | 'CP866'
  | 'CP869'
  | 'CP1125'
  | 'CP1250'
  | 'CP1251'
  | 'CP1252'
  | 'CP1253'
  | 'CP1254'
  | 'CP1255'
  | 'CP1256'
  | 'CP1257'
  | 'CP1258'
  | 'ISO-8859-2'
  | 'ISO-8859-7'
  | 'ISO-8859-15';
export type Dialect = 'epson' | 'star';

/** Hand tables (DOS pages) and TextDecoder labels (everything WHATWG knows). */
const SOURCE: Record<CodePageName, string | { readonly decoder: string }> = {
  CP437: CP437_HIGH,
  Katakana: { decoder: 'shift_jis' },
  CP737: CP737_HIGH,
  CP775: CP775_HIGH,
  CP850: CP850_HIGH,
  CP852: CP852_HIGH,
  CP855: CP855_HIGH,
  CP857: CP857_HIGH,
  CP858: CP858_HIGH,
  CP860: CP860_HIGH,
  CP861: CP861_HIGH,
  CP862: CP862_HIGH,
  CP863: CP863_HIGH,
  CP865: CP865_HIGH,
  CP866: { decoder: 'ibm866' },
  CP869: CP869_HIGH,
  CP1125: CP1125_HIGH,
  CP1250: { decoder: 'windows-1250' },
  CP1251: { decoder: 'windows-1251' },
  // Node's TextDecoder reads the 'windows-1252' label as ISO-8859-1 (0x80 → U+0080, not €): hand table.
  CP1252: CP1252_HIGH,
  CP1253: { decoder: 'windows-1253' },
  CP1254: { decoder: 'windows-1254' },
  CP1255: { decoder: 'windows-1255' },
  CP1256: { decoder: 'windows-1256' },
  CP1257: { decoder: 'windows-1257' },
  CP1258: { decoder: 'windows-1258' },
  'ISO-8859-2': { decoder: 'iso-8859-2' },
  'ISO-8859-7': { decoder: 'iso-8859-7' },
  'ISO-8859-15': { decoder: 'iso-8859-15' },
};

export const CODE_PAGES = Object.keys(SOURCE) as CodePageName[];

const highCache = new Map<CodePageName, string>();

/** The 128 characters of bytes 0x80..0xFF of `cp` (U+FFFD where the page defines nothing). */
export function codePageHigh(cp: CodePageName): string {
  let high = highCache.get(cp);
  if (high !== undefined) return high;
  const src = SOURCE[cp];
  if (typeof src === 'string') high = src;
  else {
    const td = new TextDecoder(src.decoder);
    high = '';
    for (let b = 0x80; b <= 0xff; b++) {
      // Katakana (Epson page 1): only the JIS X 0201 half-width katakana 0xA1..0xDF are characters;
      // the rest of its upper half are box and kanji-numeral graphics with no single Unicode reading.
      if (cp === 'Katakana' && (b < 0xa1 || b > 0xdf)) high += '\ufffd';
      else {
        const ch = td.decode(Uint8Array.of(b));
        // WHATWG decodes the bytes a Windows page leaves undefined as C1 controls: not characters on paper.
        const cc = ch.charCodeAt(0);
        high += [...ch].length === 1 && !(cc >= 0x80 && cc <= 0x9f) ? ch : '\ufffd';
      }
    }
  }
  highCache.set(cp, high);
  return high;
}

/** ESC t n values (Epson ESC/POS character code table), the mapped ones. */
export const EPSON_CODE_PAGE_NUMBER: Record<CodePageName, number> = {
  CP437: 0,
  Katakana: 1,
  CP850: 2,
  CP860: 3,
  CP863: 4,
  CP865: 5,
  CP857: 13,
  CP737: 14,
  'ISO-8859-7': 15,
  CP1252: 16,
  CP866: 17,
  CP852: 18,
  CP858: 19,
  CP775: 33,
  CP855: 34,
  CP861: 35,
  CP862: 36,
  CP869: 38,
  'ISO-8859-2': 39,
  'ISO-8859-15': 40,
  CP1125: 44,
  CP1250: 45,
  CP1251: 46,
  CP1253: 47,
  CP1254: 48,
  CP1255: 49,
  CP1256: 50,
  CP1257: 51,
  CP1258: 52,
};

/** The whole Epson ESC t table, for naming pages we do not map. */
export const EPSON_CODE_PAGE_LABEL: Readonly<Record<number, string>> = {
  0: 'PC437 USA, Standard Europe',
  1: 'Katakana',
  2: 'PC850 Multilingual',
  3: 'PC860 Portuguese',
  4: 'PC863 Canadian-French',
  5: 'PC865 Nordic',
  6: 'Hiragana',
  7: 'One-pass Kanji',
  8: 'One-pass Kanji',
  11: 'PC851 Greek',
  12: 'PC853 Turkish',
  13: 'PC857 Turkish',
  14: 'PC737 Greek',
  15: 'ISO8859-7 Greek',
  16: 'WPC1252',
  17: 'PC866 Cyrillic #2',
  18: 'PC852 Latin 2',
  19: 'PC858 Euro',
  20: 'Thai Character Code 42',
  21: 'Thai Character Code 11',
  22: 'Thai Character Code 13',
  23: 'Thai Character Code 14',
  24: 'Thai Character Code 16',
  25: 'Thai Character Code 17',
  26: 'Thai Character Code 18',
  30: 'TCVN-3 Vietnamese',
  31: 'TCVN-3 Vietnamese',
  32: 'PC720 Arabic',
  33: 'WPC775 Baltic Rim',
  34: 'PC855 Cyrillic',
  35: 'PC861 Icelandic',
  36: 'PC862 Hebrew',
  37: 'PC864 Arabic',
  38: 'PC869 Greek',
  39: 'ISO8859-2 Latin 2',
  40: 'ISO8859-15 Latin 9',
  41: 'PC1098 Farsi',
  42: 'PC1118 Lithuanian',
  43: 'PC1119 Lithuanian',
  44: 'PC1125 Ukrainian',
  45: 'WPC1250 Latin 2',
  46: 'WPC1251 Cyrillic',
  47: 'WPC1253 Greek',
  48: 'WPC1254 Turkish',
  49: 'WPC1255 Hebrew',
  50: 'WPC1256 Arabic',
  51: 'WPC1257 Baltic Rim',
  52: 'WPC1258 Vietnamese',
  53: 'KZ-1048 Kazakhstan',
  66: 'Devanagari',
  67: 'Bengali',
  68: 'Tamil',
  69: 'Telugu',
  70: 'Assamese',
  71: 'Oriya',
  72: 'Kannada',
  73: 'Malayalam',
  74: 'Gujarati',
  75: 'Punjabi',
  82: 'Marathi',
  254: 'Page 254',
  255: 'Page 255 (user-defined)',
};

/** ESC GS t n values (Star line mode), the mapped ones. Star 0 ("normal") is read as CP850, 3 as CP437. */
export const STAR_CODE_PAGE_NUMBER: Partial<Record<CodePageName, number>> = {
  CP437: 1,
  Katakana: 2,
  CP850: 0,
  CP858: 4,
  CP852: 5,
  CP860: 6,
  CP861: 7,
  CP863: 8,
  CP865: 9,
  CP866: 10,
  CP855: 11,
  CP857: 12,
  CP862: 13,
  CP737: 15,
  CP869: 17,
  CP1252: 32,
  CP1250: 33,
  CP1251: 34,
};

const EPSON_BY_NUMBER = new Map<number, CodePageName>(CODE_PAGES.map((cp) => [EPSON_CODE_PAGE_NUMBER[cp], cp]));
const STAR_BY_NUMBER = new Map<number, CodePageName>(
  CODE_PAGES.flatMap((cp): [number, CodePageName][] => {
    const n = STAR_CODE_PAGE_NUMBER[cp];
    return n === undefined ? [] : [[n, cp]];
  }),
);
STAR_BY_NUMBER.set(3, 'CP437');

export function codePageFromNumber(n: number, dialect: Dialect): CodePageName | undefined {
  return (dialect === 'star' ? STAR_BY_NUMBER : EPSON_BY_NUMBER).get(n);
}

const encoders = new Map<CodePageName, Map<string, number>>();
function encoderFor(cp: CodePageName): Map<string, number> {
  let m = encoders.get(cp);
  if (!m) {
    m = new Map();
    const high = codePageHigh(cp);
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

/**
 * A character the page lacks as one code, written as a letter it has plus combining accents it has
 * (CP1258 writes Vietnamese `ệ` as `ê` 0xEA + combining dot below 0xF2), or undefined.
 */
function composeFrom(ch: string, map: Map<string, number>): number[] | undefined {
  const parts = [...ch.normalize('NFD')];
  if (parts.length < 2) return undefined;
  const [base = '', ...marks] = parts;
  const tryWith = (head: string, rest: string[]): number[] | undefined => {
    const c = head.charCodeAt(0);
    const h = head.length === 1 && c >= 0x20 && c < 0x7f ? c : map.get(head);
    if (h === undefined) return undefined;
    const tail = rest.map((mk) => map.get(mk));
    return tail.every((x) => x !== undefined) ? [h, ...(tail as number[])] : undefined;
  };
  for (let j = 0; j < marks.length; j++) {
    const head = (base + marks[j]).normalize('NFC');
    if ([...head].length !== 1) continue;
    const got = tryWith(head, marks.filter((_, k) => k !== j));
    if (got) return got;
  }
  return tryWith(base, marks);
}

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
      else {
        const composed = composeFrom(ch, map);
        if (composed) out.push(...composed);
        else for (const c of FALLBACK[ch] ?? '?') out.push(c.charCodeAt(0));
      }
    }
  }
  return Uint8Array.from(out);
}

/** One byte in `cp`; `undefined` = a page we do not map (upper half unreadable). */
export function decodeByte(byte: number, cp: CodePageName | undefined): string {
  if (byte < 0x80) return String.fromCharCode(byte);
  if (cp === undefined) return '\ufffd';
  return codePageHigh(cp)[byte - 0x80] ?? '\ufffd';
}

/** Bytes in `cp`, combining accents joined to their letters (NFC). */
export function decodeText(bytes: Uint8Array, cp: CodePageName): string {
  let s = '';
  for (const b of bytes) s += decodeByte(b, cp);
  return s.normalize('NFC');
}
