/**
 * The one error shape of the SEPA cores: a stable code for the caller and a bilingual message for the user
 * ('IBAN no válido / invalid IBAN'). Validators collect every problem of an input (each with the path of its
 * field) so a form can show them all at once; the error's code and message are those of the first.
 */
import { domainError, err, type DomainError, type Err } from '@tpv/shared/result';

export type SepaErrorCode =
  | 'SEPA_INVALID_IBAN'
  | 'SEPA_NOT_SEPA_COUNTRY'
  | 'SEPA_INVALID_BIC'
  | 'SEPA_INVALID_REFERENCE'
  | 'SEPA_INVALID_TEXT'
  | 'SEPA_INVALID_DATE'
  | 'SEPA_SIGNATURE_IN_FUTURE'
  | 'SEPA_INVALID_SCHEME'
  | 'SEPA_INVALID_SEQUENCE'
  | 'SEPA_MANDATE_USED'
  | 'SEPA_MANDATE_EXPIRED'
  | 'SEPA_INVALID_CREDITOR_ID'
  | 'SEPA_INVALID_NIF'
  | 'SEPA_INVALID_AMOUNT'
  | 'SEPA_EMPTY_REMITTANCE'
  | 'SEPA_DUPLICATE_END_TO_END_ID'
  | 'SEPA_NO_ITEMS'
  | 'SEPA_TOO_MANY_GROUPS'
  | 'SEPA_INVALID_RETURN';

export interface SepaProblem {
  code: SepaErrorCode;
  /** Dotted path of the offending field: `items.3.debtorIban`. */
  path: string;
  message: string;
}

export type SepaError = DomainError<SepaErrorCode>;

/** The problems as one error (never called with an empty list). */
export function sepaError(problems: readonly SepaProblem[]): SepaError {
  const first = problems[0]!;
  const message = problems.length === 1 ? first.message : `${problems.length} errores / errors: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`;
  return domainError(first.code, message, { errors: problems.map((p) => ({ code: p.code, path: p.path, message: p.message })) });
}

export const refuse = (problems: readonly SepaProblem[]): Err<SepaError> => err(sepaError(problems));

/** The problems an error carries (one for an error made elsewhere). */
export function problemsOf(error: SepaError): SepaProblem[] {
  const list = (error.details as { errors?: SepaProblem[] } | undefined)?.errors;
  return list ?? [{ code: error.code, path: '', message: error.message }];
}
