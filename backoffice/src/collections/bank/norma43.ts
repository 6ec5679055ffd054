/**
 * AEB Norma 43 ("Cuaderno 43", Información normalizada de cuenta corriente): fixed 80-character records.
 *   11 account header · 22 movement · 23 complementary concepts (up to 5 per movement) · 24 currency
 *   equivalence · 33 account totals · 88 end of file. A file holds one or more 11…33 blocks, then one 88.
 * Every block's 33 totals are checked against its movements and the 88 record count against the file, so a
 * truncated or hand-edited file is refused naming the line instead of being imported half right.
 */
import type { Cents } from '@tpv/shared/money';
import {
  BankStatementError,
  currencyFromNumeric,
  type BankMovement,
  type BankStatement,
  type EntryTotals,
} from './statement';

const RECORD_LENGTH = 80;

/** Decodes a file's bytes: UTF-8 when valid, else Latin-1 (what Spanish banks send in practice). */
export function decodeNorma43(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('latin1').decode(bytes);
  }
}

/** A positioned field, 1-based inclusive columns as the AEB document numbers them. */
function field(record: string, from: number, to: number): string {
  return record.slice(from - 1, to);
}

function fail(line: number, es: string, en: string): never {
  throw new BankStatementError(`${es} / ${en}`, line);
}

function digits(record: string, from: number, to: number, line: number, what: string): string {
  const v = field(record, from, to);
  if (!/^\d+$/.test(v)) fail(line, `${what} no numérico (columnas ${from}-${to}): "${v}"`, `${what} not numeric (columns ${from}-${to})`);
  return v;
}

/** 14 digits, the last two decimals, into cents; safe up to 10^14 − 1 < 2^53. */
function amount(record: string, from: number, line: number, what: string): Cents {
  return Number(digits(record, from, from + 13, line, what));
}

/** YYMMDD → YYYY-MM-DD (years 70–99 are 19xx, the rest 20xx), refusing impossible dates. */
function date(record: string, from: number, line: number, what: string): string {
  const v = digits(record, from, from + 5, line, what);
  const yy = Number(v.slice(0, 2));
  const year = yy >= 70 ? 1900 + yy : 2000 + yy;
  const month = Number(v.slice(2, 4));
  const day = Number(v.slice(4, 6));
  const d = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || d.getUTCDate() !== day || d.getUTCMonth() !== month - 1) {
    fail(line, `${what} no es una fecha válida: "${v}"`, `${what} is not a valid date`);
  }
  return `${year}-${v.slice(2, 4)}-${v.slice(4, 6)}`;
}

/** Sign times amount, without the −0 a zero debit would give (−0 and 0 compare unequal in deep equality). */
function signed(sign: 1 | -1, abs: Cents): Cents {
  return abs === 0 ? 0 : sign * abs;
}

/** Debe (1) / haber (2) code → sign. */
function sign(record: string, column: number, line: number, what: string): 1 | -1 {
  const c = field(record, column, column);
  if (c === '1') return -1;
  if (c === '2') return 1;
  return fail(line, `código debe/haber de ${what} no válido: "${c}"`, `invalid debit/credit code of ${what}`);
}

function currency(record: string, from: number, line: number): string {
  const code = digits(record, from, from + 2, line, 'divisa');
  const alpha = currencyFromNumeric(code);
  if (alpha === undefined) fail(line, `divisa desconocida: ${code}`, `unknown currency ${code}`);
  return alpha;
}

interface OpenBlock {
  statement: BankStatement;
  line: number;
  debits: EntryTotals;
  credits: EntryTotals;
  /** The movement records 23/24 attach to, with how many 23s it already has. */
  last: { movement: BankMovement; concepts23: number; has24: boolean } | undefined;
}

/**
 * Parses a whole Norma 43 file into one statement per account block, in file order. Throws
 * BankStatementError naming the line for: a record not 80 characters long, an unknown record code, records out
 * of order, non-numeric or impossible fields, 33 totals or closing balance not matching the movements, a
 * missing or wrong 88 record. Blank lines (a trailing newline) are ignored; CRLF and LF both accepted.
 */
