/**
 * The SEPA creditor identifier (AT-02): country code, two check digits, a three-character creditor business
 * code that the check ignores, then the national identifier — in Spain the NIF, so `ESxxZZZnnnnnnnnn`
 * (16 characters; banks usually issue the business code '000'). The check digits are ISO 7064 MOD 97-10
 * over national id + country + '00' with letters as numbers (A = 10 … Z = 35), as for an IBAN.
 */
import { err, ok, type Result } from '@tpv/shared/result';
import { normalizeNif, validateNif } from '@tpv/shared/nif';
import { sepaError, type SepaError } from './errors';

export interface CreditorIdParts {
  /** The identifier as written in the XML: upper case, no spaces. */
  id: string;
  country: string;
  checkDigits: string;
  businessCode: string;
  nationalId: string;
}

const SHAPE = /^([A-Z]{2})([0-9]{2})([A-Z0-9]{3})([A-Z0-9]{1,28})$/;

/** Letters → their two-digit values (A = 10 … Z = 35), digits kept. */
function toDigits(text: string): string {
  let out = '';
  for (const c of text) out += c >= 'A' && c <= 'Z' ? String(c.charCodeAt(0) - 55) : c;
  return out;
}

/** The remainder of a long digit string by 97, seven digits at a time after the running rest (ISO 7064 piecewise, always a safe integer). */
export function mod97(digits: string): number {
  let rest = 0;
  for (let i = 0; i < digits.length; i += 7) rest = Number(String(rest) + digits.slice(i, i + 7)) % 97;
  return rest;
}

/** The two check digits of a national id in a country: 98 − (id + country + '00' mod 97). */
export function creditorIdCheckDigits(country: string, nationalId: string): string {
  return String(98 - mod97(toDigits(`${nationalId}${country}00`))).padStart(2, '0');
}

const invalid = (value: string, es: string, en: string): SepaError =>
  sepaError([{ code: 'SEPA_INVALID_CREDITOR_ID', path: 'creditorId', message: `Identificador de acreedor ${es} / creditor identifier ${en}: '${value}'` }]);

/** Builds the identifier for a country and national id (for Spain the national id must be a NIF). */
export function creditorId(country: string, nationalId: string, businessCode = '000'): Result<string, SepaError> {
  const c = country.toUpperCase();
  const n = nationalId.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
  const b = businessCode.toUpperCase();
  if (!/^[A-Z]{2}$/.test(c) || !/^[A-Z0-9]{3}$/.test(b) || !/^[A-Z0-9]{1,28}$/.test(n)) {
    return err(invalid(`${country} ${businessCode} ${nationalId}`, 'mal formado (país, sufijo, identificación)', 'malformed (country, business code, national id)'));
  }
  // Through the validator, so a Spanish one made from something that is not a NIF is refused too.
  const made = validateCreditorId(`${c}${creditorIdCheckDigits(c, n)}${b}${n}`);
  return made.ok ? ok(made.value.id) : err(made.error);
}

/** A Spanish creditor identifier from the company's NIF (validated first). */
export function spanishCreditorId(nif: string, businessCode = '000'): Result<string, SepaError> {
  const v = validateNif(nif);
  if (!v.ok) return err(sepaError([{ code: 'SEPA_INVALID_NIF', path: 'nif', message: `NIF no válido / invalid NIF: '${nif}'` }]));
  return creditorId('ES', v.value.nif, businessCode);
}

/** Checks shape and check digits (and, for Spain, that the national id is a valid 9-character NIF). */
export function validateCreditorId(text: string): Result<CreditorIdParts, SepaError> {
  const id = text.replace(/\s/g, '').toUpperCase();
  const m = SHAPE.exec(id);
  if (!m || id.length > 35) return err(invalid(text, 'mal formado', 'malformed'));
  const [, country, checkDigits, businessCode, nationalId] = m as unknown as [string, string, string, string, string];
  if (country === 'ES' && (nationalId.length !== 9 || !validateNif(normalizeNif(nationalId)).ok)) {
    return err(invalid(text, 'con un NIF no válido', 'with an invalid NIF'));
  }
  if (creditorIdCheckDigits(country, nationalId) !== checkDigits) return err(invalid(text, 'con dígitos de control incorrectos', 'with wrong check digits'));
  return ok({ id, country, checkDigits, businessCode, nationalId });
}
