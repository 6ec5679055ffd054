/**
 * ISO 20022 camt.053.001.02 (BankToCustomerStatement) read into the same BankStatement shape as Norma 43, and
 * written back from it (tests and the bank stand-in).
 *
 * Where the Norma 43 fields go (writer) and come from (reader):
 *   account           Stmt/Acct/Id/IBAN (a Spanish IBAN becomes entidad/oficina/número; Othr/Id may be a CCC)
 *   from / to         Stmt/FrToDt (else the dates of the opening and closing balances)
 *   balances          Bal with Tp OPBD (or PRCD) and CLBD, sign from CdtDbtInd
 *   movement          Ntry with Sts BOOK (pending and informative entries do not move the balance: skipped)
 *   dates             Ntry/BookgDt, Ntry/ValDt
 *   concepts codes    Ntry/BkTxCd/Prtry with Issr AEB, Cd "CC-OOO" (else a common concept from the ISO family)
 *   document          TxDtls/Refs/ChqNb     reference1  TxDtls/Refs/PmtInfId    reference2  TxDtls/Refs/EndToEndId
 *   concepts          TxDtls/RmtInf/Ustrd (each one), then Ntry/AddtlNtryInf
 *   equivalence       TxDtls/AmtDtls/InstdAmt/Amt when its currency is not the account's
 */
import { DOMParser, type Element } from '@xmldom/xmldom';
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';
import { centsToDecimalString, type Cents } from '@tpv/shared/money';
import {
  BankStatementError,
  accountFromIban,
  cccControlDigits,
  ibanOf,
  totalsOf,
  type BankAccountRef,
  type BankMovement,
  type BankStatement,
} from './statement';

export const CAMT053_NS = 'urn:iso:std:iso:20022:tech:xsd:camt.053.001.02';

// ---------------------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------------------

function lineOf(node: Element): number | undefined {
  const n = (node as unknown as { lineNumber?: number }).lineNumber;
  return typeof n === 'number' ? n : undefined;
}

function fail(node: Element, es: string, en: string): never {
  throw new BankStatementError(`${es} / ${en}`, lineOf(node));
}

function kids(parent: Element, name: string): Element[] {
  const out: Element[] = [];
  for (let c = parent.firstChild; c !== null; c = c.nextSibling) {
    if (c.nodeType === 1 && (c as Element).localName === name && (c as Element).namespaceURI === CAMT053_NS) out.push(c as Element);
  }
  return out;
}

/** The element at a path of child names, or undefined. */
function at(parent: Element, ...path: string[]): Element | undefined {
  let cur: Element | undefined = parent;
  for (const name of path) {
    cur = cur === undefined ? undefined : kids(cur, name)[0];
  }
  return cur;
}

function textAt(parent: Element, ...path: string[]): string | undefined {
  const e = at(parent, ...path);
  return e === undefined ? undefined : (e.textContent ?? '').trim();
}

function required(parent: Element, what: string, ...path: string[]): Element {
  const e = at(parent, ...path);
  if (e === undefined) fail(parent, `falta ${path.join('/')} (${what})`, `missing ${path.join('/')} (${what})`);
  return e;
}

/** A camt decimal amount ("482.3", "482.30", "482.30000") into cents; more than 2 significant decimals refused. */
function cents(node: Element, what: string): Cents {
  const raw = (node.textContent ?? '').trim();
  const m = /^(\d{1,15})(?:\.(\d{1,5}))?$/.exec(raw);
  if (m === null) fail(node, `${what}: importe no válido "${raw}"`, `${what}: invalid amount`);
  const frac = (m[2] ?? '').padEnd(5, '0');
  if (frac.slice(2) !== '000') fail(node, `${what}: más de 2 decimales "${raw}"`, `${what}: more than 2 decimals`);
  const v = Number(m[1]) * 100 + Number(frac.slice(0, 2));
  if (!Number.isSafeInteger(v)) fail(node, `${what}: importe fuera de rango`, `${what}: amount out of range`);
  return v;
}