export function parseNorma43(input: string | Uint8Array): BankStatement[] {
  const text = typeof input === 'string' ? input : decodeNorma43(input);
  const lines = text.split(/\r?\n/);
  const statements: BankStatement[] = [];
  let block: OpenBlock | undefined;
  let records = 0;
  let ended = false;

  for (let i = 0; i < lines.length; i += 1) {
    const n = i + 1;
    const record = lines[i]!;
    if (record.trim() === '') continue;
    if (ended) fail(n, 'registro después del fin de fichero (88)', 'record after the end-of-file record (88)');
    if (record.length !== RECORD_LENGTH) {
      fail(n, `el registro mide ${record.length} caracteres, deben ser ${RECORD_LENGTH}`, `record is ${record.length} characters long, must be ${RECORD_LENGTH}`);
    }
    const code = record.slice(0, 2);
    switch (code) {
      case '11': {
        if (block !== undefined) fail(n, 'cabecera de cuenta (11) sin el final (33) de la anterior', 'account header (11) before the previous account ended (33)');
        const mode = field(record, 51, 51);
        if (!['1', '2', '3'].includes(mode)) fail(n, `modalidad de información no válida: "${mode}"`, 'invalid information mode');
        const statement: BankStatement = {
          account: {
            bank: digits(record, 3, 6, n, 'entidad'),
            office: digits(record, 7, 10, n, 'oficina'),
            number: digits(record, 11, 20, n, 'número de cuenta'),
            currency: currency(record, 48, n),
          },
          from: date(record, 21, n, 'fecha inicial'),
          to: date(record, 27, n, 'fecha final'),
          openingBalanceCents: signed(sign(record, 33, n, 'saldo inicial'), amount(record, 34, n, 'saldo inicial')),
          closingBalanceCents: 0,
          debits: { count: 0, totalCents: 0 },
          credits: { count: 0, totalCents: 0 },
          movements: [],
        };
        if (statement.from > statement.to) fail(n, 'fecha inicial posterior a la final', 'start date after end date');
        block = { statement, line: n, debits: { count: 0, totalCents: 0 }, credits: { count: 0, totalCents: 0 }, last: undefined };
        break;
      }
      case '22': {
        if (block === undefined) fail(n, 'movimiento (22) fuera de una cuenta (11)', 'movement (22) outside an account (11)');
        const s = sign(record, 28, n, 'movimiento');
        const abs = amount(record, 29, n, 'importe');
        const movement: BankMovement = {
          operationDate: date(record, 11, n, 'fecha de operación'),
          valueDate: date(record, 17, n, 'fecha valor'),
          commonConcept: digits(record, 23, 24, n, 'concepto común'),
          ownConcept: digits(record, 25, 27, n, 'concepto propio'),
          amountCents: signed(s, abs),
          document: field(record, 43, 52).trim(),
          reference1: field(record, 53, 64).trim(),
          reference2: field(record, 65, 80).trim(),
          concepts: [],
        };
        // Counted by the debe/haber code, as the bank's 33 record counts them (a zero amount keeps its side).
        const side = s < 0 ? block.debits : block.credits;
        side.count += 1;
        side.totalCents += abs;
        block.statement.movements.push(movement);
        block.last = { movement, concepts23: 0, has24: false };
        break;
      }
      case '23': {
        const last = block?.last;
        if (last === undefined) fail(n, 'concepto complementario (23) sin movimiento (22)', 'complementary concept (23) without a movement (22)');
        if (last.has24) fail(n, 'concepto complementario (23) después de la equivalencia (24)', 'complementary concept (23) after the currency equivalence (24)');
        const dataCode = field(record, 3, 4);
        const expected = String(last.concepts23 + 1).padStart(2, '0');
        if (last.concepts23 >= 5) fail(n, 'más de 5 conceptos complementarios (23)', 'more than 5 complementary concepts (23)');
        if (dataCode !== expected) fail(n, `código de dato ${dataCode}, se esperaba ${expected}`, `data code ${dataCode}, expected ${expected}`);
        last.concepts23 += 1;
        for (const c of [field(record, 5, 42), field(record, 43, 80)]) {
          const t = c.trim();
          if (t !== '') last.movement.concepts.push(t);
        }
        break;
      }
      case '24': {
        const last = block?.last;
        if (last === undefined) fail(n, 'equivalencia de divisa (24) sin movimiento (22)', 'currency equivalence (24) without a movement (22)');
        if (last.has24) fail(n, 'segunda equivalencia de divisa (24) del mismo movimiento', 'second currency equivalence (24) for one movement');
        if (field(record, 3, 4) !== '01') fail(n, `código de dato ${field(record, 3, 4)}, se esperaba 01`, 'data code must be 01');
        last.has24 = true;
        last.movement.equivalence = { currency: currency(record, 5, n), amountCents: amount(record, 8, n, 'importe equivalente') };
        break;
      }
      case '33': {
        if (block === undefined) fail(n, 'final de cuenta (33) sin cabecera (11)', 'account totals (33) without a header (11)');
        statements.push(closeBlock(block, record, n));
        block = undefined;
        break;
      }
      case '88': {
        if (block !== undefined) fail(n, `fin de fichero (88) con la cuenta de la línea ${block.line} sin final (33)`, `end of file (88) while the account of line ${block.line} is open (no 33)`);
        if (field(record, 3, 20) !== '9'.repeat(18)) fail(n, 'el registro 88 debe llevar 18 nueves', 'record 88 must carry 18 nines');
        const declared = Number(digits(record, 21, 26, n, 'número de registros'));
        if (declared !== records) fail(n, `el fichero declara ${declared} registros y tiene ${records}`, `the file declares ${declared} records and holds ${records}`);
        ended = true;
        break;
      }
      default:
        fail(n, `código de registro desconocido "${code}"`, `unknown record code "${code}"`);
    }
    records += 1;
  }
  if (block !== undefined) fail(block.line, 'cuenta sin registro final (33)', 'account without its totals record (33)');
  if (!ended) throw new BankStatementError('fichero sin registro de fin (88) / file without its end record (88)');
  if (statements.length === 0) throw new BankStatementError('fichero sin cuentas / file without accounts');
  return statements;
}

