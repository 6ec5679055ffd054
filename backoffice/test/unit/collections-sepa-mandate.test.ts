/**
 * SEPA mandate rules: the SEPA character set, IBAN/BIC checks, the creditor identifier (AT-02) worked out by
 * hand, what a valid mandate holds, and the sequence type of each collection (FRST, then RCUR, maybe FNAL;
 * OOFF once; lapsed after 36 months without collections).
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '@tpv/shared/prng';
import { checkBic, checkIban, identifierProblem, isIsoDate, toSepaText } from '../../src/collections/sepa/charset';
import { creditorId, creditorIdCheckDigits, mod97, spanishCreditorId, validateCreditorId } from '../../src/collections/sepa/creditor-id';
import { problemsOf } from '../../src/collections/sepa/errors';
import { addMonths, afterCollection, nextSequenceType, planSequenceTypes, UNUSED, validateMandate, type MandateInput, type MandateUsage } from '../../src/collections/sepa/mandate';

describe('SEPA character set', () => {
  it.each([
    ['Panadería Muñoz & Hijos, S.L.', 'Panaderia Munoz + Hijos, S.L.'],
    ['Çà€ 12', 'Ca 12'], // € is outside the set → space, spaces collapsed
    ['Straße Ærø', 'Strasse AEro'],
    ['  a   b  ', 'a b'],
    ['Pago nº 5 — «canon»', 'Pago no 5 canon'], // º → o by compatibility decomposition; — « » are outside the set
    ["O'Brien (Dublin) ?:/-+.,", "O'Brien (Dublin) ?:/-+.,"],
  ])('toSepaText(%j) = %j', (input, out) => expect(toSepaText(input)).toBe(out));

  it('cuts free text at its maximum without a trailing space', () => {
    expect(toSepaText('x'.repeat(200))).toHaveLength(140);
    expect(toSepaText('abcd efgh', 5)).toBe('abcd');
  });

  const name = { es: 'Referencia', en: 'reference' };
  it.each([
    ['M-2026/0001', null],
    ['A'.repeat(35), null],
    ['', 'Referencia sin valor / reference is empty'],
    ['   ', 'Referencia sin valor / reference is empty'],
    ['A'.repeat(36), 'Referencia de más de 35 caracteres / reference longer than 35 characters'],
    ['Mañana-1', 'Referencia con caracteres fuera del juego SEPA / reference has characters outside the SEPA set'],
    ['REF_1', 'Referencia con caracteres fuera del juego SEPA / reference has characters outside the SEPA set'],
    [' REF1', 'Referencia con espacios al principio o al final / reference has leading or trailing spaces'],
    ['/REF1', "Referencia con '/' en un extremo o '//' / reference has '/' at either end or '//'"],
    ['REF1/', "Referencia con '/' en un extremo o '//' / reference has '/' at either end or '//'"],
    ['RE//F1', "Referencia con '/' en un extremo o '//' / reference has '/' at either end or '//'"],
  ])('identifier %j → %s', (value, message) => {
    const p = identifierProblem(value, 'ref', name);
    expect(p?.message ?? null).toBe(message);
    if (p) expect(p).toMatchObject({ code: 'SEPA_INVALID_REFERENCE', path: 'ref' });
  });

  it.each([
    ['2026-02-28', true], ['2024-02-29', true], ['2026-02-29', false], ['2026-13-01', false], ['2026-1-01', false], ['', false],
  ])('isIsoDate(%j) = %s', (d, v) => expect(isIsoDate(d)).toBe(v));
});

describe('IBAN and BIC', () => {
  it.each([
    ['ES91 2100 0418 4502 0005 1332', 'ES9121000418450200051332'],
    ['es7921000813610123456789', 'ES7921000813610123456789'],
    ['DE89370400440532013000', 'DE89370400440532013000'],
    ['FR1420041010050500013M02606', 'FR1420041010050500013M02606'],
    ['GB29NWBK60161331926819', 'GB29NWBK60161331926819'], // outside the EU, inside SEPA
    ['CH9300762011623852957', 'CH9300762011623852957'],
  ])('accepts IBAN %s as %s', (input, iban) => expect(checkIban(input, 'iban')).toEqual({ iban }));

  it.each([
    ['ES9121000418450200051331', 'SEPA_INVALID_IBAN'], // last digit changed: mod 97 is no longer 1
    ['ES91210004184502000513', 'SEPA_INVALID_IBAN'], // too short for Spain (24)
    ['', 'SEPA_INVALID_IBAN'],
    [null, 'SEPA_INVALID_IBAN'],
    ['TR330006100519786457841326', 'SEPA_NOT_SEPA_COUNTRY'],
    ['BR1800360305000010009795493C1', 'SEPA_NOT_SEPA_COUNTRY'],
  ])('refuses IBAN %s (%s)', (input, code) => {
    const r = checkIban(input, 'x.iban');
    expect('problem' in r && r.problem).toMatchObject({ code, path: 'x.iban' });
    if (code === 'SEPA_INVALID_IBAN' && 'problem' in r) expect(r.problem.message).toMatch(/^IBAN no válido \/ invalid IBAN/);
  });

  it.each([
    ['CAIXESBBXXX', 'CAIXESBBXXX'], ['caix esbb', 'CAIXESBB'], ['BSCHESMM', 'BSCHESMM'], [null, null], ['', null], [undefined, null],
  ])('BIC %j → %j', (input, bic) => expect(checkBic(input, 'bic')).toEqual({ bic }));

  it.each(['CAIXES', 'CAIX1SBB', 'CAIXXXBB', 'CAIXES1O', 'CAIXESBBXX'])('refuses BIC %s', (input) => {
    // too short; digit in the country; XX is no country; O at position 8 (ISO 9362 excludes it); 10 characters
    const r = checkBic(input, 'bic');
    expect('problem' in r && r.problem).toMatchObject({ code: 'SEPA_INVALID_BIC', message: `BIC no válido / invalid BIC: '${input}'` });
  });
});

describe('creditor identifier (AT-02)', () => {
  it('matches the Deutsche Bundesbank published example DE98ZZZ09999999999', () => {
    expect(creditorId('DE', '09999999999', 'ZZZ')).toEqual({ ok: true, value: 'DE98ZZZ09999999999' });
    expect(validateCreditorId('DE98ZZZ09999999999').ok).toBe(true);
  });

  it('computes a Spanish identifier from a company NIF, by hand', () => {
    // B12345674 (control 4 of 1234567) + 'ES' + '00', letters as numbers B=11 E=14 S=28: 1112345674142800.
    // Piecewise mod 97: 1112345 = 11467·97 + 46; 46|6741428 = 466741428 = 4811767·97 + 29; 29|00 = 2900 = 29·97 + 87.
    // Check digits 98 − 87 = 11 → ES11 + business code 000 + NIF.
    expect(mod97('1112345674142800')).toBe(87);
    expect(spanishCreditorId('B12345674')).toEqual({ ok: true, value: 'ES11000B12345674' });
    expect(spanishCreditorId('b-12345674', 'ZZZ')).toEqual({ ok: true, value: 'ES11ZZZB12345674' }); // the business code is not checked
  });

  it('computes one from a DNI, by hand', () => {
    // 12345678Z + ES00 → Z=35 E=14 S=28: 1234567835142800. 1234567 = 12727·97 + 48; 48|8351428 = 488351428 =
    // 5034550·97 + 78; 78|00 = 7800 = 80·97 + 40. 98 − 40 = 58.
    expect(creditorIdCheckDigits('ES', '12345678Z')).toBe('58');
    expect(spanishCreditorId('12345678Z')).toEqual({ ok: true, value: 'ES5800012345678Z' });
  });

  it.each([
    ['ES11000B12345674', true],
    ['es11 000 b12345674', true],
    ['ES11ZZZB12345674', true],
    ['ES12000B12345674', false], // wrong check digits
    ['ES11000B12345675', false], // NIF control wrong
    ['ES11000B1234567', false], // 8-character national id
    ['E11000B12345674', false],
    ['', false],
  ])('validateCreditorId(%j) ok = %s', (id, valid) => {
    const r = validateCreditorId(id);
    expect(r.ok).toBe(valid);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'SEPA_INVALID_CREDITOR_ID', message: expect.stringMatching(/^Identificador de acreedor .* \/ creditor identifier /) });
  });

  it.each([
    ['E', '12345678Z', '000'], ['ES', '', '000'], ['DE', '0999', 'ZZ'], ['DE', 'X'.repeat(29), 'ZZZ'],
  ])('refuses to compute from country %j, national id %j, business code %j', (country, national, code) => {
    expect(creditorId(country, national, code)).toMatchObject({ ok: false, error: { code: 'SEPA_INVALID_CREDITOR_ID', message: expect.stringMatching(/^Identificador de acreedor mal formado/) } });
  });

  it('refuses an invalid NIF when computing', () => {
    const r = spanishCreditorId('B12345675');
    expect(!r.ok && r.error.code).toBe('SEPA_INVALID_NIF');
  });

  it('property: computed identifiers validate; any changed digit of id or check digits is caught (seeded)', () => {
    const rnd = seededRandom(1302);
    const pick = (s: string) => s[Math.floor(rnd() * s.length)]!;
    for (let n = 0; n < 300; n++) {
      const country = pick('DFINBA') + pick('ABCDEFGHIJKLMNOPQRSTUVWXYZ'); // never ES (its national id is a NIF)
      const len = 1 + Math.floor(rnd() * 20);
      let national = '';
      for (let i = 0; i < len; i++) national += pick('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ');
      const made = creditorId(country, national, 'ZZZ');
      expect(made.ok).toBe(true);
      if (!made.ok) continue;
      expect(validateCreditorId(made.value)).toMatchObject({ ok: true, value: { country, nationalId: national, businessCode: 'ZZZ' } });
      // A changed digit changes the number by d·10^k with 0 < |d| < 10: 97 is prime and divides neither.
      const digits = [...made.value].map((c, i) => ({ c, i })).filter(({ c, i }) => /\d/.test(c) && (i === 2 || i === 3 || i >= 7));
      if (digits.length === 0) continue;
      const { c, i } = digits[Math.floor(rnd() * digits.length)]!;
      const other = String((Number(c) + 1 + Math.floor(rnd() * 9)) % 10);
      expect(validateCreditorId(made.value.slice(0, i) + other + made.value.slice(i + 1)).ok).toBe(false);
      // The business code is outside the check: any other one still validates.
      expect(validateCreditorId(`${made.value.slice(0, 4)}000${made.value.slice(7)}`).ok).toBe(true);
    }
  });
});

describe('mandate', () => {
  const good: MandateInput = {
    reference: 'MND-2026-0001',
    signedOn: '2026-11-30',
    scheme: 'CORE',
    recurrence: 'recurrent',
    debtorName: 'Panadería Muñoz, S.L.',
    debtorIban: 'ES79 2100 0813 6101 2345 6789',
    debtorBic: 'caixesbbxxx',
    creditorId: 'ES11000B12345674',
  };

  it('accepts a mandate signed today and normalises it', () => {
    expect(validateMandate(good, '2026-11-30')).toEqual({
      ok: true,
      value: { ...good, debtorName: 'Panaderia Munoz, S.L.', debtorIban: 'ES7921000813610123456789', debtorBic: 'CAIXESBBXXX' },
    });
    expect(validateMandate({ ...good, debtorBic: null, scheme: 'B2B', recurrence: 'one-off' }, '2026-12-01').ok).toBe(true);
  });

  it.each([
    [{ signedOn: '2026-12-01' }, 'SEPA_SIGNATURE_IN_FUTURE', 'signedOn', 'La fecha de firma 2026-12-01 es futura / the signature date 2026-12-01 is in the future'],
    [{ signedOn: '2026-02-30' }, 'SEPA_INVALID_DATE', 'signedOn', "Fecha de firma no válida / invalid signature date: '2026-02-30'"],
    [{ reference: 'MND 2026 Ñ' }, 'SEPA_INVALID_REFERENCE', 'reference', 'Referencia del mandato con caracteres fuera del juego SEPA / mandate reference has characters outside the SEPA set'],
    [{ reference: 'R'.repeat(36) }, 'SEPA_INVALID_REFERENCE', 'reference', 'Referencia del mandato de más de 35 caracteres / mandate reference longer than 35 characters'],
    [{ scheme: 'COR1' }, 'SEPA_INVALID_SCHEME', 'scheme', "Esquema no válido (CORE o B2B) / invalid scheme (CORE or B2B): 'COR1'"],
    [{ debtorIban: 'ES7921000813610123456788' }, 'SEPA_INVALID_IBAN', 'debtorIban', "IBAN no válido / invalid IBAN: 'ES7921000813610123456788'"],
    [{ debtorBic: 'CAIXES' }, 'SEPA_INVALID_BIC', 'debtorBic', "BIC no válido / invalid BIC: 'CAIXES'"],
    [{ creditorId: 'ES12000B12345674' }, 'SEPA_INVALID_CREDITOR_ID', 'creditorId', "Identificador de acreedor con dígitos de control incorrectos / creditor identifier with wrong check digits: 'ES12000B12345674'"],
    [{ debtorName: '€€' }, 'SEPA_INVALID_TEXT', 'debtorName', 'Falta el nombre del deudor / debtor name missing'],
  ])('refuses %j with %s', (change, code, path, message) => {
    const r = validateMandate({ ...good, ...change }, '2026-11-30');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe(code);
      expect(r.error.message).toBe(message);
      expect(problemsOf(r.error)).toEqual([{ code, path, message }]);
    }
  });

  it('lists every problem of a mandate at once', () => {
    const r = validateMandate({ ...good, debtorIban: 'ES00', signedOn: '2027-01-01', scheme: 'X' }, '2026-11-30');
    expect(!r.ok && problemsOf(r.error).map((p) => p.path)).toEqual(['signedOn', 'scheme', 'debtorIban']);
    expect(!r.ok && r.error.message).toMatch(/^3 errores \/ errors: signedOn: /);
  });
});

describe('sequence type of the next collection', () => {
  const recurrent = { reference: 'M1', recurrence: 'recurrent' as const, signedOn: '2023-01-10' };
  const oneOff = { ...recurrent, recurrence: 'one-off' as const };
  const used = (n: number, last: string, closed = false): MandateUsage => ({ collections: n, lastCollectionOn: last, closed });

  it.each([
    ['first collection of a recurrent mandate', recurrent, UNUSED, '2023-02-05', false, 'FRST'],
    ['the first stays FRST even when asked to be final', recurrent, UNUSED, '2023-02-05', true, 'FRST'],
    ['after one collection', recurrent, used(1, '2023-02-05'), '2023-03-05', false, 'RCUR'],
    ['final after some', recurrent, used(7, '2023-08-05'), '2023-09-05', true, 'FNAL'],
    ['one-off', oneOff, UNUSED, '2023-02-05', false, 'OOFF'],
    // 2023-01-10 + 36 months = 2026-01-10: still valid on that day, lapsed the day after.
    ['unused for exactly 36 months', recurrent, UNUSED, '2026-01-10', false, 'FRST'],
    // Last collected 2023-02-28 → valid up to 2026-02-28.
    ['36 months after the last collection', recurrent, used(2, '2023-02-28'), '2026-02-28', false, 'RCUR'],
  ])('%s → %s', (_what, mandate, usage, date, final, seq) => {
    expect(nextSequenceType(mandate, usage, date, { final })).toEqual({ ok: true, value: seq });
  });

  it.each([
    ['one-off mandate already used', oneOff, used(1, '2023-02-05'), '2023-03-05', 'SEPA_MANDATE_USED', 'El mandato M1 ya se ha usado por última vez / mandate M1 has already had its last collection'],
    ['after FNAL', recurrent, used(3, '2023-04-05', true), '2023-05-05', 'SEPA_MANDATE_USED', 'El mandato M1 ya se ha usado por última vez / mandate M1 has already had its last collection'],
    ['unused 36 months and a day', recurrent, UNUSED, '2026-01-11', 'SEPA_MANDATE_EXPIRED', 'El mandato M1 caducó: 36 meses sin cobros desde 2023-01-10 / mandate M1 lapsed: 36 months without collections since 2023-01-10'],
    ['36 months and a day after the last', recurrent, used(2, '2023-02-28'), '2026-03-01', 'SEPA_MANDATE_EXPIRED', 'El mandato M1 caducó: 36 meses sin cobros desde 2023-02-28 / mandate M1 lapsed: 36 months without collections since 2023-02-28'],
    ['before the signature', recurrent, UNUSED, '2023-01-09', 'SEPA_INVALID_DATE', 'Cobro del 2023-01-09 anterior a la firma del mandato M1 / collection on 2023-01-09 before mandate M1 was signed'],
    ['a bad date', recurrent, UNUSED, '2023-02-30', 'SEPA_INVALID_DATE', "Fecha de cobro no válida / invalid collection date: '2023-02-30'"],
  ])('refuses %s', (_what, mandate, usage, date, code, message) => {
    expect(nextSequenceType(mandate, usage, date)).toMatchObject({ ok: false, error: { code, message } });
  });

  it.each([
    ['2026-01-31', 1, '2026-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2023-12-15', 36, '2026-12-15'],
    ['2026-11-30', 3, '2027-02-28'],
    ['2026-03-31', -1, '2026-02-28'],
  ])('addMonths(%s, %i) = %s', (d, n, out) => expect(addMonths(d, n)).toBe(out));

  it('property: a recurrent mandate goes FRST, RCUR…, FNAL and then refuses (seeded)', () => {
    const rnd = seededRandom(2026);
    for (let run = 0; run < 100; run++) {
      let usage = UNUSED;
      let date = '2026-01-15';
      const seen: string[] = [];
      const length = 1 + Math.floor(rnd() * 12);
      for (let k = 0; k < length; k++) {
        date = addMonths(date, 1 + Math.floor(rnd() * 3));
        const r = nextSequenceType({ reference: 'M', recurrence: 'recurrent', signedOn: '2026-01-10' }, usage, date, { final: k === length - 1 });
        expect(r.ok).toBe(true);
        if (!r.ok) break;
        seen.push(r.value);
        usage = afterCollection(usage, r.value, date);
      }
      expect(seen[0]).toBe('FRST');
      expect(seen.slice(1, -1).every((s) => s === 'RCUR')).toBe(true);
      if (length > 1) expect(seen.at(-1)).toBe('FNAL');
      expect(usage).toEqual({ collections: length, lastCollectionOn: date, closed: length > 1 });
      if (length > 1) expect(nextSequenceType({ reference: 'M', recurrence: 'recurrent', signedOn: '2026-01-10' }, usage, addMonths(date, 1)).ok).toBe(false);
    }
  });

  it('plans a remittance: several items of one mandate in date order, FRST then RCUR', () => {
    const a = { reference: 'MA', recurrence: 'recurrent' as const, signedOn: '2026-01-10' };
    const b = { reference: 'MB', recurrence: 'recurrent' as const, signedOn: '2026-01-10' };
    const c = { reference: 'MC', recurrence: 'one-off' as const, signedOn: '2026-01-10' };
    const before = new Map([['MB', used(4, '2026-10-05')]]);
    // Input order is not date order: MA's 12-05 item is its first collection (FRST), the 12-20 one RCUR.
    const plan = planSequenceTypes(
      [
        { mandate: a, collectionDate: '2026-12-20' },
        { mandate: b, collectionDate: '2026-12-05', final: true },
        { mandate: a, collectionDate: '2026-12-05' },
        { mandate: c, collectionDate: '2026-12-05' },
      ],
      before,
    );
    expect(plan.ok && plan.value.sequences).toEqual(['RCUR', 'FNAL', 'FRST', 'OOFF']);
    expect(plan.ok && Object.fromEntries(plan.value.usage)).toEqual({
      MA: { collections: 2, lastCollectionOn: '2026-12-20', closed: false },
      MB: { collections: 5, lastCollectionOn: '2026-12-05', closed: true },
      MC: { collections: 1, lastCollectionOn: '2026-12-05', closed: true },
    });
    expect(before.get('MB')).toEqual(used(4, '2026-10-05')); // the caller's map is left alone
  });

  it('refuses a plan that uses a one-off mandate twice, naming the item', () => {
    const c = { reference: 'MC', recurrence: 'one-off' as const, signedOn: '2026-01-10' };
    const plan = planSequenceTypes([{ mandate: c, collectionDate: '2026-12-20' }, { mandate: c, collectionDate: '2026-12-05' }], new Map());
    expect(!plan.ok && problemsOf(plan.error)).toEqual([
      { code: 'SEPA_MANDATE_USED', path: 'items.0.sequence', message: 'El mandato MC ya se ha usado por última vez / mandate MC has already had its last collection' },
    ]);
  });
});
