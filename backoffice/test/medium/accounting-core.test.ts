/**
 * The accounting core on both engines: an invoice posted at HQ writes its issuer's entry in the same
 * transaction (430 / 700 / 477, figures worked out by hand); it posts once; a month locked moves a late
 * document into the next open month and refuses a manual entry there; an unbalanced entry is refused and
 * writes nothing; a reversal mirrors the entry; balances equal the sums of their lines; a rule on an account
 * of the wrong kind is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { engines, F, seedFranchise } from '../support/harness';
import { insertDraftInvoice, postInvoice, type DraftInvoiceInput } from '../../src/invoicing/posting';
import { writeTransaction } from '../../src/persistence/raw';
import { all, one } from '../../src/persistence/sql';
import type { DocumentActor } from '../../src/platform/actor';
import { installDocumentReactions } from '../../src/platform/document-events';
import { accountingModule } from '../../src/accounting/module';
import { entriesOfSource, entryLines, postEntry, reverseEntry } from '../../src/accounting/core/journal';
import { lockPeriod } from '../../src/accounting/core/periods';
import { setRule } from '../../src/accounting/core/rules';

const clock = { now: () => Date.UTC(2026, 10, 30, 9, 0, 0) };
const hq: DocumentActor = { kind: 'user', user: { id: '00000000-0000-7000-8000-00000000000a', email: 'hq@test.demo', name: 'HQ', role: 'hq_admin', companyId: null, storeId: null, companyIds: [] } };

const draft = (over: Partial<DraftInvoiceInput> = {}): DraftInvoiceInput => ({
  companyId: F.franchisor.id,
  invoiceType: 'F1',
  source: 'manual',
  recipient: { companyId: F.ruiz.id, nif: F.ruiz.nif, name: 'Ruiz S.L.', address: 'Calle 1, 28001 Madrid' },
  paymentDays: [30],
  // Goods 100,00 at 21 % (IVA 21,00) and 50,00 at 10 % (IVA 5,00): total 176,00.
  lines: [
    { description: 'Cajas de cartón', productId: null, quantityMilli: 2000, unitPriceCents: 5_000, ivaRateBp: 2100 },
    { description: 'Formación', quantityMilli: 1000, unitPriceCents: 5_000, ivaRateBp: 1000 },
  ],
  ...over,
});

describe.each(engines)('accounting core on $name', (engine) => {
  let ds: DataSource;
  let teardown: () => Promise<void>;
  const post = async (d: DraftInvoiceInput, issueDate?: string) => {
    const { id } = await writeTransaction(ds, (m) => insertDraftInvoice(m, clock, hq, d));
    await writeTransaction(ds, (m) => postInvoice(m, clock, hq, id, issueDate ? { issueDate } : {}));
    return id;
  };
  const lines = async (entryId: string) => (await entryLines(ds.manager, entryId)).map((l) => [l.account, l.debitCents, l.creditCents]);

  beforeAll(async () => {
    ({ ds, teardown } = await engine.open());
    await seedFranchise(ds);
    installDocumentReactions(ds, accountingModule.reactions ?? []);
  });
  afterAll(async () => teardown?.());

  // The recipient company (Ruiz) posts its own entry of the invoice too (documents part): here, the issuer's.
  it("posts an invoice's entry in the issuer's books with the invoice, once", async () => {
    const id = await post(draft(), '2026-11-30');
    const entries = (await entriesOfSource(ds.manager, 'invoice', id)).filter((x) => x.companyId === F.franchisor.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ companyId: F.franchisor.id, entryDate: '2026-11-30', kind: 'invoice', totalCents: 17_600 });
    // Both lines have no product: services (705) at their rates; the recipient company gets sub-account 43000001.
    expect(await lines(entries[0]!.id)).toEqual([
      ['43000001', 17_600, 0],
      ['70502100', 0, 10_000],
      ['47702100', 0, 2_100],
      ['70501000', 0, 5_000],
      ['47701000', 0, 500],
    ]);
    const acc = await one<{ name: string; counterparty_id: string }>(ds.manager, `SELECT name, counterparty_id FROM acc_account WHERE company_id = ? AND code = '43000001'`, [F.franchisor.id]);
    expect(acc).toEqual({ name: 'Ruiz S.L.', counterparty_id: F.ruiz.id });
    // Posting the same document again answers the same entry and writes nothing.
    const again = await writeTransaction(ds, (m) => postEntry(m, clock, { companyId: F.franchisor.id, date: '2026-11-30', kind: 'invoice', description: 'x', lines: [], source: { type: 'invoice', id }, mode: 'document', by: null }));
    expect(again).toMatchObject({ id: entries[0]!.id, existing: true });
  });

  it('moves a late document into the first open month, refuses a manual entry in a locked one', async () => {
    await writeTransaction(ds, async (m) => {
      await lockPeriod(m, clock, F.franchisor.id, '2026-10', null);
    });
    const id = await post(draft(), '2026-10-31');
    const [e] = (await entriesOfSource(ds.manager, 'invoice', id)).filter((x) => x.companyId === F.franchisor.id);
    expect(e).toMatchObject({ entryDate: '2026-11-01' });
    const row = await one<{ document_date: string; period: string }>(ds.manager, `SELECT document_date, period FROM acc_entry WHERE id = ?`, [e!.id]);
    expect(row).toEqual({ document_date: '2026-10-31', period: '2026-11' });
    const before = await one<{ n: unknown }>(ds.manager, `SELECT COUNT(*) AS n FROM acc_entry`);
    await expect(
      writeTransaction(ds, (m) =>
        postEntry(m, clock, {
          companyId: F.franchisor.id, date: '2026-10-15', kind: 'manual', description: 'Alquiler octubre', mode: 'manual', by: null,
          lines: [{ account: '62100000', debitCents: 1000, creditCents: 0 }, { account: '57200000', debitCents: 0, creditCents: 1000 }],
        }),
      ),
    ).rejects.toMatchObject({ problem: { status: 409, code: 'PERIOD_LOCKED' } });
    expect(await one<{ n: unknown }>(ds.manager, `SELECT COUNT(*) AS n FROM acc_entry`)).toEqual(before);
  });

  it('refuses an unbalanced manual entry naming the difference, writing nothing', async () => {
    const before = await one<{ n: unknown }>(ds.manager, `SELECT COUNT(*) AS n FROM acc_line`);
    await expect(
      writeTransaction(ds, (m) =>
        postEntry(m, clock, {
          companyId: F.ruiz.id, date: '2026-11-15', kind: 'manual', description: 'Descuadrado', mode: 'manual', by: null,
          lines: [{ account: '62900000', debitCents: 1000, creditCents: 0 }, { account: '57000000', debitCents: 0, creditCents: 999 }],
        }),
      ),
    ).rejects.toMatchObject({ problem: { status: 422, code: 'ENTRY_UNBALANCED', detail: expect.stringContaining('0.01') } });
    expect(await one<{ n: unknown }>(ds.manager, `SELECT COUNT(*) AS n FROM acc_line`)).toEqual(before);
  });

  it('reverses an entry once with its mirror, and keeps balances equal to the lines', async () => {
    const e = await writeTransaction(ds, (m) =>
      postEntry(m, clock, {
        companyId: F.ruiz.id, date: '2026-11-20', kind: 'manual', description: 'Alquiler noviembre', mode: 'manual', by: null,
        lines: [{ account: '62100000', debitCents: 80_000, creditCents: 0, storeId: F.storeM1.id }, { account: '57200000', debitCents: 0, creditCents: 80_000 }],
      }),
    );
    const r = await writeTransaction(ds, (m) => reverseEntry(m, clock, e.id, null));
    expect(await lines(r.id)).toEqual([
      ['62100000', 0, 80_000],
      ['57200000', 80_000, 0],
    ]);
    await expect(writeTransaction(ds, (m) => reverseEntry(m, clock, e.id, null))).rejects.toMatchObject({ problem: { code: 'ENTRY_ALREADY_REVERSED' } });
    const drift = await all(
      ds.manager,
      `SELECT b.company_id, b.account FROM acc_balance b LEFT JOIN (
         SELECT company_id, account, SUBSTR(entry_date, 1, 7) AS period, COALESCE(store_id, '') AS store_id, SUM(debit_cents) AS d, SUM(credit_cents) AS c FROM acc_line GROUP BY company_id, account, SUBSTR(entry_date, 1, 7), COALESCE(store_id, '')
       ) l ON l.company_id = b.company_id AND l.account = b.account AND l.period = b.period AND l.store_id = b.store_id
       WHERE l.d IS NULL OR l.d <> b.debit_cents OR l.c <> b.credit_cents`,
    );
    expect(drift).toEqual([]);
    const tb = await one<{ d: unknown; c: unknown }>(ds.manager, `SELECT SUM(debit_cents) AS d, SUM(credit_cents) AS c FROM acc_balance`);
    expect(Number(tb!.d)).toBe(Number(tb!.c));
  });

  it('refuses a rule whose account cannot carry the role, and applies one that can', async () => {
    await expect(writeTransaction(ds, (m) => setRule(m, clock, F.franchisor.id, 'sales_services', 2100, '62900000', null))).rejects.toMatchObject({ problem: { status: 422, code: 'RULE_REFUSED' } });
    await writeTransaction(ds, (m) => setRule(m, clock, F.franchisor.id, 'sales_services', 2100, '70590021', null));
    const id = await post(draft({ lines: [{ description: 'Formación', quantityMilli: 1000, unitPriceCents: 1_000, ivaRateBp: 2100 }] }), '2026-11-30');
    const [e] = (await entriesOfSource(ds.manager, 'invoice', id)).filter((x) => x.companyId === F.franchisor.id);
    expect((await lines(e!.id)).map(([a]) => a)).toContain('70590021');
  });
});
