/**
 * The SEPA character set (EPC "Basic Latin": a–z A–Z 0–9 / - ? : ( ) . , ' + and space) and the rules the
 * schemes add for identifiers. Names and remittance texts are transliterated (Muñoz → Munoz) because banks
 * reject or mangle anything else; identifiers (mandate reference, end-to-end id, message id) are refused
 * instead, since changing them would break the matching of returns and statements.
 */
import { electronicFormatIBAN, isSEPACountry, isValidBIC, isValidIBAN } from 'ibantools';
import type { SepaProblem } from './errors';

const SEPA_CHARS = /^[A-Za-z0-9/\-?:().,'+ ]*$/;

/** What an identifier is called in a message: `{ es: 'referencia del mandato', en: 'mandate reference' }`. */
export interface FieldName {
  es: string;
  en: string;
}

/** ≤ max chars of the SEPA set, not empty, no leading/trailing '/' and no '//' (EPC identifier rule). */
export function identifierProblem(value: string, path: string, name: FieldName, max = 35): SepaProblem | null {
  const problem = (es: string, en: string): SepaProblem => ({ code: 'SEPA_INVALID_REFERENCE', path, message: `${name.es} ${es} / ${name.en} ${en}` });
  if (value.trim() === '') return problem('sin valor', 'is empty');
  if (value.length > max) return problem(`de más de ${max} caracteres`, `longer than ${max} characters`);
  if (!SEPA_CHARS.test(value)) return problem('con caracteres fuera del juego SEPA', 'has characters outside the SEPA set');
  if (value !== value.trim()) return problem('con espacios al principio o al final', 'has leading or trailing spaces');
  if (value.startsWith('/') || value.endsWith('/') || value.includes('//')) return problem("con '/' en un extremo o '//'", "has '/' at either end or '//'");
  return null;
}

/** Latin letters with no decomposition to a base letter. */
const LETTERS: Readonly<Record<string, string>> = { ß: 'ss', Æ: 'AE', æ: 'ae', Ø: 'O', ø: 'o', Œ: 'OE', œ: 'oe', Ł: 'L', ł: 'l', Đ: 'D', đ: 'd' };

/**
 * Free text (names, remittance information) in the SEPA set: compatibility forms and accents dropped
 * (á → a, ñ → n, ç → c, nº → no), & → '+', any other character → space, runs of spaces collapsed, trimmed
 * and cut at max.
 */
export function toSepaText(value: string, max = 140): string {
  const plain = value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[ßÆæØøŒœŁłĐđ]/g, (c) => LETTERS[c] ?? c)
    .replace(/&/g, '+')
    .replace(/[^A-Za-z0-9/\-?:().,'+ ]/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
  return plain.slice(0, max).trimEnd();
}

/** A date as YYYY-MM-DD that exists in the calendar. */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** The IBAN in electronic form (no spaces, upper case) when valid and of a SEPA country, else the problem. */
export function checkIban(value: string | null | undefined, path: string): { iban: string } | { problem: SepaProblem } {
  const iban = electronicFormatIBAN(value ?? '') ?? '';
  if (!isValidIBAN(iban)) return { problem: { code: 'SEPA_INVALID_IBAN', path, message: `IBAN no válido / invalid IBAN: '${value ?? ''}'` } };
  if (!isSEPACountry(iban.slice(0, 2))) {
    return { problem: { code: 'SEPA_NOT_SEPA_COUNTRY', path, message: `IBAN de un país fuera de SEPA / IBAN of a non-SEPA country: ${iban.slice(0, 2)}` } };
  }
  return { iban };
}

/** The BIC upper-cased without spaces when given and valid; null when not given (IBAN-only is allowed). */
export function checkBic(value: string | null | undefined, path: string): { bic: string | null } | { problem: SepaProblem } {
  if (value === null || value === undefined || value.trim() === '') return { bic: null };
  const bic = value.replace(/\s/g, '').toUpperCase();
  // The ISO 9362 shape the XSD asks for (ibantools also accepts lower case), plus ibantools' country check.
  if (!/^[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?$/.test(bic) || !isValidBIC(bic)) {
    return { problem: { code: 'SEPA_INVALID_BIC', path, message: `BIC no válido / invalid BIC: '${value}'` } };
  }
  return { bic };
}
