/**
 * Money as integer cents (ARCHITECTURE invariant 1). Every division names its rounding; amounts are never
 * multiplied or divided as floats. Products that might leave the safe-integer range go through BigInt.
 */
import { domainError, err, ok, type DomainError, type Result } from './result';

/** An amount in euro cents: a safe integer (may be negative: returns, refunds, discounts on returns). */
export type Cents = number;
/** A percentage in basis points: 10 % = 1000, 21 % = 2100, 5.2 % = 520. */
export type BasisPoints = number;

export const BP_100_PERCENT = 10_000;

/**
 * Rounding of an exact quotient to an integer.
 * - `halfUp`: nearest, ties away from zero (2.5 → 3, −2.5 → −3), so a return mirrors its sale exactly.
 * - `halfEven`: nearest, ties to the even neighbour (banker's rounding).
 * - `floor` / `ceil`: toward −∞ / +∞.  - `towardZero`: truncation.
 */
export type Rounding = 'halfUp' | 'halfEven' | 'floor' | 'ceil' | 'towardZero';

export type MoneyErrorCode =
  | 'MONEY_NOT_INTEGER'
  | 'MONEY_OUT_OF_RANGE'
  | 'MONEY_PARSE_EMPTY'
  | 'MONEY_PARSE_INVALID'
  | 'MONEY_PARSE_TOO_MANY_DECIMALS'
  | 'ALLOCATION_WEIGHTS_EMPTY'
  | 'ALLOCATION_WEIGHT_INVALID'
  | 'ALLOCATION_WEIGHTS_ZERO';
export type MoneyError = DomainError<MoneyErrorCode>;

export type MoneyLocale = 'es' | 'en';

/** True for a safe integer (the only valid representation of an amount). */
export function isCents(value: unknown): value is Cents {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/** Throws on a non-safe-integer: use where a bad amount can only be a programming error. */
export function assertCents(value: unknown, what = 'amount'): asserts value is Cents {
  if (!isCents(value)) throw new RangeError(`${what} must be a safe integer number of cents, got ${String(value)}`);
}

// ---------------------------------------------------------------------------------------------------------
// Exact integer division with named rounding
// ---------------------------------------------------------------------------------------------------------

/** Rounds the exact rational n/d (d ≠ 0) to an integer, in BigInt. */
export function divRoundBig(n: bigint, d: bigint, rounding: Rounding): bigint {
  if (d === 0n) throw new RangeError('division by zero');
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  // BigInt division truncates toward zero; r has the sign of n and |r| < d.
  let q = n / d;
  const r = n % d;
  if (r === 0n) return q;
  const negative = n < 0n;
  switch (rounding) {
    case 'towardZero':
      return q;
    case 'floor':
      return negative ? q - 1n : q;
    case 'ceil':
      return negative ? q : q + 1n;
    case 'halfUp':
    case 'halfEven': {
      const twice = 2n * (negative ? -r : r);
      const away = twice > d || (twice === d && (rounding === 'halfUp' || (q & 1n) !== 0n));
      if (away) q += negative ? -1n : 1n;
      return q;
    }
  }
}

/** Same as divRoundBig for safe integers whose quotient math stays safe (|n| ≤ 2^53, 0 < |d| ≤ 2^52). */
function divRoundSafe(n: number, d: number, rounding: Rounding): number {
  if (d < 0) {
    n = -n;
    d = -d;
  }
  let q = Math.trunc(n / d);
  let r = n - q * d;
  // Float division may be off by one near integers; correct with the exact remainder.
  if (n >= 0) {
    while (r < 0) { q -= 1; r += d; }
    while (r >= d) { q += 1; r -= d; }
  } else {
    while (r > 0) { q += 1; r -= d; }
    while (r <= -d) { q -= 1; r += d; }
  }
  if (r === 0) return q;
  const negative = n < 0;
  switch (rounding) {
    case 'towardZero':
      return q;
    case 'floor':
      return negative ? q - 1 : q;
    case 'ceil':
      return negative ? q : q + 1;
    case 'halfUp':
    case 'halfEven': {
      const twice = 2 * Math.abs(r);
      const away = twice > d || (twice === d && (rounding === 'halfUp' || q % 2 !== 0));
      if (away) q += negative ? -1 : 1;
      return q;
    }
  }
}

const SAFE = Number.MAX_SAFE_INTEGER;

/**
 * amount × numerator / denominator, rounded as named, computed exactly (integer arithmetic; BigInt when the
 * product would leave the safe range). All three arguments must be safe integers, denominator ≠ 0.
 * Throws RangeError on a non-integer argument or if the result is not a safe integer (programming errors).
 */
export function mulDiv(amount: number, numerator: number, denominator: number, rounding: Rounding = 'halfUp'): Cents {
  if (!Number.isSafeInteger(amount) || !Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator)) {
    throw new RangeError(`mulDiv needs safe integers, got ${amount} × ${numerator} / ${denominator}`);
  }
  if (denominator === 0) throw new RangeError('mulDiv: division by zero');
  const product = amount * numerator;
  if (Math.abs(product) < SAFE && Math.abs(denominator) < 2 ** 52) {
    const q = divRoundSafe(product, denominator, rounding);
    return q === 0 ? 0 : q; // never −0
  }
  const q = divRoundBig(BigInt(amount) * BigInt(numerator), BigInt(denominator), rounding);
  if (q > BigInt(SAFE) || q < -BigInt(SAFE)) throw new RangeError('mulDiv: result outside the safe integer range');
  return Number(q);
}

