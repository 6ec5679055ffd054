/**
 * Catch-up of the books on both engines: documents posted while nobody listened (before the books existed)
 * get their entries when the catch-up replays them — an invoice within the franchise in both companies'
 * books, a supplier-side cancellation after it — and a second run writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { engines, F, seedFranchise } from '../support/harness';
import { cancelInvoice, insertDraftInvoice, postInvoice } from '../../src/invoicing/posting';
import { writeTransaction } from '../../src/persistence/raw';
import { all } from '../../src/persistence/sql';
import type { DocumentActor } from '../../src/platform/actor';
import { catchUpDocuments } from '../../src/accounting/catch-up';
import { accountingReactions } from '../../src/accounting/reactions';

const clock = { now: () => Date.UTC(2026, 10, 30, 9, 0, 0) };
const hq: DocumentActor = { kind: 'user', user: { id: '00000000-0000-7000-8000-00000000000a', email: 'hq@test.demo', name: 'HQ', role: 'hq_admin', companyId: null, storeId: null, companyIds: [] } };

describe.each(engines)('catch-up of the books on $name', (engine) => {
  let ds: DataSource;
  let teardown: () => Promise<void>;
  const entries = () => all<{ company_id: string; kind: string; source_type: string; total_cents: unknown }>(ds.manager, `SELECT company_id, kind, source_type, total_cents FROM acc_entry ORDER BY company_id, number`);

  beforeAll(async () => {
    ({ ds, teardown } = await engine.open());
    await seedFranchise(ds);
  });
  afterAll(async () => teardown?.());

  it('posts what posted unheard, once', async () => {
    // No listeners installed: two invoices from the franchisor to Ruiz post with no entry; the second is then cancelled.
    const ids: string[] = [];
    for (const cents of [10_000, 20_000]) {
      const { id } = await writeTransaction(ds, (m) =>
        insertDraftInvoice(m, clock, hq, {
          companyId: F.franchisor.id, invoiceType: 'F1', source: 'manual', paymentDays: [30],
          recipient: { companyId: F.ruiz.id, nif: F.ruiz.nif, name: 'Ruiz S.L.', address: 'Calle 1, 28001 Madrid' },
          lines: [{ description: 'Formación', quantityMilli: 1000, unitPriceCents: cents, ivaRateBp: 2100 }],
        }),
      );
      await writeTransaction(ds, (m) => postInvoice(m, clock, hq, id, { issueDate: '2026-11-10' }));
      ids.push(id);
    }
    await writeTransaction(ds, (m) => cancelInvoice(m, clock, hq, ids[1]!, 'emitida por error'));
    expect(await entries()).toEqual([]);

    const first = await catchUpDocuments(ds, clock, accountingReactions, null);
    // Each invoice: the franchisor's entry (121,00 / 242,00) and Ruiz's; the cancelled one's two contra entries.
    expect(first.told).toEqual({ 'invoice.posted': 2, 'invoice.cancelled': 1 });
    const rows = (await entries()).map((e) => [e.company_id, e.kind, Number(e.total_cents)]);
    expect(rows.filter((r) => r[0] === F.franchisor.id).map((r) => r[2]).sort((a, b) => Number(a) - Number(b))).toEqual([12_100, 24_200, 24_200]);
    expect(rows.filter((r) => r[0] === F.ruiz.id)).toHaveLength(3);
    const second = await catchUpDocuments(ds, clock, accountingReactions, null);
    expect(second.entriesAfter).toBe(first.entriesAfter);
  });
});
