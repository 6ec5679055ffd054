/**
 * Random but valid bank statements for the collections-bank property tests, from the repo's seeded PRNG: the
 * same seed gives the same statements. Balances are consistent (closing = opening + credits − debits).
 */
import { seededRandom } from '@tpv/shared/prng';
import { totalsOf, type BankAccountRef, type BankMovement, type BankStatement } from '../../src/collections/bank/statement';

export type Random = () => number;

export function randomInt(rnd: Random, min: number, max: number): number {
  return min + Math.floor(rnd() * (max - min + 1));
}

function pick<T>(rnd: Random, items: readonly T[]): T {
  return items[Math.floor(rnd() * items.length)]!;
}

function digits(rnd: Random, n: number): string {
  let s = '';
  for (let i = 0; i < n; i += 1) s += String(randomInt(rnd, 0, 9));
  return s;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-.&Ñ';

function word(rnd: Random, min: number, max: number): string {
  let s = '';
  const n = randomInt(rnd, min, max);
  for (let i = 0; i < n; i += 1) s += ALNUM[randomInt(rnd, 0, ALNUM.length - 1)];
  return s;
}

/** ISO date `offset` days after 2026-01-01 (UTC arithmetic on whole days). */
function day(offset: number): string {
  return new Date(Date.UTC(2026, 0, 1 + offset)).toISOString().slice(0, 10);
}

function concept(rnd: Random): string {
  // Words separated by single spaces, no leading/trailing space (the parsers trim), ≤ 38 characters.
  const words: string[] = [];
  let len = 0;
  for (;;) {
    const w = word(rnd, 1, 9);
    if (len + w.length + (words.length > 0 ? 1 : 0) > 38) break;
    words.push(w);
    len += w.length + (words.length > 1 ? 1 : 0);
    if (rnd() < 0.3) break;
  }
  return words.length > 0 ? words.join(' ') : 'X';
}

export interface RandomStatementOptions {
  /** Allow a foreign (IBAN-only) account — camt.053 only, Norma 43 holds Spanish accounts. */
  foreign?: boolean;
  maxMovements?: number;
}

export function randomStatement(rnd: Random, options: RandomStatementOptions = {}): BankStatement {
  const currency = pick(rnd, ['EUR', 'EUR', 'EUR', 'USD', 'GBP']);
  const account: BankAccountRef =
    options.foreign === true && rnd() < 0.3
      ? { bank: '', office: '', number: '', currency, iban: pick(rnd, ['DE89370400440532013000', 'FR1420041010050500013M02606', 'PT50000201231234567890154']) }
      : { bank: digits(rnd, 4), office: digits(rnd, 4), number: digits(rnd, 10), currency };
  const start = randomInt(rnd, 0, 300);
  const length = randomInt(rnd, 0, 40);
  const movements: BankMovement[] = [];
  const count = randomInt(rnd, 0, options.maxMovements ?? 12);
  for (let i = 0; i < count; i += 1) {
    const op = start + randomInt(rnd, 0, length);
    const sign = rnd() < 0.5 ? -1 : 1;
    // Mostly small amounts, now and then a large one (up to 10^11 cents, 12 integer digits fit in Norma 43).
    const abs = rnd() < 0.9 ? randomInt(rnd, 1, 500_000) : randomInt(rnd, 1, 100_000_000_000);
    const m: BankMovement = {
      operationDate: day(op),
      valueDate: day(op + randomInt(rnd, 0, 3)),
      commonConcept: pick(rnd, ['01', '02', '03', '04', '06', '12', '14', '17', '99']),
      ownConcept: digits(rnd, 3),
      amountCents: sign * abs,
      document: rnd() < 0.5 ? '0000000000' : digits(rnd, 10),
      reference1: rnd() < 0.3 ? '' : word(rnd, 1, 12),
      reference2: rnd() < 0.3 ? '' : word(rnd, 1, 16),
      concepts: Array.from({ length: randomInt(rnd, 0, 5) }, () => concept(rnd)),
    };
    if (rnd() < 0.15) {
      m.equivalence = { currency: currency === 'USD' ? 'CHF' : 'USD', amountCents: randomInt(rnd, 1, 1_000_000) };
    }
    movements.push(m);
  }
  const opening = randomInt(rnd, -5_000_000, 50_000_000);
  const { debits, credits } = totalsOf(movements);
  return {
    account,
    from: day(start),
    to: day(start + length),
    openingBalanceCents: opening,
    closingBalanceCents: opening + credits.totalCents - debits.totalCents,
    debits,
    credits,
    movements,
  };
}

/** `count` statements from `seed`. */
export function randomStatements(seed: number, count: number, options: RandomStatementOptions = {}): BankStatement[] {
  const rnd = seededRandom(seed);
  return Array.from({ length: count }, () => randomStatement(rnd, options));
}

export { seededRandom };
