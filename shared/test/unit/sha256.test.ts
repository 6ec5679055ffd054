import { describe, expect, it } from 'vitest';
import { sha256, sha256HexUpper, toHexUpper, utf8Encode } from '../../src/fiscal/sha256';

// NIST FIPS 180-2 / CSRC example vectors (uppercased).
const NIST: [string, string][] = [
  ['', 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855'],
  ['abc', 'BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD'],
  // 56 bytes: padding spills into a second block.
  ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '248D6A61D20638B8E5C026930C3E6039A33CE45964FF2167F6ECEDD419DB06C1'],
  // 112 bytes: two full blocks of data + padding block.
  [
    'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu',
    'CF5B16A778AF8380036CE59E7B0492370B249B11E8F07A51AFAC45037AFEE9D1',
  ],
  ['The quick brown fox jumps over the lazy dog', 'D7A8FBB307D7809469CA9ABCB0082E4F8D5651E46D3CDB762D02D0BF37C9E592'],
];

describe('sha256', () => {
  it.each(NIST)('hashes %j', (message, digest) => {
    expect(sha256HexUpper(message)).toBe(digest);
  });

  it('hashes one million "a" (many blocks)', () => {
    expect(toHexUpper(sha256(new Uint8Array(1_000_000).fill(0x61)))).toBe(
      'CDC76E5C9914FB9281A1C7E284D73E67F1809A48A497200E046D39CCC7112CD0',
    );
  });

  // Oracle digests from an independent implementation (Python hashlib), around the 55/56 and 64-byte padding edges.
  it.each([
    [55, '9F4390F8D30C2DD92EC9F095B65E2B9AE9B0A925A5258E241C9F1E910F734318'],
    [56, 'B35439A4AC6F0948B6D6F9E3C6AF0F5F590CE20F1BDE7090EF7970686EC6738A'],
    [57, 'F13B2D724659EB3BF47F2DD6AF1ACCC87B81F09F59F2B75E5C0BED6589DFE8C6'],
    [63, '7D3E74A05D7DB15BCE4AD9EC0658EA98E3F06EEECF16B4C6FFF2DA457DDC2F34'],
    [64, 'FFE054FE7AE0CB6DC65C3AF9B61D5209F439851DB43D0BA5997337DF154668EB'],
    [65, '635361C48BB9EAB14198E76EA8AB7F1A41685D6AD62AA9146D301D4F17EB0AE0'],
    [119, '31EBA51C313A5C08226ADF18D4A359CFDFD8D2E816B13F4AF952F7EA6584DCFB'],
    [120, '2F3D335432C70B580AF0E8E1B3674A7C020D683AA5F73AAAEDFDC55AF904C21C'],
    [127, 'C57E9278AF78FA3CAB38667BEF4CE29D783787A2F731D4E12200270F0C32320A'],
    [128, '6836CF13BAC400E9105071CD6AF47084DFACAD4E5E302C94BFED24E013AFB73E'],
  ])('hashes %i × "a"', (n, digest) => {
    expect(sha256HexUpper('a'.repeat(n))).toBe(digest);
  });

  it('hashes non-ASCII text as UTF-8', () => {
    expect(sha256HexUpper('IDEmisorFactura=B12345678&NumSerieFactura=Año/Ñ-€😀')).toBe(
      '4F1E3014B058802C35781EAAD60E21B48FDCBA51D924AE5AFE7B9EB5C8B7A992',
    );
  });

  it('encodes UTF-8 like TextEncoder, incl. 2/3/4-byte and lone surrogates', () => {
    for (const s of ['', 'abc', 'Ñandú €', 'año 😀', '\ud800x', 'x\udc00']) {
      expect(Array.from(utf8Encode(s))).toEqual(Array.from(new TextEncoder().encode(s)));
    }
    // "ñ" is C3 B1.
    expect(Array.from(utf8Encode('ñ'))).toEqual([0xc3, 0xb1]);
    expect(sha256HexUpper('ñ')).toBe(toHexUpper(sha256(Uint8Array.from([0xc3, 0xb1]))));
  });
});
