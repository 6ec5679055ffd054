/**
 * What the two SEPA files (pain.008 direct debits, pain.001 transfers) share: the company that collects or
 * pays, the header and per-item checks (amount, unique end-to-end id, remittance text), the grouping of items
 * into payment-information blocks, and the summary of each block the reconciliation later matches against.
 */
import { isCents, type Cents } from '@tpv/shared/money';
import { normalizeNif } from '@tpv/shared/nif';
import { checkBic, checkIban, identifierProblem, isIsoDate, toSepaText } from './charset';
import { validateCreditorId } from './creditor-id';
import type { SepaProblem } from './errors';
import type { SepaScheme, SequenceType } from './mandate';

/** The largest amount of one SEPA transaction: 999,999,999.99 € (EPC rulebooks). */
export const MAX_SEPA_AMOUNT_CENTS: Cents = 99_999_999_999;
/** Written where a BIC is not given (IBAN-only, allowed inside SEPA since 2016). */
export const NOT_PROVIDED = 'NOTPROVIDED';

/** The company that collects (or, for pain.001, pays). */
export interface SepaCompany {
  name: string;
  nif: string;
  iban: string;
  bic?: string | null;
  /** AT-02; required for direct debits, ignored by transfers. */
  creditorId?: string | null;
}

/** One PmtInf as written: what the reconciliation matches the bank's single booking against. */
export interface PaymentInfoSummary {
  id: string;
  scheme?: SepaScheme;
  sequence?: SequenceType;
  /** Requested collection date (pain.008) or execution date (pain.001). */
  date: string;
  numberOfTransactions: number;
  controlSumCents: Cents;
  endToEndIds: string[];
}

export interface SepaDocument {
  xml: string;
  messageId: string;
  numberOfTransactions: number;
  controlSumCents: Cents;
  paymentInfos: PaymentInfoSummary[];
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})?$/;
/** PmtInfId = MsgId cut to 31 + '-' + three digits, so at most 999 blocks. */
export const MAX_GROUPS = 999;

/** Problems of the header fields both documents share. */
export function headerProblems(messageId: string, createdAt: string, itemCount: number): SepaProblem[] {
  const problems: SepaProblem[] = [];
  const id = identifierProblem(messageId, 'messageId', { es: 'Identificador del mensaje', en: 'message id' });
  if (id) problems.push(id);
  if (!DATE_TIME.test(createdAt) || !isIsoDate(createdAt.slice(0, 10))) {
    problems.push({ code: 'SEPA_INVALID_DATE', path: 'createdAt', message: `Fecha de creación no válida / invalid creation date-time: '${createdAt}'` });
  }
  if (itemCount === 0) problems.push({ code: 'SEPA_NO_ITEMS', path: 'items', message: 'La remesa no tiene cobros ni pagos / the file has no transactions' });
  return problems;
}

/** Problems of one item's common fields: amount, end-to-end id (unique in the file), remittance text. */
export function itemProblems(
  item: { endToEndId: string; amountCents: Cents; remittanceInfo: string },
  path: string,
  seen: Set<string>,
): SepaProblem[] {
  const problems: SepaProblem[] = [];
  const e2e = identifierProblem(item.endToEndId, `${path}.endToEndId`, { es: 'Referencia de extremo a extremo', en: 'end-to-end id' });
  if (e2e) problems.push(e2e);
  else if (seen.has(item.endToEndId)) {
    problems.push({ code: 'SEPA_DUPLICATE_END_TO_END_ID', path: `${path}.endToEndId`, message: `Referencia de extremo a extremo repetida / duplicate end-to-end id: '${item.endToEndId}'` });
  }
  seen.add(item.endToEndId);
  if (!isCents(item.amountCents) || item.amountCents <= 0 || item.amountCents > MAX_SEPA_AMOUNT_CENTS) {
    problems.push({
      code: 'SEPA_INVALID_AMOUNT',
      path: `${path}.amountCents`,
      message: `Importe no válido (entre 0,01 y 999.999.999,99 €) / invalid amount (0.01 to 999,999,999.99 €): ${String(item.amountCents)}`,
    });
  }
  if (toSepaText(item.remittanceInfo) === '') {
    problems.push({ code: 'SEPA_EMPTY_REMITTANCE', path: `${path}.remittanceInfo`, message: 'Concepto vacío / empty remittance information' });
  }
  return problems;
}

/** Items grouped by a sortable key, groups in key order, input order kept inside a group. */
export function groupItems<T>(items: readonly T[], keyOf: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, list]) => list);
}

export const paymentInfoId = (messageId: string, n: number): string => `${messageId.slice(0, 31)}-${String(n).padStart(3, '0')}`;

/** Creditor (or debtor, for transfers) company problems and its normalised account. */
export function companyProblems(company: SepaCompany, path: string, needsCreditorId: boolean): { problems: SepaProblem[]; iban: string; bic: string | null; creditorId: string } {
  const problems: SepaProblem[] = [];
  if (toSepaText(company.name, 70) === '') problems.push({ code: 'SEPA_INVALID_TEXT', path: `${path}.name`, message: 'Falta el nombre de la empresa / company name missing' });
  const iban = checkIban(company.iban, `${path}.iban`);
  if ('problem' in iban) problems.push(iban.problem);
  const bic = checkBic(company.bic, `${path}.bic`);
  if ('problem' in bic) problems.push(bic.problem);
  let creditorId = '';
  if (needsCreditorId) {
    const c = validateCreditorId(company.creditorId ?? '');
    if (!c.ok) problems.push({ code: 'SEPA_INVALID_CREDITOR_ID', path: `${path}.creditorId`, message: c.error.message });
    else if (c.value.country === 'ES' && c.value.nationalId !== normalizeNif(company.nif)) {
      // A Spanish AT-02 is made from its holder's NIF: another company's id in our files would be refused.
      problems.push({
        code: 'SEPA_INVALID_CREDITOR_ID',
        path: `${path}.creditorId`,
        message: `El identificador de acreedor ${c.value.id} no corresponde al NIF ${company.nif} / creditor identifier ${c.value.id} does not match NIF ${company.nif}`,
      });
    } else creditorId = c.value.id;
  }
  return { problems, iban: 'iban' in iban ? iban.iban : '', bic: 'bic' in bic ? bic.bic : null, creditorId };
}