/** Checks the 33 record against the header and the movements read, and completes the statement. */
function closeBlock(block: OpenBlock, record: string, n: number): BankStatement {
  const s = block.statement;
  const { bank, office, number } = s.account;
  const account = `${field(record, 3, 6)}${field(record, 7, 10)}${field(record, 11, 20)}`;
  if (account !== `${bank}${office}${number}`) {
    fail(n, `la cuenta del final (${account}) no es la de la cabecera de la línea ${block.line}`, `the totals' account is not the one of the header at line ${block.line}`);
  }
  const debitCount = Number(digits(record, 21, 25, n, 'número de apuntes al debe'));
  const debitTotal = amount(record, 26, n, 'total debe');
  const creditCount = Number(digits(record, 40, 44, n, 'número de apuntes al haber'));
  const creditTotal = amount(record, 45, n, 'total haber');
  const closing = signed(sign(record, 59, n, 'saldo final'), amount(record, 60, n, 'saldo final'));
  if (currency(record, 74, n) !== s.account.currency) fail(n, 'la divisa del final no es la de la cabecera', 'the totals currency differs from the header');
  const { debits, credits } = block;
  if (debitCount !== debits.count || debitTotal !== debits.totalCents) {
    fail(n, `el total debe declara ${debitCount} apuntes / ${debitTotal} céntimos y los movimientos suman ${debits.count} / ${debits.totalCents}`,
      `declared debits ${debitCount} entries / ${debitTotal} cents, movements give ${debits.count} / ${debits.totalCents}`);
  }
  if (creditCount !== credits.count || creditTotal !== credits.totalCents) {
    fail(n, `el total haber declara ${creditCount} apuntes / ${creditTotal} céntimos y los movimientos suman ${credits.count} / ${credits.totalCents}`,
      `declared credits ${creditCount} entries / ${creditTotal} cents, movements give ${credits.count} / ${credits.totalCents}`);
  }
  const expected = s.openingBalanceCents + credits.totalCents - debits.totalCents;
  if (closing !== expected) {
    fail(n, `saldo final ${closing} ≠ saldo inicial ${s.openingBalanceCents} + haber ${credits.totalCents} − debe ${debits.totalCents} = ${expected}`,
      `closing balance ${closing} ≠ opening + credits − debits = ${expected}`);
  }
  return { ...s, closingBalanceCents: closing, debits: { ...debits }, credits: { ...credits } };
}

