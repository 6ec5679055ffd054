/**
 * Corpus: byte streams for every command family the virtual printer must read — from our encoder or
 * written by hand from the ESC/POS reference — decoded with no unknown command, pictures dot for dot,
 * and text in the code pages of at least ten languages (bytes worked out from the code page charts).
 */
import { describe, expect, it } from 'vitest';
import { BreakLine, CharacterSet, PrinterTypes, ThermalPrinter } from 'node-thermal-printer';
import {
  CODE_PAGES,
  EPSON_CODE_PAGE_NUMBER,
  EscPosDecoder,
  bitImageColumnsCommand,
  codePageHigh,
  concatBytes,
  encodeText,
  getDot,
  itemsToSvg,
  itemsToText,
  printBufferedGraphicCommand,
  printDownloadGraphicCommand,
  printStoredLogoCommand,
  storeDownloadGraphicCommand,
  storeLogoColumnCommand,
  storeLogoCommand,
  type CodePageName,
  type DecodedItem,
  type DecodedRaster,
  type MonoBitmap,
  bitmapToPng,
} from '../../src/escpos';

const h = (s: string): Uint8Array => Uint8Array.from(s.trim().split(/\s+/).map((x) => parseInt(x, 16)));
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').replace(/(..)(?!$)/g, '$1 ');
const cat = (...parts: (Uint8Array | string)[]): Uint8Array => concatBytes(parts.map((p) => (typeof p === 'string' ? h(p) : p)));
const unknowns = (items: DecodedItem[]): DecodedItem[] => items.filter((i) => i.kind === 'unknown');
const rasters = (items: DecodedItem[]): DecodedRaster[] => items.filter((i): i is DecodedRaster => i.kind === 'raster');
/** The picture as rows of '#' and '.', for readable hand-worked expectations. */
const art = (r: { widthDots: number; heightDots: number; data?: Uint8Array; bits?: Uint8Array }): string[] => {
  const bm: MonoBitmap = { widthDots: r.widthDots, heightDots: r.heightDots, bits: r.data ?? r.bits ?? new Uint8Array(0) };
  return Array.from({ length: bm.heightDots }, (_, y) => Array.from({ length: bm.widthDots }, (_, x) => (getDot(bm, x, y) ? '#' : '.')).join(''));
};

/** 12 × 5 test picture (not a multiple of 8 wide). */
const pic: MonoBitmap = (() => {
  const rows = ['############', '#..........#', '#.##....##.#', '#..........#', '############'];
  const bits = new Uint8Array(2 * rows.length);
  rows.forEach((row, y) => [...row].forEach((c, x) => c === '#' && (bits[y * 2 + (x >> 3)] = (bits[y * 2 + (x >> 3)] ?? 0) | (0x80 >> (x & 7)))));
  return { widthDots: 12, heightDots: 5, bits };
})();
const PIC_ART = ['############', '#..........#', '#.##....##.#', '#..........#', '############'];

