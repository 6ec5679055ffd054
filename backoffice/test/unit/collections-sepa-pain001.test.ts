/**
 * Supplier payments as pain.001.001.09: valid against the official XSD, one PmtInf per execution date with
 * counts and control sums worked out by hand, payee details, bad input refused, seeded random batches.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '@tpv/shared/prng';
import { problemsOf } from '../../src/collections/sepa/errors';
import { buildPain001, type CreditTransferBatch, type CreditTransferItem } from '../../src/collections/sepa/pain001';
import { children, decimalToCents, PAIN001_XSD, parseXml, textAt, xsdErrors } from '../support/sepa-xml';

const debtor = { name: 'Franquicias Hornos, S.L.', nif: 'B-12345674', iban: 'ES9121000418450200051332', bic: 'CAIXESBBXXX' };
const pay = (n: number, over: Partial<CreditTransferItem> = {}): CreditTransferItem => ({
  endToEndId: `PAG-2026-000${n}`,
  amountCents: 1000,
  creditorName: `Proveedor ${n}`,
  creditorIban: 'ES7921000813610123456789',
  remittanceInfo: `Factura proveedor A-${n}`,
  executionDate: '2026-12-01',
  ...over,
});

const batch: CreditTransferBatch = {
  messageId: 'PAG-B12345674-20261130',
  createdAt: '2026-11-30T09:00:00+01:00',
  debtor,
  items: [
    pay(1, { amountCents: 121000, creditorName: 'Harinas del Júcar, S.A.', creditorBic: 'BSCHESMM' }),
    pay(2, { amountCents: 8995, creditorName: 'Envases Ñ S.L.', creditorIban: 'FR14 2004 1010 0505 0001 3M02 606' }),
    pay(3, { amountCents: 400005, executionDate: '2026-12-15' }),
  ],
};

describe('pain.001.001.09 supplier payments', () => {
  const built = buildPain001(batch);
  if (!built.ok) throw new Error(built.error.message);
  const root = children(parseXml(built.value.xml), 'CstmrCdtTrfInitn')[0]!;

  it('validates against the official XSD (and the check bites)', () => {
    expect(xsdErrors(built.value.xml, PAIN001_XSD)).toBe('');
    expect(xsdErrors(built.value.xml.replace('<PmtMtd>TRF</PmtMtd>', '<PmtMtd>DD</PmtMtd>'), PAIN001_XSD)).toMatch(/PmtMtd/);
  });

  it('groups by execution date with counts and control sums worked out by hand', () => {
    // 2026-12-01: 1,210.00 + 89.95 = 1,299.95 (2 payments); 2026-12-15: 4,000.05 (1). Total 5,300.00 over 3.
    const hdr = children(root, 'GrpHdr')[0]!;
    expect([textAt(hdr, 'MsgId'), textAt(hdr, 'NbOfTxs'), textAt(hdr, 'CtrlSum'), textAt(hdr, 'InitgPty/Nm'), textAt(hdr, 'InitgPty/Id/OrgId/Othr/Id')]).toEqual([
      'PAG-B12345674-20261130', '3', '5300.00', 'Franquicias Hornos, S.L.', 'B12345674',
    ]);
    expect(children(root, 'PmtInf').map((p) => [textAt(p, 'PmtInfId'), textAt(p, 'ReqdExctnDt/Dt'), textAt(p, 'NbOfTxs'), textAt(p, 'CtrlSum')])).toEqual([
      ['PAG-B12345674-20261130-001', '2026-12-01', '2', '1299.95'],
      ['PAG-B12345674-20261130-002', '2026-12-15', '1', '4000.05'],
    ]);
    expect(built.value).toMatchObject({ numberOfTransactions: 3, controlSumCents: 530000 });
    expect(built.value.paymentInfos.map((p) => [p.date, p.numberOfTransactions, p.controlSumCents, p.endToEndIds])).toEqual([
      ['2026-12-01', 2, 129995, ['PAG-2026-0001', 'PAG-2026-0002']],
      ['2026-12-15', 1, 400005, ['PAG-2026-0003']],
    ]);
  });

  it('writes the paying account and each payee', () => {
    const p = children(root, 'PmtInf')[0]!;
    expect([textAt(p, 'PmtMtd'), textAt(p, 'PmtTpInf/SvcLvl/Cd'), textAt(p, 'Dbtr/Nm'), textAt(p, 'DbtrAcct/Id/IBAN'), textAt(p, 'DbtrAgt/FinInstnId/BICFI'), textAt(p, 'ChrgBr')]).toEqual([
      'TRF', 'SEPA', 'Franquicias Hornos, S.L.', 'ES9121000418450200051332', 'CAIXESBBXXX', 'SLEV',
    ]);
    const [a, b] = children(p, 'CdtTrfTxInf') as [Parameters<typeof textAt>[0], Parameters<typeof textAt>[0]];
    expect([textAt(a, 'PmtId/EndToEndId'), textAt(a, 'Amt/InstdAmt'), textAt(a, 'CdtrAgt/FinInstnId/BICFI'), textAt(a, 'Cdtr/Nm'), textAt(a, 'CdtrAcct/Id/IBAN'), textAt(a, 'RmtInf/Ustrd')]).toEqual([
      'PAG-2026-0001', '1210.00', 'BSCHESMM', 'Harinas del Jucar, S.A.', 'ES7921000813610123456789', 'Factura proveedor A-1',
    ]);
    // No BIC: no creditor agent at all (optional in pain.001.001.09).
    expect([textAt(b, 'CdtrAgt/FinInstnId/BICFI'), textAt(b, 'Cdtr/Nm'), textAt(b, 'CdtrAcct/Id/IBAN')]).toEqual([undefined, 'Envases N S.L.', 'FR1420041010050500013M02606']);
    // A paying company without BIC writes NOTPROVIDED as its agent.
    const noBic = buildPain001({ ...batch, debtor: { ...debtor, bic: null } });
    expect(noBic.ok && xsdErrors(noBic.value.xml, PAIN001_XSD)).toBe('');
    expect(noBic.ok && noBic.value.xml).toContain('<Id>NOTPROVIDED</Id>');
  });

  it.each<[string, Partial<CreditTransferBatch>, string, string]>([
    ['an invalid payee IBAN', { items: [pay(1, { creditorIban: 'ES7921000813610123456788' })] }, 'SEPA_INVALID_IBAN', 'items.0.creditorIban'],
    ['an invalid paying IBAN', { debtor: { ...debtor, iban: 'ES00 1234' } }, 'SEPA_INVALID_IBAN', 'debtor.iban'],
    ['a zero amount', { items: [pay(1, { amountCents: 0 })] }, 'SEPA_INVALID_AMOUNT', 'items.0.amountCents'],
    ['a negative amount', { items: [pay(1, { amountCents: -1 })] }, 'SEPA_INVALID_AMOUNT', 'items.0.amountCents'],
    ['an empty remittance text', { items: [pay(1, { remittanceInfo: '' })] }, 'SEPA_EMPTY_REMITTANCE', 'items.0.remittanceInfo'],
    ['a duplicate end-to-end id', { items: [pay(1), pay(2, { endToEndId: 'PAG-2026-0001' })] }, 'SEPA_DUPLICATE_END_TO_END_ID', 'items.1.endToEndId'],
    ['an execution date before the file', { items: [pay(1, { executionDate: '2026-11-29' })] }, 'SEPA_INVALID_DATE', 'items.0.executionDate'],
    ['an impossible execution date', { items: [pay(1, { executionDate: '2026-11-31' })] }, 'SEPA_INVALID_DATE', 'items.0.executionDate'],
    ['a bad payee BIC', { items: [pay(1, { creditorBic: 'BSCH' })] }, 'SEPA_INVALID_BIC', 'items.0.creditorBic'],
    ['a payee without a name', { items: [pay(1, { creditorName: ' ' })] }, 'SEPA_INVALID_TEXT', 'items.0.creditorName'],
    ['no payments', { items: [] }, 'SEPA_NO_ITEMS', 'items'],
  ])('refuses %s', (_what, change, code, path) => {
    const r = buildPain001({ ...batch, ...change });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(problemsOf(r.error).map((p) => [p.code, p.path])).toEqual([[code, path]]);
  });

  it('property: random batches are XSD-valid and their counts and sums add up (seeded)', () => {
    const rnd = seededRandom(13001);
    const ibans = ['ES7921000813610123456789', 'DE89370400440532013000', 'PT50000201231234567890154', 'CH9300762011623852957'];
    for (let run = 0; run < 10; run++) {
      const items = Array.from({ length: 1 + Math.floor(rnd() * 30) }, (_, i) =>
        pay(i, {
          endToEndId: `P-${run}-${i}`,
          amountCents: 1 + Math.floor(rnd() * 2_000_000),
          creditorIban: ibans[Math.floor(rnd() * ibans.length)]!,
          creditorBic: rnd() < 0.5 ? 'BSCHESMMXXX' : null,
          executionDate: `2026-12-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`,
        }),
      );
      const r = buildPain001({ ...batch, messageId: `RND-${run}`, items });
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      expect(xsdErrors(r.value.xml, PAIN001_XSD)).toBe('');
      const xmlRoot = children(parseXml(r.value.xml), 'CstmrCdtTrfInitn')[0]!;
      const total = items.reduce((s, it) => s + it.amountCents, 0);
      expect(decimalToCents(textAt(children(xmlRoot, 'GrpHdr')[0]!, 'CtrlSum')!)).toBe(total);
      const dates = new Set<string>();
      let count = 0;
      for (const b of children(xmlRoot, 'PmtInf')) {
        const txs = children(b, 'CdtTrfTxInf');
        const date = textAt(b, 'ReqdExctnDt/Dt')!;
        expect(dates.has(date)).toBe(false);
        dates.add(date);
        count += txs.length;
        expect(Number(textAt(b, 'NbOfTxs'))).toBe(txs.length);
        expect(decimalToCents(textAt(b, 'CtrlSum')!)).toBe(txs.reduce((s, t) => s + decimalToCents(textAt(t, 'Amt/InstdAmt')!), 0));
        // Every payment is in the block of its own date.
        for (const t of txs) expect(items.find((it) => it.endToEndId === textAt(t, 'PmtId/EndToEndId'))!.executionDate).toBe(date);
      }
      expect(count).toBe(items.length);
      expect(dates).toEqual(new Set(items.map((it) => it.executionDate)));
    }
  });
});
