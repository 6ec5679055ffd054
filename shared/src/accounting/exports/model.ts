/**
 * What an export to a gestoría carries (issue 14): one company's journal for a date range, line by line, and
 * its chart of accounts. The backoffice reads these from the books; the writers beside this file turn them
 * into the files A3 and ContaPlus import, or a plain CSV/XLSX layout. Pure: no I/O.
 */
import type { AccountNature } from '../pgc';

export interface ExportLine {
  account: string;
  accountName: string;
  debitCents: number;
  creditCents: number;
  /** The line's own text, when it has one (else the entry's description is used). */
  description: string | null;
  /** The store (analytic dimension) by its code, when the line carries one. */
  store: string | null;
}

export interface ExportEntry {
  year: number;
  /** Gapless per company and year. */
  number: number;
  /** Posting date (yyyy-mm-dd). */
  date: string;
  /** The document's own date (differs when a locked month moved it). */
  documentDate: string;
  description: string;
  /** The document as people name it (`F-2026-000042`), when the entry comes from one. */
  sourceRef: string | null;
  lines: ExportLine[];
}

export interface ExportAccount {
  code: string;
  name: string;
  nature: AccountNature;
  /** The counterparty's NIF for a customer's or supplier's sub-account. */
  nif: string | null;
}

/** Debit and credit sums of a journal (they are equal when every entry balances). */
export function journalTotals(entries: readonly ExportEntry[]): { debitCents: number; creditCents: number; lines: number } {
  let debitCents = 0;
  let creditCents = 0;
  let lines = 0;
  for (const e of entries) {
    for (const l of e.lines) {
      debitCents += l.debitCents;
      creditCents += l.creditCents;
      lines++;
    }
  }
  return { debitCents, creditCents, lines };
}

/** The text of a journal line: its own, else its entry's. */
export const lineText = (e: Pick<ExportEntry, 'description'>, l: Pick<ExportLine, 'description'>): string => l.description?.trim() || e.description;
