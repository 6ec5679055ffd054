/**
 * Invoices issued by a company from the back office: their fiscal types, the series they are numbered in
 * (gapless per company, series and year, allocated when the invoice posts) and their due dates.
 *
 * Series: `FV` ordinary full invoices (F1: manual, franchise fees, wholesale), `FS` full invoices that
 * replace simplified tickets (F3), `FR` credit notes (R1–R4). Number: `FV-2026-000042` (≤ 60 chars, ASCII).
 */
import { allocate, type Cents } from '../money';

/** Veri*Factu TipoFactura of a back-office document. */
export type HqInvoiceType = 'F1' | 'F3' | 'R1' | 'R2' | 'R3' | 'R4';
export const HQ_INVOICE_TYPES: readonly HqInvoiceType[] = ['F1', 'F3', 'R1', 'R2', 'R3', 'R4'];
export const CREDIT_NOTE_TYPES = ['R1', 'R2', 'R3', 'R4'] as const;
export type CreditNoteType = (typeof CREDIT_NOTE_TYPES)[number];
/**
 * What each rectificativa is for (art. 80 LIVA / RD 1619/2012 art. 15):
 * R1 error founded in law and art. 80.1/80.2/80.6 (returns, discounts after the sale, cancelled operations),
 * R2 art. 80.3 (customer's insolvency proceedings), R3 art. 80.4 (bad debts), R4 any other cause.
 */
export const CREDIT_NOTE_REASONS: Readonly<Record<CreditNoteType, { es: string; en: string }>> = {
  R1: { es: 'Error fundado en derecho y art. 80 Uno, Dos y Seis LIVA', en: 'Error in law and art. 80.1, 80.2, 80.6 LIVA' },
  R2: { es: 'Art. 80 Tres LIVA (concurso de acreedores)', en: 'Art. 80.3 LIVA (insolvency proceedings)' },
  R3: { es: 'Art. 80 Cuatro LIVA (créditos incobrables)', en: 'Art. 80.4 LIVA (bad debts)' },
  R4: { es: 'Resto de causas', en: 'Other causes' },
};
/** TipoRectificativa: by substitution (S: the new amounts replace the old) or by difference (I: the change only). */
export type RectificationMethod = 'S' | 'I';

/** Where an issued invoice came from; with `sourceKey`, one invoice per source (refuses a second). */
export type InvoiceSource = 'manual' | 'fee' | 'wholesale' | 'ticket' | 'credit';

export const INVOICE_SERIES = { F1: 'FV', F3: 'FS', R1: 'FR', R2: 'FR', R3: 'FR', R4: 'FR' } as const satisfies Record<HqInvoiceType, string>;

/** `FV-2026-000042`. */
export function invoiceNumber(type: HqInvoiceType, year: number, n: number): string {
  return `${INVOICE_SERIES[type]}-${year}-${String(n).padStart(6, '0')}`;
}

/** The `document_counter` type an invoice series counts in (per company and year). */
export function invoiceCounterType(type: HqInvoiceType): string {
  return `invoice_${INVOICE_SERIES[type]}`;
}

/** yyyy-mm-dd plus `days` calendar days (UTC arithmetic on a date, no zone involved). */
export function addDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

export interface DueDate {
  readonly dueDate: string;
  readonly amountCents: Cents;
}

/**
 * Due dates of an invoice from its payment terms: one instalment per entry of `days` (e.g. [30] or
 * [30, 60, 90]), the total split evenly with the odd cents on the first instalments. Law 3/2004 caps B2B
 * terms at 60 days; longer ones are the caller's decision to refuse. A zero-day term is due on issue.
 */
export function dueDatesOf(issueDate: string, totalCents: Cents, days: readonly number[]): DueDate[] {
  const terms = days.length === 0 ? [0] : days;
  const parts = allocate(totalCents, terms.map(() => 1));
  if (!parts.ok) throw new Error(parts.error.message);
  return terms.map((d, i) => ({ dueDate: addDays(issueDate, d), amountCents: parts.value[i]! }));
}