// ---------------------------------------------------------------------------------------------------------
// Writer (tests, the bank stand-in): the inverse of parseNorma43 for statements of Spanish accounts
// ---------------------------------------------------------------------------------------------------------

const NUMERIC_BY_CURRENCY: Readonly<Record<string, string>> = { EUR: '978', USD: '840', GBP: '826', CHF: '756' };

function numericCurrency(alpha: string): string {
  const code = NUMERIC_BY_CURRENCY[alpha];
  if (code === undefined) throw new BankStatementError(`divisa no admitida en Norma 43: ${alpha} / currency not supported in Norma 43`);
  return code;
}

function yymmdd(iso: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) throw new BankStatementError(`fecha no válida / invalid date: ${iso}`);
  return `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}`;
}

function num(value: number, width: number): string {
  const s = String(value);
  if (!Number.isSafeInteger(value) || value < 0 || s.length > width) {
    throw new BankStatementError(`valor fuera de rango para ${width} dígitos / value out of range: ${value}`);
  }
  return s.padStart(width, '0');
}

function text(value: string, width: number): string {
  if (value.length > width) throw new BankStatementError(`texto de más de ${width} caracteres / text longer than ${width}: ${value}`);
  return value.padEnd(width, ' ');
}

/** Writes statements as a Norma 43 file (CRLF lines, mode 3, totals computed from the movements). */
export function writeNorma43(statements: readonly BankStatement[], holderName = ''): string {
  const out: string[] = [];
  for (const s of statements) {
    const { bank, office, number, iban } = s.account;
    if (iban !== undefined) throw new BankStatementError('Norma 43 solo admite cuentas españolas / Norma 43 holds Spanish accounts only');
    const cur = numericCurrency(s.account.currency);
    const opening = s.openingBalanceCents;
    out.push(`11${bank}${office}${number}${yymmdd(s.from)}${yymmdd(s.to)}${opening < 0 ? '1' : '2'}${num(Math.abs(opening), 14)}${cur}3${text(holderName, 26)}   `);
    let debits = { count: 0, total: 0 };
    let credits = { count: 0, total: 0 };
    for (const m of s.movements) {
      const debit = m.amountCents < 0;
      const abs = Math.abs(m.amountCents);
      if (debit) debits = { count: debits.count + 1, total: debits.total + abs };
      else credits = { count: credits.count + 1, total: credits.total + abs };
      out.push(`22    ${office}${yymmdd(m.operationDate)}${yymmdd(m.valueDate)}${m.commonConcept}${m.ownConcept}${debit ? '1' : '2'}${num(abs, 14)}${text(m.document, 10)}${text(m.reference1, 12)}${text(m.reference2, 16)}`);
      if (m.concepts.length > 10) throw new BankStatementError('más de 10 conceptos / more than 10 concepts');
      // One concept per 23 record (as the banks write them) while five records suffice, else two per record.
      const perRecord = m.concepts.length > 5 ? 2 : 1;
      for (let i = 0; i < m.concepts.length; i += perRecord) {
        const second = perRecord === 2 ? (m.concepts[i + 1] ?? '') : '';
        out.push(`23${num(i / perRecord + 1, 2)}${text(m.concepts[i]!, 38)}${text(second, 38)}`);
      }
      if (m.equivalence !== undefined) {
        out.push(`2401${numericCurrency(m.equivalence.currency)}${num(m.equivalence.amountCents, 14)}${' '.repeat(59)}`);
      }
    }
    const closing = opening + credits.total - debits.total;
    out.push(`33${bank}${office}${number}${num(debits.count, 5)}${num(debits.total, 14)}${num(credits.count, 5)}${num(credits.total, 14)}${closing < 0 ? '1' : '2'}${num(Math.abs(closing), 14)}${cur}    `);
  }
  out.push(`88${'9'.repeat(18)}${num(out.length, 6)}${' '.repeat(54)}`);
  return `${out.join('\r\n')}\r\n`;
}