describe('graphics families decode to the picture, with 0 unknown commands', () => {
  it.each([
    ['GS ( L fn 67 + 69 (NV, raster)', cat(storeLogoCommand(pic, 'A1'), printStoredLogoCommand('A1')), 'A1'],
    ['GS ( L fn 68 + 69 (NV, column)', cat(storeLogoColumnCommand(pic, 'A2'), printStoredLogoCommand('A2')), 'A2'],
    ['GS ( L fn 83 + 85 (download, raster)', cat(storeDownloadGraphicCommand(pic, 'D1'), printDownloadGraphicCommand('D1')), 'D1'],
    ['GS ( L fn 84 + 85 (download, column)', cat(storeDownloadGraphicCommand(pic, 'D2', 'column'), printDownloadGraphicCommand('D2')), 'D2'],
    ['GS ( L fn 112 + 50 (buffer, raster)', printBufferedGraphicCommand(pic), undefined],
    ['GS ( L fn 113 + 50 (buffer, column)', printBufferedGraphicCommand(pic, 'column'), undefined],
  ])('%s', (_name, bytes, key) => {
    const items = EscPosDecoder.decode(bytes);
    expect(unknowns(items)).toEqual([]);
    const [r, ...rest] = rasters(items);
    expect(rest).toEqual([]);
    expect(r).toMatchObject({ source: 'GS ( L', widthDots: 12, heightDots: 5, ...(key ? { key } : {}) });
    expect(art(r as DecodedRaster)).toEqual(PIC_ART);
  });

  it('GS 8 L (long form) defines like GS ( L; NV graphics survive ESC @', () => {
    // GS 8 L p1..p4 = 11 + 2 × 5 = 21, then the same body as fn 67
    const body = storeLogoCommand(pic, 'A1').subarray(5);
    const items = EscPosDecoder.decode(cat('1d 38 4c 15 00 00 00', body, '1b 40', printStoredLogoCommand('A1', { x: 2, y: 2 })));
    expect(unknowns(items)).toEqual([]);
    const [r] = rasters(items);
    expect(r).toMatchObject({ widthDots: 24, heightDots: 10, key: 'A1' });
    expect(art(r as DecodedRaster)[4]).toBe('##..####........####..##');
  });

  it('GS v 0 in quadruple mode (m = 3) doubles dots both ways', () => {
    // x = 1 byte per row, y = 2 rows: f0 = ####...., 0f = ....####
    const items = EscPosDecoder.decode(h('1d 76 30 03 01 00 02 00 f0 0f'));
    expect(unknowns(items)).toEqual([]);
    expect(art(rasters(items)[0] as DecodedRaster)).toEqual(['########........', '########........', '........########', '........########']);
  });

  it('ESC * 8-dot single density (m = 0) prints each column twice; the LF after a band adds no blank line', () => {
    // 2 columns: 81 = rows 0 and 7, 42 = rows 1 and 6
    const items = EscPosDecoder.decode(h('1b 2a 00 02 00 81 42 0a 41 0a'));
    expect(unknowns(items)).toEqual([]);
    expect(art(rasters(items)[0] as DecodedRaster)).toEqual(['##..', '..##', '....', '....', '....', '....', '..##', '##..']);
    expect(items.filter((i) => i.kind === 'text').map((i) => (i.kind === 'text' ? i.text : ''))).toEqual(['A']);
  });

  it('ESC * 24-dot double density bands (our encoder) stack into the picture', () => {
    const items = EscPosDecoder.decode(bitImageColumnsCommand(pic));
    expect(unknowns(items)).toEqual([]);
    const [r] = rasters(items);
    expect(r).toMatchObject({ source: 'ESC *', widthDots: 12, heightDots: 24 });
    expect(art(r as DecodedRaster).slice(0, 6)).toEqual([...PIC_ART, '............']);
    expect(items.filter((i) => i.kind === 'text')).toEqual([]);
  });

  it('FS q defines NV bit images (column format, x × 8 by y × 8), FS p prints them', () => {
    // FS q n=2 ; image 1: x=1 y=1, 8 columns: 80 40 20 10 08 04 02 01 = the diagonal ; image 2: x=1 y=1, all ff
    const def = cat('1c 71 02', '01 00 01 00 80 40 20 10 08 04 02 01', '01 00 01 00 ff ff ff ff ff ff ff ff');
    const items = EscPosDecoder.decode(cat(def, '1c 70 01 00', '1c 70 02 01'));
    expect(unknowns(items)).toEqual([]);
    const [a, b] = rasters(items);
    expect(art(a as DecodedRaster)).toEqual(['#.......', '.#......', '..#.....', '...#....', '....#...', '.....#..', '......#.', '.......#']);
    expect(a).toMatchObject({ source: 'FS p', key: '1' });
    expect(b).toMatchObject({ widthDots: 16, heightDots: 8, key: '2' }); // m = 1: double width
    expect(art(b as DecodedRaster).every((row) => row === '#'.repeat(16))).toBe(true);
  });

  it('GS * defines the downloaded bit image, GS / prints it', () => {
    const items = EscPosDecoder.decode(h('1d 2a 01 01 80 40 20 10 08 04 02 01 1d 2f 00'));
    expect(unknowns(items)).toEqual([]);
    expect(art(rasters(items)[0] as DecodedRaster)[2]).toBe('..#.....');
  });
});

