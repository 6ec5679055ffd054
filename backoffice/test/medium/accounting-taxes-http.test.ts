/**
 * The taxes routes over HTTP on both engines: JSON and the CSV/XLSX downloads of the same rows, bad periods
 * refused with field errors, a company outside the caller's scope 403 and an unknown one 404.
 * Seed by hand: a till day of Madrid 1 (Ruiz), 20 Nov 2026: 100,00 at 10 % (IVA 10,00), not yet posted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, F, startHarness, type Harness } from '../support/harness';
import { exec } from '../../src/persistence/sql';

const clock = { now: () => Date.UTC(2026, 10, 30, 9, 0, 0) };

describe.each(engines)('taxes routes on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let hq: string;
  let levante: string;
  const base = `/api/accounting/companies/${F.ruiz.id}`;

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    hq = await h.login(F.hq);
    levante = await h.login(F.managerLevante);
    await exec(h.ds.manager, `INSERT INTO sales_tax_session (terminal_id, session_id, business_date, iva_rate_bp, re_rate_bp, store_id, base_cents, iva_cents, re_cents, pending)
      VALUES (?, 's1', '2026-11-20', 1000, 0, ?, 10000, 1000, 0, ?)`, [F.t1.id, F.storeM1.id, true]);
  });
  afterAll(async () => h?.teardown());

  it('answers the book, the return and the 347 as JSON', async () => {
    const b = await h.api('GET', `${base}/vat-books?book=issued&period=2026-11`, { token: hq });
    expect(b.status).toBe(200);
    expect(b.body.rows).toHaveLength(1);
    expect(b.body.rows[0]).toMatchObject({ invoiceType: 'F4', source: 'tickets', baseCents: 10_000, ivaCents: 1_000, counted: true });
    const r = await h.api('GET', `${base}/vat-return?period=2026-4T`, { token: hq });
    expect(r.status).toBe(200);
    const box = (n: string) => r.body.boxes.find((x: { box: string }) => x.box === n).value;
    expect([box('04'), box('06'), box('27'), box('71')]).toEqual([10_000, 1_000, 1_000, 1_000]);
    // Nothing posted yet: the whole 10,00 is the tickets the daily sales entry has not taken.
    expect(r.body.reconciliation).toEqual([
      { kind: 'output_vat', rateBp: 1000, account: '47701000', bookCents: 1_000, journalCents: 0, differenceCents: 1_000, unexplainedCents: 0,
        explained: [{ reason: 'tickets_not_posted', cents: 1_000, rows: [`tickets:${F.storeM1.id}:2026-11-20:1000:0`] }] },
    ]);
    const a = await h.api('GET', `${base}/annual-counterparties?year=2026`, { token: hq });
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ year: 2026, thresholdCents: 300_506, declared: [], under: [], excluded: [] });
  });

  it('downloads the same rows as CSV and XLSX', async () => {
    const csv = await h.api('GET', `${base}/vat-books?book=issued&period=2026-4T&format=csv`, { token: hq });
    expect(csv.status).toBe(200);
    const lines = (csv.body as string).replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(lines[0]).toContain('Base Imponible;Tipo de IVA;Cuota IVA');
    expect(lines[1]).toContain('2026-11;2026-11-20;F4;M001 2026-11-20;;Resumen diario de tiques M001 Madrid 1;;100.00;10.00;10.00;0.00;0.00;;110.00');
    const res = await fetch(`${h.url}${base}/vat-return?period=2026-4T&format=xlsx`, { headers: { authorization: `Bearer ${hq}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    expect(res.headers.get('content-disposition')).toContain('modelo-303-2026-4T.xlsx');
    // An XLSX is a zip: PK.
    expect(Buffer.from(await res.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
  });

  it('refuses a bad period with its field, a company outside the scope and an unknown company', async () => {
    const bad = await h.api('GET', `${base}/vat-return?period=2026-5T`, { token: hq });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('period');
    expect((await h.api('GET', `${base}/vat-books?book=sold&period=2026`, { token: hq })).status).toBe(400);
    expect((await h.api('GET', `${base}/annual-counterparties?year=99`, { token: hq })).status).toBe(400);
    expect((await h.api('GET', `${base}/vat-return?period=2026-4T`, { token: levante })).status).toBe(403);
    expect((await h.api('GET', `/api/accounting/companies/00000000-0000-7000-8000-00000000dead/vat-return?period=2026-4T`, { token: hq })).status).toBe(404);
  });
});
