/**
 * Returned direct debits (R-transactions: rejects before settlement, returns by the debtor's bank, refunds
 * the debtor asks for) as the bank reports them, with the ISO 20022 reason codes the EPC guidance lists for
 * SEPA direct debits. A return reopens its item; whether the bank's fee is recharged to the debtor is the
 * contract's call, made by the caller. `mayRepresent` says whether collecting again makes sense without
 * talking to the debtor first (only for lack of funds).
 */
import { isCents, type Cents } from '@tpv/shared/money';
import { ok, type Result } from '@tpv/shared/result';
import { identifierProblem, isIsoDate } from './charset';
import { refuse, type SepaError, type SepaProblem } from './errors';

export interface DebitReturn {
  endToEndId: string;
  /** ISO 20022 ExternalReturnReason1Code: AM04, MD01, MS02, AC04… */
  reasonCode: string;
  /** The amount taken back (the whole collection in SEPA: no partial returns). */
  amountCents: Cents;
  returnedOn: string;
  /** What the bank charged the creditor for the return (0 when nothing). */
  bankFeeCents: Cents;
}

export interface ReturnReason {
  code: string;
  es: string;
  en: string;
  /** True only where presenting the collection again may succeed without the debtor's say (AM04). */
  mayRepresent: boolean;
  /** True when the mandate should not be used again until checked (no mandate, closed account…). */
  mandateSuspect: boolean;
}

const r = (code: string, es: string, en: string, mayRepresent = false, mandateSuspect = false): ReturnReason => ({ code, es, en, mayRepresent, mandateSuspect });

/** EPC "Guidance on reason codes for SDD R-transactions" (EPC173-14), the codes Spanish banks report. */
export const RETURN_REASONS: ReadonlyMap<string, ReturnReason> = new Map(
  [
    r('AC01', 'Número de cuenta incorrecto', 'Account identifier incorrect (invalid IBAN)', false, true),
    r('AC04', 'Cuenta cancelada', 'Account closed', false, true),
    r('AC06', 'Cuenta bloqueada o bloqueada para adeudos por el deudor', 'Account blocked, or blocked for direct debits by the debtor', false, true),
    r('AC13', 'La cuenta del deudor es de consumidor (no admite B2B)', "Debtor account is a consumer account (B2B not allowed)", false, true),
    r('AG01', 'Operación no permitida en esta cuenta', 'Transaction forbidden on this type of account', false, true),
    r('AG02', 'Código de operación no válido o formato incorrecto', 'Operation code invalid or file format incorrect'),
    r('AM04', 'Saldo insuficiente', 'Insufficient funds', true),
    r('AM05', 'Cobro duplicado', 'Duplicate collection'),
    r('BE05', 'Identificador del acreedor incorrecto', 'Creditor identifier incorrect', false, true),
    r('CNOR', 'La entidad del acreedor no está en el esquema', "Creditor's bank is not registered in the scheme"),
    r('DNOR', 'La entidad del deudor no está en el esquema', "Debtor's bank is not registered in the scheme", false, true),
    r('FF01', 'Formato de fichero no válido', 'Invalid file format'),
    r('MD01', 'Sin mandato o mandato no válido (operación no autorizada)', 'No mandate or invalid mandate (unauthorised transaction)', false, true),
    r('MD02', 'Faltan datos obligatorios del mandato o son incorrectos', 'Mandatory mandate information missing or incorrect', false, true),
    r('MD06', 'Devolución solicitada por el deudor', 'Refund requested by the debtor (disputed authorised transaction)'),
    r('MD07', 'Deudor fallecido', 'Debtor deceased', false, true),
    r('MS02', 'Rechazado por el deudor sin motivo especificado', 'Refused by the debtor, reason not specified'),
    r('MS03', 'Rechazado por la entidad sin motivo especificado', "Refused by the debtor's bank, reason not specified"),
    r('RC01', 'BIC incorrecto', 'Bank identifier (BIC) incorrect'),
    r('RR01', 'Falta la cuenta o identificación del deudor (motivos regulatorios)', "Debtor's account or identification missing (regulatory)"),
    r('RR02', 'Falta el nombre o la dirección del deudor (motivos regulatorios)', "Debtor's name or address missing (regulatory)"),
    r('RR03', 'Falta el nombre o la dirección del acreedor (motivos regulatorios)', "Creditor's name or address missing (regulatory)"),
    r('RR04', 'Motivos regulatorios', 'Regulatory reason'),
    r('SL01', 'Servicio específico de la entidad del deudor (filtro de adeudos)', "Specific service of the debtor's bank (direct-debit filter)"),
  ].map((reason) => [reason.code, reason]),
);

/** The reason in both languages; an unknown code is described as such, never thrown on (banks add codes). */
export function describeReturnReason(code: string): ReturnReason {
  const key = code.trim().toUpperCase();
  return RETURN_REASONS.get(key) ?? r(key, `Motivo de devolución desconocido (${key})`, `Unknown return reason (${key})`);
}

/** A return as read from the bank: every problem, or the return with its reason code upper-cased. */
export function validateDebitReturn(ret: DebitReturn): Result<DebitReturn, SepaError> {
  const problems: SepaProblem[] = [];
  const e2e = identifierProblem(ret.endToEndId, 'endToEndId', { es: 'Referencia de extremo a extremo', en: 'end-to-end id' });
  if (e2e) problems.push(e2e);
  const code = ret.reasonCode.trim().toUpperCase();
  if (!/^[A-Z0-9]{4}$/.test(code)) {
    problems.push({ code: 'SEPA_INVALID_RETURN', path: 'reasonCode', message: `Código de motivo no válido (4 caracteres) / invalid reason code (4 characters): '${ret.reasonCode}'` });
  }
  if (!isCents(ret.amountCents) || ret.amountCents <= 0) {
    problems.push({ code: 'SEPA_INVALID_AMOUNT', path: 'amountCents', message: `Importe devuelto no válido / invalid returned amount: ${String(ret.amountCents)}` });
  }
  if (!isCents(ret.bankFeeCents) || ret.bankFeeCents < 0) {
    problems.push({ code: 'SEPA_INVALID_AMOUNT', path: 'bankFeeCents', message: `Comisión no válida / invalid bank fee: ${String(ret.bankFeeCents)}` });
  }
  if (!isIsoDate(ret.returnedOn)) {
    problems.push({ code: 'SEPA_INVALID_DATE', path: 'returnedOn', message: `Fecha de devolución no válida / invalid return date: '${ret.returnedOn}'` });
  }
  if (problems.length > 0) return refuse(problems);
  return ok({ ...ret, reasonCode: code });
}

/**
 * What the debtor owes again after a return: the returned amount, plus the bank's fee when the contract
 * lets the creditor recharge it.
 */
export function amountReopened(ret: DebitReturn, rechargeFee: boolean): Cents {
  return ret.amountCents + (rechargeFee ? ret.bankFeeCents : 0);
}