describe('user-defined characters (ESC & / ESC % / ESC ?)', () => {
  // ESC & y=3 c1='A' c2='B': 'A' x=12 all black (36 × ff); 'B' x=2: column 0 top byte 80 (top dot), column 1 empty
  const define = cat('1b 26 03 41 42', '0c', Array(36).fill('ff').join(' '), '02', '80 00 00 00 00 00');

  it('renders the selected glyphs, and plain letters after ESC % 0', () => {
    const items = EscPosDecoder.decode(cat(define, '1b 25 01', '41 42 43 0a', '1b 25 00', '41 42 0a', '1b 25 01 1b 3f 41', '41 42 0a'));
    expect(unknowns(items)).toEqual([]);
    const texts = items.flatMap((i) => (i.kind === 'text' ? [i] : []));
    expect(texts.map((t) => t.text)).toEqual(['ABC', 'AB', 'AB']);
    const first = texts[0]?.userChars ?? {};
    expect(Object.keys(first)).toEqual(['0', '1']);
    expect(first[0]).toMatchObject({ widthDots: 12, heightDots: 24 });
    expect(art(first[1] as MonoBitmap).slice(0, 2)).toEqual(['#.', '..']);
    expect(texts[1]?.userChars).toBeUndefined();
    expect(Object.keys(texts[2]?.userChars ?? {})).toEqual(['1']); // 'A' cancelled by ESC ? 65
    const svg = itemsToSvg(items);
    expect(svg.match(/data-user-char="A"/g)).toHaveLength(1);
    expect(svg.match(/data-user-char="B"/g)).toHaveLength(2);
  });

  it('a stream that defines all 95 characters decodes with no unknown command (the issue: 61 before)', () => {
    const glyphs = Array.from({ length: 95 }, (_, k) => cat('0c', Array(36).fill((k % 256).toString(16)).join(' ')));
    const items = EscPosDecoder.decode(cat('1b 40 1b 26 03 20 7e', ...glyphs, '1b 25 01', encodeText('Hola mundo', 'CP437'), '0a 1b 25 00 1d 56 00'));
    expect(unknowns(items)).toEqual([]);
    expect(items.find((i) => i.kind === 'text')).toMatchObject({ text: 'Hola mundo' });
    expect(ESCcount(items)).toBe(1);
  });

  it('ESC @ forgets them', () => {
    const items = EscPosDecoder.decode(cat(define, '1b 40 1b 25 01 41 0a'));
    expect(items.find((i) => i.kind === 'text')).toMatchObject({ text: 'A' });
    expect(items.find((i) => i.kind === 'text' && i.userChars)).toBeUndefined();
  });
});
const ESCcount = (items: DecodedItem[]): number => items.filter((i) => i.kind === 'cut').length;

describe('PDF417 (GS ( k cn 48)', () => {
  it('keeps the content and options, and the picture shows a labelled block with the data', () => {
    const data = encodeText('DEV-2026/000045;REGALO;30D', 'CP437');
    const n = data.length + 3;
    const items = EscPosDecoder.decode(
      cat(
        '1d 28 6b 03 00 30 41 04', // columns 4
        '1d 28 6b 03 00 30 42 00', // rows automatic
        '1d 28 6b 03 00 30 43 03', // module width 3
        '1d 28 6b 03 00 30 44 03', // row height 3
        '1d 28 6b 04 00 30 45 30 32', // error correction level 2
        '1d 28 6b 03 00 30 46 01', // truncated
        Uint8Array.of(0x1d, 0x28, 0x6b, n & 0xff, n >> 8, 0x30, 0x50, 0x30),
        data,
        '1d 28 6b 03 00 30 51 30', // print
      ),
    );
    expect(unknowns(items)).toEqual([]);
    expect(items).toEqual([
      {
        kind: 'barcode',
        symbology: 'PDF417',
        data: 'DEV-2026/000045;REGALO;30D',
        pdf417: { columns: 4, rows: 0, moduleWidth: 3, rowHeight: 3, errorCorrection: 'level 2', truncated: true },
      },
    ]);
    expect(itemsToText(items)).toBe('[PDF417 DEV-2026/000045;REGALO;30D]');
    const svg = itemsToSvg(items);
    expect(svg).toContain('data-symbology="PDF417"');
    expect(svg).toContain('>PDF417 4 cols × auto rows, level 2, truncated</text>');
    expect(svg).toContain('>DEV-2026/000045;REGALO;30D</text>');
  });
});

describe('commands we do not interpret are named with their length; the rest still decodes', () => {
  it('GS ( E, FS ( A, ESC ( A, GS D and an unassigned ESC byte', () => {
    const items = EscPosDecoder.decode(
      h('1d 28 45 03 00 01 49 4e  41 0a  1c 28 41 02 00 30 00  42 0a  1b 28 41 03 00 61 01 05  1b fe  43 0a  1d 44 04 00 30 43 30 20  44 0a'),
    );
    expect(unknowns(items).map((u) => (u.kind === 'unknown' ? [u.name, u.length] : []))).toEqual([
      ['GS ( E', 8],
      ['FS ( A', 7],
      ['ESC ( A', 8],
      ['ESC 0xfe', 2],
      ['GS D', 8],
    ]);
    expect(items.flatMap((i) => (i.kind === 'text' ? [i.text] : []))).toEqual(['A', 'B', 'C', 'D']);
  });

  it('a logo cut short at the end of the job is reported with its name and the bytes that came', () => {
    const whole = storeLogoCommand(pic, 'A1');
    const items = EscPosDecoder.decode(cat('45 0a', whole.subarray(0, 20)));
    expect(items.at(-1)).toMatchObject({ kind: 'unknown', name: 'GS ( L', length: 20, note: 'incomplete command at end of job' });
    expect(items.find((i) => i.kind === 'text')).toMatchObject({ text: 'E' });
  });
});

