/**
 * AEB Norma 43: the shared sample parses to exactly its expected JSON, a two-account file written by hand
 * parses to values worked out below, bad files are refused naming the line, and random statements survive
 * write → parse unchanged (seeded).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNorma43, writeNorma43 } from '../../src/collections/bank/norma43';
import { BankStatementError, type BankStatement } from '../../src/collections/bank/statement';
import { randomInt, randomStatements, seededRandom } from '../support/bank-statements';

const FIXTURES = path.resolve(import.meta.dirname, '../../../../shared/fixtures/bank');
const SAMPLE = readFileSync(path.join(FIXTURES, 'norma43-sample.txt'), 'latin1');
const EXPECTED = JSON.parse(readFileSync(path.join(FIXTURES, 'norma43-sample.expected.json'), 'utf8')) as BankStatement;
const SAMPLE_LINES = SAMPLE.split('\r\n').slice(0, -1);

/** A record from its fields, checked to be exactly 80 characters (so the test cannot build a bad one by accident). */
function rec(...parts: string[]): string {
  const line = parts.join('');
  if (line.length !== 80) throw new Error(`test record is ${line.length} long: ${line}`);
  return line;
}

function file(lines: readonly string[]): string {
  return `${lines.join('\r\n')}\r\n`;
}

/** The sample with line `n` (1-based) replaced. */
function sampleWith(n: number, line: string): string {
  if (line === SAMPLE_LINES[n - 1]) throw new Error(`test edit left line ${n} unchanged`);
  return file(SAMPLE_LINES.map((l, i) => (i === n - 1 ? line : l)));
}

function errorOf(text: string): BankStatementError {
  try {
    parseNorma43(text);
  } catch (e) {
    expect(e).toBeInstanceOf(BankStatementError);
    return e as BankStatementError;
  }
  throw new Error('parseNorma43 accepted a bad file');
}

describe('Norma 43 sample (shared fixture)', () => {
  it('parses to exactly the expected JSON', () => {
    expect(parseNorma43(SAMPLE)).toStrictEqual([EXPECTED]);
  });

  it('parses the same from bytes and from LF line ends', () => {
    expect(parseNorma43(new Uint8Array(Buffer.from(SAMPLE, 'latin1')))).toStrictEqual([EXPECTED]);
    expect(parseNorma43(SAMPLE.replaceAll('\r\n', '\n'))).toStrictEqual([EXPECTED]);
  });

  it('the writer gives back the sample byte for byte', () => {
    expect(writeNorma43([EXPECTED], 'ALIMENTACION RUIZ E HIJOS')).toBe(SAMPLE);
  });

  it('worked totals: 12,345.67 + (482.30 + 1,500.00) − (18.15 + 726.00) = 13,583.82', () => {
    const [s] = parseNorma43(SAMPLE);
    expect(s!.credits).toEqual({ count: 2, totalCents: 48_230 + 150_000 });
    expect(s!.debits).toEqual({ count: 2, totalCents: 1_815 + 72_600 });
    expect(s!.closingBalanceCents).toBe(1_234_567 + 198_230 - 74_415);
  });
});

describe('Norma 43 with two accounts, records 23 (two concepts in one record) and 24', () => {
  // Second account 0049-1500-0512345678 in USD (840), December 2026, opening balance in debit (1) 500.00.
  //   22 credit (2) 800.00, 23 01 with two concepts, 24 01 EUR 736.50 · 22 debit (1) 120.00
  //   closing = −500.00 + 800.00 − 120.00 = 180.00 (credit, 2); 33: 1 debit 120.00, 1 credit 800.00
  // File records: 11 of the sample + 6 here = 17 (the 88 does not count itself).
  const second = [
    rec('11', '0049', '1500', '0512345678', '261201', '261231', '1', '00000000050000', '840', '1', 'EXPORT SL'.padEnd(26), '   '),
    rec('22', '    ', '1500', '261202', '261203', '04', '002', '2', '00000000080000', '0000000001', 'REF1'.padEnd(12), 'INV-USD-1'.padEnd(16)),
    rec('23', '01', 'PAGO CLIENTE'.padEnd(38), 'EXTRANJERO'.padEnd(38)),
    rec('24', '01', '978', '00000000073650', ' '.repeat(59)),
    rec('22', '    ', '1500', '261215', '261215', '17', '900', '1', '00000000012000', '0000000000', '000000000000', ' '.repeat(16)),
    rec('33', '0049', '1500', '0512345678', '00001', '00000000012000', '00001', '00000000080000', '2', '00000000018000', '840', '    '),
  ];
  const text = file([...SAMPLE_LINES.slice(0, -1), ...second, rec('88', '9'.repeat(18), '000017', ' '.repeat(54))]);

  it('parses both accounts in file order', () => {
    const statements = parseNorma43(text);
    expect(statements).toHaveLength(2);
    expect(statements[0]).toStrictEqual(EXPECTED);
    expect(statements[1]).toStrictEqual({
      account: { bank: '0049', office: '1500', number: '0512345678', currency: 'USD' },
      from: '2026-12-01',
      to: '2026-12-31',
      openingBalanceCents: -50_000,
      closingBalanceCents: 18_000,
      debits: { count: 1, totalCents: 12_000 },
      credits: { count: 1, totalCents: 80_000 },
      movements: [
        {
          operationDate: '2026-12-02',
          valueDate: '2026-12-03',
          commonConcept: '04',
          ownConcept: '002',
          amountCents: 80_000,
          document: '0000000001',
          reference1: 'REF1',
          reference2: 'INV-USD-1',
          concepts: ['PAGO CLIENTE', 'EXTRANJERO'],
          equivalence: { currency: 'EUR', amountCents: 73_650 },
        },
        {
          operationDate: '2026-12-15',
          valueDate: '2026-12-15',
          commonConcept: '17',
          ownConcept: '900',
          amountCents: -12_000,
          document: '0000000000',
          reference1: '000000000000',
          reference2: '',
          concepts: [],
        },
      ],
    } satisfies BankStatement);
  });

  it('refuses the 88 when it counts the 88 itself (18 instead of 17)', () => {
    const bad = text.replace(`88${'9'.repeat(18)}000017`, `88${'9'.repeat(18)}000018`);
    const e = errorOf(bad);
    expect(e.line).toBe(18);
    expect(e.message).toContain('declara 18 registros y tiene 17');
  });
});

