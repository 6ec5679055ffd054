/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies of HTTP answers */
/**
 * Tasks and checklists at the till (issue 16): the feed's tasks for this store are listed overdue first, then by
 * due moment, done ones last; ticking an item writes the local tick and ONE `office.task_check` outbox document
 * in the same transaction — a second tap, an unknown task or item writes nothing. No back office runs here: the
 * ticks wait in the outbox (offline). HQ deleting the task from the feed (the store has done it) takes it off.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogStore } from '../../src/sync/catalog';
import { freshTerminalDb, STAFF, tempDir, type TestDb } from './support/fixture';
import { startTerminal, type RunningTerminal } from './support/server';

const dir = tempDir('tpv-tasks-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const tid = (n: number) => `00000000-0000-7000-8016-${(0x7a00 + n).toString(16).padStart(12, '0')}`;
const NOW = Date.UTC(2026, 11, 1, 9, 0, 0);
const HOUR = 3_600_000;

describe('tasks and checklists at the till', () => {
  let t: TestDb;
  let s: RunningTerminal;
  let now = NOW;
  const docs = () => (t.db.prepare(`SELECT payload FROM document_outbox WHERE kind = 'office.task_check' ORDER BY created_at, id`).all() as Array<{ payload: string }>).map((d) => JSON.parse(d.payload));
  const ticks = () => t.db.prepare('SELECT task_id, item_no, staff_id, done_at FROM office_task_check ORDER BY done_at, item_no').all();
  let feedVersion = 0;
  const feed = (changes: Array<Record<string, unknown>>) => {
    const from = feedVersion;
    feedVersion += changes.length;
    createCatalogStore(t.db).applyPage({ fromVersion: from, toVersion: feedVersion, hasMore: false, changes: changes.map((c, i) => ({ version: from + i + 1, ...c })) as never }, new Date(now).toISOString());
  };
  const task = (n: number, dueAt: number, items: string[], title = `Tarea ${n}`) => ({
    entity: 'office_task', id: tid(n), op: 'upsert',
    data: { id: tid(n), title, kind: 'checklist', description: n === 1 ? 'Antes de abrir' : null, dueAt: new Date(dueAt).toISOString(), items: items.map((text, i) => ({ no: i + 1, text })) },
  });

  beforeAll(async () => {
    t = await freshTerminalDb(dir);
    s = await startTerminal(t.ds, t.file, { clock: { now: () => now } });
    // An opening checklist due in two hours, a price change due yesterday (overdue), a promotion due tomorrow.
    feed([
      task(1, NOW + 2 * HOUR, ['Encender luces', 'Abrir cajas', 'Revisar fechas de caducidad'], 'Apertura'),
      task(2, NOW - 24 * HOUR, ['Cambiar etiquetas de fruta'], 'Cambio de precios'),
      task(3, NOW + 24 * HOUR, ['Montar cabecera de góndola'], 'Promo 2x1'),
    ]);
    await s.login(STAFF.cashier.pin);
  });
  afterAll(async () => {
    await s.close();
    await t.ds.destroy();
  });

  it('lists the store’s tasks overdue first, then by due moment, with their items unticked', async () => {
    const r = await s.call('GET', '/api/tasks');
    expect(r.status).toBe(200);
    expect(r.body.map((x: any) => [x.title, x.status, x.items.length])).toEqual([['Cambio de precios', 'overdue', 1], ['Apertura', 'open', 3], ['Promo 2x1', 'open', 1]]);
    expect(r.body[1]).toMatchObject({ description: 'Antes de abrir', items: [{ no: 1, text: 'Encender luces', doneAt: null, doneBy: null }, { no: 2 }, { no: 3 }] });
  });

  it('ticks an item once: the local tick and one outbox document; a second tap answers with the first tick', async () => {
    now += 60_000;
    const first = await s.call('POST', `/api/tasks/${tid(1)}/items/2/check`);
    expect(first.status).toBe(200);
    const at = new Date(NOW + 60_000).toISOString();
    expect(first.body.items[1]).toEqual({ no: 2, text: 'Abrir cajas', doneAt: at, doneBy: STAFF.cashier.name });
    now += 60_000;
    await s.login(STAFF.manager.pin);
    const again = await s.call('POST', `/api/tasks/${tid(1)}/items/2/check`);
    expect(again.body.items[1]).toMatchObject({ doneAt: at, doneBy: STAFF.cashier.name });
    expect(docs()).toEqual([{ taskId: tid(1), itemNo: 2, staffId: STAFF.cashier.id, doneAt: at }]);
  });

  it('marks a task done at the till when every item is ticked here, and puts it last', async () => {
    for (const no of [1, 3]) expect((await s.call('POST', `/api/tasks/${tid(1)}/items/${no}/check`)).status).toBe(200);
    const list = (await s.call('GET', '/api/tasks')).body;
    expect(list.map((x: any) => [x.title, x.status])).toEqual([['Cambio de precios', 'overdue'], ['Promo 2x1', 'open'], ['Apertura', 'done']]);
    expect(list[2].items.map((i: any) => i.doneBy)).toEqual([STAFF.manager.name, STAFF.cashier.name, STAFF.manager.name]);
    expect(docs()).toHaveLength(3);
  });

  it('refuses an unknown task (404) or item (422), and a caller not logged in (401): nothing written', async () => {
    const before = [docs().length, ticks().length];
    expect((await s.call('POST', `/api/tasks/${tid(99)}/items/1/check`)).status).toBe(404);
    const noItem = await s.call('POST', `/api/tasks/${tid(3)}/items/7/check`);
    expect(noItem.status).toBe(422);
    expect(noItem.body.code).toBe('TASK_ITEM_UNKNOWN');
    expect((await s.call('POST', `/api/tasks/${tid(3)}/items/abc/check`)).status).toBe(422);
    expect((await s.call('POST', `/api/tasks/${tid(3)}/items/1/check`, undefined, null)).status).toBe(401);
    expect([docs().length, ticks().length]).toEqual(before);
  });

  it('drops a task HQ deletes from the feed (done there or withdrawn); its ticks’ documents still wait to be sent', async () => {
    feed([{ entity: 'office_task', id: tid(1), op: 'delete', data: null }]);
    expect((await s.call('GET', '/api/tasks')).body.map((x: any) => x.title)).toEqual(['Cambio de precios', 'Promo 2x1']);
    expect(ticks()).toEqual([]);
    expect(t.db.prepare(`SELECT COUNT(*) AS n FROM document_outbox WHERE kind = 'office.task_check' AND status = 'pending'`).get()).toEqual({ n: 3 });
  });
});
