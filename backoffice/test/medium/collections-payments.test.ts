/**
 * The collections ledger's API on both engines, over HTTP: open items listed and filtered (overdue as of a
 * date), a payment split oldest first with the rest kept as credit (COB number), that credit applied later,
 * a payment by hand whose credit is refunded, bad input refused writing nothing, a cancelled invoice refused,
 * a payment cancelled (its allocations come back as `returned` postings), write-offs requested and decided
 * (approved posts, refused does not; a franchisee manager may not decide), scoping (a franchisee sees and
 * touches only its companies), and the statement of account in JSON and PDF (text checked with pdftotext).
 * Amounts worked by hand: invoice A 1.000,00 + 21 % = 1.210,00 in two dues of 605,00 (30/60 days),
 * invoice B 100,00 + 21 % = 121,00 due the issue day, invoice C 200,00 + 21 % = 242,00 at 30 days.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, F, startHarness, type Harness } from '../support/harness';
import { cancelInvoice, insertDraftInvoice, postInvoice, type DraftInvoiceInput } from '../../src/invoicing/posting';
import { openItem } from '../../src/collections/ledger';
import { postPayment } from '../../src/collections/payments/service';
import { writeTransaction } from '../../src/persistence/raw';
import { all } from '../../src/persistence/sql';
import type { DocumentActor } from '../../src/platform/actor';

const clock = { now: () => Date.UTC(2026, 10, 30, 9, 0, 0) };
const actor: DocumentActor = { kind: 'user', user: { id: '00000000-0000-7000-8000-00000000000a', email: 'hq@test.demo', name: 'HQ', role: 'hq_admin', companyId: null, storeId: null, companyIds: [] } };
let seq = 0;
const draft = (base: number, days: number[]): DraftInvoiceInput => ({
  companyId: F.franchisor.id,
  invoiceType: 'F1',
  source: 'manual',
  sourceKey: `manual:payments-${seq++}`,
  recipient: { companyId: F.ruiz.id, nif: F.ruiz.nif, name: 'Ruiz S.L.', address: 'Calle 1, 28001 Madrid' },
  paymentDays: days,
  lines: [{ description: 'Canon', quantityMilli: 1000, unitPriceCents: base, ivaRateBp: 2100 }],
});

describe.each(engines)('collections payments API on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let hq: string;
  let ruiz: string;
  let levante: string;
  const items: Record<string, string> = {};
  let firstPayment = '';

  const post = async (d: DraftInvoiceInput) => {
    const { id } = await writeTransaction(h.ds, (m) => insertDraftInvoice(m, clock, actor, d));
    await writeTransaction(h.ds, (m) => postInvoice(m, clock, actor, id));
    return id;
  };
  const itemIds = async (invoiceId: string): Promise<[string, ...string[]]> => {
    const ids = (await all<{ id: string }>(h.ds.manager, `SELECT id FROM open_item WHERE source_id = ? ORDER BY source_idx`, [invoiceId])).map((r) => r.id);
    expect(ids.length).toBeGreaterThan(0);
    return ids as [string, ...string[]];
  };
  const balances = async () => {
    const out: Record<string, [number, string]> = {};
    for (const [k, id] of Object.entries(items)) {
      const r = (await all<{ b: unknown; s: string }>(h.ds.manager, `SELECT balance_cents AS b, status AS s FROM open_item WHERE id = ?`, [id]))[0]!;
      out[k] = [Number(r.b), r.s];
    }
    return out;
  };
  const counts = async () => {
    const out: Record<string, number> = {};
    for (const t of ['payment', 'payment_allocation', 'open_item_posting', 'payment_credit_movement', 'write_off']) out[t] = Number((await all<{ n: unknown }>(h.ds.manager, `SELECT COUNT(*) AS n FROM ${t}`))[0]!.n);
    return out;
  };
  const pay = (body: Record<string, unknown>, token = hq) =>
    h.api('POST', '/api/collections/payments', { token, body: { companyId: F.franchisor.id, side: 'receivable', counterpartyKind: 'company', counterpartyId: F.ruiz.id, method: 'transfer', receivedOn: '2026-11-30', ...body } });

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    [hq, ruiz, levante] = await Promise.all([h.login(F.hq), h.login(F.managerRuiz), h.login(F.managerLevante)]);
    const a = await itemIds(await post(draft(100_000, [30, 60])));
    items.A1 = a[0];
    items.A2 = a[1]!;
    [items.B] = await itemIds(await post(draft(10_000, [0])));
  });
  afterAll(async () => h?.teardown());

  it('lists open items sorted and filtered, scoped to the caller’s companies', async () => {
    const r = await h.api('GET', `/api/collections/items?side=receivable&counterpartyKind=company&counterpartyId=${F.ruiz.id}`, { token: hq });
    expect(r.status).toBe(200);
    expect(r.body.items.map((i: { id: string; dueDate: string; balanceCents: number; status: string }) => [i.id, i.dueDate, i.balanceCents, i.status])).toEqual([
      [items.B, '2026-11-30', 12_100, 'open'],
      [items.A1, '2026-12-30', 60_500, 'open'],
      [items.A2, '2027-01-29', 60_500, 'open'],
    ]);
    expect(r.body.balanceCents).toBe(133_100);
    const overdue = await h.api('GET', `/api/collections/items?overdue=true&asOf=2026-12-31&counterpartyId=${F.ruiz.id}`, { token: hq });
    expect(overdue.body.items.map((i: { id: string }) => i.id)).toEqual([items.B, items.A1]);
    const range = await h.api('GET', `/api/collections/items?dueFrom=2027-01-01&dueTo=2027-12-31&sort=balanceCents&dir=desc`, { token: hq });
    expect(range.body.items.map((i: { id: string }) => i.id)).toEqual([items.A2]);
    // The franchisor's receivables are not Ruiz's or Levante's companies' rows.
    expect((await h.api('GET', '/api/collections/items', { token: ruiz })).body.total).toBe(0);
    expect((await h.api('GET', `/api/collections/items/${items.B}`, { token: levante })).status).toBe(403);
    const detail = await h.api('GET', `/api/collections/items/${items.B}`, { token: hq });
    expect(detail.body.postings.map((p: { kind: string; amountCents: number }) => [p.kind, p.amountCents])).toEqual([['invoiced', 12_100]]);
    expect((await h.api('GET', `/api/collections/items?status=bogus`, { token: hq })).status).toBe(400);
  });

  it('splits a payment oldest first and keeps the rest as credit; the preview writes nothing', async () => {
    const before = await counts();
    const preview = await pay({ amountCents: 70_000, dryRun: true });
    expect(preview.status).toBe(201);
    expect(preview.body.lines.map((l: { itemId: string; amountCents: number }) => [l.itemId, l.amountCents])).toEqual([[items.B, 12_100], [items.A1, 57_900]]);
    expect(await counts()).toEqual(before);
    // 1.500,00 received: 121,00 + 605,00 + 605,00 = 1.331,00 allocated, 169,00 credit.
    const r = await pay({ amountCents: 150_000, reference: 'TRF 42' });
    expect(r.status).toBe(201);
    firstPayment = r.body.id;
    expect(r.body).toMatchObject({ number: 'COB-2026-000001', amountCents: 150_000, allocatedCents: 133_100, creditCents: 16_900, refundedCents: 0, status: 'posted', counterpartyName: 'Ruiz S.L.' });
    expect(r.body.creditMovements).toEqual([{ kind: 'received', amountCents: 16_900, onDate: '2026-11-30' }]);
    expect(await balances()).toEqual({ A1: [0, 'paid'], A2: [0, 'paid'], B: [0, 'paid'] });
    // A new invoice C (242,00): the held credit pays 169,00 of it.
    [items.C] = await itemIds(await post(draft(20_000, [30])));
    const a = await h.api('POST', `/api/collections/payments/${firstPayment}/allocate`, { token: hq, body: { onDate: '2026-12-01' } });
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ allocatedCents: 150_000, creditCents: 0 });
    expect((await balances()).C).toEqual([7_300, 'partial']);
    expect((await h.api('POST', `/api/collections/payments/${firstPayment}/allocate`, { token: hq, body: { onDate: '2026-12-01' } })).body.code).toBe('PAYMENT_NO_CREDIT');
  });

  it('refuses bad input with field errors, writing nothing', async () => {
    // A cancelled invoice (D, 60,50) cannot be paid.
    const dId = await post(draft(5_000, [0]));
    await writeTransaction(h.ds, (m) => cancelInvoice(m, clock, actor, dId, 'emitida por error'));
    const [d] = await itemIds(dId);
    const before = await counts();
    const bad = await pay({ amountCents: -5 });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.errors)).toContain('amountCents');
    const over = await pay({ amountCents: 10_000, allocation: { mode: 'manual', lines: [{ itemId: items.C, amountCents: 7_301 }] } });
    expect(over.status).toBe(422);
    expect(over.body.code).toBe('ALLOCATION_OVER_BALANCE');
    expect(over.body.errors[0].path).toBe('allocation.lines.0');
    const overPayment = await pay({ amountCents: 1_000, allocation: { mode: 'manual', lines: [{ itemId: items.C, amountCents: 2_000 }] } });
    expect(overPayment.body.code).toBe('ALLOCATION_OVER_PAYMENT');
    const settled = await pay({ amountCents: 1_000, allocation: { mode: 'manual', lines: [{ itemId: items.B, amountCents: 1_000 }] } });
    expect([settled.status, settled.body.code]).toEqual([409, 'ALLOCATION_ITEM_SETTLED']);
    const cancelled = await pay({ amountCents: 1_000, allocation: { mode: 'manual', lines: [{ itemId: d, amountCents: 1_000 }] } });
    expect([cancelled.status, cancelled.body.code]).toEqual([409, 'ALLOCATION_ITEM_CANCELLED']);
    const unknown = await pay({ amountCents: 1_000, counterpartyId: '00000000-0000-7000-8001-0000000000ff' });
    expect([unknown.status, unknown.body.code, unknown.body.errors[0].path]).toEqual([422, 'REFERENCE_UNKNOWN', 'counterpartyId']);
    expect((await pay({ amountCents: 1_000, counterpartyKind: 'other', counterpartyId: 'Pepe' })).body.code).toBe('COUNTERPARTY_INVALID');
    // Another company's manager may not record the franchisor's collections.
    expect((await pay({ amountCents: 1_000 }, ruiz)).status).toBe(403);
    expect(await counts()).toEqual(before);
  });

  it('a payment by hand keeps its rest as credit, refunded later; over the credit is refused', async () => {
    const r = await pay({ amountCents: 10_000, method: 'cash', allocation: { mode: 'manual', lines: [{ itemId: items.C, amountCents: 5_000 }] } });
    expect(r.body).toMatchObject({ number: 'COB-2026-000002', allocatedCents: 5_000, creditCents: 5_000 });
    const over = await h.api('POST', `/api/collections/payments/${r.body.id}/refund`, { token: hq, body: { amountCents: 5_001, onDate: '2026-12-02' } });
    expect([over.status, over.body.code, over.body.errors[0].path]).toEqual([422, 'REFUND_OVER_CREDIT', 'amountCents']);
    const ok = await h.api('POST', `/api/collections/payments/${r.body.id}/refund`, { token: hq, body: { amountCents: 5_000, onDate: '2026-12-02' } });
    expect(ok.body).toMatchObject({ allocatedCents: 5_000, refundedCents: 5_000, creditCents: 0 });
    expect((await balances()).C).toEqual([2_300, 'partial']);
    // A franchisee manager records collections of their own company (nothing owed there: all of it credit).
    const own = await h.api('POST', '/api/collections/payments', { token: ruiz, body: { companyId: F.ruiz.id, side: 'receivable', counterpartyKind: 'customer', counterpartyId: F.customer.id, method: 'cash', amountCents: 2_500, receivedOn: '2026-11-30' } });
    expect(own.body).toMatchObject({ number: 'COB-2026-000001', creditCents: 2_500, counterpartyName: F.customer.name });
    expect((await h.api('GET', '/api/collections/payments', { token: ruiz })).body.items.map((p: { id: string }) => p.id)).toEqual([own.body.id]);
    expect((await h.api('GET', `/api/collections/payments/${own.body.id}`, { token: levante })).status).toBe(403);
  });

  it('cancelling a payment returns every allocation to its item; twice is refused', async () => {
    const r = await h.api('POST', `/api/collections/payments/${firstPayment}/cancel`, { token: hq, body: { onDate: '2026-12-03', reason: 'Transferencia devuelta por el banco' } });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('cancelled');
    expect(await balances()).toEqual({ A1: [60_500, 'open'], A2: [60_500, 'open'], B: [12_100, 'open'], C: [19_200, 'partial'] });
    const returned = await all<{ n: unknown; s: unknown }>(h.ds.manager, `SELECT COUNT(*) AS n, SUM(amount_cents) AS s FROM open_item_posting WHERE kind = 'returned' AND source_id = ?`, [firstPayment]);
    expect([Number(returned[0]!.n), Number(returned[0]!.s)]).toEqual([4, 150_000]);
    const again = await h.api('POST', `/api/collections/payments/${firstPayment}/cancel`, { token: hq, body: { onDate: '2026-12-03', reason: 'otra vez' } });
    expect([again.status, again.body.code]).toEqual([409, 'PAYMENT_CANCELLED']);
  });

  it('write-offs: requested, approved by collections.admin (posted) or refused (nothing posted)', async () => {
    const req = await h.api('POST', `/api/collections/items/${items.B}/write-off`, { token: hq, body: { reason: 'Cliente en concurso' } });
    expect(req.status).toBe(201);
    expect(req.body).toMatchObject({ amountCents: 12_100, status: 'requested' });
    expect((await h.api('POST', `/api/collections/items/${items.B}/write-off`, { token: hq, body: { reason: 'otra' } })).body.code).toBe('WRITE_OFF_PENDING');
    expect((await h.api('POST', `/api/collections/write-offs/${req.body.id}/approve`, { token: ruiz, body: { onDate: '2026-12-04' } })).status).toBe(403);
    const ok = await h.api('POST', `/api/collections/write-offs/${req.body.id}/approve`, { token: hq, body: { onDate: '2026-12-04' } });
    expect(ok.body.status).toBe('approved');
    expect((await balances()).B).toEqual([0, 'written_off']);
    expect((await h.api('POST', `/api/collections/write-offs/${req.body.id}/refuse`, { token: hq, body: { onDate: '2026-12-04' } })).status).toBe(409);
    const over = await h.api('POST', `/api/collections/items/${items.A1}/write-off`, { token: hq, body: { reason: 'Incobrable', amountCents: 60_501 } });
    expect([over.status, over.body.errors[0].path]).toEqual([422, 'amountCents']);
    const part = await h.api('POST', `/api/collections/items/${items.A1}/write-off`, { token: hq, body: { reason: 'Incobrable', amountCents: 500 } });
    const before = await counts();
    const refusedR = await h.api('POST', `/api/collections/write-offs/${part.body.id}/refuse`, { token: hq, body: { onDate: '2026-12-04', note: 'Reclamar primero' } });
    expect(refusedR.body.status).toBe('refused');
    expect((await counts()).open_item_posting).toBe(before.open_item_posting);
    expect((await balances()).A1).toEqual([60_500, 'open']);
    const list = await h.api('GET', '/api/collections/write-offs?status=refused', { token: hq });
    expect(list.body.items.map((w: { id: string }) => w.id)).toEqual([part.body.id]);
  });

  it('a payment made to a supplier settles a payable (PAG number); payables are not written off', async () => {
    const supplier = '00000000-0000-7000-8001-00000000005a';
    const p = (n: number) => (h.ds.options.type === 'postgres' ? `$${n}` : '?');
    await h.ds.query(`INSERT INTO supplier (id, name, nif, created_at) VALUES (${p(1)}, 'Distribuciones Norte S.L.', NULL, ${p(2)})`, [supplier, new Date(clock.now()).toISOString()]);
    const itemId = await writeTransaction(h.ds, (m) =>
      openItem(m, clock, { companyId: F.ruiz.id, side: 'payable', kind: 'supplier_invoice_due', sourceId: '00000000-0000-7000-8001-00000000005b', sourceIdx: 0, documentRef: 'FN-77', counterparty: { kind: 'supplier', id: supplier, name: 'Distribuciones Norte S.L.' }, storeId: null, issueDate: '2026-11-20', dueDate: '2026-12-20', amountCents: 30_000 }, null, 'supplier_invoice'),
    );
    const r = await h.api('POST', '/api/collections/payments', { token: ruiz, body: { companyId: F.ruiz.id, side: 'payable', counterpartyKind: 'supplier', counterpartyId: supplier, method: 'transfer', amountCents: 30_000, receivedOn: '2026-12-01' } });
    expect(r.body).toMatchObject({ number: 'PAG-2026-000001', allocatedCents: 30_000, creditCents: 0 });
    const item = await h.api('GET', `/api/collections/items/${itemId}`, { token: ruiz });
    expect([item.body.balanceCents, item.body.status]).toEqual([0, 'paid']);
    expect((await h.api('GET', `/api/collections/items/${itemId}`, { token: levante })).status).toBe(403);
    const wo = await h.api('POST', `/api/collections/items/${itemId}/write-off`, { token: ruiz, body: { reason: 'No aplica' } });
    expect([wo.status, wo.body.code]).toEqual([422, 'WRITE_OFF_PAYABLE']);
  });

  it('postPayment (for the bank parts) settles a source once', async () => {
    const input = { companyId: F.ruiz.id, side: 'receivable' as const, counterpartyKind: 'customer' as const, counterpartyId: F.customer.id, method: 'transfer' as const, amountCents: 1_000, receivedOn: '2026-12-05', allocation: { mode: 'oldest_first' as const }, source: { kind: 'bank_movement', id: '00000000-0000-7000-8001-00000000006c' } };
    const made = await writeTransaction(h.ds, (m) => postPayment(m, clock, input, null));
    expect(made).toMatchObject({ number: 'COB-2026-000002', allocatedCents: 0, creditCents: 1_000 });
    const before = await counts();
    await expect(writeTransaction(h.ds, (m) => postPayment(m, clock, input, null))).rejects.toThrow();
    expect(await counts()).toEqual(before);
  });

  it('the statement of account adds up (JSON) and prints (PDF)', async () => {
    const q = `counterpartyKind=company&counterpartyId=${F.ruiz.id}&from=2026-12-01&to=2026-12-31`;
    const s = await h.api('GET', `/api/collections/statements?${q}`, { token: hq });
    expect(s.status).toBe(200);
    // By 30/11: invoices A (1.210,00) + B (121,00) + C (242,00) + D (60,50, cancelled: left out) − 1.331,00 collected
    // − 169,00 credit received − 50,00 collected by hand − 50,00 credit received = −27,00 (Ruiz holds credit).
    expect(s.body.openingCents).toBe(121_000 + 12_100 + 24_200 - 133_100 - 16_900 - 5_000 - 5_000);
    expect(s.body.lines.map((l: { on: string; kind: string; debitCents: number; creditCents: number }) => [l.on, l.kind, l.debitCents, l.creditCents])).toEqual([
      ['2026-12-01', 'collected', 0, 16_900],
      ['2026-12-01', 'credit_used', 16_900, 0],
      ['2026-12-02', 'credit_used', 5_000, 0],
      ['2026-12-03', 'returned', 60_500, 0],
      ['2026-12-03', 'returned', 60_500, 0],
      ['2026-12-03', 'returned', 12_100, 0],
      ['2026-12-03', 'returned', 16_900, 0],
      ['2026-12-04', 'written_off', 0, 12_100],
    ]);
    expect(s.body.openingCents).toBe(-2_700);
    // Closing = what is owed now (605 + 605 + 192 + 0) − credit held (0).
    expect(s.body.closingCents).toBe(60_500 + 60_500 + 19_200);
    expect(s.body.creditHeldCents).toBe(0);
    expect((await h.api('GET', `/api/collections/statements?${q.replace('from=2026-12-01', 'from=2027-01-01')}`, { token: hq })).status).toBe(422);
    expect((await h.api('GET', `/api/collections/statements?${q}`, { token: levante })).body.lines).toEqual([]);

    const res = await fetch(`${h.url}/api/collections/statements.pdf?${q}`, { headers: { authorization: `Bearer ${hq}` } });
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const dir = mkdtempSync(path.join(tmpdir(), 'tpv-statement-'));
    try {
      const file = path.join(dir, 's.pdf');
      writeFileSync(file, Buffer.from(await res.arrayBuffer()));
      const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
      expect(text).toContain('Extracto de cuenta');
      expect(text).toContain('Ruiz S.L.');
      expect(text).toContain('Saldo inicial');
      expect(text).toContain('-27,00 €');
      expect(text).toContain('Devolución');
      expect(text).toContain('1.402,00 €');
      execFileSync('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '1', file, path.join(dir, 'p')]);
      expect(readFileSync(path.join(dir, 'p-1.png')).subarray(1, 4).toString()).toBe('PNG');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
