/**
 * Aging and DSO over the HTTP API on both engines, against a table worked by hand. As of 2026-11-30: due
 * that day → not due; 29 Nov (1 day) and 31 Oct (30) → 1–30; 30 Oct (31) and 1 Oct (60) → 31–60; 1 Sep (90)
 * → 61–90; 31 Aug (91) and 1 Jun (182) → over 90. Paid, cancelled and payable items stay out of the
 * receivables. Scope: HQ sees every company; a franchisee manager only the items of its own company (its
 * customers), and is refused another company's. The SQL report equals the pure `agingReport` of the items.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agingReport } from '@tpv/shared/collections/aging';
import { AgingAnswer, AgingItemsAnswer, DsoAnswer } from '@tpv/shared/wire/http/collections-aging';
import { engines, F, startHarness, type Harness } from '../support/harness';
import { appendItemPosting, openItem, type NewOpenItem } from '../../src/collections/ledger';
import { writeTransaction } from '../../src/persistence/raw';
import { all, exec } from '../../src/persistence/sql';

const clock = { now: () => Date.UTC(2026, 10, 30, 9, 0, 0) };
const ASOF = '2026-11-30';
const OTHER = { kind: 'other' as const, id: 'nif:B11111111', name: 'Cliente Suelto S.L.' };
const company = (c: { id: string }, name: string) => ({ kind: 'company' as const, id: c.id, name });

let n = 0;
const item = (companyId: string, counterparty: NewOpenItem['counterparty'], issueDate: string, dueDate: string, amountCents: number, side: NewOpenItem['side'] = 'receivable'): NewOpenItem => ({
  companyId, side, kind: side === 'receivable' ? 'invoice_due' : 'supplier_invoice_due', sourceId: `00000000-0000-7000-8aa0-${(++n).toString(16).padStart(12, '0')}`, sourceIdx: 0,
  documentRef: `AG-${n}`, counterparty, storeId: null, issueDate, dueDate, amountCents,
});

describe.each(engines)('collections aging on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let hq: string;
  let ruiz: string;
  let levante: string;
  let m1: string;

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    [hq, ruiz, levante, m1] = await Promise.all([h.login(F.hq), h.login(F.managerRuiz), h.login(F.managerLevante), h.login(F.managerM1)]);
    const RUIZ = company(F.ruiz, 'Ruiz S.L.');
    await writeTransaction(h.ds, async (m) => {
      const open = (i: NewOpenItem) => openItem(m, clock, i, null, 'test');
      // What Ruiz owes HQ: one item per bucket boundary (due date → days past due at 30 Nov).
      for (const [issue, due, cents] of [
        ['2026-09-01', '2026-11-30', 1000], // 0 → not due
        ['2026-09-01', '2026-11-29', 2000], // 1 → 1–30
        ['2026-09-01', '2026-10-31', 3000], // 30 → 1–30
        ['2026-09-01', '2026-10-30', 4000], // 31 → 31–60
        ['2026-09-01', '2026-10-01', 5000], // 60 → 31–60
        ['2026-08-01', '2026-09-01', 6000], // 90 → 61–90
        ['2026-08-01', '2026-08-31', 7000], // 91 → over 90
      ] as const) await open(item(F.franchisor.id, RUIZ, issue, due, cents));
      // What Levante owes HQ: 100,00 due 1 Jun (182 days) of which 40,00 collected; 5,00 due 1 Nov fully collected.
      const b1 = await open(item(F.franchisor.id, company(F.levante, 'Levante S.L.'), '2026-05-01', '2026-06-01', 10_000));
      await appendItemPosting(m, clock, b1, { kind: 'collected', amountCents: 4000, onDate: '2026-11-20', sourceKind: 'test' }, null);
      const b2 = await open(item(F.franchisor.id, company(F.levante, 'Levante S.L.'), '2026-10-01', '2026-11-01', 500));
      await appendItemPosting(m, clock, b2, { kind: 'collected', amountCents: 500, onDate: '2026-11-10', sourceKind: 'test' }, null);
      // Cancelled (an anulación): out of aging and of the period's sales.
      const cancelled = await open(item(F.franchisor.id, RUIZ, '2026-09-10', '2026-10-10', 9999));
      await exec(m, `UPDATE open_item SET status = 'cancelled', cancelled = ? WHERE id = ?`, [true, cancelled]);
      // A payable of HQ: not a receivable.
      await open(item(F.franchisor.id, { kind: 'supplier', id: '00000000-0000-7000-8aa1-000000000001', name: 'Proveedor S.A.' }, '2026-09-01', '2026-09-30', 777, 'payable')); // 61 days late
      // Ruiz's own customer (an on-account sale at its store), 15 days late; Levante's walk-in company, not due.
      await open(item(F.ruiz.id, { kind: 'customer', id: F.customer.id, name: F.customer.name }, '2026-10-16', '2026-11-15', 2500));
      await open(item(F.levante.id, OTHER, '2026-11-20', '2026-12-31', 800));
    });
  });
  afterAll(async () => h?.teardown());

  const B = (not_due: number, d1_30: number, d31_60: number, d61_90: number, over_90: number) => ({ not_due, d1_30, d31_60, d61_90, over_90 });

  it('HQ: every company’s receivables in buckets per counterparty (largest first) and in total', async () => {
    const r = await h.api('GET', `/api/collections/aging?asOf=${ASOF}`, { token: hq });
    expect(r.status).toBe(200);
    expect(r.body.rows.map((x: Record<string, unknown>) => [x.counterpartyKind, x.counterpartyName, x.buckets, x.totalCents, x.overdueCents, x.items, x.maxDaysPastDue])).toEqual([
      ['company', 'Ruiz S.L.', B(1000, 5000, 9000, 6000, 7000), 28_000, 27_000, 7, 91],
      ['company', 'Levante S.L.', B(0, 0, 0, 0, 6000), 6000, 6000, 1, 182],
      ['customer', F.customer.name, B(0, 2500, 0, 0, 0), 2500, 2500, 1, 15],
      ['other', 'Cliente Suelto S.L.', B(800, 0, 0, 0, 0), 800, 0, 1, 0],
    ]);
    expect(r.body.total).toEqual({ buckets: B(1800, 7500, 9000, 6000, 13_000), totalCents: 37_300, overdueCents: 35_500, items: 10, maxDaysPastDue: 182 });
    expect(r.body.counterparties).toBe(4);
    expect(r.body.side).toBe('receivable');
    expect(AgingAnswer.safeParse(r.body).error).toBeUndefined();
    // Today (the clock's day) when asOf is left out.
    const today = await h.api('GET', '/api/collections/aging', { token: hq });
    expect(today.body.asOf).toBe(ASOF);
    expect(today.body.total).toEqual(r.body.total);
  });

  it('the SQL buckets equal the pure agingReport of the open items', async () => {
    const items = await all<{ cid: string; due: string; bal: unknown }>(h.ds.manager, `SELECT counterparty_kind || ':' || counterparty_id AS cid, due_date AS due, balance_cents AS bal FROM open_item WHERE side = 'receivable' AND status <> 'cancelled'`);
    for (const asOf of ['2026-08-15', ASOF, '2027-03-01']) {
      const pure = agingReport(items.map((i) => ({ counterpartyId: i.cid, dueDate: i.due, balanceCents: Number(i.bal) })), asOf);
      const r = await h.api('GET', `/api/collections/aging?asOf=${asOf}`, { token: hq });
      expect(r.body.total.buckets).toEqual(pure.total.buckets);
      expect(r.body.total.items).toBe(pure.total.items);
      const rows = Object.fromEntries(r.body.rows.map((x: { counterpartyKind: string; counterpartyId: string; buckets: unknown }) => [`${x.counterpartyKind}:${x.counterpartyId}`, x.buckets]));
      expect(rows).toEqual(Object.fromEntries(pure.rows.map((x) => [x.counterpartyId, x.buckets])));
    }
  });

  it('a later date moves balances to older buckets; limit keeps the totals', async () => {
    const r = await h.api('GET', '/api/collections/aging?asOf=2026-12-31&limit=1', { token: hq });
    expect(r.body.rows).toHaveLength(1);
    expect(r.body.counterparties).toBe(4);
    // Ruiz at 31 Dec: 30 Nov → 31 days, 29 Nov → 32, 31 Oct → 61, 30 Oct → 62, 1 Oct → 91, 1 Sep, 31 Aug → over 90.
    expect(r.body.rows[0].buckets).toEqual(B(0, 0, 3000, 7000, 18_000));
    expect(r.body.total.buckets).toEqual(B(800, 0, 5500, 7000, 24_000));
  });

  it('payables are aged on their own side', async () => {
    const r = await h.api('GET', `/api/collections/aging?asOf=${ASOF}&side=payable`, { token: hq });
    expect(r.body.rows.map((x: Record<string, unknown>) => [x.counterpartyKind, x.counterpartyName, x.buckets])).toEqual([['supplier', 'Proveedor S.A.', B(0, 0, 0, 777, 0)]]);
  });

  it('HQ filtered to its own company: what the franchisees owe HQ', async () => {
    const r = await h.api('GET', `/api/collections/aging?asOf=${ASOF}&companyId=${F.franchisor.id}`, { token: hq });
    expect(r.body.rows.map((x: { counterpartyId: string }) => x.counterpartyId)).toEqual([F.ruiz.id, F.levante.id]);
    expect(r.body.total.totalCents).toBe(34_000);
  });

  it('a franchisee manager sees only its own company’s customers; another company is 403; a store manager 403', async () => {
    const own = await h.api('GET', `/api/collections/aging?asOf=${ASOF}`, { token: ruiz });
    expect(own.status).toBe(200);
    expect(own.body.rows.map((x: Record<string, unknown>) => [x.counterpartyKind, x.counterpartyId, x.totalCents])).toEqual([['customer', F.customer.id, 2500]]);
    expect(own.body.total.totalCents).toBe(2500);
    const lev = await h.api('GET', `/api/collections/aging?asOf=${ASOF}`, { token: levante });
    expect(lev.body.rows.map((x: Record<string, unknown>) => [x.counterpartyKind, x.counterpartyId, x.totalCents])).toEqual([['other', OTHER.id, 800]]);
    expect((await h.api('GET', `/api/collections/aging?companyId=${F.franchisor.id}`, { token: ruiz })).status).toBe(403);
    expect((await h.api('GET', `/api/collections/aging/items?counterpartyKind=company&counterpartyId=${F.ruiz.id}&companyId=${F.franchisor.id}`, { token: ruiz })).status).toBe(403);
    // Without a company: the scope filters the rows, what HQ is owed stays invisible.
    const items = await h.api('GET', `/api/collections/aging/items?counterpartyKind=company&counterpartyId=${F.ruiz.id}`, { token: ruiz });
    expect(items.body.items).toEqual([]);
    expect((await h.api('GET', '/api/collections/aging', { token: m1 })).status).toBe(403);
    expect((await h.api('GET', '/api/collections/aging')).status).toBe(401);
    expect((await h.api('GET', `/api/collections/dso?from=2026-09-01&to=${ASOF}`, { token: ruiz })).body.receivablesCents).toBe(2500);
  });

  it('the items behind a row, oldest due first, with their days past due and bucket', async () => {
    const r = await h.api('GET', `/api/collections/aging/items?asOf=${ASOF}&counterpartyKind=company&counterpartyId=${F.ruiz.id}`, { token: hq });
    expect(r.status).toBe(200);
    expect(r.body.items.map((i: Record<string, unknown>) => [i.dueDate, i.balanceCents, i.daysPastDue, i.bucket])).toEqual([
      ['2026-08-31', 7000, 91, 'over_90'],
      ['2026-09-01', 6000, 90, 'd61_90'],
      ['2026-10-01', 5000, 60, 'd31_60'],
      ['2026-10-30', 4000, 31, 'd31_60'],
      ['2026-10-31', 3000, 30, 'd1_30'],
      ['2026-11-29', 2000, 1, 'd1_30'],
      ['2026-11-30', 1000, 0, 'not_due'],
    ]);
    expect(AgingItemsAnswer.safeParse(r.body).error).toBeUndefined();
  });

  it('DSO worked by hand: 340,00 owed at 30 Nov over 155,00 sold on credit in 91 days → 199.6 days', async () => {
    // Sales dated 1 Sep–30 Nov: the five Ruiz items issued 1 Sep (150,00) + Levante's 5,00 of 1 Oct; the
    // cancelled one is out. Owed at 30 Nov: Ruiz 280,00 + Levante 60,00. 34,000 × 91 / 15,500 = 199.61.
    const r = await h.api('GET', `/api/collections/dso?from=2026-09-01&to=${ASOF}&companyId=${F.franchisor.id}`, { token: hq });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ from: '2026-09-01', to: ASOF, companyId: F.franchisor.id, periodDays: 91, receivablesCents: 34_000, creditSalesCents: 15_500, dsoTenths: 1996 });
    expect(DsoAnswer.safeParse(r.body).error).toBeUndefined();
    // Owed at 15 Nov: Levante's 5,00 collected on 10 Nov, its 40,00 not yet (20 Nov) → 280,00 + 100,00.
    const mid = await h.api('GET', `/api/collections/dso?from=2026-09-01&to=2026-11-15&companyId=${F.franchisor.id}`, { token: hq });
    expect(mid.body.receivablesCents).toBe(38_000);
    // No credit sales in the period: no DSO.
    const none = await h.api('GET', `/api/collections/dso?from=2025-01-01&to=2025-01-31`, { token: hq });
    expect(none.body).toMatchObject({ creditSalesCents: 0, receivablesCents: 0, dsoTenths: null });
  });

  it('bad input: problem+json naming the field', async () => {
    const bad = await h.api('GET', '/api/collections/aging?asOf=2026-13-01&side=owed&limit=0', { token: hq });
    expect(bad.status).toBe(400);
    const paths = JSON.stringify(bad.body.errors);
    for (const f of ['asOf', 'side', 'limit']) expect(paths).toContain(f);
    const badId = await h.api('GET', '/api/collections/aging?companyId=not%20an%20id', { token: hq });
    expect(badId.status).toBe(400);
    const backwards = await h.api('GET', '/api/collections/dso?from=2026-11-30&to=2026-11-01', { token: hq });
    expect(backwards.status).toBe(422);
    expect(backwards.body.errors[0].path).toBe('to');
    const missing = await h.api('GET', '/api/collections/aging/items', { token: hq });
    expect(missing.status).toBe(400);
  });
});
