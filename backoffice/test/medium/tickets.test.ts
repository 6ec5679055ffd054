/**
 * Tickets module (issue 10): the search's filters against an independent reading of the same generated
 * tickets, paging and the capped count, scope (a franchisee never sees another company's ticket: 403 on the
 * row, absent from searches), the ticket page (lines, discounts, taxes, payments, fiscal record, returns) and
 * the PDF copy rendered by poppler (text and PNG) — on SQLite and PostgreSQL.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMoney } from '@tpv/shared/money';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import { historyGenerator, daysOf, type HistoryTicket } from '../../src/tickets/seeding/generate';
import { seedSalesHistory } from '../../src/tickets/seeding/history';
import { engines, F, startHarness, type Harness } from '../support/harness';
import { CASHIERS, smallPlan } from '../support/ticket-history';

/** The same tickets the seeding wrote (the generator is deterministic for a plan). */
function expectedTickets(): HistoryTicket[] {
  const plan = smallPlan();
  const gen = historyGenerator(plan);
  return daysOf(plan.fromDay, plan.toDay).flatMap((d) => gen.day(d));
}

describe.each(engines)('tickets module ($name)', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let hq: string;
  let ruiz: string;
  let levante: string;
  let m1: string;
  const all = expectedTickets();
  const docs = all.map((t) => t.doc);

  beforeAll(async () => {
    h = await startHarness(engine);
    const staff = [
      [CASHIERS.ana, F.ruiz.id, F.storeM1.id],
      [CASHIERS.luis, F.ruiz.id, F.storeM1.id],
      [CASHIERS.vera, F.levante.id, F.storeV1.id],
    ] as const;
    for (const [c, company, store] of staff) {
      const v = engine.name === 'postgres' ? '$1, $2, $3, $4, $5' : '?, ?, ?, ?, ?';
      await h.ds.query(`INSERT INTO staff (id, company_id, store_id, code, name, role, pin_hash, active, version) VALUES (${v}, 'cashier', 'x', ${engine.name === 'postgres' ? 'true' : '1'}, 1)`, [c.id, company, store, c.id.slice(-4), c.name]);
    }
    const r = await seedSalesHistory(h.ds, smallPlan(), { marker: 'test-history', stock: true });
    expect(r.tickets).toBe(all.length);
    [hq, ruiz, levante, m1] = await Promise.all([h.login(F.hq), h.login(F.managerRuiz), h.login(F.managerLevante), h.login(F.managerM1)]);
  }, 120_000);
  afterAll(async () => h?.teardown());

  const ids = async (qs: string, token = hq) => {
    const r = await h.api('GET', `/api/tickets?pageSize=200&${qs}`, { token });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return (r.body.items as Array<{ id: string }>).map((t) => t.id).sort();
  };
  const idsOf = (f: (d: TicketDocument, t: HistoryTicket) => boolean) => all.filter((t) => f(t.doc, t)).map((t) => t.doc.id).sort();

  it('the fixture has what the filters need: two stores, three tills, returns, discounts, on-account sales', () => {
    expect(all.length).toBeGreaterThan(100);
    expect(all.length).toBeLessThan(200); // one page of 200 holds everything
    expect(docs.some((d) => d.kind === 'return')).toBe(true);
    expect(docs.some((d) => d.lines.some((l) => l.discount))).toBe(true);
    expect(docs.some((d) => d.payments.some((p) => p.method === 'on_account'))).toBe(true);
  });

  it('each filter returns exactly the tickets that match it', async () => {
    const sale = docs.find((d) => d.kind === 'sale' && d.storeId === F.storeM1.id && d.number > 3)!;
    const cases: Array<[string, string[]]> = [
      ['', idsOf(() => true)],
      [`from=2026-11-18&to=2026-11-19`, idsOf((d) => d.issuedAt >= '2026-11-18' && d.issuedAt < '2026-11-20')],
      [`from=2026-11-22`, idsOf((d) => d.issuedAt.startsWith('2026-11-22'))],
      [`storeId=${F.storeV1.id}`, idsOf((d) => d.storeId === F.storeV1.id)],
      [`terminalId=${F.t2.id}`, idsOf((d) => d.terminalId === F.t2.id)],
      [`cashierId=${CASHIERS.luis.id}`, idsOf((d) => d.cashier.id === CASHIERS.luis.id)],
      [`customerId=${F.customer.id}`, idsOf((d) => d.customer?.id === F.customer.id)],
      [`kind=return`, idsOf((d) => d.kind === 'return')],
      [`kind=sale&storeId=${F.storeM1.id}`, idsOf((d) => d.kind === 'sale' && d.storeId === F.storeM1.id)],
      [`minTotal=20&maxTotal=40,5`, idsOf((d) => d.totals.total >= 2000 && d.totals.total <= 4050)],
      [`maxTotal=0`, idsOf((d) => d.totals.total <= 0)],
      [`number=${encodeURIComponent(sale.fiscalNumber)}`, [sale.id]],
      [`number=${sale.series}`, idsOf((d) => d.series === sale.series)],
      [`number=${sale.number}`, idsOf((d) => d.number === sale.number)],
      [`number=NOPE01-26T`, []],
    ];
    for (const [qs, expected] of cases) {
      expect(await ids(qs), qs).toEqual(expected);
    }
  });

  it('pages are sorted on the server and the count says what it is', async () => {
    const p1 = await h.api('GET', '/api/tickets?pageSize=10', { token: hq });
    expect(p1.body).toMatchObject({ page: 1, pageSize: 10, total: all.length, totalIsLowerBound: false, hasMore: true });
    const newest = [...docs].sort((a, b) => (a.issuedAt < b.issuedAt ? 1 : a.issuedAt > b.issuedAt ? -1 : a.id < b.id ? 1 : -1));
    expect(p1.body.items.map((t: { id: string }) => t.id)).toEqual(newest.slice(0, 10).map((d) => d.id));
    const p2 = await h.api('GET', '/api/tickets?pageSize=10&page=2', { token: hq });
    expect(p2.body.items.map((t: { id: string }) => t.id)).toEqual(newest.slice(10, 20).map((d) => d.id));
    const byTotal = await h.api('GET', '/api/tickets?pageSize=5&sort=total&dir=desc', { token: hq });
    const totals = [...docs].map((d) => d.totals.total).sort((a, b) => b - a).slice(0, 5);
    expect(byTotal.body.items.map((t: { totalCents: number }) => t.totalCents)).toEqual(totals);
    // Amount filters have no index: no count, `total` is what the page proves (at least).
    const small = idsOf((d) => d.totals.total <= 1000);
    const amount = await h.api('GET', '/api/tickets?pageSize=5&maxTotal=10', { token: hq });
    expect(small.length).toBeGreaterThan(6);
    expect(amount.body).toMatchObject({ total: 6, totalIsLowerBound: true, hasMore: true });
    const amountAll = await h.api('GET', '/api/tickets?pageSize=200&maxTotal=10', { token: hq });
    expect(amountAll.body).toMatchObject({ total: small.length, totalIsLowerBound: false, hasMore: false });
    const returns = await h.api('GET', '/api/tickets?pageSize=2&kind=return', { token: ruiz });
    expect(returns.body.total).toBe(idsOf((d) => d.kind === 'return' && d.storeId === F.storeM1.id).length);
    const last = await h.api('GET', `/api/tickets?pageSize=200&page=1`, { token: hq });
    expect(last.body.hasMore).toBe(false);
    const first = p1.body.items[0];
    const d = newest[0]!;
    expect(first).toMatchObject({ fiscalNumber: d.fiscalNumber, storeCode: d.storeId === F.storeM1.id ? 'M001' : 'V001', cashierName: d.cashier.name, totalCents: d.totals.total, chainOk: true });
  });

  it('bad filters are field-level 400s', async () => {
    const r = await h.api('GET', '/api/tickets?from=2026-13-01&minTotal=abc&kind=gift&to=2020-01-01', { token: hq });
    expect(r.status).toBe(400);
    const paths = (r.body.errors as Array<{ path: string }>).map((e) => e.path).sort();
    expect(paths).toEqual(expect.arrayContaining(['from', 'kind', 'minTotal']));
  });

  it('scope: a franchisee sees only their company’s tickets, a store manager only their store', async () => {
    expect(await ids('', levante)).toEqual(idsOf((d) => d.storeId === F.storeV1.id));
    expect(await ids('', ruiz)).toEqual(idsOf((d) => d.storeId === F.storeM1.id));
    expect(await ids('', m1)).toEqual(idsOf((d) => d.storeId === F.storeM1.id));
    expect((await h.api('GET', `/api/tickets?storeId=${F.storeM1.id}`, { token: levante })).status).toBe(403);
    const madrid = docs.find((d) => d.storeId === F.storeM1.id)!;
    expect((await h.api('GET', `/api/tickets/${madrid.id}`, { token: levante })).status).toBe(403);
    expect((await h.api('GET', `/api/tickets/${madrid.id}/pdf`, { token: levante })).status).toBe(403);
    expect((await h.api('GET', `/api/tickets/${madrid.id}`, { token: ruiz })).status).toBe(200);
    expect((await h.api('GET', `/api/tickets/00000000-0000-7000-8000-00000000dead`, { token: hq })).status).toBe(404);
    expect((await h.api('GET', `/api/tickets`)).status).toBe(401);
  });

  it('the ticket page shows lines, discounts, taxes, payments, the fiscal record and its returns', async () => {
    const ret = docs.find((d) => d.kind === 'return')!;
    const original = docs.find((d) => d.id === ret.originalTicket!.id)!;
    const r = await h.api('GET', `/api/tickets/${original.id}`, { token: hq });
    expect(r.status).toBe(200);
    const t = r.body;
    expect(t).toMatchObject({ fiscalNumber: original.fiscalNumber, kind: 'sale', company: { nif: original.storeId === F.storeM1.id ? F.ruiz.nif : F.levante.nif } });
    expect(t.lines).toHaveLength(original.lines.length);
    original.lines.forEach((l, i) => {
      expect(t.lines[i]).toMatchObject({ description: l.description, unitPriceCents: l.unitPrice, totalCents: l.total, taxRateBp: l.taxRate, discountCents: l.lineDiscount + l.ticketDiscountShare });
    });
    expect(t.taxes).toEqual(original.taxBreakdown.map((x) => ({ rateBp: x.rate, reRateBp: x.reRate, exemption: x.exemption ?? null, baseCents: x.base, ivaCents: x.ivaCuota, reCents: x.reCuota })));
    expect(t.payments.map((p: { method: string; amountCents: number }) => [p.method, p.amountCents])).toEqual(original.payments.map((p) => [p.method, p.amount]));
    expect(t.fiscal).toMatchObject({ hash: original.fiscal.hash, previousHash: original.fiscal.previousHash || null, verified: true, chainPosition: original.seq });
    expect(t.fiscal.qrUrl).toContain(`numserie=${encodeURIComponent(original.fiscalNumber)}`);
    expect(t.cashier.name).toBe(original.cashier.name);
    expect(t.returns.map((x: { id: string }) => x.id)).toContain(ret.id);
    const back = await h.api('GET', `/api/tickets/${ret.id}`, { token: hq });
    expect(back.body.original).toMatchObject({ id: original.id, fiscalNumber: original.fiscalNumber });
    expect(back.body.kind).toBe('return');
    const discounted = docs.find((d) => d.lines.some((l) => l.discount?.kind === 'percent'))!;
    const dl = (await h.api('GET', `/api/tickets/${discounted.id}`, { token: hq })).body.lines.find((l: { discountLabel: string | null }) => l.discountLabel);
    expect(dl.discountLabel).toMatch(/^-(10|20) %$/);
    expect(dl.discountCents).toBeGreaterThan(0);
  });

  it('the PDF copy carries number, totals, NIF, huella and the QR image', async () => {
    const d = docs.find((x) => x.kind === 'sale' && x.storeId === F.storeV1.id)!;
    const res = await fetch(`${h.url}/api/tickets/${d.id}/pdf`, { headers: { authorization: `Bearer ${levante}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const dir = mkdtempSync(path.join(tmpdir(), 'tpv-pdf-'));
    try {
      const file = path.join(dir, 'ticket.pdf');
      writeFileSync(file, Buffer.from(await res.arrayBuffer()));
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      expect(text).toContain(d.fiscalNumber);
      expect(text).toContain(`NIF ${F.levante.nif}`);
      expect(text).toContain(`TOTAL ${formatMoney(d.totals.total, 'es')}`);
      expect(text.replace(/\s+/g, '')).toContain(d.fiscal.hash);
      expect(text).toContain('Levante S.L.');
      execFileSync('pdftoppm', ['-png', '-r', '50', '-singlefile', file, path.join(dir, 'page')]);
      expect(statSync(path.join(dir, 'page.png')).size).toBeGreaterThan(5_000);
      const images = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' }).trim().split('\n').slice(2).filter((l) => l.split(/\s+/)[3] === 'image');
      expect(images).toHaveLength(1); // the QR (its alpha channel is listed apart as an smask)
      expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exports the search as CSV and XLSX', async () => {
    const csv = await fetch(`${h.url}/api/tickets?format=csv&kind=return`, { headers: { authorization: `Bearer ${hq}` } });
    expect(csv.status).toBe(200);
    const lines = (await csv.text()).replace(/^\uFEFF/, '').trim().split('\n');
    expect(lines[0]).toBe('number;kind;issued_at;store;till;cashier;customer;total;tax;chain_ok');
    expect(lines.slice(1).map((l) => l.split(';')[0]).sort()).toEqual(docs.filter((d) => d.kind === 'return').map((d) => d.fiscalNumber).sort());
    const xlsx = await fetch(`${h.url}/api/tickets?format=xlsx`, { headers: { authorization: `Bearer ${hq}` } });
    expect(xlsx.status).toBe(200);
    expect(Buffer.from(await xlsx.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
  });
});
