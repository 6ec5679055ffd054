/**
 * Veri*Factu billing records (registros de facturación) and their hash chain.
 *
 * A chain belongs to one issuer NIF on one installation (each terminal is one; the back office is another).
 * Altas and anulaciones share the chain: each record carries the previous record's huella ('' for the first)
 * and its own huella computed over the AEAT field list (see ./huella). Grouping records per
 * (installation, issuerNif) before calling `verifyChain` is the caller's job.
 */
import { domainError, err, ok, type DomainError, type Result } from '../result';
import { DEFAULT_FISCAL_TIME_ZONE, fiscalDateTime, isFiscalDate } from './datetime';
import { altaHuellaInput, anulacionHuellaInput, huellaOf, isHuella } from './huella';

export type FiscalRecordKind = 'alta' | 'anulacion';
/**
 * TipoFactura: F1 full invoice, F2 simplified (ticket), F3 full invoice replacing simplified ones,
 * R1–R4 credit notes of full invoices (by cause, see invoicing/documents.ts), R5 credit note of a simplified one.
 */
export type InvoiceType = 'F1' | 'F2' | 'F3' | 'R1' | 'R2' | 'R3' | 'R4' | 'R5';
export const INVOICE_TYPES: readonly InvoiceType[] = ['F1', 'F2', 'F3', 'R1', 'R2', 'R3', 'R4', 'R5'];
export const isRectificativa = (t: InvoiceType | undefined): boolean => t !== undefined && t.startsWith('R');
/** An invoice a record refers to (rectified or substituted). */
export type InvoiceRef = { invoiceNumber: string; issueDate: string };

export type FiscalRecord = {
  kind: 'alta' | 'anulacion';
  installation: string;
  issuerNif: string;
  invoiceNumber: string;
  /** dd-mm-yyyy */
  issueDate: string;
  /** alta only */
  invoiceType?: InvoiceType;
  /** alta only, AEAT amount format, e.g. "12.35" */
  taxTotal?: string;
  /** alta only, AEAT amount format, e.g. "123.45" */
  grandTotal?: string;
  /** '' for the first record of the chain */
  previousHash: string;
  /** ISO with offset, e.g. 2024-01-01T19:20:30+01:00 */
  generatedAt: string;
  hash: string;
  /** R1–R5 only: the invoice being rectified */
  rectified?: InvoiceRef;
  /** R1–R4: TipoRectificativa, S (substitution) or I (difference); not part of the huella. */
  rectificationMethod?: 'S' | 'I';
  /** F3 only: the simplified invoices this one replaces (FacturasSustituidas); not part of the huella. */
  substituted?: InvoiceRef[];
};

/** Simplified invoices (F2) are allowed up to 3,000 € VAT included (RD 1619/2012 art. 4); 400 € in some sectors. */
export const DEFAULT_SIMPLIFIED_INVOICE_LIMIT_CENTS = 3000_00;

export type FiscalRecordErrorCode =
  | 'SIMPLIFIED_INVOICE_OVER_LIMIT'
  | 'FISCAL_AMOUNT_INVALID'
  | 'FISCAL_NIF_INVALID'
  | 'FISCAL_INVOICE_NUMBER_INVALID'
  | 'FISCAL_INSTALLATION_INVALID'
  | 'FISCAL_DATE_INVALID'
  | 'FISCAL_PREVIOUS_HASH_INVALID'
  | 'FISCAL_RECTIFIED_REQUIRED'
  | 'FISCAL_RECTIFIED_NOT_ALLOWED'
  | 'FISCAL_SUBSTITUTED_REQUIRED'
  | 'FISCAL_SUBSTITUTED_NOT_ALLOWED';

export type FiscalRecordError = DomainError<FiscalRecordErrorCode>;

/**
 * AEAT decimal format from integer cents: always two decimals, '.' separator, '-' for negatives (credit
 * notes). 12345 → "123.45", -5 → "-0.05", 0 → "0.00". Throws on a non-integer (a bug, never user input).
 */
export function formatAeatAmount(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`formatAeatAmount: not an integer number of cents: ${cents}`);
  const abs = Math.abs(cents);
  const units = Math.floor(abs / 100);
  const fraction = String(abs % 100).padStart(2, '0');
  return `${cents < 0 ? '-' : ''}${units}.${fraction}`;
}

export interface AltaInput {
  installation: string;
  issuerNif: string;
  invoiceNumber: string;
  invoiceType: InvoiceType;
  /** CuotaTotal: total tax (IVA + recargo) in cents. */
  taxCents: number;
  /** ImporteTotal: grand total, tax included, in cents. */
  totalCents: number;
  /** When the record is generated (epoch ms, from the injected clock). */
  generatedAtMs: number;
  /** IANA zone of the installation; Europe/Madrid by default (Atlantic/Canary for the Canaries). */
  timeZone?: string;
  /** dd-mm-yyyy; defaults to the local date of generatedAtMs. */
  issueDate?: string;
  /** Required for R1–R5, forbidden otherwise. */
  rectified?: InvoiceRef;
  /** R1–R4: S or I (default I). */
  rectificationMethod?: 'S' | 'I';
  /** Required for F3, forbidden otherwise. */
  substituted?: InvoiceRef[];
  /** F2 ceiling in cents (default 3000_00). */
  simplifiedLimitCents?: number;
}

