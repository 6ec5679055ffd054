import { domainError, err, ok, type DomainError, type Result } from './result';

/**
 * Spanish tax ids (NIF): DNI (8 digits + letter), NIE (X/Y/Z + 7 digits + letter) and company NIF
 * (formerly CIF: letter + 7 digits + control digit or letter). A full invoice needs a valid one.
 */
export type NifKind = 'dni' | 'nie' | 'company';
export type NifError = DomainError<'NIF_MALFORMED' | 'NIF_CONTROL'>;

const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';
const COMPANY_CONTROL_LETTERS = 'JABCDEFGHI';

export function normalizeNif(text: string): string {
  return text.replace(/[\s.-]/g, '').toUpperCase();
}

/** The company-NIF control value (0–9) of the seven digits, per the AEAT algorithm. */
export function companyNifControl(sevenDigits: string): number {
  let sum = 0;
  for (let i = 0; i < 7; i++) {
    const d = sevenDigits.charCodeAt(i) - 48;
    if (i % 2 === 0) {
      const doubled = d * 2;
      sum += Math.floor(doubled / 10) + (doubled % 10);
    } else sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export function validateNif(text: string): Result<{ nif: string; kind: NifKind }, NifError> {
  const nif = normalizeNif(text);
  let m = /^(\d{8})([A-Z])$/.exec(nif);
  if (m) {
    const expected = DNI_LETTERS[Number(m[1]) % 23];
    return expected === m[2] ? ok({ nif, kind: 'dni' }) : err(domainError('NIF_CONTROL', `NIF ${nif}: la letra de control debería ser ${expected}`));
  }
  m = /^([XYZ])(\d{7})([A-Z])$/.exec(nif);
  if (m) {
    const n = Number(String('XYZ'.indexOf(m[1]!)) + m[2]);
    const expected = DNI_LETTERS[n % 23];
    return expected === m[3] ? ok({ nif, kind: 'nie' }) : err(domainError('NIF_CONTROL', `NIE ${nif}: la letra de control debería ser ${expected}`));
  }
  m = /^([ABCDEFGHJNPQRSUVW])(\d{7})([0-9A-J])$/.exec(nif);
  if (m) {
    const c = companyNifControl(m[2]!);
    const given = m[3]!;
    const letterOnly = 'PQRSNW'.includes(m[1]!);
    const digitOnly = 'ABEH'.includes(m[1]!);
    const valid =
      (!letterOnly && given === String(c)) || (!digitOnly && given === COMPANY_CONTROL_LETTERS[c]);
    return valid ? ok({ nif, kind: 'company' }) : err(domainError('NIF_CONTROL', `NIF ${nif}: el carácter de control no es válido`));
  }
  return err(domainError('NIF_MALFORMED', `"${text}" no tiene forma de NIF, NIE ni NIF de empresa`));
}
