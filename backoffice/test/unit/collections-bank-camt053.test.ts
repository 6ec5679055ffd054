/**
 * camt.053.001.02: the hand-written sample (backoffice/test/fixtures/bank/camt053-sample.xml) reads into the
 * Norma 43 statement shape with values worked out below, round-trips through the writer, the Norma 43 sample
 * crosses formats unchanged, random statements round-trip (seeded), and bad documents are refused clearly.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCamt053, writeCamt053 } from '../../src/collections/bank/camt053';
import { parseNorma43 } from '../../src/collections/bank/norma43';
import { BankStatementError, type BankStatement } from '../../src/collections/bank/statement';
import { randomInt, randomStatements, seededRandom } from '../support/bank-statements';

const SAMPLE = readFileSync(path.resolve(import.meta.dirname, '../fixtures/bank/camt053-sample.xml'), 'utf8');
const NORMA43 = readFileSync(path.resolve(import.meta.dirname, '../../../../shared/fixtures/bank/norma43-sample.txt'), 'latin1');

/** 1-based line of the first line of the sample containing `fragment` (after `after`, when given). */
function lineOf(fragment: string, after = 0): number {
  const lines = SAMPLE.split('\n');
  const i = lines.findIndex((l, n) => n >= after && l.includes(fragment));
  if (i < 0) throw new Error(`not in sample: ${fragment}`);
  return i + 1;
}

/** The sample with the first occurrence of `from` replaced (refusing an edit that changes nothing). */
function sampleWith(from: string, to: string): string {
  if (!SAMPLE.includes(from)) throw new Error(`test edit not found: ${from}`);
  return SAMPLE.replace(from, to);
}

function errorOf(xml: string): BankStatementError {
  try {
    parseCamt053(xml);
  } catch (e) {
    expect(e).toBeInstanceOf(BankStatementError);
    return e as BankStatementError;
  }
  throw new Error('parseCamt053 accepted a bad document');
}

// Statement 1 (Spanish account, AEB codes): opening 13,583.82 CRDT
//   + 250.00 (04-002) − 12.10 (no AEB code; ISO sub-family CHRG → common concept 17) − 1,000.00 (13005)
//   = 12,821.72 = CLBD. The PDNG entry (99.99) is not booked: skipped, not counted.
//   credits 1 / 250.00; debits 2 / 12.10 + 1,000.00 = 1,012.10 (the summary writes "1012.1").
// Statement 2 (German account, no CCC): opening PRCD 50.00 DBIT = −5,000 cents; + 80.00 (ISO family RCDT →
//   common concept 04) = 30.00 CRDT. No FrToDt: from/to are the balance dates (CLBD given as a date-time).
const EXPECTED: BankStatement[] = [
  {
    account: { bank: '2100', office: '0418', number: '0200051332', currency: 'EUR' },
    from: '2026-12-01',
    to: '2026-12-07',
    openingBalanceCents: 1_358_382,
    closingBalanceCents: 1_282_172,
    debits: { count: 2, totalCents: 1_210 + 100_000 },
    credits: { count: 1, totalCents: 25_000 },
    movements: [
      {
        operationDate: '2026-12-02',
        valueDate: '2026-12-02',
        commonConcept: '04',
        ownConcept: '002',
        amountCents: 25_000,
        document: '',
        reference1: '',
        reference2: 'FHQ-26/000021',
        concepts: ['TRANSFERENCIA DE MERCADOS VALLE SL', 'FRA FHQ-26/000021 & FHQ-26/000022'],
      },
      {
        operationDate: '2026-12-03',
        valueDate: '2026-12-03',
        commonConcept: '17',
        ownConcept: '000',
        amountCents: -1_210,
        document: '',
        reference1: '',
        reference2: '',
        concepts: ['COMISION MANTENIMIENTO'],
      },
      {
        operationDate: '2026-12-04',
        valueDate: '2026-12-05',
        commonConcept: '13',
        ownConcept: '005',
        amountCents: -100_000,
        document: '0000004711',
        reference1: 'PAY-2026-12',
        reference2: 'PO-2026-0456',
        concepts: ['PAGO PROVEEDOR ACME INC.'],
        equivalence: { currency: 'USD', amountCents: 108_540 },
      },
    ],
  },
  {
    account: { bank: '', office: '', number: '', currency: 'EUR', iban: 'DE89370400440532013000' },
    from: '2026-12-01',
    to: '2026-12-02',
    openingBalanceCents: -5_000,
    closingBalanceCents: 3_000,
    debits: { count: 0, totalCents: 0 },
    credits: { count: 1, totalCents: 8_000 },
    movements: [
      {
        operationDate: '2026-12-02',
        valueDate: '2026-12-02',
        commonConcept: '04',
        ownConcept: '000',
        amountCents: 8_000,
        document: '',
        reference1: '',
        reference2: 'INV-7781',
        concepts: ['PAYMENT INV-7781'],
      },
    ],
  },
];