/** Sign times amount, without the −0 a zero debit would give. */
function signed(sign: 1 | -1, abs: Cents): Cents {
  return abs === 0 ? 0 : sign * abs;
}

/** CRDT → +1, DBIT → −1. */
function direction(parent: Element, what: string): 1 | -1 {
  const ind = textAt(parent, 'CdtDbtInd');
  if (ind === 'CRDT') return 1;
  if (ind === 'DBIT') return -1;
  return fail(parent, `${what}: CdtDbtInd no válido "${ind ?? ''}"`, `${what}: invalid CdtDbtInd`);
}

function isoDate(node: Element | undefined, parent: Element, what: string): string {
  // A Dt element holds a date; DtTm / FrDtTm / ToDtTm a date-time whose first 10 characters are the date.
  const raw = node === undefined ? '' : (node.textContent ?? '').trim();
  const d = raw.slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) fail(node ?? parent, `${what}: fecha no válida "${raw}"`, `${what}: invalid date`);
  return d;
}

/** Date of a DateAndDateTimeChoice element (Dt or DtTm). */
function choiceDate(parent: Element, what: string, ...path: string[]): string {
  const holder = required(parent, what, ...path);
  return isoDate(at(holder, 'Dt') ?? at(holder, 'DtTm'), holder, what);
}

function readAccount(stmt: Element): BankAccountRef {
  const acct = required(stmt, 'cuenta', 'Acct');
  const ccy = textAt(acct, 'Ccy') ?? at(stmt, 'Bal', 'Amt')?.getAttribute('Ccy') ?? '';
  if (!/^[A-Z]{3}$/.test(ccy)) fail(acct, 'divisa de la cuenta no válida', 'invalid account currency');
  const iban = textAt(acct, 'Id', 'IBAN');
  if (iban !== undefined) {
    try {
      return accountFromIban(iban, ccy);
    } catch (e) {
      return fail(acct, (e as Error).message, 'account');
    }
  }
  // Some Spanish banks identify the account by its 20-digit CCC (entidad, oficina, DC, número).
  const other = textAt(acct, 'Id', 'Othr', 'Id') ?? '';
  const ccc = other.replace(/[\s-]/g, '');
  if (/^\d{20}$/.test(ccc) && cccControlDigits(ccc.slice(0, 4), ccc.slice(4, 8), ccc.slice(10)) === ccc.slice(8, 10)) {
    return { bank: ccc.slice(0, 4), office: ccc.slice(4, 8), number: ccc.slice(10), currency: ccy };
  }
  return fail(acct, `cuenta sin IBAN ni CCC válido "${other}"`, 'account without a valid IBAN or CCC');
}

function balance(stmt: Element, codes: readonly string[]): { cents: Cents; date: string } | undefined {
  for (const code of codes) {
    for (const bal of kids(stmt, 'Bal')) {
      if (textAt(bal, 'Tp', 'CdOrPrtry', 'Cd') !== code) continue;
      const amt = required(bal, code, 'Amt');
      return { cents: signed(direction(bal, code), cents(amt, code)), date: choiceDate(bal, code, 'Dt') };
    }
  }
  return undefined;
}

/** Common concept from the ISO family code when the bank sends no AEB code (best effort; '99' varios). */
const COMMON_BY_FAMILY: Readonly<Record<string, string>> = {
  ICDT: '04',
  RCDT: '04',
  IDDT: '03',
  RDDT: '03',
  CCRD: '12',
  DCRD: '12',
  CNTR: '02',
};

