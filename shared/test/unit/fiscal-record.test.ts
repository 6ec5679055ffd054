import { describe, expect, it } from 'vitest';
import {
  computeRecordHash,
  createAlta,
  createAnulacion,
  formatAeatAmount,
  verifyChain,
  type AltaInput,
  type FiscalRecord,
} from '../../src/fiscal/record';
import { unwrap } from '../../src/result';

describe('formatAeatAmount', () => {
  it.each([
    [12345, '123.45'],
    [-5, '-0.05'],
    [0, '0.00'],
    [1, '0.01'],
    [10, '0.10'],
    [100, '1.00'],
    [-12345, '-123.45'],
    [300000, '3000.00'],
    [123456789012, '1234567890.12'],
  ])('%i → %s', (cents, text) => {
    expect(formatAeatAmount(cents)).toBe(text);
  });

  it('throws on non-integers (a bug, not input)', () => {
    expect(() => formatAeatAmount(1.5)).toThrow(RangeError);
    expect(() => formatAeatAmount(Number.NaN)).toThrow(RangeError);
  });
});

// 2026-03-02T10:00:00+01:00 and then one record per minute.
const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);
const alta = (n: number, over: Partial<AltaInput> = {}): AltaInput => ({
  installation: 'M001-01',
  issuerNif: 'B12345674',
  invoiceNumber: `M00101-26T/${String(n).padStart(6, '0')}`,
  invoiceType: 'F2',
  taxCents: 174,
  totalCents: 1000,
  generatedAtMs: T0 + n * 60_000,
  ...over,
});

function buildChain(): FiscalRecord[] {
  const chain: FiscalRecord[] = [];
  const push = (r: FiscalRecord) => chain.push(r);
  const last = () => chain[chain.length - 1] ?? null;
  push(unwrap(createAlta(alta(1), last())));
  push(unwrap(createAlta(alta(2, { taxCents: 2100, totalCents: 12100 }), last())));
  push(unwrap(createAlta(alta(3), last())));
  push(
    unwrap(
      createAlta(
        alta(1, {
          invoiceNumber: 'M00101-26R/000001',
          invoiceType: 'R5',
          taxCents: -174,
          totalCents: -1000,
          generatedAtMs: T0 + 4 * 60_000,
          rectified: { invoiceNumber: 'M00101-26T/000001', issueDate: '02-03-2026' },
        }),
        last(),
      ),
    ),
  );
  push(
    unwrap(
      createAnulacion(
        { installation: 'M001-01', issuerNif: 'B12345674', invoiceNumber: 'M00101-26T/000003', issueDate: '02-03-2026', generatedAtMs: T0 + 5 * 60_000 },
        last(),
      ),
    ),
  );
  push(unwrap(createAlta(alta(4, { generatedAtMs: T0 + 6 * 60_000 }), last())));
  return chain;
}

describe('createAlta', () => {
  it('fills the record from integer cents and the clock, in Madrid time by default', () => {
    const r = unwrap(createAlta(alta(1), null));
    expect(r).toMatchObject({
      kind: 'alta',
      issueDate: '02-03-2026',
      generatedAt: '2026-03-02T10:01:00+01:00',
      taxTotal: '1.74',
      grandTotal: '10.00',
      invoiceType: 'F2',
      previousHash: '',
    });
    expect(r.hash).toMatch(/^[0-9A-F]{64}$/);
    expect(r.hash).toBe(computeRecordHash(r));
    expect('rectified' in r).toBe(false);
  });

  it('uses the installation time zone (Canaries one hour behind)', () => {
    const r = unwrap(createAlta(alta(1, { timeZone: 'Atlantic/Canary' }), null));
    expect(r.generatedAt).toBe('2026-03-02T09:01:00+00:00');
  });

  it('keeps an explicit issue date', () => {
    expect(unwrap(createAlta(alta(1, { issueDate: '01-03-2026' }), null)).issueDate).toBe('01-03-2026');
  });

  it('chains to the previous hash', () => {
    const first = unwrap(createAlta(alta(1), null));
    const second = unwrap(createAlta(alta(2), first));
    expect(second.previousHash).toBe(first.hash);
  });

  it.each([
    ['F2 at the 3,000 € limit is fine', alta(1, { totalCents: 300000, taxCents: 52066 }), null],
    ['F2 one cent over', alta(1, { totalCents: 300001 }), 'SIMPLIFIED_INVOICE_OVER_LIMIT'],
    ['F2 over a 400 € sector limit', alta(1, { totalCents: 40001, simplifiedLimitCents: 400_00 }), 'SIMPLIFIED_INVOICE_OVER_LIMIT'],
    ['F2 at a 400 € sector limit', alta(1, { totalCents: 40000, simplifiedLimitCents: 400_00 }), null],
    ['F1 has no limit', alta(1, { invoiceType: 'F1', totalCents: 1_000_000 }), null],
    ['fractional cents', alta(1, { totalCents: 10.5 }), 'FISCAL_AMOUNT_INVALID'],
    ['bad NIF', alta(1, { issuerNif: 'B1234' }), 'FISCAL_NIF_INVALID'],
    ['empty invoice number', alta(1, { invoiceNumber: ' ' }), 'FISCAL_INVOICE_NUMBER_INVALID'],
    ['61-char invoice number', alta(1, { invoiceNumber: 'X'.repeat(61) }), 'FISCAL_INVOICE_NUMBER_INVALID'],
    ['empty installation', alta(1, { installation: '' }), 'FISCAL_INSTALLATION_INVALID'],
    ['impossible issue date', alta(1, { issueDate: '30-02-2026' }), 'FISCAL_DATE_INVALID'],
    ['ISO issue date', alta(1, { issueDate: '2026-03-02' }), 'FISCAL_DATE_INVALID'],
    ['R5 without rectified', alta(1, { invoiceType: 'R5', totalCents: -100 }), 'FISCAL_RECTIFIED_REQUIRED'],
    ['F2 with rectified', alta(1, { rectified: { invoiceNumber: 'X/1', issueDate: '01-01-2026' } }), 'FISCAL_RECTIFIED_NOT_ALLOWED'],
    ['R5 with bad rectified date', alta(1, { invoiceType: 'R5', rectified: { invoiceNumber: 'X/1', issueDate: '1-1-2026' } }), 'FISCAL_DATE_INVALID'],
  ] as const)('%s', (_name, input, code) => {
    const r = createAlta(input, null);
    if (code === null) expect(r.ok).toBe(true);
    else expect(r.ok ? null : r.error.code).toBe(code);
  });

  it('rejects a previous hash that is not 64 uppercase hex', () => {
    const r = createAlta(alta(2), { hash: 'abc' });
    expect(r.ok ? null : r.error.code).toBe('FISCAL_PREVIOUS_HASH_INVALID');
  });

  it('R5 records carry the rectified invoice and negative amounts', () => {
    const r5 = buildChain()[3]!;
    expect(r5).toMatchObject({
      invoiceType: 'R5',
      taxTotal: '-1.74',
      grandTotal: '-10.00',
      rectified: { invoiceNumber: 'M00101-26T/000001', issueDate: '02-03-2026' },
    });
  });
});

