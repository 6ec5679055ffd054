/**
 * One bank account statement, whatever file it came from (AEB Norma 43 or ISO 20022 camt.053): the shape both
 * parsers return and the matcher reads. Amounts are integer cents, signed from the account holder's side
 * (credit/ingreso > 0, debit/cargo < 0); dates are ISO `YYYY-MM-DD`.
 */
import { composeIBAN, extractIBAN, isValidIBAN } from 'ibantools';
import type { Cents } from '@tpv/shared/money';
import { sha256HexUpper } from '@tpv/shared/fiscal/sha256';

/**
 * The account a statement belongs to. Spanish accounts are named as in Norma 43 (entidad, oficina, número:
 * the CCC without its two control digits); `iban` is set only for a foreign account, which has no CCC.
 */
export interface BankAccountRef {
  /** Entidad, 4 digits ('' for a foreign account). */
  bank: string;
  /** Oficina, 4 digits ('' for a foreign account). */
  office: string;
  /** Número de cuenta, 10 digits ('' for a foreign account). */
  number: string;
  /** ISO 4217 alphabetic code ('EUR'). */
  currency: string;
  /** Electronic IBAN, only for a non-Spanish account. */
  iban?: string;
}

/** Norma 43 record 24: the movement's amount in its original currency. */
export interface CurrencyEquivalence {
  currency: string;
  /** Always ≥ 0: the sign is the movement's. */
  amountCents: Cents;
}

export interface BankMovement {
  /** Fecha de operación (booking date). */
  operationDate: string;
  /** Fecha valor. */
  valueDate: string;
  /** AEB common concept, 2 digits ('02' cobros/abonos, '03' recibos, '12' comisiones…; '99' varios). */
  commonConcept: string;
  /** The bank's own concept, 3 digits. */
  ownConcept: string;
  /** Signed: > 0 credit to the account (haber), < 0 debit (debe); 0 is possible (informative entries). */
  amountCents: Cents;
  /** Número de documento, 10 characters as sent. */
  document: string;
  /** Referencia 1 (12 characters, trimmed). */
  reference1: string;
  /** Referencia 2 (16 characters, trimmed). */
  reference2: string;
  /** Free concept lines (Norma 43 records 23, camt RmtInf/Ustrd), trimmed, empty ones left out. */
  concepts: string[];
  /** Present only when the bank sent the original-currency amount. */
  equivalence?: CurrencyEquivalence;
}

export interface EntryTotals {
  count: number;
  /** Sum of the absolute amounts (≥ 0). */
  totalCents: Cents;
}

export interface BankStatement {
  account: BankAccountRef;
  /** First and last day the statement covers. */
  from: string;
  to: string;
  /** Signed: negative when the account was overdrawn. */
  openingBalanceCents: Cents;
  closingBalanceCents: Cents;
  debits: EntryTotals;
  credits: EntryTotals;
  movements: BankMovement[];
}

/** Bilingual error for a statement a user uploaded; `line` is 1-based when the format has lines. */
export class BankStatementError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(line === undefined ? message : `Línea ${line} / line ${line}: ${message}`);
    this.name = 'BankStatementError';
  }
}

// ---------------------------------------------------------------------------------------------------------
// Totals and balance checks shared by both parsers
// ---------------------------------------------------------------------------------------------------------

/** Counts and sums of the debit (< 0) and credit (≥ 0) movements. */
export function totalsOf(movements: readonly BankMovement[]): { debits: EntryTotals; credits: EntryTotals } {
  const debits = { count: 0, totalCents: 0 };
  const credits = { count: 0, totalCents: 0 };
  for (const m of movements) {
    if (m.amountCents < 0) {
      debits.count += 1;
      debits.totalCents -= m.amountCents;
    } else {
      credits.count += 1;
      credits.totalCents += m.amountCents;
    }
  }
  return { debits, credits };
}

// ---------------------------------------------------------------------------------------------------------
// Spanish account numbers
// ---------------------------------------------------------------------------------------------------------

const CCC_WEIGHTS = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6];

/** One CCC control digit over 10 digits (mod 11 with the AEB weights; 10 → 1, 11 → 0). */
function cccDigit(tenDigits: string): number {
  let sum = 0;
  for (let i = 0; i < 10; i += 1) sum += Number(tenDigits[i]) * CCC_WEIGHTS[i]!;
  const d = 11 - (sum % 11);
  return d === 11 ? 0 : d === 10 ? 1 : d;
}