describe('Norma 43 zero amounts', () => {
  // A zero debit (code 1, amount 0) and a zero opening balance in debit: amounts are 0 (never −0), the movement
  // counts among the debits as the bank's 33 counts it (1 debit, total 0); closing 0 + 0 − 0 = 0.
  const text = file([
    rec('11', '2100', '0418', '0200051332', '261201', '261201', '1', '00000000000000', '978', '3', ' '.repeat(29)),
    rec('22', '    ', '0418', '261201', '261201', '17', '000', '1', '00000000000000', '0000000000', '000000000000', ' '.repeat(16)),
    rec('33', '2100', '0418', '0200051332', '00001', '00000000000000', '00000', '00000000000000', '2', '00000000000000', '978', '    '),
    rec('88', '9'.repeat(18), '000003', ' '.repeat(54)),
  ]);

  it('reads 0, not −0, and counts the zero debit as a debit', () => {
    const [s] = parseNorma43(text);
    expect(Object.is(s!.openingBalanceCents, 0)).toBe(true);
    expect(Object.is(s!.movements[0]!.amountCents, 0)).toBe(true);
    expect(s!.debits).toStrictEqual({ count: 1, totalCents: 0 });
    expect(s!.credits).toStrictEqual({ count: 0, totalCents: 0 });
  });
});