export interface AnulacionInput {
  installation: string;
  issuerNif: string;
  /** The cancelled invoice's number and issue date (dd-mm-yyyy). */
  invoiceNumber: string;
  issueDate: string;
  generatedAtMs: number;
  timeZone?: string;
}

const NIF_RE = /^[0-9A-Z]{9}$/;

function checkCommon(
  installation: string,
  issuerNif: string,
  invoiceNumber: string,
  previous: { hash: string } | null,
): FiscalRecordError | null {
  if (installation.trim() === '') return domainError('FISCAL_INSTALLATION_INVALID', 'installation must not be empty');
  if (!NIF_RE.test(issuerNif.trim())) {
    return domainError('FISCAL_NIF_INVALID', 'issuer NIF must be 9 uppercase letters/digits', { issuerNif });
  }
  const number = invoiceNumber.trim();
  if (number === '' || number.length > 60) {
    return domainError('FISCAL_INVOICE_NUMBER_INVALID', 'invoice number must have 1 to 60 characters', { invoiceNumber });
  }
  if (previous !== null && !isHuella(previous.hash)) {
    return domainError('FISCAL_PREVIOUS_HASH_INVALID', 'previous hash must be 64 uppercase hex digits', { previousHash: previous.hash });
  }
  return null;
}

/** Builds a registro de alta chained after `previous` (null for the first record of the installation). */
export function createAlta(input: AltaInput, previous: { hash: string } | null): Result<FiscalRecord, FiscalRecordError> {
  const common = checkCommon(input.installation, input.issuerNif, input.invoiceNumber, previous);
  if (common !== null) return err(common);
  if (!Number.isSafeInteger(input.taxCents) || !Number.isSafeInteger(input.totalCents)) {
    return err(domainError('FISCAL_AMOUNT_INVALID', 'amounts must be integer cents', { taxCents: input.taxCents, totalCents: input.totalCents }));
  }
  if (input.invoiceType === 'F2') {
    const limit = input.simplifiedLimitCents ?? DEFAULT_SIMPLIFIED_INVOICE_LIMIT_CENTS;
    if (input.totalCents > limit) {
      return err(
        domainError('SIMPLIFIED_INVOICE_OVER_LIMIT', `a simplified invoice may not exceed ${formatAeatAmount(limit)} EUR`, {
          totalCents: input.totalCents,
          limitCents: limit,
        }),
      );
    }
  }
  let rectified: FiscalRecord['rectified'];
  if (isRectificativa(input.invoiceType)) {
    if (input.rectified === undefined) {
      return err(domainError('FISCAL_RECTIFIED_REQUIRED', `an ${input.invoiceType} credit note must name the invoice it rectifies`));
    }
    const number = input.rectified.invoiceNumber.trim();
    if (number === '' || number.length > 60) {
      return err(domainError('FISCAL_INVOICE_NUMBER_INVALID', 'rectified invoice number must have 1 to 60 characters', { rectified: input.rectified }));
    }
    if (!isFiscalDate(input.rectified.issueDate)) {
      return err(domainError('FISCAL_DATE_INVALID', 'rectified issue date must be dd-mm-yyyy', { rectified: input.rectified }));
    }
    rectified = { invoiceNumber: number, issueDate: input.rectified.issueDate };
  } else if (input.rectified !== undefined) {
    return err(domainError('FISCAL_RECTIFIED_NOT_ALLOWED', `only R1–R5 records rectify an invoice, not ${input.invoiceType}`));
  }
  if (input.invoiceType === 'F3') {
    if (input.substituted === undefined || input.substituted.length === 0) {
      return err(domainError('FISCAL_SUBSTITUTED_REQUIRED', 'an F3 invoice must name the simplified invoices it replaces'));
    }
    for (const ref of input.substituted) {
      if (ref.invoiceNumber.trim() === '' || ref.invoiceNumber.length > 60 || !isFiscalDate(ref.issueDate)) {
        return err(domainError('FISCAL_INVOICE_NUMBER_INVALID', 'each replaced invoice needs a number and a dd-mm-yyyy date', { substituted: ref }));
      }
    }
  } else if (input.substituted !== undefined) {
    return err(domainError('FISCAL_SUBSTITUTED_NOT_ALLOWED', `only F3 records replace simplified invoices, not ${input.invoiceType}`));
  }
  const when = fiscalDateTime(input.generatedAtMs, input.timeZone ?? DEFAULT_FISCAL_TIME_ZONE);
  const issueDate = input.issueDate ?? when.date;
  if (!isFiscalDate(issueDate)) return err(domainError('FISCAL_DATE_INVALID', 'issue date must be dd-mm-yyyy', { issueDate }));

  const record: FiscalRecord = {
    kind: 'alta',
    installation: input.installation.trim(),
    issuerNif: input.issuerNif.trim(),
    invoiceNumber: input.invoiceNumber.trim(),
    issueDate,
    invoiceType: input.invoiceType,
    taxTotal: formatAeatAmount(input.taxCents),
    grandTotal: formatAeatAmount(input.totalCents),
    previousHash: previous?.hash ?? '',
    generatedAt: when.timestamp,
    hash: '',
  };
  if (rectified !== undefined) record.rectified = rectified;
  if (rectified !== undefined && input.invoiceType !== 'R5') record.rectificationMethod = input.rectificationMethod ?? 'I';
  if (input.invoiceType === 'F3') record.substituted = input.substituted!.map((r) => ({ invoiceNumber: r.invoiceNumber.trim(), issueDate: r.issueDate }));
  record.hash = computeRecordHash(record);
  return ok(record);
}