function concepts(ntry: Element): { commonConcept: string; ownConcept: string } {
  const prtry = at(ntry, 'BkTxCd', 'Prtry');
  if (prtry !== undefined && textAt(prtry, 'Issr') === 'AEB') {
    const cd = textAt(prtry, 'Cd') ?? '';
    const m = /^(\d{2})(?:-?(\d{3}))?$/.exec(cd);
    if (m === null) fail(prtry, `código AEB no válido "${cd}"`, 'invalid AEB code');
    return { commonConcept: m[1]!, ownConcept: m[2] ?? '000' };
  }
  const domn = at(ntry, 'BkTxCd', 'Domn', 'Fmly');
  const family = domn === undefined ? '' : (textAt(domn, 'Cd') ?? '');
  const sub = domn === undefined ? '' : (textAt(domn, 'SubFmlyCd') ?? '');
  const common = sub === 'CHRG' ? '17' : (COMMON_BY_FAMILY[family] ?? '99');
  return { commonConcept: common, ownConcept: '000' };
}

function readEntry(ntry: Element, currency: string): BankMovement {
  const amt = required(ntry, 'apunte', 'Amt');
  if (amt.getAttribute('Ccy') !== currency) fail(amt, `divisa del apunte distinta de la cuenta (${currency})`, `entry currency is not the account's (${currency})`);
  const tx = kids(ntry, 'NtryDtls').flatMap((d) => kids(d, 'TxDtls'));
  const first = tx[0];
  const ref = (name: string) => (first === undefined ? '' : (textAt(first, 'Refs', name) ?? ''));
  const movement: BankMovement = {
    operationDate: choiceDate(ntry, 'fecha de operación / booking date', 'BookgDt'),
    valueDate: choiceDate(ntry, 'fecha valor / value date', 'ValDt'),
    ...concepts(ntry),
    amountCents: signed(direction(ntry, 'apunte'), cents(amt, 'apunte')),
    document: ref('ChqNb'),
    reference1: ref('PmtInfId'),
    reference2: ref('EndToEndId'),
    concepts: [
      ...tx.flatMap((t) => kids(t, 'RmtInf').flatMap((r) => kids(r, 'Ustrd'))).map((u) => (u.textContent ?? '').trim()),
      textAt(ntry, 'AddtlNtryInf') ?? '',
    ].filter((c) => c !== ''),
  };
  const instructed = first === undefined ? undefined : at(first, 'AmtDtls', 'InstdAmt', 'Amt');
  if (instructed !== undefined) {
    const ccy = instructed.getAttribute('Ccy') ?? '';
    if (ccy !== currency) movement.equivalence = { currency: ccy, amountCents: cents(instructed, 'importe original') };
  }
  return movement;
}

/** Checks TxsSummry (when sent) and the balances against the entries read. */
function checkTotals(stmt: Element, s: BankStatement): void {
  const summary = at(stmt, 'TxsSummry');
  if (summary !== undefined) {
    for (const [name, totals, label] of [
      ['TtlCdtNtries', s.credits, 'haber / credits'],
      ['TtlDbtNtries', s.debits, 'debe / debits'],
    ] as const) {
      const node = at(summary, name);
      if (node === undefined) continue;
      const count = textAt(node, 'NbOfNtries');
      const sum = at(node, 'Sum');
      if ((count !== undefined && Number(count) !== totals.count) || (sum !== undefined && cents(sum, name) !== totals.totalCents)) {
        fail(node, `el resumen ${label} declara ${count ?? '?'} apuntes / ${sum?.textContent ?? '?'} y los apuntes suman ${totals.count} / ${centsToDecimalString(totals.totalCents)}`,
          `summary does not match the entries`);
      }
    }
  }
  const expected = s.openingBalanceCents + s.credits.totalCents - s.debits.totalCents;
  if (expected !== s.closingBalanceCents) {
    fail(stmt, `saldo final ${centsToDecimalString(s.closingBalanceCents)} ≠ saldo inicial + haber − debe = ${centsToDecimalString(expected)}`,
      'closing balance ≠ opening + credits − debits');
  }
}