/**
 * Text in each language: the bytes worked out from the code page charts (Epson ESC t numbers), decoded
 * back to the text — and our encoder writes the same bytes.
 */
const LANGUAGES: [string, CodePageName, number, string, string][] = [
  ['Spanish', 'CP858', 19, 'Año 5€ ¿sí?', '41 a4 6f 20 35 d5 20 a8 73 a1 3f'],
  ['German', 'CP850', 2, 'Größe', '47 72 94 e1 65'],
  ['Portuguese', 'CP860', 3, 'São João', '53 84 6f 20 4a 6f 84 6f'],
  ['French (Canada)', 'CP863', 4, 'Noël', '4e 6f 89 6c'],
  ['Danish', 'CP865', 5, 'Smørrebrød', '53 6d 9b 72 72 65 62 72 9b 64'],
  ['Western (Latin 9)', 'ISO-8859-15', 40, 'Œuvre 9€', 'bc 75 76 72 65 20 39 a4'],
  ['Greek (PC737)', 'CP737', 14, 'Καλημέρα', '89 98 a2 9e a3 e2 a8 98'],
  ['Greek (ISO 8859-7)', 'ISO-8859-7', 15, 'Ωμέγα', 'd9 ec dd e3 e1'],
  ['Russian (PC866)', 'CP866', 17, 'Привет', '8f e0 a8 a2 a5 e2'],
  ['Russian (WPC1251)', 'CP1251', 46, 'Спасибо', 'd1 ef e0 f1 e8 e1 ee'],
  ['Polish (PC852)', 'CP852', 18, 'Zażółć gęślą jaźń', '5a 61 be a2 88 86 20 67 a9 98 6c a5 20 6a 61 ab e4'],
  ['Hungarian (WPC1250)', 'CP1250', 45, 'Árvíztűrő tükörfúrógép', 'c1 72 76 ed 7a 74 fb 72 f5 20 74 fc 6b f6 72 66 fa 72 f3 67 e9 70'],
  ['Hungarian (ISO 8859-2)', 'ISO-8859-2', 39, 'tűrő', '74 fb 72 f5'],
  ['Latvian (WPC1257)', 'CP1257', 51, 'Ģērbšanās', 'cc e7 72 62 f0 61 6e e2 73'],
  ['Turkish (PC857)', 'CP857', 13, 'Iğdır Şişli', '49 a7 64 8d 72 20 9e 69 9f 6c 69'],
  ['Turkish (WPC1254)', 'CP1254', 48, 'Işığı İyi', '49 fe fd f0 fd 20 dd 79 69'],
  ['Vietnamese (WPC1258)', 'CP1258', 52, 'Việt Nam cảm ơn', '56 69 ea f2 74 20 4e 61 6d 20 63 61 d2 6d 20 f5 6e'],
  ['Japanese (Katakana)', 'Katakana', 1, 'ｱﾘｶﾞﾄｳ', 'b1 d8 b6 de c4 b3'],
  ['Hebrew (PC862)', 'CP862', 36, 'שלום', '99 8c 85 8d'],
];