/** numerator / denominator rounded half away from zero (the default rounding of the domain). */
export function roundHalfUp(numerator: number, denominator: number): Cents {
  return mulDiv(numerator, 1, denominator, 'halfUp');
}

/** numerator / denominator rounded half to even. */
export function roundHalfEven(numerator: number, denominator: number): Cents {
  return mulDiv(numerator, 1, denominator, 'halfEven');
}

/** `bp` basis points of `amount`: percentOf(1999, 1000) = 199.9 → 200 (halfUp). */
export function percentOf(amount: Cents, bp: BasisPoints, rounding: Rounding = 'halfUp'): Cents {
  return mulDiv(amount, bp, BP_100_PERCENT, rounding);
}

// ---------------------------------------------------------------------------------------------------------
// Allocation (largest remainder)
// ---------------------------------------------------------------------------------------------------------

/**
 * Splits `total` into parts proportional to `weights` (non-negative safe integers, at least one > 0 unless
 * total is 0) so the parts sum exactly to `total`. Each part gets floor(|total| × w / Σw); the cents left over
 * go one each to the largest remainders, ties to the lower index. Zero weights get 0. The sign of `total` is
 * applied to every part (so allocate(−t, w) = −allocate(t, w)).
 */
export function allocate(total: Cents, weights: readonly number[]): Result<Cents[], MoneyError> {
  if (!isCents(total)) return err(domainError('MONEY_NOT_INTEGER', `total must be integer cents, got ${String(total)}`));
  if (weights.length === 0) return err(domainError('ALLOCATION_WEIGHTS_EMPTY', 'cannot allocate over no weights'));
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    if (!Number.isSafeInteger(w) || w < 0) {
      return err(domainError('ALLOCATION_WEIGHT_INVALID', `weight ${i} must be a non-negative integer, got ${String(w)}`, { index: i }));
    }
    sum += w;
  }
  if (sum === 0) {
    if (total === 0) return ok(weights.map(() => 0));
    return err(domainError('ALLOCATION_WEIGHTS_ZERO', 'cannot allocate a non-zero total over weights that are all zero'));
  }
  const sign = total < 0 ? -1 : 1;
  const abs = Math.abs(total);
  const n = weights.length;
  const parts: number[] = new Array<number>(n);
  let left: number;
  let remainderOf: (i: number) => number | bigint;
  // Fast path: every product |total| × w ≤ |total| × Σw stays exact in doubles.
  if (Number.isSafeInteger(sum) && abs * sum <= SAFE) {
    const rem: number[] = new Array<number>(n);
    let given = 0;
    for (let i = 0; i < n; i++) {
      const p = abs * weights[i]!;
      const r = p % sum;
      const share = (p - r) / sum;
      parts[i] = share;
      rem[i] = r;
      given += share;
    }
    left = abs - given;
    remainderOf = (i) => rem[i]!;
  } else {
    const bigSum = weights.reduce((a, w) => a + BigInt(w), 0n);
    const bigAbs = BigInt(abs);
    const rem: bigint[] = new Array<bigint>(n);
    let given = 0n;
    for (let i = 0; i < n; i++) {
      const p = bigAbs * BigInt(weights[i]!);
      const share = p / bigSum;
      parts[i] = Number(share);
      rem[i] = p % bigSum;
      given += share;
    }
    left = Number(bigAbs - given);
    remainderOf = (i) => rem[i]!;
  }
  // left < n: hand one cent each to the largest remainders, ties to the lower index.
  if (left > 0) {
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => {
      const ra = remainderOf(a);
      const rb = remainderOf(b);
      return ra === rb ? a - b : ra > rb ? -1 : 1;
    });
    for (let k = 0; k < left; k++) {
      const i = order[k]!;
      parts[i] = parts[i]! + 1;
    }
  }
  if (sign < 0) for (let i = 0; i < n; i++) parts[i] = parts[i] === 0 ? 0 : -parts[i]!;
  return ok(parts);
}

