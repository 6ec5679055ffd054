/**
 * The statement helpers: CCC control digits and IBANs worked by hand, and the movement keys that let the
 * import refuse a movement it already holds (same file twice, overlapping statements, equal movements).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNorma43 } from '../../src/collections/bank/norma43';
import { parseStatementFile } from '../../src/collections/bank/statement-file';
import {
  BankStatementError,
  accountFromIban,
  cccControlDigits,
  currencyFromNumeric,
  ibanOf,
  movementKey,
  movementKeys,
  statementKey,
  totalsOf,
  type BankMovement,
  type BankStatement,
} from '../../src/collections/bank/statement';
import { randomStatements } from '../support/bank-statements';

const SAMPLE = readFileSync(path.resolve(import.meta.dirname, '../../../../shared/fixtures/bank/norma43-sample.txt'), 'latin1');

describe('Spanish account numbers', () => {
  // DC of 2100-0418-··-0200051332, weights 1 2 4 8 5 10 9 7 3 6:
  //   first over 00 2100 0418: 0+0+2·4+1·8+0+0+0+4·7+1·3+8·6 = 8+8+28+3+48 = 95; 95 mod 11 = 7; 11−7 = 4
  //   second over 0200051332:  2·2+5·10+1·9+3·7+3·3+2·6 = 4+50+9+21+9+12 = 105; 105 mod 11 = 6; 11−6 = 5
  // IBAN: ES + 00 → BBAN 21000418450200051332 + "142800" mod 97 = 7 → check 98 − 7 = 91 (ES91…, the classic example).
  const cases: { bank: string; office: string; number: string; dc: string; iban: string }[] = [
    { bank: '2100', office: '0418', number: '0200051332', dc: '45', iban: 'ES9121000418450200051332' },
    // 0000 0000 / 0000000000: both sums 0, 11 − 0 = 11 → 0: DC 00; 142800 mod 97 = 16 → ES82.
    { bank: '0000', office: '0000', number: '0000000000', dc: '00', iban: 'ES8200000000000000000000' },
    // 0049 1500 / 0512345678: first over 0000491500: 4·5+9·10+1·9+5·7 = 20+90+9+35 = 154 = 14·11 → 11 → 0;
    //   second 0·1+5·2+1·4+2·8+3·5+4·10+5·9+6·7+7·3+8·6 = 241; 241 mod 11 = 10; 11−10 = 1 → DC 01;
    //   00491500010512345678142800 mod 97 = 28 → 98 − 28 = 70.
    { bank: '0049', office: '1500', number: '0512345678', dc: '01', iban: 'ES7000491500010512345678' },
  ];

  it.each(cases)('$bank-$office-$number → DC $dc, $iban', ({ bank, office, number, dc, iban }) => {
    expect(cccControlDigits(bank, office, number)).toBe(dc);
    expect(ibanOf({ bank, office, number, currency: 'EUR' })).toBe(iban);
    expect(accountFromIban(iban, 'EUR')).toStrictEqual({ bank, office, number, currency: 'EUR' });
  });

  it('reads an IBAN with spaces and lower case, keeps a foreign one whole', () => {
    expect(accountFromIban('es91 2100 0418 4502 0005 1332', 'EUR')).toStrictEqual({ bank: '2100', office: '0418', number: '0200051332', currency: 'EUR' });
    expect(accountFromIban('DE89 3704 0044 0532 0130 00', 'EUR')).toStrictEqual({ bank: '', office: '', number: '', currency: 'EUR', iban: 'DE89370400440532013000' });
    expect(ibanOf({ bank: '', office: '', number: '', currency: 'EUR', iban: 'DE89370400440532013000' })).toBe('DE89370400440532013000');
  });

  it('refuses a bad IBAN or CCC with a bilingual message', () => {
    expect(() => accountFromIban('ES9221000418450200051332', 'EUR')).toThrow('IBAN no válido / invalid IBAN');
    // IBAN check digits right (29, recomputed for it) but the inner DC wrong (46 instead of 45): refused too
    // (ibantools checks the Spanish DC; accountFromIban checks it again for IBANs read from bank files).
    expect(() => accountFromIban('ES2921000418460200051332', 'EUR')).toThrow('invalid IBAN');
    expect(() => cccControlDigits('210', '0418', '0200051332')).toThrow(BankStatementError);
  });

  it('maps the Norma 43 numeric currency codes', () => {
    expect(currencyFromNumeric('978')).toBe('EUR');
    expect(currencyFromNumeric('840')).toBe('USD');
    expect(currencyFromNumeric('000')).toBeUndefined();
  });
});

describe('totalsOf', () => {
  it('sums absolute debits and credits apart', () => {
    const m = (amountCents: number) => ({ amountCents }) as BankMovement;
    // debits 18.15 + 726.00 = 744.15; credits 482.30 + 1,500.00 = 1,982.30
    expect(totalsOf([m(48_230), m(-1_815), m(150_000), m(-72_600)])).toStrictEqual({
      debits: { count: 2, totalCents: 74_415 },
      credits: { count: 2, totalCents: 198_230 },
    });
    expect(totalsOf([])).toStrictEqual({ debits: { count: 0, totalCents: 0 }, credits: { count: 0, totalCents: 0 } });
  });
});

describe('movement keys', () => {
  const [sample] = parseNorma43(SAMPLE) as [BankStatement];

  it('is the SHA-256 of account|currency|dates|amount|concept codes|document|references|occurrence (stored: must not drift)', () => {
    const input = '21000418' + '0200051332|EUR|2026-11-03|2026-11-03|48230|02|014|0000000000|000000000000|ZM001-20261102|0';
    expect(movementKey(sample.account, sample.movements[0]!, 0)).toBe(createHash('sha256').update(input, 'utf8').digest('hex'));
  });

  it('the same file parsed twice gives the same keys and statement key', () => {
    const again = parseNorma43(SAMPLE)[0]!;
    expect(movementKeys(again)).toStrictEqual(movementKeys(sample));
    expect(statementKey(again)).toBe(statementKey(sample));
    expect(new Set(movementKeys(sample)).size).toBe(4);
  });

  it('two identical movements in one statement get different keys; an overlapping statement finds both again', () => {
    const fee: BankMovement = { ...sample.movements[1]! };
    const twice: BankStatement = { ...sample, movements: [sample.movements[0]!, fee, { ...fee }] };
    const keys = movementKeys(twice);
    expect(keys[1]).not.toBe(keys[2]);
    // The monthly file holds the same two fees after other movements: same keys, whatever their index.
    const monthly: BankStatement = { ...sample, movements: [sample.movements[2]!, { ...fee }, sample.movements[3]!, { ...fee }] };
    const monthlyKeys = movementKeys(monthly);
    expect(monthlyKeys[1]).toBe(keys[1]);
    expect(monthlyKeys[3]).toBe(keys[2]);
  });

  it('changes with each identifying field and not with the free concept text', () => {
    const base = sample.movements[2]!;
    const k = movementKey(sample.account, base, 0);
    const variants: Partial<BankMovement>[] = [
      { operationDate: '2026-11-11' },
      { valueDate: '2026-11-11' },
      { amountCents: base.amountCents + 1 },
      { amountCents: -base.amountCents },
      { commonConcept: '04' },
      { ownConcept: '111' },
      { document: '0000000001' },
      { reference1: 'RMS202611002' },
      { reference2: 'FHQ-26/000018' },
    ];
    for (const v of variants) expect(movementKey(sample.account, { ...base, ...v }, 0)).not.toBe(k);
    expect(movementKey({ ...sample.account, number: '0200051333' }, base, 0)).not.toBe(k);
    expect(movementKey({ ...sample.account, currency: 'USD' }, base, 0)).not.toBe(k);
    expect(movementKey(sample.account, base, 1)).not.toBe(k);
    expect(movementKey(sample.account, { ...base, concepts: ['OTRO TEXTO'] }, 0)).toBe(k);
  });

  it('random statements: keys are 64 hex characters and unique within a statement (seeded)', () => {
    for (const s of randomStatements(7001, 300)) {
      const keys = movementKeys(s);
      for (const key of keys) expect(key).toMatch(/^[0-9a-f]{64}$/);
      expect(new Set(keys).size).toBe(keys.length);
    }
  });
});

describe('parseStatementFile: either format', () => {
  const camt = readFileSync(path.resolve(import.meta.dirname, '../fixtures/bank/camt053-sample.xml'), 'utf8');

  it('reads Norma 43 text and Latin-1 bytes as Norma 43', () => {
    const expected = parseNorma43(SAMPLE);
    expect(parseStatementFile(SAMPLE)).toStrictEqual({ format: 'norma43', statements: expected });
    expect(parseStatementFile(new Uint8Array(Buffer.from(SAMPLE, 'latin1')))).toStrictEqual({ format: 'norma43', statements: expected });
  });

  it('reads XML (with a UTF-8 byte-order mark too) as camt.053', () => {
    const parsed = parseStatementFile(camt);
    expect(parsed.format).toBe('camt053');
    expect(parsed.statements).toHaveLength(2);
    const withBom = new Uint8Array(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(camt, 'utf8')]));
    expect(parseStatementFile(withBom)).toStrictEqual(parsed);
  });

  it('a file in neither format gets the Norma 43 error naming line 1', () => {
    expect(() => parseStatementFile('hola\n')).toThrow('Línea 1 / line 1: el registro mide 4 caracteres, deben ser 80');
  });
});
