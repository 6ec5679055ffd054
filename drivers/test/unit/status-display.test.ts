import { describe, expect, it } from 'vitest';
import { parseStatusBytes, statusByte } from '../../src/status';
import { displayRow, poleDisplayBytes } from '../../src/adapters/pole-display';
import { SuffixSplitter } from '../../src/adapters/serial-scanner';
import { VirtualPoleDisplay } from '../../src/virtual/pole-display';

describe('DLE EOT status bytes', () => {
  const flags = { coverOpen: false, paperOut: false, paperNearEnd: false, drawerOpen: false };
  it.each([
    [1, flags, 0x12],
    [1, { ...flags, drawerOpen: true }, 0x16],
    [1, { ...flags, paperOut: true }, 0x1a],
    [2, { ...flags, coverOpen: true }, 0x16],
    [2, { ...flags, paperOut: true }, 0x32],
    [4, { ...flags, paperNearEnd: true }, 0x1e],
    [4, { ...flags, paperOut: true }, 0x7e],
  ])('n=%i %o → %i', (n, f, b) => expect(statusByte(n, f)).toBe(b));

  it('parses answers, and rejects noise', () => {
    expect(parseStatusBytes(0x12, 0x12, 0x12)).toEqual({ online: true, coverOpen: false, paperNearEnd: false, paperOut: false, drawerOpen: false });
    expect(parseStatusBytes(0x1a, 0x36, 0x7e)).toMatchObject({ online: false, coverOpen: true, paperOut: true, paperNearEnd: true });
    expect(parseStatusBytes(0x00, 0x12, 0x12)).toMatchObject({ online: false, error: 'invalid status bytes' });
  });
});

describe('pole display', () => {
  it('encodes two lines with clear, cursor moves and CP858', () => {
    const b = poleDisplayBytes('TOTAL', '17,35 €');
    expect(Buffer.from(b.subarray(0, 8)).toString('hex')).toBe('1b74130c1f240101');
    expect(b).toContain(0xd5);
  });

  it('the virtual display decodes it into 2 × 20', () => {
    const d = new VirtualPoleDisplay();
    d.write(Uint8Array.of(0x1b, 0x40));
    d.write(poleDisplayBytes(displayRow('Jamón serrano', '6,60 €'), displayRow('TOTAL', '17,35 €')));
    expect(d.lines).toEqual(['Jamón serrano 6,60 €', 'TOTAL        17,35 €']);
    d.write(Uint8Array.of(0x0c));
    expect(d.lines).toEqual([' '.repeat(20), ' '.repeat(20)]);
    d.write(Buffer.from('x'.repeat(25)));
    expect(d.lines).toEqual(['x'.repeat(20), 'xxxxx'.padEnd(20)]);
  });
});

describe('scanner suffix splitting', () => {
  it.each([
    ['\r', ['84100', '00810004\r12', '3\r'], ['8410000810004', '123']],
    ['\n', ['A\nB\n'], ['A', 'B']],
    ['\r\n', ['A\r', '\nB\r\n', 'C'], ['A', 'B']],
  ] as const)('suffix %j', (suffix, chunks, codes) => {
    const s = new SuffixSplitter(suffix);
    expect(chunks.flatMap((c) => s.push(c))).toEqual(codes);
  });
});
