/**
 * Tasks and checklists over HTTP and the tills' documents channel on both engines (issue 16): HQ assigns an
 * opening checklist (3 items) to Ruiz's stores and a price change to V001; items are ticked in the back office
 * (the store manager of M001) and at a till (once, however often the document comes); a store's task completes
 * with its last item and leaves its tills; overdue ones are flagged once the due moment passes and counted;
 * bad input and out-of-scope ticks or assignments write nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UpwardAck, UpwardDocument } from '@tpv/shared/wire/upward';
import { connectTerminal, engines, F, pullChanges, startHarness, type Harness, type TerminalClient } from '../support/harness';
import * as bo from '../../src/persistence/entities';
import { all } from '../../src/persistence/sql';

const uuid = (kind: number, n: number) => `00000000-0000-7000-8${kind.toString(16).padStart(3, '0')}-${n.toString(16).padStart(12, '0')}`;
const docId = (n: number) => `01900000-0000-7000-8017-${n.toString(16).padStart(12, '0')}`;
const ANA = { id: uuid(0x17, 1), name: 'Ana M1 cajera', companyId: F.ruiz.id, storeId: F.storeM1.id, role: 'cashier' as const, active: true };
const DIEGO = { id: uuid(0x17, 2), name: 'Diego V1 cajero', companyId: F.levante.id, storeId: F.storeV1.id, role: 'cashier' as const, active: true };

describe.each(engines)('office tasks on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  // 1 December 2026, 09:00 UTC; the checklist is due at 12:00, the price change on the 3rd.
  let now = Date.UTC(2026, 11, 1, 9, 0, 0);
  const clock = { now: () => now };
  let hq = '';
  let ruiz = '';
  let m1 = '';
  let t1: TerminalClient;
  let checklist = '';
  let prices = '';

  const count = async (table: string) => Number((await all<{ n: unknown }>(h.ds.manager, `SELECT COUNT(*) AS n FROM ${table}`))[0]!.n);
  const writes = () => Promise.all(['office_task', 'office_task_item', 'office_task_store', 'office_task_check', 'change_log', 'audit_log'].map(count));
  const assign = (token: string, body: Record<string, unknown>) => h.api('POST', '/api/office/tasks', { token, body: { title: 'Tarea', dueAt: '2026-12-01T12:00:00Z', items: ['Hacer'], ...body } });
  const tick = (token: string, task: string, store: string, item: number) => h.api('POST', `/api/office/tasks/${task}/stores/${store}/items/${item}/check`, { token, body: {} });
  const checkDoc = (n: number, itemNo: number, staffId = ANA.id, taskId = checklist): UpwardDocument => ({
    id: docId(n), kind: 'office.task_check', createdAt: '2026-12-01T10:30:00+01:00', payload: { taskId, itemNo, staffId, doneAt: '2026-12-01T10:30:00+01:00' },
  });
  const send = (documents: UpwardDocument[]) => t1.socket.timeout(10_000).emitWithAck('documents', { terminalId: F.t1.id, documents }) as Promise<UpwardAck>;

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    await h.ds.manager.insert(bo.StaffEntity, [ANA, DIEGO].map((p, i) => ({ ...p, code: `T${i + 1}`, pinHash: 'x', version: 1 })));
    [hq, ruiz, m1] = await Promise.all([h.login(F.hq), h.login(F.managerRuiz), h.login(F.managerM1)]);
    t1 = await connectTerminal(h.url, F.t1.id, await h.pair(F.t1.id));
  });
  afterAll(async () => {
    t1?.close();
    await h?.teardown();
  });

  it('refuses bad input and out-of-scope assignments, writing nothing', async () => {
    const before = await writes();
    const cases: Array<[string, Record<string, unknown>, number, string?]> = [
      [hq, { target: 'company' }, 422, 'targetIds'],
      [hq, { target: 'store', targetIds: [uuid(0x99, 1)] }, 422, 'targetIds.0'],
      [hq, { target: 'all', dueAt: '2026-11-30T12:00:00Z' }, 422, 'dueAt'],
      [hq, { target: 'all', items: [] }, 400, 'items'],
      [hq, { target: 'all', items: ['Bien', '  '] }, 400, 'items.1'],
      [hq, { target: 'all', kind: 'party' }, 400, 'kind'],
      [ruiz, { target: 'store', targetIds: [F.storeV1.id] }, 403],
      [ruiz, { target: 'all' }, 403],
      [m1, { target: 'store', targetIds: [F.storeM1.id] }, 403],
    ];
    for (const [token, body, status, field] of cases) {
      const r = await assign(token, body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      if (field) expect(r.body.errors.map((e: { path: string }) => e.path), JSON.stringify(body)).toContain(field);
    }
    expect(await writes()).toEqual(before);
  });

  it('assigns a checklist to a company’s stores and a price change to one store; the tills of each store get theirs', async () => {
    const a = await assign(ruiz, { title: 'Apertura', kind: 'checklist', items: ['Encender luces', 'Revisar cámaras', 'Abrir caja'], target: 'company', targetIds: [F.ruiz.id] });
    expect(a.status).toBe(201);
    checklist = a.body.task.id;
    expect(a.body.stores.map((s: { storeId: string; status: string }) => [s.storeId, s.status])).toEqual([[F.storeM1.id, 'open'], [F.storeM2.id, 'open']]);
    const b = await assign(hq, { title: 'Cambio de precios', kind: 'price_change', dueAt: '2026-12-03T07:00:00Z', items: ['Etiquetas fruta'], target: 'store', targetIds: [F.storeV1.id] });
    expect(b.status).toBe(201);
    prices = b.body.task.id;
    const feed = (await pullChanges(t1, 0)).changes.filter((c) => c.entity === 'office_task');
    expect(feed.map((c) => [c.id, (c.data as { items: unknown[] }).items.length])).toEqual([[checklist, 3]]);
  });

  it('ticks items in the back office and at the till (once), completes the store’s task with the last one', async () => {
    now += 30 * 60_000; // 09:30
    // The store manager of M001 ticks item 1; M002 is not theirs (403); item 9 does not exist (422); Levante's task is not visible (404).
    expect((await tick(m1, checklist, F.storeM1.id, 1)).status).toBe(200);
    const before = await writes();
    expect((await tick(m1, checklist, F.storeM2.id, 1)).status).toBe(403);
    expect((await tick(m1, checklist, F.storeM1.id, 9)).status).toBe(422);
    expect((await tick(m1, prices, F.storeV1.id, 1)).status).toBe(404);
    const again = await tick(hq, checklist, F.storeM1.id, 1);
    expect([again.status, again.body.code]).toEqual([409, 'ITEM_DONE']);
    expect(await writes()).toEqual(before);

    // At the till: item 2 by Ana (sent twice), item 3 by Diego (not of this store: rejected), then item 3 by Ana.
    const r = await send([checkDoc(1, 2), checkDoc(1, 2), checkDoc(2, 3, DIEGO.id)]);
    expect(r.results.map((x) => x.status)).toEqual(['applied', 'applied', 'rejected']);
    expect(await count('office_task_check')).toBe(2);
    expect((await send([checkDoc(3, 3)])).results[0]).toMatchObject({ status: 'applied', reference: 'hecho / done' });
    const d = await h.api('GET', `/api/office/tasks/${checklist}`, { token: hq });
    const m1Row = d.body.stores.find((s: { storeId: string }) => s.storeId === F.storeM1.id);
    expect(m1Row.items.map((i: { itemNo: number; doneBy: string; source: string; doneAt: string }) => [i.itemNo, i.doneBy, i.source, i.doneAt])).toEqual([
      [1, 'Madrid 1', 'backoffice', '2026-12-01T09:30:00.000Z'],
      [2, ANA.name, 'till', '2026-12-01T10:30:00+01:00'],
      [3, ANA.name, 'till', '2026-12-01T10:30:00+01:00'],
    ]);
    expect([m1Row.status, m1Row.completedAt]).toEqual(['done', '2026-12-01T10:30:00+01:00']);
    // Done: it leaves M001's tills.
    expect((await all<{ op: string; store_id: string }>(h.ds.manager, `SELECT op, store_id FROM change_log WHERE entity = 'office_task' AND entity_id = ? AND op = 'delete'`, [checklist]))).toEqual([{ op: 'delete', store_id: F.storeM1.id }]);
  });

  it('flags overdue ones once the due moment passes and counts them, per caller’s stores', async () => {
    const counters = async (token: string) => (await h.api('GET', '/api/office/tasks', { token })).body.counters;
    // 09:30: M001 done, M002 open (checklist due 12:00), V001 open (price change due the 3rd).
    expect(await counters(hq)).toEqual({ open: 2, overdue: 0, done: 1 });
    now = Date.UTC(2026, 11, 1, 12, 0, 1); // a second past the checklist's due moment
    expect(await counters(hq)).toEqual({ open: 1, overdue: 1, done: 1 });
    const overdue = (await h.api('GET', '/api/office/tasks?status=overdue', { token: hq })).body.items;
    expect(overdue.map((r: { storeId: string; title: string; done: number; items: number }) => [r.storeId, r.title, r.done, r.items])).toEqual([[F.storeM2.id, 'Apertura', 0, 3]]);
    // Ruiz sees their two stores; the store manager of M001 only theirs.
    expect(await counters(ruiz)).toEqual({ open: 0, overdue: 1, done: 1 });
    expect(await counters(m1)).toEqual({ open: 0, overdue: 0, done: 1 });
    now = Date.UTC(2026, 11, 3, 7, 0, 1); // past the price change's due moment (sessions last 12 h: sign in again)
    expect(await counters(await h.login(F.hq))).toEqual({ open: 0, overdue: 2, done: 1 });
  });
});