function readStatement(stmt: Element): BankStatement {
  const account = readAccount(stmt);
  const opening = balance(stmt, ['OPBD', 'PRCD']);
  const closing = balance(stmt, ['CLBD']);
  if (opening === undefined) fail(stmt, 'falta el saldo inicial (Bal OPBD/PRCD)', 'missing the opening balance (Bal OPBD/PRCD)');
  if (closing === undefined) fail(stmt, 'falta el saldo final (Bal CLBD)', 'missing the closing balance (Bal CLBD)');
  const period = at(stmt, 'FrToDt');
  const from = period === undefined ? opening.date : isoDate(at(period, 'FrDtTm'), period, 'FrDtTm');
  const to = period === undefined ? closing.date : isoDate(at(period, 'ToDtTm'), period, 'ToDtTm');
  if (from > to) fail(period ?? stmt, `fecha inicial ${from} posterior a la final ${to}`, 'start date after end date');
  const movements = kids(stmt, 'Ntry')
    .filter((n) => (textAt(n, 'Sts') ?? 'BOOK') === 'BOOK')
    .map((n) => readEntry(n, account.currency));
  const s: BankStatement = {
    account,
    from,
    to,
    openingBalanceCents: opening.cents,
    closingBalanceCents: closing.cents,
    ...totalsOf(movements),
    movements,
  };
  checkTotals(stmt, s);
  return s;
}

/** Parses a camt.053.001.02 document into its statements (one per Stmt), in document order. */
export function parseCamt053(xml: string): BankStatement[] {
  let doc;
  try {
    doc = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') throw new Error(message);
      },
    }).parseFromString(xml, 'text/xml');
  } catch (e) {
    throw new BankStatementError(`XML mal formado / malformed XML: ${(e as Error).message}`);
  }
  const root = doc.documentElement;
  if (root === null || root.localName !== 'Document' || root.namespaceURI !== CAMT053_NS) {
    throw new BankStatementError(`no es un extracto camt.053.001.02 (${CAMT053_NS}) / not a camt.053.001.02 statement`);
  }
  const body = at(root, 'BkToCstmrStmt');
  if (body === undefined) fail(root, 'falta BkToCstmrStmt', 'missing BkToCstmrStmt');
  const statements = kids(body, 'Stmt').map(readStatement);
  if (statements.length === 0) fail(body, 'el fichero no tiene extractos (Stmt)', 'the file holds no statement (Stmt)');
  return statements;
}

// ---------------------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------------------

export interface Camt053WriteOptions {
  /** GrpHdr/MsgId (≤ 35 characters); each Stmt/Id is `<messageId>-<n>`. Default: 'TPV-' + the last end date. */
  messageId?: string;
  /** GrpHdr/CreDtTm and Stmt/CreDtTm, ISO date-time. Default: the last statement's end day at 23:59:59. */
  createdAt?: string;
}

function leaf(parent: XMLBuilder, name: string, text: string): XMLBuilder {
  return parent.ele(name).txt(text);
}

function amountEl(parent: XMLBuilder, name: string, currency: string, abs: Cents): void {
  parent.ele(name, { Ccy: currency }).txt(centsToDecimalString(abs));
}

function writeBalance(stmt: XMLBuilder, code: string, s: BankStatement, value: Cents, date: string): void {
  const bal = stmt.ele('Bal');
  leaf(bal.ele('Tp').ele('CdOrPrtry'), 'Cd', code);
  amountEl(bal, 'Amt', s.account.currency, Math.abs(value));
  leaf(bal, 'CdtDbtInd', value < 0 ? 'DBIT' : 'CRDT');
  leaf(bal.ele('Dt'), 'Dt', date);
}