/** The two control digits (DC) of a CCC: the first over '00' + bank + office, the second over the number. */
export function cccControlDigits(bank: string, office: string, number: string): string {
  if (!/^\d{4}$/.test(bank) || !/^\d{4}$/.test(office) || !/^\d{10}$/.test(number)) {
    throw new BankStatementError('cuenta no válida (entidad 4, oficina 4, número 10 dígitos) / invalid account');
  }
  return `${cccDigit(`00${bank}${office}`)}${cccDigit(number)}`;
}

/** IBAN of an account: the foreign one as given, or ES + check digits + the CCC with its control digits. */
export function ibanOf(account: BankAccountRef): string {
  if (account.iban !== undefined) return account.iban;
  const dc = cccControlDigits(account.bank, account.office, account.number);
  const iban = composeIBAN({ countryCode: 'ES', bban: `${account.bank}${account.office}${dc}${account.number}` });
  if (iban === null) throw new BankStatementError('IBAN no válido / invalid IBAN');
  return iban;
}

/** Account reference from an IBAN: a Spanish one as its CCC parts (checking the DC), any other kept whole. */
export function accountFromIban(iban: string, currency: string): BankAccountRef {
  const electronic = iban.replace(/\s+/g, '').toUpperCase();
  if (!isValidIBAN(electronic)) throw new BankStatementError(`IBAN no válido / invalid IBAN: ${iban}`);
  const { countryCode, bban } = extractIBAN(electronic);
  if (countryCode !== 'ES' || bban === undefined) return { bank: '', office: '', number: '', currency, iban: electronic };
  const bank = bban.slice(0, 4);
  const office = bban.slice(4, 8);
  const number = bban.slice(10, 20);
  if (cccControlDigits(bank, office, number) !== bban.slice(8, 10)) {
    throw new BankStatementError(`dígitos de control de la cuenta no válidos / invalid account control digits: ${iban}`);
  }
  return { bank, office, number, currency };
}

// ---------------------------------------------------------------------------------------------------------
// Currencies: Norma 43 writes ISO 4217 numeric codes, camt the alphabetic ones
// ---------------------------------------------------------------------------------------------------------

const CURRENCY_BY_NUMERIC: Readonly<Record<string, string>> = {
  '978': 'EUR',
  '840': 'USD',
  '826': 'GBP',
  '756': 'CHF',
  '392': 'JPY',
  '752': 'SEK',
  '578': 'NOK',
  '208': 'DKK',
  '985': 'PLN',
  '203': 'CZK',
  '348': 'HUF',
  '946': 'RON',
  '124': 'CAD',
  '036': 'AUD',
  '484': 'MXN',
  '156': 'CNY',
  '504': 'MAD',
};

/** Alphabetic code of an ISO 4217 numeric code, or undefined for one not in the table. */
export function currencyFromNumeric(code: string): string | undefined {
  return CURRENCY_BY_NUMERIC[code];
}

// ---------------------------------------------------------------------------------------------------------
// Identity of a movement, to refuse importing the same movement twice
// ---------------------------------------------------------------------------------------------------------

function accountId(account: BankAccountRef): string {
  return account.iban ?? `${account.bank}${account.office}${account.number}`;
}

/**
 * Stable key of one movement: SHA-256 (hex) of account, currency, dates, amount, concepts codes, document,
 * references and `occurrence` — the index of this movement among the identical ones before it in the same
 * statement (0 for the first). Two equal card fees on one day get keys …0 and …1; the same movement seen again
 * in an overlapping statement (a daily file, then the month's) gets the same key. The free concept text is
 * left out on purpose: banks reword it between the daily and the monthly file.
 */
export function movementKey(account: BankAccountRef, movement: BankMovement, occurrence: number): string {
  return sha256HexUpper(`${movementIdentity(account, movement)}|${occurrence}`).toLowerCase();
}

function movementIdentity(account: BankAccountRef, m: BankMovement): string {
  return [
    accountId(account),
    account.currency,
    m.operationDate,
    m.valueDate,
    String(m.amountCents),
    m.commonConcept,
    m.ownConcept,
    m.document,
    m.reference1,
    m.reference2,
  ].join('|');
}

/** The keys of every movement of a statement, in order (occurrences counted as in movementKey). */
export function movementKeys(statement: BankStatement): string[] {
  const seen = new Map<string, number>();
  return statement.movements.map((m) => {
    const identity = movementIdentity(statement.account, m);
    const occurrence = seen.get(identity) ?? 0;
    seen.set(identity, occurrence + 1);
    return movementKey(statement.account, m, occurrence);
  });
}

/** Key of a whole statement (account, period, balances): the same file imported twice has the same key. */
export function statementKey(statement: BankStatement): string {
  const s = statement;
  return sha256HexUpper(
    [accountId(s.account), s.account.currency, s.from, s.to, s.openingBalanceCents, s.closingBalanceCents].join('|'),
  ).toLowerCase();
}
