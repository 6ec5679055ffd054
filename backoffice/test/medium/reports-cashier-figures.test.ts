/**
 * Cashier figures worked out by hand (issue 18: voids and cash differences), on both engines, through the real
 * till documents channel over socket.io (the `sales.void` and `cash.close` documents a till's outbox sends):
 * two cashiers of Madrid 1 and one of València 1 (a Canary store: its own local date), voids with their
 * supervisor, a cart emptied by voiding, one close short by 2,00 € and one over by 0,50 €, another short the
 * next day. The cashiers report shows them per cashier with totals; a document sent twice counts once; a close
 * whose difference does not add up is rejected and counts nothing; a rebuild gives the same rollup rows.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportResult } from '@tpv/shared/wire/http/reports';
import type { TillCashClose, TillVoid, UpwardAck, UpwardDocument } from '@tpv/shared/wire/upward';
import { connectTerminal, engines, F, startHarness, type Harness, type TerminalClient } from '../support/harness';
import { all, exec } from '../../src/persistence/sql';
import { rebuildRollups } from '../../src/reports/rebuild';

const docId = (n: number) => `01900000-0000-7000-8018-${n.toString(16).padStart(12, '0')}`;
const ANA = { id: 'cajera-ana', name: 'Ana' };
const LUIS = { id: 'cajero-luis', name: 'Luis' };
const VERA = { id: 'cajera-vera', name: 'Vera' };
const SUPERVISOR = 'sup-marta';

const voidDoc = (n: number, who: { id: string; name: string }, cents: number, at: string, cartEmptied = false): UpwardDocument => ({
  id: docId(n),
  kind: 'sales.void',
  createdAt: at,
  payload: { cartId: `cart-${n}`, lineId: `line-${n}`, productId: F.products[n % F.products.length]!.id, cashierId: who.id, cashierName: who.name, authorisedBy: SUPERVISOR, cents, cartEmptied, at } satisfies TillVoid,
});
const closeDoc = (n: number, who: { id: string; name: string }, number: number, closedAt: string, expectedCents: number, countedCents: number, differenceCents = countedCents - expectedCents): UpwardDocument => ({
  id: docId(n),
  kind: 'cash.close',
  createdAt: closedAt,
  payload: { sessionId: `session-${n}`, number, openedAt: '2026-11-03T08:00:00+01:00', openedBy: ANA.id, closedAt, closedBy: who.id, closedByName: who.name, expectedCents, countedCents, differenceCents } satisfies TillCashClose,
});

/**
 * Madrid 1 (t1, Europe/Madrid: UTC+1 in November) and València 1 (t3, set to Atlantic/Canary: UTC+0).
 * 3 Nov, Madrid: Ana voids 3,50 € at 10:15 and 12,99 € at 18:40 (the last line of its cart: a cancelled
 * ticket), closes session 1 expecting 450,00 € and counting 448,00 € (−2,00 €); Luis voids 5,75 € at 12:00
 * and closes session 2 expecting 612,50 € and counting 613,00 € (+0,50 €).
 * 23:30 UTC on 3 Nov: Ana voids 4,20 € in Madrid (00:30 on the 4th there); Vera voids 8,00 € in the Canaries
 * (23:30 on the 3rd there). 4 Nov: Luis closes session 3 short by 10,00 €.
 */
const MADRID: UpwardDocument[] = [
  voidDoc(1, ANA, 350, '2026-11-03T10:15:00+01:00'),
  voidDoc(2, ANA, 1_299, '2026-11-03T18:40:00+01:00', true),
  closeDoc(3, ANA, 1, '2026-11-03T15:00:00+01:00', 45_000, 44_800),
  voidDoc(4, LUIS, 575, '2026-11-03T12:00:00+01:00'),
  closeDoc(5, LUIS, 2, '2026-11-03T22:10:00+01:00', 61_250, 61_300),
  voidDoc(6, ANA, 420, '2026-11-03T23:30:00Z'),
  closeDoc(7, LUIS, 3, '2026-11-04T21:00:00+01:00', 30_000, 29_000),
];
const CANARY: UpwardDocument[] = [voidDoc(8, VERA, 800, '2026-11-03T23:30:00Z')];

