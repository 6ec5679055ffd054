/**
 * The pain.008.001.02 remittance: valid against the official XSD, one PmtInf per scheme + sequence +
 * collection date with counts and control sums worked out by hand, mandate and amendment details, every bad
 * input refused with its field, and seeded random remittances whose totals add up.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '@tpv/shared/prng';
import { problemsOf } from '../../src/collections/sepa/errors';
import { buildPain008, type DirectDebitItem, type DirectDebitRemittance } from '../../src/collections/sepa/pain008';
import { SEPA_SCHEMES, SEQUENCE_TYPES } from '../../src/collections/sepa/mandate';
import { children, decimalToCents, PAIN008_XSD, parseXml, textAt, xsdErrors } from '../support/sepa-xml';

const creditor = { name: 'Franquicias Hornos, S.L.', nif: 'B12345674', iban: 'ES91 2100 0418 4502 0005 1332', bic: 'CAIXESBBXXX', creditorId: 'ES11000B12345674' };
const item = (n: number, over: Partial<DirectDebitItem> = {}): DirectDebitItem => ({
  endToEndId: `FV-2026-0001${String(n).padStart(2, '0')}-1`,
  amountCents: 1000,
  debtorName: `Cliente ${n}`,
  debtorIban: 'ES7921000813610123456789',
  mandateReference: `MND-${n}`,
  mandateSignedOn: '2026-01-10',
  scheme: 'CORE',
  sequence: 'RCUR',
  collectionDate: '2026-12-05',
  remittanceInfo: `Factura FV-2026-0001${String(n).padStart(2, '0')}`,
  ...over,
});

// The hand-worked remittance: six debits, five blocks.
const remittance: DirectDebitRemittance = {
  messageId: 'REM-B12345674-20261130-01',
  createdAt: '2026-11-30T09:00:00Z',
  creditor,
  items: [
    item(1, { amountCents: 15000, sequence: 'FRST', debtorName: 'Panadería Muñoz & Hijos', debtorBic: 'bschesmm' }),
    item(2, { amountCents: 234567 }),
    item(3, { amountCents: 1 }),
    item(4, { amountCents: 99999, scheme: 'B2B', debtorIban: 'DE89370400440532013000', debtorBic: 'COBADEFFXXX' }),
    item(5, { amountCents: 100000, collectionDate: '2026-12-10' }),
    item(6, {
      amountCents: 5050,
      sequence: 'OOFF',
      amendment: { originalReference: 'MND-OLD-6', originalCreditorId: 'DE98ZZZ09999999999', originalCreditorName: 'Antigua Franquicia', originalDebtorIban: 'ES9121000418450200051332', debtorAgentChanged: true },
    }),
  ],
};

describe('pain.008.001.02 remittance', () => {
  const built = buildPain008(remittance);
  if (!built.ok) throw new Error(built.error.message);
  const doc = built.value;
  const root = children(parseXml(doc.xml), 'CstmrDrctDbtInitn')[0]!;

  it('validates against the official XSD', () => {
    expect(xsdErrors(doc.xml, PAIN008_XSD)).toBe('');
    // The check bites: a transfer's method code or a negative amount is not a valid pain.008.
    expect(xsdErrors(doc.xml.replace('<PmtMtd>DD</PmtMtd>', '<PmtMtd>TRF</PmtMtd>'), PAIN008_XSD)).toMatch(/PmtMtd/);
    expect(xsdErrors(doc.xml.replace('>150.00</InstdAmt>', '>-150.00</InstdAmt>'), PAIN008_XSD)).toMatch(/InstdAmt/);
  });

  it('groups by date, scheme and sequence with counts and control sums worked out by hand', () => {
    // 2026-12-05 CORE FRST: #1 150.00 | CORE RCUR: #2 2,345.67 + #3 0.01 = 2,345.68 | CORE OOFF: #6 50.50
    // | B2B RCUR: #4 999.99 | 2026-12-10 CORE RCUR: #5 1,000.00.
    // Total 150.00 + 2,345.68 + 50.50 + 999.99 + 1,000.00 = 4,546.17 over 6 debits.
    const table = children(root, 'PmtInf').map((p) => [
      textAt(p, 'PmtInfId'), textAt(p, 'ReqdColltnDt'), textAt(p, 'PmtTpInf/LclInstrm/Cd'), textAt(p, 'PmtTpInf/SeqTp'),
      textAt(p, 'NbOfTxs'), textAt(p, 'CtrlSum'), children(p, 'DrctDbtTxInf').map((t) => textAt(t, 'PmtId/EndToEndId')).join(' '),
    ]);
    expect(table).toEqual([
      ['REM-B12345674-20261130-01-001', '2026-12-05', 'CORE', 'FRST', '1', '150.00', 'FV-2026-000101-1'],
      ['REM-B12345674-20261130-01-002', '2026-12-05', 'CORE', 'RCUR', '2', '2345.68', 'FV-2026-000102-1 FV-2026-000103-1'],
      ['REM-B12345674-20261130-01-003', '2026-12-05', 'CORE', 'OOFF', '1', '50.50', 'FV-2026-000106-1'],
      ['REM-B12345674-20261130-01-004', '2026-12-05', 'B2B', 'RCUR', '1', '999.99', 'FV-2026-000104-1'],
      ['REM-B12345674-20261130-01-005', '2026-12-10', 'CORE', 'RCUR', '1', '1000.00', 'FV-2026-000105-1'],
    ]);
    const hdr = children(root, 'GrpHdr')[0]!;
    expect([textAt(hdr, 'MsgId'), textAt(hdr, 'CreDtTm'), textAt(hdr, 'NbOfTxs'), textAt(hdr, 'CtrlSum'), textAt(hdr, 'InitgPty/Id/OrgId/Othr/Id')]).toEqual([
      'REM-B12345674-20261130-01', '2026-11-30T09:00:00Z', '6', '4546.17', 'ES11000B12345674',
    ]);
    expect(doc).toMatchObject({ messageId: remittance.messageId, numberOfTransactions: 6, controlSumCents: 454617 });
    expect(doc.paymentInfos.map((p) => [p.scheme, p.sequence, p.date, p.numberOfTransactions, p.controlSumCents])).toEqual([
      ['CORE', 'FRST', '2026-12-05', 1, 15000],
      ['CORE', 'RCUR', '2026-12-05', 2, 234568],
      ['CORE', 'OOFF', '2026-12-05', 1, 5050],
      ['B2B', 'RCUR', '2026-12-05', 1, 99999],
      ['CORE', 'RCUR', '2026-12-10', 1, 100000],
    ]);
  });

  it('writes the creditor block, the debtor, the mandate and the remittance text of each debit', () => {
    const p = children(root, 'PmtInf')[0]!;
    expect([textAt(p, 'PmtMtd'), textAt(p, 'BtchBookg'), textAt(p, 'PmtTpInf/SvcLvl/Cd'), textAt(p, 'Cdtr/Nm'), textAt(p, 'CdtrAcct/Id/IBAN'), textAt(p, 'CdtrAgt/FinInstnId/BIC'), textAt(p, 'ChrgBr')]).toEqual([
      'DD', 'true', 'SEPA', 'Franquicias Hornos, S.L.', 'ES9121000418450200051332', 'CAIXESBBXXX', 'SLEV',
    ]);
    expect([textAt(p, 'CdtrSchmeId/Id/PrvtId/Othr/Id'), textAt(p, 'CdtrSchmeId/Id/PrvtId/Othr/SchmeNm/Prtry')]).toEqual(['ES11000B12345674', 'SEPA']);
    const tx = children(p, 'DrctDbtTxInf')[0]!;
    const amt = children(tx, 'InstdAmt')[0]!;
    expect([amt.textContent, amt.getAttribute('Ccy')]).toEqual(['150.00', 'EUR']);
    expect([
      textAt(tx, 'DrctDbtTx/MndtRltdInf/MndtId'), textAt(tx, 'DrctDbtTx/MndtRltdInf/DtOfSgntr'), textAt(tx, 'DrctDbtTx/MndtRltdInf/AmdmntInd'),
      textAt(tx, 'DbtrAgt/FinInstnId/BIC'), textAt(tx, 'Dbtr/Nm'), textAt(tx, 'DbtrAcct/Id/IBAN'), textAt(tx, 'RmtInf/Ustrd'),
    ]).toEqual(['MND-1', '2026-01-10', 'false', 'BSCHESMM', 'Panaderia Munoz + Hijos', 'ES7921000813610123456789', 'Factura FV-2026-000101']);
    // Without a BIC the agent is NOTPROVIDED (IBAN-only).
    const noBic = children(children(root, 'PmtInf')[1]!, 'DrctDbtTxInf')[0]!;
    expect([textAt(noBic, 'DbtrAgt/FinInstnId/BIC'), textAt(noBic, 'DbtrAgt/FinInstnId/Othr/Id')]).toEqual([undefined, 'NOTPROVIDED']);
  });

  it('writes an amended mandate with its original details (SMNDA for a change of debtor bank)', () => {
    const tx = children(children(root, 'PmtInf')[2]!, 'DrctDbtTxInf')[0]!;
    const m = 'DrctDbtTx/MndtRltdInf';
    expect([
      textAt(tx, `${m}/AmdmntInd`), textAt(tx, `${m}/AmdmntInfDtls/OrgnlMndtId`), textAt(tx, `${m}/AmdmntInfDtls/OrgnlCdtrSchmeId/Nm`),
      textAt(tx, `${m}/AmdmntInfDtls/OrgnlCdtrSchmeId/Id/PrvtId/Othr/Id`), textAt(tx, `${m}/AmdmntInfDtls/OrgnlDbtrAcct/Id/IBAN`),
      textAt(tx, `${m}/AmdmntInfDtls/OrgnlDbtrAgt/FinInstnId/Othr/Id`),
    ]).toEqual(['true', 'MND-OLD-6', 'Antigua Franquicia', 'DE98ZZZ09999999999', 'ES9121000418450200051332', 'SMNDA']);
    // Only the changed reference: the other original details are left out, and the file is still valid.
    const one = buildPain008({ ...remittance, items: [item(1, { amendment: { originalReference: 'OLD-1' } })] });
    expect(one.ok && xsdErrors(one.value.xml, PAIN008_XSD)).toBe('');
    expect(one.ok && one.value.xml).not.toContain('OrgnlDbtrAcct');
  });

  it.each<[string, (r: DirectDebitRemittance) => DirectDebitRemittance, string, string, string]>([
    ['an invalid debtor IBAN', (r) => ({ ...r, items: [item(1, { debtorIban: 'ES7921000813610123456788' })] }), 'SEPA_INVALID_IBAN', 'items.0.debtorIban', "IBAN no válido / invalid IBAN: 'ES7921000813610123456788'"],
    ['a non-SEPA debtor IBAN', (r) => ({ ...r, items: [item(1, { debtorIban: 'TR330006100519786457841326' })] }), 'SEPA_NOT_SEPA_COUNTRY', 'items.0.debtorIban', 'IBAN de un país fuera de SEPA / IBAN of a non-SEPA country: TR'],
    ['an invalid creditor IBAN', (r) => ({ ...r, creditor: { ...creditor, iban: 'ES00' } }), 'SEPA_INVALID_IBAN', 'creditor.iban', "IBAN no válido / invalid IBAN: 'ES00'"],
    ['a zero amount', (r) => ({ ...r, items: [item(1, { amountCents: 0 })] }), 'SEPA_INVALID_AMOUNT', 'items.0.amountCents', 'Importe no válido (entre 0,01 y 999.999.999,99 €) / invalid amount (0.01 to 999,999,999.99 €): 0'],
    ['a negative amount', (r) => ({ ...r, items: [item(1, { amountCents: -500 })] }), 'SEPA_INVALID_AMOUNT', 'items.0.amountCents', 'Importe no válido (entre 0,01 y 999.999.999,99 €) / invalid amount (0.01 to 999,999,999.99 €): -500'],
    ['a fractional amount', (r) => ({ ...r, items: [item(1, { amountCents: 12.5 })] }), 'SEPA_INVALID_AMOUNT', 'items.0.amountCents', 'Importe no válido (entre 0,01 y 999.999.999,99 €) / invalid amount (0.01 to 999,999,999.99 €): 12.5'],
    ['an amount over 999,999,999.99', (r) => ({ ...r, items: [item(1, { amountCents: 100_000_000_000 })] }), 'SEPA_INVALID_AMOUNT', 'items.0.amountCents', 'Importe no válido (entre 0,01 y 999.999.999,99 €) / invalid amount (0.01 to 999,999,999.99 €): 100000000000'],
    ['an empty remittance text', (r) => ({ ...r, items: [item(1, { remittanceInfo: '  ' })] }), 'SEPA_EMPTY_REMITTANCE', 'items.0.remittanceInfo', 'Concepto vacío / empty remittance information'],
    ['a remittance text of no SEPA character', (r) => ({ ...r, items: [item(1, { remittanceInfo: '€€' })] }), 'SEPA_EMPTY_REMITTANCE', 'items.0.remittanceInfo', 'Concepto vacío / empty remittance information'],
    ['a duplicate end-to-end id', (r) => ({ ...r, items: [item(1), item(2, { endToEndId: item(1).endToEndId })] }), 'SEPA_DUPLICATE_END_TO_END_ID', 'items.1.endToEndId', "Referencia de extremo a extremo repetida / duplicate end-to-end id: 'FV-2026-000101-1'"],
    ['a mandate reference with ñ', (r) => ({ ...r, items: [item(1, { mandateReference: 'MAÑANA-1' })] }), 'SEPA_INVALID_REFERENCE', 'items.0.mandateReference', 'Referencia del mandato con caracteres fuera del juego SEPA / mandate reference has characters outside the SEPA set'],
    ['a mandate signed after the file', (r) => ({ ...r, items: [item(1, { mandateSignedOn: '2026-12-01' })] }), 'SEPA_SIGNATURE_IN_FUTURE', 'items.0.mandateSignedOn', 'Mandato firmado después de crear la remesa / mandate signed after the file was created: 2026-12-01'],
    ['a collection date before the file', (r) => ({ ...r, items: [item(1, { collectionDate: '2026-11-29' })] }), 'SEPA_INVALID_DATE', 'items.0.collectionDate', "Fecha de cobro 2026-11-29 anterior a la creación del fichero / collection date 2026-11-29 before the file's creation"],
    ['a bad sequence type', (r) => ({ ...r, items: [item(1, { sequence: 'LAST' as never })] }), 'SEPA_INVALID_SEQUENCE', 'items.0.sequence', "Tipo de secuencia no válido / invalid sequence type: 'LAST'"],
    ['a bad scheme', (r) => ({ ...r, items: [item(1, { scheme: 'COR1' as never })] }), 'SEPA_INVALID_SCHEME', 'items.0.scheme', "Esquema no válido (CORE o B2B) / invalid scheme (CORE or B2B): 'COR1'"],
    ['a bad debtor BIC', (r) => ({ ...r, items: [item(1, { debtorBic: 'CAIXES' })] }), 'SEPA_INVALID_BIC', 'items.0.debtorBic', "BIC no válido / invalid BIC: 'CAIXES'"],
    ['a wrong creditor identifier', (r) => ({ ...r, creditor: { ...creditor, creditorId: 'ES12000B12345674' } }), 'SEPA_INVALID_CREDITOR_ID', 'creditor.creditorId', "Identificador de acreedor con dígitos de control incorrectos / creditor identifier with wrong check digits: 'ES12000B12345674'"],
    ['no creditor identifier', (r) => ({ ...r, creditor: { ...creditor, creditorId: null } }), 'SEPA_INVALID_CREDITOR_ID', 'creditor.creditorId', "Identificador de acreedor mal formado / creditor identifier malformed: ''"],
    ['a creditor id of another NIF', (r) => ({ ...r, creditor: { ...creditor, creditorId: 'ES5800012345678Z' } }), 'SEPA_INVALID_CREDITOR_ID', 'creditor.creditorId', 'El identificador de acreedor ES5800012345678Z no corresponde al NIF B12345674 / creditor identifier ES5800012345678Z does not match NIF B12345674'],
    ['no items', (r) => ({ ...r, items: [] }), 'SEPA_NO_ITEMS', 'items', 'La remesa no tiene cobros ni pagos / the file has no transactions'],
    ['a message id over 35', (r) => ({ ...r, messageId: 'M'.repeat(36) }), 'SEPA_INVALID_REFERENCE', 'messageId', 'Identificador del mensaje de más de 35 caracteres / message id longer than 35 characters'],
    ['a bad creation time', (r) => ({ ...r, createdAt: '2026-11-30 09:00' }), 'SEPA_INVALID_DATE', 'createdAt', "Fecha de creación no válida / invalid creation date-time: '2026-11-30 09:00'"],
    ['an amendment with nothing original', (r) => ({ ...r, items: [item(1, { amendment: {} })] }), 'SEPA_INVALID_REFERENCE', 'items.0.amendment', 'Modificación del mandato sin datos originales / mandate amendment without original details'],
  ])('refuses %s', (_what, change, code, path, message) => {
    const r = buildPain008(change(remittance));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe(code);
      expect(r.error.message).toBe(message);
      expect(problemsOf(r.error)).toEqual([{ code, path, message }]);
    }
  });

  it('lists every problem of a remittance at once, in field order', () => {
    const r = buildPain008({ ...remittance, items: [item(1, { amountCents: 0 }), item(2, { endToEndId: item(1).endToEndId, debtorIban: 'X' })] });
    expect(!r.ok && problemsOf(r.error).map((p) => `${p.code}@${p.path}`)).toEqual([
      'SEPA_INVALID_AMOUNT@items.0.amountCents', 'SEPA_DUPLICATE_END_TO_END_ID@items.1.endToEndId', 'SEPA_INVALID_IBAN@items.1.debtorIban',
    ]);
    expect(!r.ok && r.error.message).toMatch(/^3 errores \/ errors: items\.0\.amountCents: Importe no válido/);
  });

  it('property: random remittances are XSD-valid and their counts and sums add up (seeded)', () => {
    const rnd = seededRandom(13008);
    const ibans = ['ES7921000813610123456789', 'ES9121000418450200051332', 'DE89370400440532013000', 'FR1420041010050500013M02606', 'IT60X0542811101000000123456', 'NL91ABNA0417164300'];
    const names = ['Muñoz', 'Peña & Cía', 'Café Ñandú', 'Zoë Ørsted', 'Bäckerei Groß', "O'Neill"];
    for (let run = 0; run < 12; run++) {
      const count = 1 + Math.floor(rnd() * 40);
      const items = Array.from({ length: count }, (_, i) =>
        item(i, {
          endToEndId: `E2E-${run}-${i}`,
          amountCents: 1 + Math.floor(rnd() * (rnd() < 0.2 ? 99_999_999_999 : 500_000)),
          debtorName: names[Math.floor(rnd() * names.length)]!,
          debtorIban: ibans[Math.floor(rnd() * ibans.length)]!,
          scheme: SEPA_SCHEMES[Math.floor(rnd() * 2)]!,
          sequence: SEQUENCE_TYPES[Math.floor(rnd() * 4)]!,
          collectionDate: `2026-12-0${1 + Math.floor(rnd() * 3)}`,
        }),
      );
      const r = buildPain008({ ...remittance, messageId: `RND-${run}`, items });
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      expect(xsdErrors(r.value.xml, PAIN008_XSD)).toBe('');
      const xmlRoot = children(parseXml(r.value.xml), 'CstmrDrctDbtInitn')[0]!;
      const blocks = children(xmlRoot, 'PmtInf');
      const total = items.reduce((s, it) => s + it.amountCents, 0);
      expect(decimalToCents(textAt(children(xmlRoot, 'GrpHdr')[0]!, 'CtrlSum')!)).toBe(total);
      expect(Number(textAt(children(xmlRoot, 'GrpHdr')[0]!, 'NbOfTxs'))).toBe(count);
      const keys = new Set<string>();
      let sumOfBlocks = 0;
      const e2e: string[] = [];
      for (const b of blocks) {
        const txs = children(b, 'DrctDbtTxInf');
        const amounts = txs.map((t) => decimalToCents(textAt(t, 'InstdAmt')!));
        expect(Number(textAt(b, 'NbOfTxs'))).toBe(txs.length);
        expect(decimalToCents(textAt(b, 'CtrlSum')!)).toBe(amounts.reduce((s, a) => s + a, 0));
        sumOfBlocks += decimalToCents(textAt(b, 'CtrlSum')!);
        const key = `${textAt(b, 'ReqdColltnDt')}|${textAt(b, 'PmtTpInf/LclInstrm/Cd')}|${textAt(b, 'PmtTpInf/SeqTp')}`;
        expect(keys.has(key)).toBe(false); // one block per scheme + sequence + date
        keys.add(key);
        for (const t of txs) {
          e2e.push(textAt(t, 'PmtId/EndToEndId')!);
          const src = items.find((it) => it.endToEndId === textAt(t, 'PmtId/EndToEndId'))!;
          expect(`${src.collectionDate}|${src.scheme}|${src.sequence}`).toBe(key);
        }
      }
      expect(sumOfBlocks).toBe(total);
      expect(e2e.sort()).toEqual(items.map((it) => it.endToEndId).sort());
    }
  });
});
