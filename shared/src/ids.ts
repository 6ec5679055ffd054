/**
 * UUID version 7 (RFC 9562): 48-bit Unix ms timestamp, version 7, 12-bit rand_a, variant 10, 62-bit rand_b.
 * Pure: time and randomness are injected (the process wires Date.now and crypto.getRandomValues).
 *
 * `createUuidV7` is monotonic (RFC 9562 §6.2, method 2 style): within the same millisecond — or if the
 * clock steps back — the 74 random bits are treated as a counter and incremented, so ids from one generator
 * sort strictly in creation order. A fresh millisecond starts from new random bits with the top counter bit
 * cleared to leave room for increments; on counter overflow the timestamp moves one ms ahead.
 */
import type { Clock } from './clock';

export type RandomBytes = (n: number) => Uint8Array;

const MAX_MS = 2 ** 48 - 1;
const RAND_BITS = 74n;
const RAND_MASK = (1n << RAND_BITS) - 1n;
const RAND_B_MASK = (1n << 62n) - 1n;

function randomCounter(random: RandomBytes): bigint {
  const bytes = random(10);
  if (bytes.length < 10) throw new RangeError(`uuidv7: random source returned ${bytes.length} bytes, 10 needed`);
  let value = 0n;
  for (let i = 0; i < 10; i++) value = (value << 8n) | BigInt(bytes[i]!);
  return value & RAND_MASK;
}

function checkMs(ms: number): void {
  if (!Number.isInteger(ms) || ms < 0 || ms > MAX_MS) throw new RangeError(`uuidv7: timestamp out of range: ${ms}`);
}

function format(ms: number, counter: bigint): string {
  const randA = Number(counter >> 62n); // 12 bits
  const randB = counter & RAND_B_MASK; // 62 bits
  const hex = (value: number | bigint, width: number) => value.toString(16).padStart(width, '0');
  const timeHex = hex(ms, 12);
  const variantAndB = (2n << 62n) | randB; // 64 bits: 10 + rand_b
  const tail = hex(variantAndB, 16);
  return `${timeHex.slice(0, 8)}-${timeHex.slice(8)}-7${hex(randA, 3)}-${tail.slice(0, 4)}-${tail.slice(4)}`;
}

/** One UUID v7 for the instant `nowMs` (not monotonic within a millisecond: use createUuidV7 for that). */
export function uuidv7(nowMs: number, random: RandomBytes): string {
  checkMs(nowMs);
  return format(nowMs, randomCounter(random));
}

/** A monotonic UUID v7 generator. */
export function createUuidV7(clock: Clock, random: RandomBytes): () => string {
  let lastMs = -1;
  let counter = 0n;
  return () => {
    const now = clock.now();
    checkMs(now);
    if (now > lastMs) {
      lastMs = now;
      counter = randomCounter(random) & (RAND_MASK >> 1n);
    } else {
      counter += 1n;
      if (counter > RAND_MASK) {
        lastMs += 1;
        checkMs(lastMs);
        counter = randomCounter(random) & (RAND_MASK >> 1n);
      }
    }
    return format(lastMs, counter);
  };
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UUID_V7_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** Any RFC 9562 textual UUID (8-4-4-4-12 hex digits, either case). */
export function isUuid(text: string): boolean {
  return UUID_RE.test(text);
}

/** A UUID with version 7 and variant 10. */
export function isUuidV7(text: string): boolean {
  return UUID_V7_RE.test(text);
}

/** The millisecond timestamp of a UUID v7 (undefined if not a v7). */
export function uuidV7Timestamp(text: string): number | undefined {
  if (!isUuidV7(text)) return undefined;
  return parseInt(text.slice(0, 8) + text.slice(9, 13), 16);
}
