/**
 * An uploaded bank statement file, whichever format the bank sent: camt.053 is XML (starts with '<' after an
 * optional byte-order mark and blanks), anything else is read as Norma 43 — whose parser then says precisely
 * what is wrong with a file that is neither.
 */
import { parseCamt053 } from './camt053';
import { decodeNorma43, parseNorma43 } from './norma43';
import type { BankStatement } from './statement';

export type BankStatementFormat = 'norma43' | 'camt053';

export interface ParsedStatementFile {
  format: BankStatementFormat;
  statements: BankStatement[];
}

export function detectStatementFormat(text: string): BankStatementFormat {
  return text.replace(/^\uFEFF/, '').trimStart().startsWith('<') ? 'camt053' : 'norma43';
}

/** Parses a statement file; bytes are decoded as UTF-8 when valid, else Latin-1 (Spanish banks' Norma 43). */
export function parseStatementFile(input: string | Uint8Array): ParsedStatementFile {
  const text = typeof input === 'string' ? input : decodeNorma43(input);
  const format = detectStatementFormat(text);
  const body = text.replace(/^\uFEFF/, '');
  return { format, statements: format === 'camt053' ? parseCamt053(body) : parseNorma43(body) };
}