describe('camt.053 sample (hand-written fixture)', () => {
  it('reads into the Norma 43 statement shape, values worked by hand', () => {
    expect(parseCamt053(SAMPLE)).toStrictEqual(EXPECTED);
  });

  it('round-trips: parse(write(parse(sample))) equals parse(sample)', () => {
    const written = writeCamt053(parseCamt053(SAMPLE), { messageId: 'TPV-RT-1', createdAt: '2026-12-08T07:00:00' });
    expect(parseCamt053(written)).toStrictEqual(EXPECTED);
  });

  it('the writer names the accounts by IBAN and puts signs in CdtDbtInd', () => {
    const written = writeCamt053(EXPECTED, { messageId: 'TPV-RT-1', createdAt: '2026-12-08T07:00:00' });
    expect(written).toContain('<IBAN>ES9121000418450200051332</IBAN>');
    expect(written).toContain('<IBAN>DE89370400440532013000</IBAN>');
    expect(written).toContain('<Id>TPV-RT-1-2</Id>');
    // Statement 2 opens at −50.00: amount without sign, DBIT.
    expect(written).toMatch(/<Cd>OPBD<\/Cd>\s*<\/CdOrPrtry>\s*<\/Tp>\s*<Amt Ccy="EUR">50\.00<\/Amt>\s*<CdtDbtInd>DBIT<\/CdtDbtInd>/);
    expect(written).toContain('<Ustrd>FRA FHQ-26/000021 &amp; FHQ-26/000022</Ustrd>');
    expect(written).toContain('<Amt Ccy="USD">1085.40</Amt>');
    // Deterministic: same input, same bytes.
    expect(writeCamt053(EXPECTED, { messageId: 'TPV-RT-1', createdAt: '2026-12-08T07:00:00' })).toBe(written);
  });

  it('the Norma 43 sample crosses to camt.053 and back unchanged (same shape from both formats)', () => {
    const fromN43 = parseNorma43(NORMA43);
    expect(parseCamt053(writeCamt053(fromN43))).toStrictEqual(fromN43);
  });
});

describe('camt.053 round trip on random statements (seeded)', () => {
  it('parse(write(statements)) gives the statements back, foreign accounts and equivalences included', () => {
    const rnd = seededRandom(5301);
    for (let run = 0; run < 100; run += 1) {
      const statements = randomStatements(53_000 + run, randomInt(rnd, 1, 3), { foreign: true });
      expect(parseCamt053(writeCamt053(statements))).toStrictEqual(statements);
    }
  });
});

describe('camt.053 bad documents', () => {
  const stmt1 = lineOf('<Stmt>');
  const cases: { name: string; xml: string; line: number | undefined; message: string }[] = [
    {
      name: 'another message (camt.052)',
      xml: sampleWith('camt.053.001.02"', 'camt.052.001.02"'),
      line: undefined,
      message: 'no es un extracto camt.053.001.02',
    },
    { name: 'malformed XML', xml: sampleWith('</GrpHdr>', ''), line: undefined, message: 'XML mal formado / malformed XML' },
    {
      // 13,583.82 + 250.00 − 1,012.10 = 12,821.72, not 12,821.73.
      name: 'closing balance not matching the entries',
      xml: sampleWith('<Amt Ccy="EUR">12821.72</Amt>', '<Amt Ccy="EUR">12821.73</Amt>'),
      line: stmt1,
      message: 'saldo final 12821.73 ≠ saldo inicial + haber − debe = 12821.72',
    },
    {
      name: 'summary of debits not matching the entries',
      xml: sampleWith('<Sum>1012.1</Sum>', '<Sum>1012.2</Sum>'),
      line: lineOf('<TtlDbtNtries>'),
      message: 'el resumen debe / debits declara 2 apuntes / 1012.2 y los apuntes suman 2 / 1012.10',
    },
    {
      name: 'amount with a third decimal',
      xml: sampleWith('<Amt Ccy="EUR">12.10</Amt>', '<Amt Ccy="EUR">12.101</Amt>'),
      line: lineOf('<Amt Ccy="EUR">12.10</Amt>'),
      message: 'más de 2 decimales',
    },
    {
      name: 'entry in another currency than the account',
      xml: sampleWith('<Amt Ccy="EUR">250.00</Amt>', '<Amt Ccy="USD">250.00</Amt>'),
      line: lineOf('<Amt Ccy="EUR">250.00</Amt>'),
      message: 'divisa del apunte distinta de la cuenta (EUR)',
    },
    {
      name: 'IBAN with a wrong check digit',
      xml: sampleWith('ES9121000418450200051332', 'ES9221000418450200051332'),
      line: lineOf('<Acct>'),
      message: 'IBAN no válido / invalid IBAN',
    },
    {
      name: 'unknown CdtDbtInd',
      xml: sampleWith('<CdtDbtInd>DBIT</CdtDbtInd>\n        <Sts>', '<CdtDbtInd>DEBT</CdtDbtInd>\n        <Sts>'),
      line: lineOf('<Amt Ccy="EUR">12.10</Amt>') - 1,
      message: 'CdtDbtInd no válido "DEBT"',
    },
    {
      name: 'no closing balance',
      xml: sampleWith('<Cd>CLBD</Cd>', '<Cd>CLAV</Cd>'),
      line: stmt1,
      message: 'falta el saldo final (Bal CLBD)',
    },
    {
      name: 'malformed AEB code',
      xml: sampleWith('<Cd>04-002</Cd>', '<Cd>4-2</Cd>'),
      line: lineOf('<Prtry><Cd>04-002</Cd>'),
      message: 'código AEB no válido "4-2"',
    },
    {
      name: 'no statement at all',
      xml: `<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>X</MsgId><CreDtTm>2026-12-01T00:00:00</CreDtTm></GrpHdr></BkToCstmrStmt></Document>`,
      line: 1,
      message: 'el fichero no tiene extractos (Stmt)',
    },
  ];

  it.each(cases)('$name', ({ xml, line, message }) => {
    const e = errorOf(xml);
    expect(e.message).toContain(message);
    expect(e.line).toBe(line);
    expect(e.message).toContain(' / ');
  });

  it('the writer refuses a statement whose closing balance does not follow from its movements', () => {
    const bad = { ...EXPECTED[1]!, closingBalanceCents: 3_001 };
    expect(() => writeCamt053([bad])).toThrow('saldo final ≠ saldo inicial + haber − debe');
  });
});