/** Builds a registro de anulación (cancels a previously registered invoice) chained after `previous`. */
export function createAnulacion(input: AnulacionInput, previous: { hash: string } | null): Result<FiscalRecord, FiscalRecordError> {
  const common = checkCommon(input.installation, input.issuerNif, input.invoiceNumber, previous);
  if (common !== null) return err(common);
  if (!isFiscalDate(input.issueDate)) {
    return err(domainError('FISCAL_DATE_INVALID', 'issue date must be dd-mm-yyyy', { issueDate: input.issueDate }));
  }
  const when = fiscalDateTime(input.generatedAtMs, input.timeZone ?? DEFAULT_FISCAL_TIME_ZONE);
  const record: FiscalRecord = {
    kind: 'anulacion',
    installation: input.installation.trim(),
    issuerNif: input.issuerNif.trim(),
    invoiceNumber: input.invoiceNumber.trim(),
    issueDate: input.issueDate,
    previousHash: previous?.hash ?? '',
    generatedAt: when.timestamp,
    hash: '',
  };
  record.hash = computeRecordHash(record);
  return ok(record);
}

/** The huella input string of a record (AEAT field order), from its fields; the stored `hash` is ignored. */
export function recordHuellaInput(record: FiscalRecord): string {
  if (record.kind === 'alta') {
    return altaHuellaInput({
      IDEmisorFactura: record.issuerNif,
      NumSerieFactura: record.invoiceNumber,
      FechaExpedicionFactura: record.issueDate,
      TipoFactura: record.invoiceType ?? '',
      CuotaTotal: record.taxTotal ?? '',
      ImporteTotal: record.grandTotal ?? '',
      Huella: record.previousHash,
      FechaHoraHusoGenRegistro: record.generatedAt,
    });
  }
  return anulacionHuellaInput({
    IDEmisorFacturaAnulada: record.issuerNif,
    NumSerieFacturaAnulada: record.invoiceNumber,
    FechaExpedicionFacturaAnulada: record.issueDate,
    Huella: record.previousHash,
    FechaHoraHusoGenRegistro: record.generatedAt,
  });
}

/** Recomputes a record's huella from its fields (ignores the stored `hash`). */
export function computeRecordHash(record: FiscalRecord): string {
  return huellaOf(recordHuellaInput(record));
}

export type ChainBreakReason = 'HASH_MISMATCH' | 'PREVIOUS_HASH_MISMATCH';

/** The first place a chain is broken: `index` into the array given, what was expected and what was found. */
export interface ChainBreak extends DomainError<ChainBreakReason> {
  readonly index: number;
  readonly reason: ChainBreakReason;
  readonly expected: string;
  readonly actual: string;
}

export interface ChainOk {
  /** Number of records verified. */
  readonly verified: number;
  /** Hash of the last record ('' or `startHash` when empty): pass it as `startHash` to verify the next batch. */
  readonly lastHash: string;
}

/**
 * Verifies a chain in order. For each record, first its own huella (HASH_MISMATCH: a field was altered),
 * then its link (PREVIOUS_HASH_MISMATCH: a record was removed, inserted or reordered before it).
 * `startHash` is the hash the first record must point to: '' for a whole chain (default), or the last
 * verified hash when records arrive in batches.
 */
export function verifyChain(records: readonly FiscalRecord[], startHash = ''): Result<ChainOk, ChainBreak> {
  let expectedPrevious = startHash;
  for (let index = 0; index < records.length; index++) {
    const record = records[index]!;
    const recomputed = computeRecordHash(record);
    if (recomputed !== record.hash) {
      return err(chainBreak(index, 'HASH_MISMATCH', recomputed, record.hash));
    }
    if (record.previousHash !== expectedPrevious) {
      return err(chainBreak(index, 'PREVIOUS_HASH_MISMATCH', expectedPrevious, record.previousHash));
    }
    expectedPrevious = record.hash;
  }
  return ok({ verified: records.length, lastHash: expectedPrevious });
}

function chainBreak(index: number, reason: ChainBreakReason, expected: string, actual: string): ChainBreak {
  const message =
    reason === 'HASH_MISMATCH'
      ? `record ${index}: stored hash does not match its fields`
      : `record ${index}: previous hash does not match the preceding record`;
  return { code: reason, message, details: { index, expected, actual }, index, reason, expected, actual };
}
