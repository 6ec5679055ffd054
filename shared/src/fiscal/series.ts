/**
 * Invoice series (ARCHITECTURE invariant 3): one series per terminal and year, credit notes in their own.
 *
 * Series format: `<store><terminal>-<yy><kind>`
 *   store    1–8 chars [A-Z0-9]   e.g. M001
 *   terminal exactly 2 chars [A-Z0-9] e.g. 01 (fixed width, so the series can be split back)
 *   yy       last two digits of the year (2000–2099)
 *   kind     T = tickets (sales: F2/F1), R = rectificativas (returns/credit notes: R5)
 * e.g. `M00101-26T`, `M00101-26R` (≤ 14 chars). Fiscal number: `<series>/<number>`, number zero-padded to at
 * least 6 digits (gapless per series, starting at 1): `M00101-26T/000123` (≤ 21 chars; AEAT allows 60).
 * Everything is plain ASCII so it also fits a Code 128 barcode on the receipt.
 */
import { domainError, err, ok, type DomainError, type Result } from '../result';

export type SeriesKind = 'sale' | 'return';

export interface SeriesInput {
  storeCode: string;
  terminalCode: string;
  year: number;
  kind: SeriesKind;
}

export interface ParsedFiscalNumber extends SeriesInput {
  series: string;
  number: number;
}

export type SeriesErrorCode = 'SERIES_INPUT_INVALID' | 'FISCAL_NUMBER_MALFORMED';

const KIND_LETTER: Record<SeriesKind, string> = { sale: 'T', return: 'R' };
const STORE_RE = /^[A-Z0-9]{1,8}$/;
const TERMINAL_RE = /^[A-Z0-9]{2}$/;
export const MAX_FISCAL_SEQUENCE = 999_999_999;

/** `M00101-26T`; error SERIES_INPUT_INVALID on codes or year out of the format above. */
export function seriesFor(input: SeriesInput): Result<string, DomainError<'SERIES_INPUT_INVALID'>> {
  if (!STORE_RE.test(input.storeCode)) {
    return err(domainError('SERIES_INPUT_INVALID', 'store code must be 1-8 characters A-Z/0-9', { storeCode: input.storeCode }));
  }
  if (!TERMINAL_RE.test(input.terminalCode)) {
    return err(domainError('SERIES_INPUT_INVALID', 'terminal code must be exactly 2 characters A-Z/0-9', { terminalCode: input.terminalCode }));
  }
  if (!Number.isInteger(input.year) || input.year < 2000 || input.year > 2099) {
    return err(domainError('SERIES_INPUT_INVALID', 'year must be 2000-2099', { year: input.year }));
  }
  const letter = KIND_LETTER[input.kind];
  if (letter === undefined) return err(domainError('SERIES_INPUT_INVALID', 'kind must be sale or return', { kind: input.kind }));
  return ok(`${input.storeCode}${input.terminalCode}-${String(input.year % 100).padStart(2, '0')}${letter}`);
}

/** `series/number`, number zero-padded to 6. Throws RangeError for a number outside 1..999,999,999 (a bug). */
export function fiscalNumber(series: string, number: number): string {
  if (!Number.isInteger(number) || number < 1 || number > MAX_FISCAL_SEQUENCE) {
    throw new RangeError(`fiscalNumber: sequence must be an integer in 1..${MAX_FISCAL_SEQUENCE}: ${number}`);
  }
  return `${series}/${String(number).padStart(6, '0')}`;
}

const FISCAL_NUMBER_RE = /^(([A-Z0-9]{1,8})([A-Z0-9]{2})-(\d{2})([TR]))\/(\d{6,9})$/;

/** Parses a fiscal number read back from a receipt (e.g. its barcode). Surrounding whitespace is ignored. */
export function parseFiscalNumber(text: string): Result<ParsedFiscalNumber, DomainError<'FISCAL_NUMBER_MALFORMED'>> {
  const m = FISCAL_NUMBER_RE.exec(text.trim());
  const digits = m?.[6];
  // Canonical form only: more than 6 digits never starts with 0, and the sequence starts at 1.
  if (m === null || digits === undefined || (digits.length > 6 && digits.startsWith('0')) || Number(digits) === 0) {
    return err(domainError('FISCAL_NUMBER_MALFORMED', 'not a fiscal number like M00101-26T/000123', { text }));
  }
  return ok({
    series: m[1]!,
    storeCode: m[2]!,
    terminalCode: m[3]!,
    year: 2000 + Number(m[4]),
    kind: m[5] === 'T' ? 'sale' : 'return',
    number: Number(digits),
  });
}
