/**
 * The tills' daily sales entries on both engines, through the REAL ingest: a day worked out by hand gives its
 * exact entry; a late ticket after posting gives a complementary entry of just its amounts; a locked month
 * sends it into the next open one; posting twice posts nothing; the reconciliation shows the difference until
 * it is posted. Property (issue 14, must-be-true 1): random tickets over several days and stores → every entry
 * balances, the trial balance is zero, 700 / 477 per rate = the tickets' tax breakdown, 570+555+438+430 = the
 * tickets' totals, and acc_balance = Σ acc_line.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import { connectTerminal, engines, F, factoryFor, startHarness, type TerminalClient } from '../support/harness';
import { all, exec } from '../../src/persistence/sql';
import { writeTransaction } from '../../src/persistence/raw';
import { installDocumentReactions } from '../../src/platform/document-events';
import { accountingModule } from '../../src/accounting/module';
import { entriesOfSource, entryLines } from '../../src/accounting/core/journal';
import { lockPeriod } from '../../src/accounting/core/periods';
import { postDailySales } from '../../src/accounting/sales/posting';
import { salesReconciliation } from '../../src/accounting/sales/reconciliation';

const [p0, p1] = F.products; // p0: 0,95 € IVA 21 %; p1: 1,32 € IVA 10 %
const NOW = Date.UTC(2026, 10, 25, 10, 0, 0);
const clock = { now: () => NOW };

describe.each(engines)('daily sales entries on $name', (engine) => {
  let h: Awaited<ReturnType<typeof startHarness>>;
  let till: TerminalClient;
  let at = Date.UTC(2026, 10, 20, 9, 0, 0);
  const sent: TicketDocument[] = [];
  const f = factoryFor(F.t1, F.storeM1, F.ruiz.nif, 7, { now: () => at });
  const send = async (client: TerminalClient, docs: TicketDocument[]) => {
    const r = await client.send(docs);
    expect(r.ackedSeq).toBe(docs.at(-1)!.seq);
    sent.push(...docs);
  };
  const lines = async (entryId: string) => (await entryLines(h.ds.manager, entryId)).map((l) => [l.account, l.debitCents, l.creditCents, l.storeId]);
  const post = (over: { throughDate?: string | null; companyIds?: string[] | null } = {}) => postDailySales(h.ds, clock, { companyIds: null, throughDate: null, by: null, ...over });

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    installDocumentReactions(h.ds, accountingModule.reactions ?? []);
    till = await connectTerminal(h.url, F.t1.id, await h.pair(F.t1.id));
  });
  afterAll(async () => {
    till?.close();
    await h?.teardown();
  });

  it("posts a day's entry worked out by hand, then a late ticket's complement, and nothing twice", async () => {
    // Cash: 10 × 0,95 = 9,50 at 21 % (base 7,85, IVA 1,65), paid with 10,00: 0,50 change, cash net 9,50.
    const a = f.sale({ lines: [{ product: p0!, units: 10 }], payment: 'cash' });
    at += 60_000;
    // Card: 10 × 1,32 = 13,20 at 10 % (base 12,00, IVA 1,20).
    const b = f.sale({ lines: [{ product: p1!, units: 10 }], payment: 'card' });
    at += 60_000;
    // On account: 5 × 1,32 = 6,60 at 10 % (base 6,00, IVA 0,60) for Bar El Rincón.
    const c = f.sale({ lines: [{ product: p1!, units: 5 }], payment: { onAccount: F.customer } });
    at += 60_000;
    // Return of 2 of the cash sale: −1,90 at 21 % (base −1,57, IVA −0,33), refunded in cash.
    const r = f.returnOf(a, 0, 2);
    expect(a.change).toBe(50);
    await send(till, [a, b, c, r]);
    const sid = `${F.t1.id}:${a.sessionId}:2026-11-20`;

    const first = await post();
    expect(first).toMatchObject({ throughDate: '2026-11-24', entries: 1, moved: 0, totalCents: 2_740 });
    const [e] = await entriesOfSource(h.ds.manager, 'till_session', sid);
    expect(e).toMatchObject({ companyId: F.ruiz.id, entryDate: '2026-11-20', kind: 'sales', totalCents: 2_740 });
    // 21 %: base 7,85 − 1,57 = 6,28, IVA 1,65 − 0,33 = 1,32; 10 %: base 12,00 + 6,00 = 18,00, IVA 1,80.
    // Cash 9,50 − 1,90 = 7,60; card 13,20; on account 6,60. Σ 27,40 = 6,28 + 1,32 + 18,00 + 1,80.
    const m1 = F.storeM1.id;
    expect(await lines(e!.id)).toEqual([
      ['57000000', 760, 0, m1],
      ['55500000', 1_320, 0, m1],
      ['43000001', 660, 0, m1],
      ['70002100', 0, 628, m1],
      ['70001000', 0, 1_800, m1],
      ['47702100', 0, 132, m1],
      ['47701000', 0, 180, m1],
    ]);
    const sub = await all<{ name: string }>(h.ds.manager, `SELECT name FROM acc_account WHERE company_id = ? AND code = '43000001'`, [F.ruiz.id]);
    expect(sub[0]?.name).toBe(F.customer.name);
    expect((await all(h.ds.manager, `SELECT 1 FROM sales_tax_session WHERE pending AND store_id = ?`, [m1])).length).toBe(0);
    expect((await post()).entries).toBe(0);

    // A late card sale of the 20th (10 × 0,95 = 9,50: base 7,85, IVA 1,65), received after the day was posted.
    at = Date.UTC(2026, 10, 20, 18, 0, 0);
    const late = f.sale({ lines: [{ product: p0!, units: 10 }], payment: 'card' });
    await send(till, [late]);
    const rec = await salesReconciliation(h.ds.manager, F.ruiz.id, '2026-11-20', '2026-11-20');
    expect(rec.map((x) => [x.ivaRateBp, x.ticketsBaseCents, x.journalBaseCents, x.diffBaseCents, x.diffIvaCents, x.pending])).toEqual([
      [2100, 628 + 785, 628, 785, 165, true],
      [1000, 1_800, 1_800, 0, 0, false],
    ]);
    expect(await post()).toMatchObject({ entries: 1, totalCents: 950 });
    const both = await entriesOfSource(h.ds.manager, 'till_session', sid);
    expect(both).toHaveLength(2);
    expect(await lines(both[1]!.id)).toEqual([
      ['55500000', 950, 0, m1],
      ['70002100', 0, 785, m1],
      ['47702100', 0, 165, m1],
    ]);
    const keys = await all<{ source_key: string }>(h.ds.manager, `SELECT source_key FROM acc_entry WHERE source_id = ? ORDER BY number`, [sid]);
    expect(keys.map((k) => k.source_key)).toEqual([`till_session:${sid}`, `till_session:${sid}#2`]);
    expect((await salesReconciliation(h.ds.manager, F.ruiz.id, '2026-11-20', '2026-11-20')).every((x) => x.diffBaseCents === 0 && x.diffIvaCents === 0 && !x.pending)).toBe(true);
    expect((await post()).entries).toBe(0);
  });

  it('posts a late ticket of a locked month into the next open one', async () => {
    await writeTransaction(h.ds, (m) => lockPeriod(m, clock, F.ruiz.id, '2026-11', null));
    // Card: 10 × 1,32 = 13,20 at 10 % (base 12,00, IVA 1,20), of the 20th.
    at = Date.UTC(2026, 10, 20, 19, 0, 0);
    const late = f.sale({ lines: [{ product: p1!, units: 10 }], payment: 'card' });
    await send(till, [late]);
    expect(await post()).toMatchObject({ entries: 1, moved: 1, totalCents: 1_320 });
    const es = await entriesOfSource(h.ds.manager, 'till_session', `${F.t1.id}:${late.sessionId}:2026-11-20`);
    expect(es).toHaveLength(3);
    expect(es[2]).toMatchObject({ entryDate: '2026-12-01' });
    expect(await lines(es[2]!.id)).toEqual([
      ['55500000', 1_320, 0, F.storeM1.id],
      ['70001000', 0, 1_200, F.storeM1.id],
      ['47701000', 0, 120, F.storeM1.id],
    ]);
    // The reconciliation reads the document's date: the 20th is whole.
    expect((await salesReconciliation(h.ds.manager, F.ruiz.id, '2026-11-20', '2026-11-20')).every((x) => x.diffBaseCents === 0)).toBe(true);
  });

  it('does not post a day that is not over unless asked to, nor a day to come', async () => {
    at = Date.UTC(2026, 10, 25, 8, 0, 0); // today in Madrid
    const today = f.sale({ lines: [{ product: p0!, units: 1 }], payment: 'cash' });
    await send(till, [today]);
    expect((await post()).entries).toBe(0);
    await expect(post({ throughDate: '2026-11-26' })).rejects.toMatchObject({ problem: { status: 422 } });
    expect((await post({ throughDate: '2026-11-25' })).entries).toBe(1);
  });

  it('property: random tickets of several stores and days balance to the tickets, per rate and method', async () => {
    const lev = await connectTerminal(h.url, F.t3.id, await h.pair(F.t3.id));
    const t2 = await connectTerminal(h.url, F.t2.id, await h.pair(F.t2.id));
    try {
      let t = 0;
      const g3 = factoryFor(F.t3, F.storeV1, F.levante.nif, 11, { now: () => t });
      const g2 = factoryFor(F.t2, F.storeM1, F.ruiz.nif, 13, { now: () => t });
      for (let d = 0; d < 5; d++) {
        for (const [g, client] of [[g3, lev], [g2, t2]] as const) {
          t = Date.UTC(2026, 9, 5 + d * 3, 8, 0, 0);
          await send(client, Array.from({ length: 12 }, () => ((t += 600_000), g.next())));
        }
        // Post after some days (a later day's tickets arrive after earlier days were posted).
        if (d % 2 === 1) await post({ throughDate: '2026-10-31' });
      }
    } finally {
      lev.close();
      t2.close();
    }
    await post();
    await post({ throughDate: '2026-11-25' });
    // The random tickets include returns and on-account sales (what the property is about).
    expect(sent.some((d) => d.kind === 'return') && sent.some((d) => d.payments.some((p) => p.method === 'on_account'))).toBe(true);
    const q = <T>(sql: string, p: unknown[] = []) => all<T>(h.ds.manager, sql, p);
    // Every entry balances.
    const unbalanced = await q(`SELECT entry_id FROM acc_line GROUP BY entry_id HAVING SUM(debit_cents) <> SUM(credit_cents)`);
    expect(unbalanced).toEqual([]);
    // The trial balance sums to zero, and balances equal their lines.
    const tb = await q<{ d: unknown; c: unknown }>(`SELECT SUM(debit_cents) AS d, SUM(credit_cents) AS c FROM acc_balance`);
    expect(Number(tb[0]!.d)).toBe(Number(tb[0]!.c));
    const diff = await q(
      `SELECT b.company_id, b.account, b.period, b.store_id FROM acc_balance b LEFT JOIN (
         SELECT l.company_id, l.account, e.period, COALESCE(l.store_id, '') AS store_id, SUM(l.debit_cents) AS d, SUM(l.credit_cents) AS c
         FROM acc_line l JOIN acc_entry e ON e.id = l.entry_id GROUP BY l.company_id, l.account, e.period, COALESCE(l.store_id, '')) x
       ON x.company_id = b.company_id AND x.account = b.account AND x.period = b.period AND x.store_id = b.store_id
       WHERE x.d IS NULL OR x.d <> b.debit_cents OR x.c <> b.credit_cents`,
    );
    expect(diff).toEqual([]);
    // Per rate: 700 = Σ base, 477 = Σ IVA, 4771 = Σ recargo; the means of payment = Σ totals.
    const net = async (like: string) =>
      Number((await q<{ n: unknown }>(`SELECT COALESCE(SUM(l.credit_cents - l.debit_cents), 0) AS n FROM acc_line l JOIN acc_entry e ON e.id = l.entry_id WHERE e.source_type = 'till_session' AND l.account LIKE ?`, [like]))[0]!.n);
    for (const rate of [2100, 1000, 400, 0]) {
      const sum = (k: 'base' | 'ivaCuota') => sent.reduce((a, d) => a + d.taxBreakdown.filter((b) => b.rate === rate).reduce((x, b) => x + b[k], 0), 0);
      const code = String(rate).padStart(4, '0');
      expect([rate, await net(`7000${code}`), await net(`4770${code}`)]).toEqual([rate, sum('base'), sum('ivaCuota')]);
    }
    expect(await net('4771%')).toBe(sent.reduce((a, d) => a + d.taxBreakdown.reduce((x, b) => x + b.reCuota, 0), 0));
    const means = -((await net('570%')) + (await net('555%')) + (await net('438%')) + (await net('430%')));
    expect(means).toBe(sent.reduce((a, d) => a + d.totals.total, 0));
    expect((await q(`SELECT 1 FROM sales_tax_session WHERE pending UNION ALL SELECT 1 FROM sales_pay_session WHERE pending`)).length).toBe(0);
  });

  it('posts through the job and the routes, and lists what is pending', async () => {
    const hq = await h.login(F.hq);
    at = Date.UTC(2026, 10, 23, 9, 0, 0);
    await send(till, [f.sale({ lines: [{ product: p0!, units: 3 }], payment: 'card' })]);
    const pending = await h.api('GET', `/api/accounting/sales-postings/pending?companyId=${F.ruiz.id}`, { token: hq });
    expect(pending.status).toBe(200);
    expect(pending.body.days).toEqual([expect.objectContaining({ companyId: F.ruiz.id, storeId: F.storeM1.id, businessDate: '2026-11-23', sessions: 1, pendingCents: 285 })]);
    const ruiz = await h.login(F.managerRuiz);
    expect((await h.api('POST', '/api/accounting/sales-postings', { token: ruiz, body: {} })).status).toBe(403);
    const bad = await h.api('POST', '/api/accounting/sales-postings', { token: hq, body: { throughDate: '2026-13-40' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('throughDate');
    expect((await h.api('POST', '/api/accounting/sales-postings', { token: hq, body: { throughDate: '2026-11-26' } })).status).toBe(422);
    const started = await h.api('POST', '/api/accounting/sales-postings', { token: hq, body: { throughDate: null, companyIds: [F.ruiz.id] } });
    expect(started.status).toBe(202);
    await vi.waitFor(async () => expect((await h.api('GET', `/api/jobs/${started.body.jobId}`, { token: hq })).body.status).toBe('succeeded'), { timeout: 30_000, interval: 50 });
    expect((await h.api('GET', `/api/jobs/${started.body.jobId}`, { token: hq })).body.result).toMatchObject({ entries: 1, totalCents: 285 });
    const rec = await h.api('GET', `/api/accounting/companies/${F.ruiz.id}/sales-reconciliation?from=2026-11-01&to=2026-11-30`, { token: ruiz });
    expect(rec.status).toBe(200);
    expect(rec.body.rows.length).toBeGreaterThan(0);
    expect(rec.body.rows.every((x: { diffBaseCents: number }) => x.diffBaseCents === 0)).toBe(true);
    expect((await h.api('GET', `/api/accounting/companies/${F.levante.id}/sales-reconciliation?from=2026-11-01&to=2026-11-30`, { token: ruiz })).status).toBe(403);
  });

  it('leaves a session-day whose rollups do not balance pending and names it, posting the others', async () => {
    // Cash 1,00 with no sales behind it (cannot come from the ingest): refused; a good day beside it posts.
    await exec(h.ds.manager, `INSERT INTO sales_pay_session (terminal_id, session_id, business_date, method, customer_id, store_id, amount_cents) VALUES (?, 'S-bad', '2026-11-21', 'cash', '', ?, 100)`, [F.t1.id, F.storeM1.id]);
    at = Date.UTC(2026, 10, 21, 9, 0, 0);
    await send(till, [f.sale({ lines: [{ product: p1!, units: 1 }], payment: 'card' })]);
    // A till whose session ids are uuids: the source id is 36 + 1 + 36 + 1 + 10 = 84 characters (base 1,00 + IVA 0,21 in cash).
    const uuidSession = '0195f3a0-0000-7000-8000-00000000abcd';
    await exec(h.ds.manager, `INSERT INTO sales_tax_session (terminal_id, session_id, business_date, iva_rate_bp, re_rate_bp, store_id, base_cents, iva_cents) VALUES (?, ?, '2026-11-21', 2100, 0, ?, 100, 21)`, [F.t1.id, uuidSession, F.storeM1.id]);
    await exec(h.ds.manager, `INSERT INTO sales_pay_session (terminal_id, session_id, business_date, method, customer_id, store_id, amount_cents) VALUES (?, ?, '2026-11-21', 'cash', '', ?, 121)`, [F.t1.id, uuidSession, F.storeM1.id]);
    const r = await post();
    expect(r).toMatchObject({ entries: 2, totalCents: 132 + 121, unbalanced: [`${F.t1.id}:S-bad:2026-11-21`] });
    expect(await entriesOfSource(h.ds.manager, 'till_session', `${F.t1.id}:${uuidSession}:2026-11-21`)).toHaveLength(1);
    expect((await all(h.ds.manager, `SELECT 1 FROM sales_pay_session WHERE pending AND session_id = 'S-bad'`)).length).toBe(1);
  });
});