// ---------------------------------------------------------------------------------------------------------
// Formatting and parsing
// ---------------------------------------------------------------------------------------------------------

function groupThousands(digits: string, sep: string): string {
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += sep;
    out += digits[i];
  }
  return out;
}

function splitAbs(cents: Cents): { negative: boolean; euros: string; frac: string } {
  assertCents(cents);
  const negative = cents < 0;
  const abs = Math.abs(cents);
  return { negative, euros: String(Math.floor(abs / 100)), frac: String(abs % 100).padStart(2, '0') };
}

/**
 * Formats by hand (not Intl: es-ES omits the thousands dot on 4-digit amounts).
 * es: `1.234,56 €`, `-0,05 €`; en: `€1,234.56`, `-€0.05`. The space before € is a plain U+0020.
 */
export function formatMoney(cents: Cents, locale: MoneyLocale): string {
  const { negative, euros, frac } = splitAbs(cents);
  const sign = negative ? '-' : '';
  if (locale === 'es') return `${sign}${groupThousands(euros, '.')},${frac} €`;
  return `${sign}€${groupThousands(euros, ',')}.${frac}`;
}

/** Plain decimal with a dot and two decimals, no grouping: 1235 → "12.35", −5 → "-0.05" (fiscal/XML fields). */
export function centsToDecimalString(cents: Cents): string {
  const { negative, euros, frac } = splitAbs(cents);
  return `${negative ? '-' : ''}${euros}.${frac}`;
}

const NUMBER_ES = /^(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?$/;
const NUMBER_EN = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/;
const DECIMAL_PLAIN = /^(-)?(\d+)(?:\.(\d{1,2}))?$/;

function toCents(negative: boolean, intDigits: string, fracDigits: string): Result<Cents, MoneyError> {
  const v = BigInt(intDigits) * 100n + BigInt(fracDigits.padEnd(2, '0'));
  if (v > BigInt(SAFE)) return err(domainError('MONEY_OUT_OF_RANGE', 'amount too large'));
  const n = Number(v);
  return ok(negative && n !== 0 ? -n : n);
}

/**
 * Parses a human-typed amount. Accepts an optional leading '-', an optional € before or after the number
 * (spaces allowed), thousands separators only in correct groups of three, and 0–2 decimals.
 * es: `1.234,56`, `1234,56`, `1234,5`, `12 €`, `-0,05 €`; en: `€1,234.56`, `1234.56`, `-€0.05`.
 */
export function parseMoney(text: string, locale: MoneyLocale): Result<Cents, MoneyError> {
  let s = text.trim();
  if (s === '') return err(domainError('MONEY_PARSE_EMPTY', 'empty amount'));
  let negative = false;
  let currency = false;
  if (s.startsWith('-')) {
    negative = true;
    s = s.slice(1).trimStart();
  }
  if (s.startsWith('€')) {
    currency = true;
    s = s.slice(1).trimStart();
    if (!negative && s.startsWith('-')) {
      negative = true;
      s = s.slice(1).trimStart();
    }
  }
  if (s.endsWith('€')) {
    if (currency) return err(domainError('MONEY_PARSE_INVALID', `not an amount: "${text}"`));
    s = s.slice(0, -1).trimEnd();
  }
  const m = (locale === 'es' ? NUMBER_ES : NUMBER_EN).exec(s);
  if (m === null) return err(domainError('MONEY_PARSE_INVALID', `not an amount: "${text}"`));
  const intDigits = m[1]!.replace(/[.,]/g, '');
  const fracDigits = m[2] ?? '';
  if (fracDigits.length > 2) {
    return err(domainError('MONEY_PARSE_TOO_MANY_DECIMALS', `at most 2 decimals: "${text}"`));
  }
  return toCents(negative, intDigits, fracDigits);
}

/** Inverse of centsToDecimalString: "12.35" → 1235, "-0.05" → −5, "12" → 1200, "12.5" → 1250. */
export function parseDecimalString(text: string): Result<Cents, MoneyError> {
  const m = DECIMAL_PLAIN.exec(text);
  if (m === null) return err(domainError('MONEY_PARSE_INVALID', `not a plain decimal amount: "${text}"`));
  return toCents(m[1] !== undefined, m[2]!, m[3] ?? '');
}