describe('createAnulacion', () => {
  it('rejects a bad cancelled-invoice date', () => {
    const r = createAnulacion({ installation: 'I', issuerNif: 'B12345674', invoiceNumber: 'A/1', issueDate: '2026-03-02', generatedAtMs: T0 }, null);
    expect(r.ok ? null : r.error.code).toBe('FISCAL_DATE_INVALID');
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain of altas, an R5 and an anulación', () => {
    const chain = buildChain();
    expect(chain.map((r) => r.kind)).toEqual(['alta', 'alta', 'alta', 'alta', 'anulacion', 'alta']);
    expect(verifyChain(chain)).toEqual({ ok: true, value: { verified: 6, lastHash: chain[5]!.hash } });
  });

  it('accepts the empty chain', () => {
    expect(verifyChain([])).toEqual({ ok: true, value: { verified: 0, lastHash: '' } });
  });

  it('verifies in batches with startHash', () => {
    const chain = buildChain();
    const first = unwrap(verifyChain(chain.slice(0, 2)));
    expect(unwrap(verifyChain(chain.slice(2), first.lastHash)).verified).toBe(4);
    const wrongStart = verifyChain(chain.slice(2));
    expect(wrongStart.ok ? null : [wrongStart.error.index, wrongStart.error.reason]).toEqual([0, 'PREVIOUS_HASH_MISMATCH']);
  });

  it('reports an altered amount as HASH_MISMATCH at that record', () => {
    const chain = buildChain();
    chain[2] = { ...chain[2]!, grandTotal: '100.00' };
    const r = verifyChain(chain);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatchObject({ index: 2, reason: 'HASH_MISMATCH', code: 'HASH_MISMATCH', actual: buildChain()[2]!.hash });
      expect(r.error.expected).not.toBe(r.error.actual);
    }
  });

  it('reports an altered-and-rehashed record at the next link', () => {
    const chain = buildChain();
    const forged = { ...chain[2]!, grandTotal: '100.00' };
    forged.hash = computeRecordHash(forged);
    chain[2] = forged;
    const r = verifyChain(chain);
    expect(r.ok ? null : [r.error.index, r.error.reason]).toEqual([3, 'PREVIOUS_HASH_MISMATCH']);
  });

  it('reports a removed record as PREVIOUS_HASH_MISMATCH where the gap is', () => {
    const chain = buildChain();
    const removed = chain.splice(3, 1)[0]!;
    const r = verifyChain(chain);
    expect(r.ok ? null : r.error).toMatchObject({ index: 3, reason: 'PREVIOUS_HASH_MISMATCH', expected: chain[2]!.hash, actual: removed.hash });
  });

  it('reports a removed first record', () => {
    const r = verifyChain(buildChain().slice(1));
    expect(r.ok ? null : r.error).toMatchObject({ index: 0, reason: 'PREVIOUS_HASH_MISMATCH', expected: '' });
  });

  it('reports reordered records at the first swapped position', () => {
    const chain = buildChain();
    [chain[1], chain[2]] = [chain[2]!, chain[1]!];
    const r = verifyChain(chain);
    expect(r.ok ? null : [r.error.index, r.error.reason]).toEqual([1, 'PREVIOUS_HASH_MISMATCH']);
  });

  it('detects a changed date, type, kind or previous hash', () => {
    const cases: ((r: FiscalRecord) => FiscalRecord)[] = [
      (r) => ({ ...r, generatedAt: r.generatedAt.replace('+01:00', '+02:00') }),
      (r) => ({ ...r, invoiceType: 'F1' }),
      (r) => ({ ...r, kind: 'anulacion' }),
      (r) => ({ ...r, previousHash: '0'.repeat(64) }),
      (r) => ({ ...r, issuerNif: 'A00000000' }),
    ];
    for (const change of cases) {
      const chain = buildChain();
      chain[1] = change(chain[1]!);
      const r = verifyChain(chain);
      expect(r.ok ? null : [r.error.index, r.error.reason]).toEqual([1, 'HASH_MISMATCH']);
    }
  });
});