describe('code pages: text right in every language', () => {
  it.each(LANGUAGES)('%s: ESC t %s', (_lang, cp, n, text, bytes) => {
    expect(EPSON_CODE_PAGE_NUMBER[cp]).toBe(n);
    expect(hex(encodeText(text, cp))).toBe(bytes);
    const items = EscPosDecoder.decode(cat('1b 40', Uint8Array.of(0x1b, 0x74, n), bytes, '0a'));
    expect(unknowns(items)).toEqual([]);
    expect(items).toContainEqual({ kind: 'codePage', n, name: cp });
    expect(items.find((i) => i.kind === 'text')).toMatchObject({ text });
  });

  it('one receipt switching pages line by line reads every language', () => {
    const stream = cat('1b 40', ...LANGUAGES.map(([, , n, , bytes]) => cat(Uint8Array.of(0x1b, 0x74, n), bytes, '0a')), '1d 56 00');
    const items = EscPosDecoder.decode(stream);
    expect(unknowns(items)).toEqual([]);
    expect(items.flatMap((i) => (i.kind === 'text' ? [i.text] : []))).toEqual(LANGUAGES.map(([, , , text]) => text));
  });

  it('every mapped page: each defined upper byte encodes back to itself', () => {
    for (const cp of CODE_PAGES) {
      const high = codePageHigh(cp);
      expect(high).toHaveLength(128);
      for (let k = 0; k < 128; k++) {
        const ch = high[k] ?? '\ufffd';
        if (ch === '\ufffd' || high.indexOf(ch) !== k) continue;
        if (/[\u0300-\u036f]/.test(ch)) continue; // a combining accent is written after its letter
        expect([cp, hex(encodeText(ch, cp))]).toEqual([cp, (0x80 + k).toString(16)]);
      }
    }
  });

  it('a listed page we cannot map (Thai 42) is named, and its upper half reads as U+FFFD, not as the old page', () => {
    const items = EscPosDecoder.decode(h('1b 74 14 41 a1 0a'));
    expect(unknowns(items)).toEqual([]);
    expect(items).toContainEqual({ kind: 'codePage', n: 20, name: undefined, label: 'Thai Character Code 42' });
    expect(items.find((i) => i.kind === 'text')).toMatchObject({ text: 'A\ufffd' });
  });

  it('Star line mode: ESC GS t 5 selects PC852', () => {
    const items = EscPosDecoder.decode(h('1b 1d 74 05 88 0a'), { dialect: 'star' });
    expect(items.find((i) => i.kind === 'text')).toMatchObject({ text: 'ł' });
  });
});

/** Streams written by another library (node-thermal-printer 4.x, EPSON type), not by us. */
describe('node-thermal-printer streams: pictures, PDF417 and its code pages', () => {
  const printer = (characterSet: CharacterSet = CharacterSet.PC858_EURO): ThermalPrinter =>
    new ThermalPrinter({ type: PrinterTypes.EPSON, interface: 'tcp://127.0.0.1:9', characterSet, breakLine: BreakLine.NONE, width: 48 });

  it('printImageBuffer (GS v 0) of a PNG gives back its dots', async () => {
    const tp = printer();
    await tp.printImageBuffer(Buffer.from(bitmapToPng(pic)));
    const items = EscPosDecoder.decode(tp.getBuffer());
    expect(unknowns(items)).toEqual([]);
    const [r] = rasters(items);
    expect(r).toMatchObject({ source: 'GS v 0', widthDots: 16, heightDots: 5 });
    expect(art(r as DecodedRaster).map((row) => row.slice(0, 12))).toEqual(PIC_ART);
  });

  it('pdf417() gives its data and options', () => {
    const tp = printer();
    tp.pdf417('REGALO-000045', { columns: 5, truncated: true });
    const items = EscPosDecoder.decode(tp.getBuffer());
    expect(unknowns(items)).toEqual([]);
    expect(items.find((i) => i.kind === 'barcode')).toMatchObject({ symbology: 'PDF417', data: 'REGALO-000045', pdf417: { columns: 5, truncated: true } });
  });

  it.each([
    [CharacterSet.PC737_GREEK, 'Καλημέρα'],
    [CharacterSet.PC866_CYRILLIC2, 'Привет'],
    [CharacterSet.WPC1251_CYRILLIC, 'Спасибо'],
    [CharacterSet.PC852_LATIN2, 'Zażółć gęślą jaźń'],
    [CharacterSet.WPC1250_LATIN2, 'Árvíztűrő tükörfúrógép'],
    [CharacterSet.WPC1257_BALTIC_RIM, 'Ģērbšanās'],
    [CharacterSet.PC857_TURKISH, 'Iğdır Şişli'],
    [CharacterSet.ISO8859_7_GREEK, 'Ωμέγα'],
    [CharacterSet.PC862_HEBREW, 'שלום'],
    [CharacterSet.PC865_NORDIC, 'Smørrebrød'],
    [CharacterSet.PC858_EURO, 'Año 5€ ¿sí?'],
  ])('%s: %s', (cs, text) => {
    const tp = printer(cs);
    tp.println(text);
    const items = EscPosDecoder.decode(tp.getBuffer());
    expect(unknowns(items)).toEqual([]);
    expect(items.find((i) => i.kind === 'text')).toMatchObject({ text });
  });
});
