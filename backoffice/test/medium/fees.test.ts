/**
 * Franchise-fee and wholesale invoice runs on both engines, through the real ingest (tickets sent by a till
 * over socket.io) and the real delivery-note routes:
 * - the daily rollup `sales_day` the ingest keeps (hand-worked), equal to the tickets' Σ taxBreakdown.base,
 *   and its rebuild from the tickets equal to the incremental rows;
 * - the fee run (must-be-true 5 through the real path): a contract starting mid-month charges only the sales
 *   from its start, returns deducted, preview → post (job) → invoice, PDF rendered; a franchisee without
 *   contract skipped with the reason; posting the period twice refused, nothing written; HQ only;
 * - the wholesale run: one invoice per franchisee from its received notes of the month, each note once.
 *
 * The back office's clock stands on 2026-11-20 while tills sell and notes travel, then on 2026-12-02 to invoice
 * November.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectTerminal, engines, F, factoryFor, startHarness, type Harness, type TerminalClient } from '../support/harness';
import { contractBody } from '../support/organisation-bodies';
import { shippedNoteIn } from '../support/replenishment-fixtures';
import { all, exec } from '../../src/persistence/sql';
import { loadInvoice } from '../../src/invoicing/posting';
import { rebuildSalesDayRollup } from '../../src/fees/service';
import type { TicketDocument } from '@tpv/shared/wire/ticket';

let NOW = Date.UTC(2026, 10, 20, 10, 0, 0);
const clock = { now: () => NOW };
const [p0, p1] = F.products; // p0: 0,95 € IVA 21 %; p1: 1,32 € IVA 10 %

type DayRow = { store_id: string; business_date: string; sales_count: number; sales_base_cents: number; sales_tax_cents: number; returns_count: number; returns_base_cents: number; returns_tax_cents: number };

describe.each(engines)('fee and wholesale runs on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let till: TerminalClient;
  let hq: string;
  let ruiz: string;
  let contractId: string;
  const sent: TicketDocument[] = [];

  const days = async (storeId: string) =>
    (await all<DayRow>(h.ds.manager, 'SELECT * FROM sales_day WHERE store_id = ? ORDER BY business_date', [storeId])).map((r) => ({
      ...r,
      sales_count: Number(r.sales_count), sales_base_cents: Number(r.sales_base_cents), sales_tax_cents: Number(r.sales_tax_cents),
      returns_count: Number(r.returns_count), returns_base_cents: Number(r.returns_base_cents), returns_tax_cents: Number(r.returns_tax_cents),
    }));
  const count = async (table: string) => Number((await all<{ n: unknown }>(h.ds.manager, `SELECT COUNT(*) AS n FROM ${table}`))[0]!.n);
  const settled = async (jobId: string) => {
    await vi.waitFor(async () => expect(['succeeded', 'failed']).toContain((await h.api('GET', `/api/jobs/${jobId}`, { token: hq })).body.status), { timeout: 30_000, interval: 50 });
    return (await h.api('GET', `/api/jobs/${jobId}`, { token: hq })).body;
  };

  beforeAll(async () => {
    NOW = Date.UTC(2026, 10, 20, 10, 0, 0);
    h = await startHarness(engine, clock);
    till = await connectTerminal(h.url, F.t1.id, await h.pair(F.t1.id));
    [hq, ruiz] = [await h.login(F.hq), await h.login(F.managerRuiz)];
    // Ruiz's contract starts mid-month: 5 % royalty, 2 % marketing fee, 30 days, transfer. Levante has none.
    const c = await h.api('POST', `/api/companies/${F.ruiz.id}/contracts`, { token: hq, body: contractBody('2026-11-16', null, { royaltyBp: 500, marketingFeeBp: 200, paymentMethod: 'transfer' }) });
    expect(c.status).toBe(201);
    contractId = c.body.id;
  });
  afterAll(async () => {
    till?.close();
    await h?.teardown();
  });

  it('keeps net sales without IVA per store and day as tickets are applied; the rebuild gives the same rows', async () => {
    let at = Date.UTC(2026, 10, 10, 11, 0, 0);
    const f = factoryFor(F.t1, F.storeM1, F.ruiz.nif, 7, { now: () => at });
    const before = f.sale({ lines: [{ product: p0!, units: 100 }] }); // 10 Nov: 95,00 € → base 78,51 (95,00 / 1,21 = 78,512)
    at = Date.UTC(2026, 10, 20, 11, 0, 0);
    const sale = f.sale({ lines: [{ product: p0!, units: 121 }, { product: p1!, units: 110 }] }); // 20 Nov: 114,95 € → 95,00 + 145,20 € → 132,00: base 227,00
    at = Date.UTC(2026, 10, 25, 11, 0, 0);
    const ret = f.returnOf(sale, 0, 21); // 25 Nov: −19,95 € → base −16,49 (19,95 / 1,21 = 16,487)
    expect(await till.send([before, sale, ret])).toEqual({ terminalId: F.t1.id, ackedSeq: 3 });
    sent.push(before, sale, ret);
    const base = (d: TicketDocument) => d.taxBreakdown.reduce((a, t) => a + t.base, 0);
    expect([base(before), base(sale), base(ret)]).toEqual([7_851, 22_700, -1_649]);
    const row = (date: string, o: Partial<DayRow>) => ({ store_id: F.storeM1.id, business_date: date, sales_count: 0, sales_base_cents: 0, sales_tax_cents: 0, returns_count: 0, returns_base_cents: 0, returns_tax_cents: 0, ...o });
    // Taxes: 95,00 − 78,51 = 16,49; 114,95 − 95,00 + 145,20 − 132,00 = 19,95 + 13,20 = 33,15; −19,95 + 16,49 = −3,46.
    expect(await days(F.storeM1.id)).toEqual([
      row('2026-11-10', { sales_count: 1, sales_base_cents: 7_851, sales_tax_cents: 1_649 }),
      row('2026-11-20', { sales_count: 1, sales_base_cents: 22_700, sales_tax_cents: 3_315 }),
      row('2026-11-25', { returns_count: 1, returns_base_cents: -1_649, returns_tax_cents: -346 }),
    ]);

    // Random baskets with returns at Levante's till on a few days: the rollup = Σ of its tickets, and rebuilt = incremental.
    const lev = await connectTerminal(h.url, F.t3.id, await h.pair(F.t3.id));
    try {
      let t = Date.UTC(2026, 10, 3, 9, 0, 0);
      const g = factoryFor(F.t3, F.storeV1, F.levante.nif, 11, { now: () => t });
      for (let d = 0; d < 4; d++) {
        t = Date.UTC(2026, 10, 3 + d * 7, 9, 0, 0);
        const batch = Array.from({ length: 8 }, () => ((t += 900_000), g.next()));
        const s = batch.find((x) => x.kind === 'sale' && x.lines.some((l) => l.quantity.kind === 'units'))!;
        batch.push(g.returnOf(s, s.lines.findIndex((l) => l.quantity.kind === 'units'), 1));
        await lev.send(batch);
        sent.push(...batch);
      }
    } finally {
      lev.close();
    }
    const levDays = await days(F.storeV1.id);
    const levDocs = sent.filter((d) => d.storeId === F.storeV1.id);
    expect(levDays.reduce((a, r) => a + r.sales_base_cents + r.returns_base_cents, 0)).toBe(levDocs.reduce((a, d) => a + base(d), 0));
    expect(levDays.reduce((a, r) => a + r.sales_count + r.returns_count, 0)).toBe(levDocs.length);
    expect(levDays.some((r) => r.returns_count > 0)).toBe(true);
    const incremental = [...(await days(F.storeM1.id)), ...levDays];
    await rebuildSalesDayRollup(h.ds, null);
    expect([...(await days(F.storeM1.id)), ...(await days(F.storeV1.id))]).toEqual(incremental);
    // Emptied and rebuilt through the API's job (HQ only): the same rows again.
    await exec(h.ds.manager, 'DELETE FROM sales_day');
    expect((await h.api('POST', '/api/invoicing/sales-day/rebuild', { token: ruiz, body: {} })).status).toBe(403);
    const job = await h.api('POST', '/api/invoicing/sales-day/rebuild', { token: hq, body: {} });
    expect(job.status).toBe(202);
    expect((await settled(job.body.jobId)).status).toBe('succeeded');
    expect([...(await days(F.storeM1.id)), ...(await days(F.storeV1.id))]).toEqual(incremental);
  });

  it('previews the fees of November: the contract charges from its start, returns deducted; no contract → skipped', async () => {
    NOW = Date.UTC(2026, 11, 2, 9, 0, 0);
    [hq, ruiz] = [await h.login(F.hq), await h.login(F.managerRuiz)]; // the clock moved past the sessions' life
    expect((await h.api('GET', '/api/invoicing/fee-runs/preview?period=2026-11', { token: ruiz })).status).toBe(403);
    const bad = await h.api('GET', '/api/invoicing/fee-runs/preview?period=2026-13', { token: hq });
    expect(bad.status).toBe(400);
    const r = await h.api('GET', '/api/invoicing/fee-runs/preview?period=2026-11', { token: hq });
    expect(r.status).toBe(200);
    const [lev, rz] = [r.body.items.find((i: { companyId: string }) => i.companyId === F.levante.id), r.body.items.find((i: { companyId: string }) => i.companyId === F.ruiz.id)];
    expect(lev).toMatchObject({ status: 'skipped', reason: expect.stringContaining('sin contrato'), totalCents: 0 });
    // From 16 Nov only: 22 700 − 1 649 = 21 051 (210,51 €; the 10 Nov sale is before the contract).
    // Royalty 5 % = 1 052,55 → 1 053; marketing 2 % = 421,02 → 421; base 1 474; IVA 21 % = 309,54 → 310; total 1 784.
    expect(rz).toMatchObject({ status: 'to_post', contractId, netSalesCents: 21_051, baseCents: 1_474, ivaCents: 310, totalCents: 1_784 });
    expect(rz.stores).toEqual([{ storeId: F.storeM1.id, storeCode: 'M001', storeName: 'Madrid 1', netSalesCents: 21_051, royaltyCents: 1_053, marketingCents: 421 }]);
    expect(rz.lines.map((l: { description: string }) => l.description)).toEqual([
      'Royalty 5 % — Madrid 1 — ventas netas 210,51 € (16/11–30/11)',
      'Marketing 2 % — Madrid 1 — ventas netas 210,51 € (16/11–30/11)',
    ]);
    expect(r.body.totals).toEqual({ toPost: 1, posted: 0, skipped: 1, baseCents: 1_474, ivaCents: 310, totalCents: 1_784 });
    expect(await count('invoice')).toBe(0);
  });

  it('posts the run once: invoice, due date, PDF; a second post and an open month are refused writing nothing', async () => {
    expect((await h.api('POST', '/api/invoicing/fee-runs', { token: ruiz, body: { period: '2026-11' } })).status).toBe(403);
    const open = await h.api('POST', '/api/invoicing/fee-runs', { token: hq, body: { period: '2026-12' } });
    expect(open.status).toBe(422);
    expect(open.body.errors).toEqual([{ path: 'period', message: expect.stringContaining('no ha terminado') }]);
    const early = await h.api('POST', '/api/invoicing/fee-runs', { token: hq, body: { period: '2026-11', issueDate: '2026-11-29' } });
    expect(early.body.errors[0].path).toBe('issueDate');
    expect(await count('fee_run')).toBe(0);

    const started = await h.api('POST', '/api/invoicing/fee-runs', { token: hq, body: { period: '2026-11' } });
    expect(started.status).toBe(202);
    const job = await settled(started.body.jobId);
    expect(job).toMatchObject({ status: 'succeeded', progress: { done: 1, total: 1 }, message: expect.stringContaining('1 facturas') });
    const runs = await h.api('GET', '/api/invoicing/runs', { token: hq });
    expect(runs.body).toHaveLength(1);
    const run = runs.body[0];
    expect(run).toMatchObject({ id: started.body.runId, kind: 'fee', period: '2026-11', status: 'posted', issueDate: '2026-12-02' });
    expect(run.result.skipped).toEqual([{ companyId: F.levante.id, companyName: 'Levante S.L.', reason: expect.stringContaining('no contract') }]);
    expect(run.result.posted).toEqual([{ companyId: F.ruiz.id, invoiceId: expect.any(String), number: 'FV-2026-000001', totalCents: 1_784, pdfFileId: expect.any(String) }]);

    const inv = (await loadInvoice(h.ds.manager, run.result.posted[0].invoiceId))!;
    expect(inv).toMatchObject({
      companyId: F.franchisor.id, source: 'fee', sourceKey: `fee:${contractId}:2026-11`, status: 'posted', number: 'FV-2026-000001', issueDate: '2026-12-02',
      periodFrom: '2026-11-01', periodTo: '2026-11-30', paymentMethod: 'transfer', baseCents: 1_474, ivaCents: 310, totalCents: 1_784, runId: run.id,
      recipient: expect.objectContaining({ companyId: F.ruiz.id, nif: F.ruiz.nif, name: 'Ruiz S.L.' }),
    });
    expect(inv.lines.map((l) => [l.storeId, l.quantityMilli, l.unitPriceCents, l.ivaRateBp, l.baseCents])).toEqual([
      [F.storeM1.id, 1000, 1_053, 2100, 1_053],
      [F.storeM1.id, 1000, 421, 2100, 421],
    ]);
    expect(inv.taxes).toEqual([{ ivaRateBp: 2100, reRateBp: 0, exemption: null, baseCents: 1_474, ivaCents: 310, reCents: 0 }]);
    expect(inv.dues).toEqual([{ dueDate: '2027-01-01', amountCents: 1_784 }]); // 2 Dec + 30 days
    expect(inv.records[0]).toMatchObject({ kind: 'alta', invoiceNumber: 'FV-2026-000001', grandTotal: '17.84', taxTotal: '3.10' });

    // The PDF, rendered: number, recipient, a fee line, total.
    const dir = mkdtempSync(path.join(tmpdir(), 'tpv-fee-pdf-'));
    try {
      const res = await fetch(`${h.url}/api/files/${inv.pdfFileId}`, { headers: { authorization: `Bearer ${hq}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      const pdf = path.join(dir, 'fee.pdf');
      writeFileSync(pdf, Buffer.from(await res.arrayBuffer()));
      expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
      const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
      expect(text).toContain('FV-2026-000001');
      expect(text).toContain(`NIF ${F.ruiz.nif}`);
      expect(text).toContain('Royalty 5 % — Madrid 1');
      expect(text).toContain('17,84 €');
      execFileSync('pdftoppm', ['-png', '-r', '150', '-singlefile', pdf, path.join(dir, 'page')]);
      expect(statSync(path.join(dir, 'page.png')).size).toBeGreaterThan(5_000);
      // The QR tributario decodes to the AEAT URL with the issuer, the number and the total.
      const png = PNG.sync.read(readFileSync(path.join(dir, 'page.png')));
      const qr = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
      expect(qr?.data).toBe(`https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQR?nif=${F.franchisor.nif}&numserie=FV-2026-000001&fecha=02-12-2026&importe=17.84`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // The renders above block this process's event loop (server and client share it) for seconds: let the server's
    // keep-alive timer close the idle connection now, before the next request would pick it up and be reset.
    await new Promise((r) => setTimeout(r, 100));

    // Twice: refused with the reason, nothing written.
    const counts = async () => [await count('invoice'), await count('fee_run'), await count('job'), await count('audit_log'), await count('hq_fiscal_record')];
    const before = await counts();
    const again = await h.api('POST', '/api/invoicing/fee-runs', { token: hq, body: { period: '2026-11' } });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'RUN_POSTED', detail: expect.stringContaining('ya se emitió') });
    expect(await counts()).toEqual(before);
    // The preview now shows it posted.
    const after = await h.api('GET', '/api/invoicing/fee-runs/preview?period=2026-11', { token: hq });
    expect(after.body.items.find((i: { companyId: string }) => i.companyId === F.ruiz.id)).toMatchObject({ status: 'posted', invoiceNumber: 'FV-2026-000001' });
    expect(after.body.run).toMatchObject({ status: 'posted' });
  });

  it('invoices each franchisee’s received delivery notes of the month once (wholesale)', async () => {
    // Notes travel on 20 November: A to Madrid 1 received whole, B to Madrid 2 arrives damaged, C never received.
    NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
    [hq, ruiz] = [await h.login(F.hq), await h.login(F.managerRuiz)];
    const [a, b, c] = [await shippedNoteIn(h, hq, F.storeM1.id), await shippedNoteIn(h, hq, F.storeM2.id), await shippedNoteIn(h, hq, F.storeM1.id)];
    expect((await h.api('POST', `/api/delivery-notes/${a}/receive`, { token: ruiz, body: { lines: [{ productId: p0!.id, received: 1 }] } })).status).toBe(200);
    expect((await h.api('POST', `/api/delivery-notes/${b}/receive`, { token: ruiz, body: { lines: [{ productId: p0!.id, received: 0, damaged: 1 }] } })).status).toBe(200);
    NOW = Date.UTC(2026, 11, 2, 10, 0, 0);
    hq = await h.login(F.hq);
    const pv = await h.api('GET', '/api/invoicing/wholesale-runs/preview?period=2026-11', { token: hq });
    expect(pv.status).toBe(200);
    // Two notes × 1 unit × 1,50 € = 3,00 € base (damaged goods were Ruiz's from shipment); IVA 21 % = 0,63; total 3,63.
    expect(pv.body.items).toEqual([expect.objectContaining({ companyId: F.ruiz.id, status: 'to_post', lineCount: 2, baseCents: 300, ivaCents: 63, totalCents: 363 })]);
    expect(pv.body.items[0].notes.map((n: { noteId: string }) => n.noteId).sort()).toEqual([a, b].sort());

    const started = await h.api('POST', '/api/invoicing/wholesale-runs', { token: hq, body: { period: '2026-11' } });
    expect(started.status).toBe(202);
    expect((await settled(started.body.jobId)).status).toBe('succeeded');
    const run = (await h.api('GET', `/api/invoicing/runs/${started.body.runId}`, { token: hq })).body;
    expect(run.result.posted).toEqual([expect.objectContaining({ companyId: F.ruiz.id, number: 'FV-2026-000002', totalCents: 363 })]);
    const inv = (await loadInvoice(h.ds.manager, run.result.posted[0].invoiceId))!;
    expect(inv).toMatchObject({ source: 'wholesale', sourceKey: `wholesale:${F.ruiz.id}:2026-11`, baseCents: 300, ivaCents: 63, totalCents: 363 });
    expect(inv.lines.map((l) => [l.sourceRef, l.productId, l.quantityMilli, l.unitPriceCents, l.ivaRateBp]).sort()).toEqual([[a, p0!.id, 1000, 150, 2100], [b, p0!.id, 1000, 150, 2100]].sort());
    const marks = await all<{ id: string; invoice_id: string | null }>(h.ds.manager, 'SELECT id, invoice_id FROM delivery_note WHERE id IN (?, ?, ?) ORDER BY id', [a, b, c]);
    expect(Object.fromEntries(marks.map((m) => [m.id, m.invoice_id]))).toEqual({ [a]: inv.id, [b]: inv.id, [c]: null });
    const again = await h.api('POST', '/api/invoicing/wholesale-runs', { token: hq, body: { period: '2026-11' } });
    expect(again).toMatchObject({ status: 409, body: { code: 'RUN_POSTED' } });
    expect(await count('invoice')).toBe(2);
  });
});
