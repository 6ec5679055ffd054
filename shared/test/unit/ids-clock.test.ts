import { describe, expect, it } from 'vitest';
import { fixedClock, manualClock, steppingClock } from '../../src/clock';
import { createUuidV7, isUuid, isUuidV7, uuidV7Timestamp, uuidv7, type RandomBytes } from '../../src/ids';

/** Random source returning the given bytes (repeated as needed). */
const bytesOf =
  (...bytes: number[]): RandomBytes =>
  (n) =>
    Uint8Array.from({ length: n }, (_, i) => bytes[i % bytes.length]!);

/** 10 big-endian bytes of a bigint. */
function toBytes(value: bigint): number[] {
  return Array.from({ length: 10 }, (_, i) => Number((value >> BigInt(8 * (9 - i))) & 0xffn));
}

describe('uuidv7', () => {
  it('reproduces the RFC 9562 appendix A.6 example', () => {
    // unix_ts_ms 0x017F22E279B0, rand_a 0xCC3, rand_b 0x18C4DC0C0C07398F.
    const random = bytesOf(...toBytes((0xcc3n << 62n) | 0x18c4dc0c0c07398fn));
    expect(uuidv7(0x017f22e279b0, random)).toBe('017f22e2-79b0-7cc3-98c4-dc0c0c07398f');
  });

  it('sets version and variant whatever the random bits', () => {
    expect(uuidv7(0, bytesOf(0))).toBe('00000000-0000-7000-8000-000000000000');
    expect(uuidv7(2 ** 48 - 1, bytesOf(0xff))).toBe('ffffffff-ffff-7fff-bfff-ffffffffffff');
  });

  it('rejects timestamps outside 48 bits and short random sources', () => {
    expect(() => uuidv7(-1, bytesOf(0))).toThrow(RangeError);
    expect(() => uuidv7(2 ** 48, bytesOf(0))).toThrow(RangeError);
    expect(() => uuidv7(1.5, bytesOf(0))).toThrow(RangeError);
    expect(() => uuidv7(0, () => new Uint8Array(4))).toThrow(RangeError);
  });

  it('round-trips the timestamp', () => {
    const ms = Date.UTC(2026, 10, 23, 8, 0, 0);
    expect(uuidV7Timestamp(uuidv7(ms, bytesOf(7, 42)))).toBe(ms);
    expect(uuidV7Timestamp('not-a-uuid')).toBeUndefined();
  });
});

describe('createUuidV7 (monotonic)', () => {
  const isStrictlyIncreasing = (ids: string[]) => ids.every((id, i) => i === 0 || ids[i - 1]! < id);

  it('orders ids within one millisecond even with constant randomness', () => {
    const next = createUuidV7(fixedClock(1_700_000_000_000), bytesOf(0xff));
    const ids = Array.from({ length: 1000 }, () => next());
    expect(isStrictlyIncreasing(ids)).toBe(true);
    expect(new Set(ids).size).toBe(1000);
    expect(ids.every(isUuidV7)).toBe(true);
    expect(ids.every((id) => uuidV7Timestamp(id) === 1_700_000_000_000)).toBe(true);
    // A fresh millisecond clears the counter's top bit: rand_a starts at 0x7ff, not 0xfff.
    expect(ids[0]).toBe('018bcfe5-6800-77ff-bfff-ffffffffffff');
    expect(ids[1]).toBe('018bcfe5-6800-7800-8000-000000000000');
  });

  it('orders ids across milliseconds and when the clock steps back', () => {
    const clock = manualClock(1_000);
    let seed = 0;
    const next = createUuidV7(clock, (n) => Uint8Array.from({ length: n }, () => (seed = (seed * 73 + 41) % 256)));
    const ids: string[] = [];
    ids.push(next(), next());
    clock.advance(1);
    ids.push(next());
    clock.set(500); // NTP step back
    ids.push(next(), next());
    clock.set(2_000);
    ids.push(next());
    expect(isStrictlyIncreasing(ids)).toBe(true);
    expect(ids.map((id) => uuidV7Timestamp(id))).toEqual([1000, 1000, 1001, 1001, 1001, 2000]);
  });
});

describe('isUuid', () => {
  it.each([
    ['017f22e2-79b0-7cc3-98c4-dc0c0c07398f', true, true],
    ['017F22E2-79B0-7CC3-98C4-DC0C0C07398F', true, true],
    ['f47ac10b-58cc-4372-a567-0e02b2c3d479', true, false], // v4
    ['017f22e2-79b0-7cc3-c8c4-dc0c0c07398f', true, false], // wrong variant
    ['017f22e279b07cc398c4dc0c0c07398f', false, false],
    ['017f22e2-79b0-7cc3-98c4-dc0c0c07398', false, false],
    ['g17f22e2-79b0-7cc3-98c4-dc0c0c07398f', false, false],
    ['', false, false],
  ])('%j → uuid %s, v7 %s', (text, uuid, v7) => {
    expect(isUuid(text)).toBe(uuid);
    expect(isUuidV7(text)).toBe(v7);
  });
});

describe('clocks', () => {
  it('fixedClock always returns the same instant', () => {
    const c = fixedClock(42);
    expect([c.now(), c.now()]).toEqual([42, 42]);
  });

  it('steppingClock advances one step per call', () => {
    const c = steppingClock(1_000, 250);
    expect([c.now(), c.now(), c.now()]).toEqual([1_000, 1_250, 1_500]);
  });

  it('manualClock moves only when told', () => {
    const c = manualClock(10);
    expect(c.now()).toBe(10);
    c.advance(5);
    expect(c.now()).toBe(15);
    c.set(3);
    expect(c.now()).toBe(3);
  });
});