describe.each(engines)('cashier figures (voids, cash differences) worked by hand on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let hq: string;
  let t1: TerminalClient;
  let t3: TerminalClient;
  const send = async (t: TerminalClient, terminalId: string, documents: UpwardDocument[]) =>
    (await t.socket.timeout(10_000).emitWithAck('documents', { terminalId, documents })) as UpwardAck;
  const report = async (q: string, token = hq): Promise<ReportResult> => {
    const r = await h.api('GET', `/api/reports/cashiers?${q}`, { token });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body as ReportResult;
  };
  const figures = (r: ReportResult) =>
    Object.fromEntries(r.rows.map((row) => [row.cashier, { voids: row.voids, voidCents: row.voidCents, cartsVoided: row.cartsVoided, cashCloses: row.cashCloses, cashDifferenceCents: row.cashDifferenceCents }]));
  const rollup = async () =>
    (await all<Record<string, unknown>>(h.ds.manager, `SELECT * FROM report_cashier_event_day ORDER BY store_id, business_date, cashier_id`)).map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' ? v : Number(v)])),
    );

  beforeAll(async () => {
    h = await startHarness(engine, { now: () => Date.UTC(2026, 10, 30, 12) });
    hq = await h.login(F.hq);
    await exec(h.ds.manager, `UPDATE store SET timezone = 'Atlantic/Canary' WHERE id = ?`, [F.storeV1.id]);
    t1 = await connectTerminal(h.url, F.t1.id, await h.pair(F.t1.id));
    t3 = await connectTerminal(h.url, F.t3.id, await h.pair(F.t3.id));
    const a = await send(t1, F.t1.id, MADRID);
    expect(a.results.map((r) => r.status)).toEqual(MADRID.map(() => 'applied'));
    expect(a.results[2]!.reference).toContain('Z 1');
    expect(a.results[2]!.reference).toContain('−2,00 €');
    expect((await send(t3, F.t3.id, CANARY)).results.map((r) => r.status)).toEqual(['applied']);
  });
  afterAll(async () => {
    t1?.close();
    t3?.close();
    await h?.teardown();
  });

  it('one day: voids and the cash difference per cashier, on each store’s local date, with totals', async () => {
    const day = await report('from=2026-11-03&to=2026-11-03');
    expect(figures(day)).toEqual({
      Ana: { voids: 2, voidCents: 1_649, cartsVoided: 1, cashCloses: 1, cashDifferenceCents: -200 },
      Luis: { voids: 1, voidCents: 575, cartsVoided: 0, cashCloses: 1, cashDifferenceCents: 50 },
      Vera: { voids: 1, voidCents: 800, cartsVoided: 0, cashCloses: 0, cashDifferenceCents: 0 },
    });
    expect(day.totals).toMatchObject({ voids: 4, voidCents: 3_024, cartsVoided: 1, cashCloses: 2, cashDifferenceCents: -150, tickets: 0 });
    expect(day.columns.find((c) => c.key === 'cashDifferenceCents')).toMatchObject({ kind: 'cents', label: { es: 'Descuadre de caja', en: 'Cash difference' } });
    // The spreadsheet's totals row says the same, in euros (−1,50 €).
    const res = await fetch(`${h.url}/api/reports/cashiers?from=2026-11-03&to=2026-11-03&format=xlsx`, { headers: { authorization: `Bearer ${hq}` } });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ExcelJS.Buffer);
    const ws = book.worksheets[0]!;
    const col = (key: string) => day.columns.findIndex((c) => c.key === key) + 1;
    expect(ws.getRow(ws.rowCount).getCell(1).value).toBe('Total');
    expect(ws.getRow(ws.rowCount).getCell(col('cashDifferenceCents')).value).toBe(-1.5);
    expect(ws.getRow(ws.rowCount).getCell(col('voids')).value).toBe(4);
  });

  it('two days, one store, one cashier', async () => {
    const two = await report('from=2026-11-03&to=2026-11-04');
    expect(figures(two)).toMatchObject({
      Ana: { voids: 3, voidCents: 2_069, cashDifferenceCents: -200 },
      Luis: { voids: 1, voidCents: 575, cashCloses: 2, cashDifferenceCents: -950 },
    });
    expect(two.totals).toMatchObject({ voids: 5, voidCents: 3_444, cashCloses: 3, cashDifferenceCents: -1_150 });
    const m1 = await report(`from=2026-11-03&to=2026-11-04&store=${F.storeM1.id}`);
    expect(m1.rows.map((r) => r.cashier)).toEqual(['Ana', 'Luis']);
    expect(m1.totals).toMatchObject({ voids: 4, voidCents: 2_644, cashDifferenceCents: -1_150 });
    const luis = await report(`from=2026-11-03&to=2026-11-04&cashier=${LUIS.id}`);
    expect(figures(luis)).toEqual({ Luis: { voids: 1, voidCents: 575, cartsVoided: 0, cashCloses: 2, cashDifferenceCents: -950 } });
    // A franchisee sees their own store's cashiers only.
    const levante = await report('from=2026-11-03&to=2026-11-04', await h.login(F.managerLevante));
    expect(figures(levante)).toEqual({ Vera: { voids: 1, voidCents: 800, cartsVoided: 0, cashCloses: 0, cashDifferenceCents: 0 } });
  });

  it('a document sent again counts once; a close whose difference does not add up is rejected and counts nothing', async () => {
    const again = await send(t1, F.t1.id, [MADRID[2]!, MADRID[0]!]);
    expect(again.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    const bad = await send(t1, F.t1.id, [closeDoc(9, ANA, 4, '2026-11-03T16:00:00+01:00', 10_000, 9_000, 0)]);
    expect(bad.results[0]).toMatchObject({ status: 'rejected', message: expect.stringContaining('countedCents − expectedCents') });
    const day = await report('from=2026-11-03&to=2026-11-03');
    expect(day.totals).toMatchObject({ voids: 4, voidCents: 3_024, cashCloses: 2, cashDifferenceCents: -150 });
    const events = await all<{ n: unknown }>(h.ds.manager, `SELECT COUNT(*) AS n FROM till_cashier_event`);
    expect(Number(events[0]!.n)).toBe(8);
    const kept = await all<{ supervisor_id: string; cashier_id: string }>(h.ds.manager, `SELECT supervisor_id, cashier_id FROM till_cashier_event WHERE id = ?`, [docId(2)]);
    expect(kept).toEqual([{ supervisor_id: SUPERVISOR, cashier_id: ANA.id }]);
  });

  it('a rebuild gives exactly the rollup rows the documents left', async () => {
    const before = await rollup();
    expect(before).toHaveLength(5);
    await exec(h.ds.manager, `DELETE FROM report_cashier_event_day`);
    await rebuildRollups(h.ds, { storeIds: null, from: '2026-11-01', to: '2026-11-30' });
    expect(await rollup()).toEqual(before);
  });
});