function writeEntry(stmt: XMLBuilder, s: BankStatement, m: BankMovement): void {
  const ntry = stmt.ele('Ntry');
  amountEl(ntry, 'Amt', s.account.currency, Math.abs(m.amountCents));
  leaf(ntry, 'CdtDbtInd', m.amountCents < 0 ? 'DBIT' : 'CRDT');
  leaf(ntry, 'Sts', 'BOOK');
  leaf(ntry.ele('BookgDt'), 'Dt', m.operationDate);
  leaf(ntry.ele('ValDt'), 'Dt', m.valueDate);
  const prtry = ntry.ele('BkTxCd').ele('Prtry');
  leaf(prtry, 'Cd', `${m.commonConcept}-${m.ownConcept}`);
  leaf(prtry, 'Issr', 'AEB');
  const refs: [string, string][] = (
    [
      ['PmtInfId', m.reference1],
      ['EndToEndId', m.reference2],
      ['ChqNb', m.document],
    ] as [string, string][]
  ).filter(([, v]) => v !== '');
  // Ustrd is 1–140 characters: an empty concept is left out (the reader drops empty ones anyway).
  const lines = m.concepts.filter((c) => c.trim() !== '');
  if (refs.length === 0 && lines.length === 0 && m.equivalence === undefined) return;
  const tx = ntry.ele('NtryDtls').ele('TxDtls');
  if (refs.length > 0) {
    const r = tx.ele('Refs');
    for (const [name, v] of refs) leaf(r, name, v);
  }
  if (m.equivalence !== undefined) {
    amountEl(tx.ele('AmtDtls').ele('InstdAmt'), 'Amt', m.equivalence.currency, m.equivalence.amountCents);
  }
  if (lines.length > 0) {
    const rmt = tx.ele('RmtInf');
    for (const c of lines) {
      if (c.length > 140) throw new BankStatementError(`concepto de más de 140 caracteres / concept longer than 140: ${c}`);
      leaf(rmt, 'Ustrd', c);
    }
  }
}

/** Writes statements as one camt.053.001.02 document (UTF-8, pretty-printed). */
export function writeCamt053(statements: readonly BankStatement[], options: Camt053WriteOptions = {}): string {
  if (statements.length === 0) throw new BankStatementError('ningún extracto que escribir / no statement to write');
  const last = statements[statements.length - 1]!;
  const messageId = options.messageId ?? `TPV-${last.to}`;
  const createdAt = options.createdAt ?? `${last.to}T23:59:59`;
  if (messageId.length > 30) throw new BankStatementError('MsgId de más de 30 caracteres / MsgId longer than 30');
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const root = doc.ele(CAMT053_NS, 'Document').ele('BkToCstmrStmt');
  const hdr = root.ele('GrpHdr');
  leaf(hdr, 'MsgId', messageId);
  leaf(hdr, 'CreDtTm', createdAt);
  statements.forEach((s, i) => {
    const { debits, credits } = totalsOf(s.movements);
    if (s.openingBalanceCents + credits.totalCents - debits.totalCents !== s.closingBalanceCents) {
      throw new BankStatementError('saldo final ≠ saldo inicial + haber − debe / closing balance ≠ opening + credits − debits');
    }
    const stmt = root.ele('Stmt');
    leaf(stmt, 'Id', `${messageId}-${i + 1}`);
    leaf(stmt, 'CreDtTm', createdAt);
    const period = stmt.ele('FrToDt');
    leaf(period, 'FrDtTm', `${s.from}T00:00:00`);
    leaf(period, 'ToDtTm', `${s.to}T23:59:59`);
    const acct = stmt.ele('Acct');
    leaf(acct.ele('Id'), 'IBAN', ibanOf(s.account));
    leaf(acct, 'Ccy', s.account.currency);
    writeBalance(stmt, 'OPBD', s, s.openingBalanceCents, s.from);
    writeBalance(stmt, 'CLBD', s, s.closingBalanceCents, s.to);
    const summary = stmt.ele('TxsSummry');
    leaf(summary.ele('TtlNtries'), 'NbOfNtries', String(s.movements.length));
    for (const [name, t] of [
      ['TtlCdtNtries', credits],
      ['TtlDbtNtries', debits],
    ] as const) {
      const node = summary.ele(name);
      leaf(node, 'NbOfNtries', String(t.count));
      leaf(node, 'Sum', centsToDecimalString(t.totalCents));
    }
    for (const m of s.movements) writeEntry(stmt, s, m);
  });
  return doc.end({ prettyPrint: true });
}