describe('Norma 43 bad files: a clear error naming the line', () => {
  const L = SAMPLE_LINES;
  // Each case: the file, the line the error must name, a fragment of its (bilingual) message.
  const cases: { name: string; text: string; line: number | undefined; message: string }[] = [
    { name: 'record one character short', text: sampleWith(4, L[3]!.slice(0, 79)), line: 4, message: 'mide 79 caracteres, deben ser 80' },
    { name: 'record one character long', text: sampleWith(2, `${L[1]!} `), line: 2, message: 'record is 81 characters long' },
    { name: 'unknown record code', text: sampleWith(3, `44${L[2]!.slice(2)}`), line: 3, message: 'código de registro desconocido "44"' },
    {
      // 33 says debits 744.15; with 744.16 the movements (18.15 + 726.00 = 744.15) no longer match.
      name: '33 debit total not matching the movements',
      text: sampleWith(11, L[10]!.replace('0000200000000074415', '0000200000000074416')),
      line: 11,
      message: 'el total debe declara 2 apuntes / 74416 céntimos y los movimientos suman 2 / 74415',
    },
    {
      name: '33 credit count not matching the movements',
      text: sampleWith(11, L[10]!.replace('0000200000000198230', '0000300000000198230')),
      line: 11,
      message: 'declared credits 3 entries',
    },
    {
      // 12,345.67 + 1,982.30 − 744.15 = 13,583.82; the 33 claims 13,583.83.
      name: 'closing balance not matching opening + credits − debits',
      text: sampleWith(11, L[10]!.replace('200000001358382978', '200000001358383978')),
      line: 11,
      message: 'saldo final 1358383 ≠ saldo inicial 1234567 + haber 198230 − debe 74415 = 1358382',
    },
    {
      // A movement changed from 482.30 to 482.31: the 33 record (line 11) is where the mismatch shows.
      name: 'a movement amount edited',
      text: sampleWith(2, L[1]!.replace('014200000000048230', '014200000000048231')),
      line: 11,
      message: 'el total haber declara 2 apuntes / 198230 céntimos y los movimientos suman 2 / 198231',
    },
    { name: '88 record count wrong', text: sampleWith(12, L[11]!.replace('000011', '000010')), line: 12, message: 'declara 10 registros y tiene 11' },
    { name: '88 without its nines', text: sampleWith(12, L[11]!.replace('999999999999999999', '999999999999999990')), line: 12, message: '18 nueves' },
    { name: 'impossible date (31 November)', text: sampleWith(2, L[1]!.replace('261103261103', '261131261103')), line: 2, message: 'fecha de operación no es una fecha válida: "261131"' },
    { name: 'debit/credit code 3', text: sampleWith(4, `${L[3]!.slice(0, 27)}3${L[3]!.slice(28)}`), line: 4, message: 'código debe/haber de movimiento no válido: "3"' },
    { name: 'letters in an amount', text: sampleWith(4, L[3]!.replace('00000000001815', '0000000000181O')), line: 4, message: 'importe no numérico' },
    { name: '33 of another account', text: sampleWith(11, L[10]!.replace('332100041802000513', '332100041802000514')), line: 11, message: 'no es la de la cabecera de la línea 1' },
    { name: '23 with data code 03 after 01', text: sampleWith(8, L[7]!.replace('2302', '2303')), line: 8, message: 'código de dato 03, se esperaba 02' },
    { name: '23 right after the header', text: file([L[0]!, L[2]!, ...L.slice(1)]), line: 2, message: 'complementary concept (23) without a movement (22)' },
    { name: '22 before any header', text: file([L[1]!, ...L]), line: 1, message: 'movimiento (22) fuera de una cuenta (11)' },
    { name: 'a record after the 88', text: file([...L, L[1]!]), line: 13, message: 'después del fin de fichero' },
    { name: 'no 88 at all', text: file(L.slice(0, -1)), line: undefined, message: 'fichero sin registro de fin (88)' },
    { name: 'no 33 before the 88', text: file([...L.slice(0, 10), L[11]!]), line: 11, message: 'sin final (33)' },
    { name: 'information mode 4', text: sampleWith(1, `${L[0]!.slice(0, 50)}4${L[0]!.slice(51)}`), line: 1, message: 'modalidad de información no válida' },
    { name: 'unknown currency 999', text: sampleWith(1, L[0]!.replace('9783ALIM', '9993ALIM')), line: 1, message: 'divisa desconocida: 999' },
  ];

  it.each(cases)('$name → line $line', ({ text, line, message }) => {
    const e = errorOf(text);
    expect(e.line).toBe(line);
    expect(e.message).toContain(message);
    if (line !== undefined) expect(e.message.startsWith(`Línea ${line} / line ${line}: `)).toBe(true);
    // Every message carries both languages, separated by " / ".
    expect(e.message).toContain(' / ');
  });
});

describe('Norma 43 round trip on random statements (seeded)', () => {
  it('parse(write(statements)) gives the statements back, several accounts per file', () => {
    const rnd = seededRandom(4301);
    for (let run = 0; run < 200; run += 1) {
      const statements = randomStatements(43_000 + run, randomInt(rnd, 1, 4));
      const parsed = parseNorma43(writeNorma43(statements));
      expect(parsed).toStrictEqual(statements);
      for (const s of parsed) {
        expect(s.closingBalanceCents).toBe(s.openingBalanceCents + s.credits.totalCents - s.debits.totalCents);
      }
    }
  });

  it('changing any one digit of a movement amount is caught by the 33 totals', () => {
    const rnd = seededRandom(4302);
    let tried = 0;
    for (let run = 0; tried < 200; run += 1) {
      const [s] = randomStatements(44_000 + run, 1);
      if (s!.movements.length === 0) continue;
      const lines = writeNorma43([s!]).split('\r\n');
      const movementLines = lines.map((l, i) => (l.startsWith('22') ? i : -1)).filter((i) => i >= 0);
      const target = movementLines[randomInt(rnd, 0, movementLines.length - 1)]!;
      const column = randomInt(rnd, 29, 42); // the 14 amount digits (1-based columns 29–42)
      const old = lines[target]![column - 1]!;
      const digit = String((Number(old) + randomInt(rnd, 1, 9)) % 10);
      lines[target] = `${lines[target]!.slice(0, column - 1)}${digit}${lines[target]!.slice(column)}`;
      const e = errorOf(lines.join('\r\n'));
      const line33 = lines.findIndex((l) => l.startsWith('33')) + 1;
      expect(e.line).toBe(line33);
      tried += 1;
    }
  });
});
