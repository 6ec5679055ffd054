import { describe, expect, it } from 'vitest';
import { buildSaleReceipt } from '@tpv/shared/receipt';
import {
  align,
  bold,
  charSize,
  code128,
  cut,
  drawerPulse,
  encodeReceipt,
  encodeText,
  feed,
  init,
  qr,
  raster,
  selectCodePage,
  statusRequest,
} from '../../src/escpos';
import { sale } from '../fixtures/receipts';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').replace(/(..)(?!$)/g, '$1 ');

describe('ESC/POS encoder bytes', () => {
  it('drawer pulse: ESC p m t1 t2 with 2 ms units', () => {
    expect(hex(drawerPulse())).toBe('1b 70 00 19 fa');
    expect(hex(drawerPulse(2, 50, 500))).toBe('1b 70 00 19 fa');
    expect(hex(drawerPulse(5, 100, 200))).toBe('1b 70 01 32 64');
    expect(() => drawerPulse(2, 600)).toThrow(RangeError);
  });

  it('init, code page CP858 (ESC t 19), alignment, bold, size, feed, cut, status', () => {
    expect(hex(init())).toBe('1b 40');
    expect(hex(selectCodePage('CP858'))).toBe('1b 74 13');
    expect(hex(selectCodePage('CP1252'))).toBe('1b 74 10');
    expect(hex(align('center'))).toBe('1b 61 01');
    expect(hex(bold(true))).toBe('1b 45 01');
    expect(hex(charSize(2, 2))).toBe('1d 21 11');
    expect(hex(charSize(1, 2))).toBe('1d 21 01');
    expect(hex(feed(3))).toBe('1b 64 03');
    expect(hex(cut())).toBe('1d 56 00');
    expect(hex(cut(true))).toBe('1d 56 01');
    expect(hex(statusRequest(4))).toBe('10 04 04');
  });

  it('maps Spanish characters to CP858 bytes', () => {
    expect(hex(encodeText('€ñÑáéíóúü¿¡', 'CP858'))).toBe('d5 a4 a5 a0 82 a1 a2 a3 81 a8 ad');
    expect(hex(encodeText('€ñ', 'CP1252'))).toBe('80 f1');
    expect(hex(encodeText('a’—☃', 'CP858'))).toBe('61 27 2d 3f');
  });

  it('QR: model 2, module size, ECC M = 49, store, print', () => {
    expect(hex(qr('AB', { ecc: 'M', moduleSize: 4 }))).toBe(
      [
        '1d 28 6b 04 00 31 41 32 00',
        '1d 28 6b 03 00 31 43 04',
        '1d 28 6b 03 00 31 45 31',
        '1d 28 6b 05 00 31 50 30 41 42',
        '1d 28 6b 03 00 31 51 30',
      ].join(' '),
    );
    const long = qr('x'.repeat(300));
    expect(hex(long.subarray(25, 33))).toBe('1d 28 6b 2f 01 31 50 30');
  });

  it('CODE128 with code set B: GS k 73 n {B data', () => {
    expect(hex(code128('T1/2', { height: 60 }))).toBe('1d 48 02 1d 68 3c 1d 77 02 1d 6b 49 06 7b 42 54 31 2f 32');
    expect(hex(code128('a{b')).endsWith('7b 42 61 7b 7b 62')).toBe(true);
    expect(() => code128('ñ')).toThrow(RangeError);
  });

  it('raster GS v 0', () => {
    expect(hex(raster(16, 1, Uint8Array.of(0xff, 0x00)))).toBe('1d 76 30 00 02 00 01 00 ff 00');
  });

  it('a receipt starts with ESC @ ESC t 19 and ends with a cut', () => {
    const bytes = encodeReceipt(buildSaleReceipt(sale), { columns: 48 });
    expect(hex(bytes.subarray(0, 5))).toBe('1b 40 1b 74 13');
    expect(hex(bytes.subarray(bytes.length - 3))).toBe('1d 56 00');
    // 'Peña' in CP858
    expect(Buffer.from(bytes).includes(Buffer.from([0x50, 0x65, 0xa4, 0x61]))).toBe(true);
  });
});
