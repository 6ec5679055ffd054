/**
 * Office notices over HTTP and the tills' documents channel on both engines (issue 16): who a notice reaches
 * (a table of target × person → reached, checked on the notice's page and on the change feed each store's
 * tills pull), read confirmations applied exactly once per person (a resent document, a second confirmation
 * from another till of the store), refusals of bad input (422/400 naming the field, nothing written) and of
 * scope (a franchisee writes only to their own companies' stores and sees only their people; a store manager
 * reads their store's, writes nothing).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UpwardAck, UpwardDocument } from '@tpv/shared/wire/upward';
import { connectTerminal, engines, F, pullChanges, startHarness, type Harness, type TerminalClient } from '../support/harness';
import * as bo from '../../src/persistence/entities';
import { all } from '../../src/persistence/sql';

const uuid = (kind: number, n: number) => `00000000-0000-7000-8${kind.toString(16).padStart(3, '0')}-${n.toString(16).padStart(12, '0')}`;
const docId = (n: number) => `01900000-0000-7000-8016-${n.toString(16).padStart(12, '0')}`;

/** Till people: Ruiz (M001, M002 and a company-wide manager), Levante (V001); one inactive. */
const P = {
  anaM1: { id: uuid(0x16, 1), name: 'Ana M1 cajera', companyId: F.ruiz.id, storeId: F.storeM1.id, role: 'cashier' as const, active: true },
  borisM2: { id: uuid(0x16, 2), name: 'Boris M2 supervisor', companyId: F.ruiz.id, storeId: F.storeM2.id, role: 'supervisor' as const, active: true },
  carmenRuiz: { id: uuid(0x16, 3), name: 'Carmen Ruiz encargada', companyId: F.ruiz.id, storeId: null, role: 'manager' as const, active: true },
  diegoV1: { id: uuid(0x16, 4), name: 'Diego V1 cajero', companyId: F.levante.id, storeId: F.storeV1.id, role: 'cashier' as const, active: true },
  elenaM1: { id: uuid(0x16, 5), name: 'Elena M1 baja', companyId: F.ruiz.id, storeId: F.storeM1.id, role: 'cashier' as const, active: false },
};
type Who = keyof typeof P;

/**
 * Target × person → reached. A store target reaches its store's staff and the company-wide staff of the
 * store's company; a role list narrows it; an inactive person is never reached.
 */
const TABLE: Array<{ name: string; body: Record<string, unknown>; reached: Who[]; stores: string[] }> = [
  { name: 'all', body: { target: 'all' }, reached: ['anaM1', 'borisM2', 'carmenRuiz', 'diegoV1'], stores: [F.storeM1.id, F.storeM2.id, F.storeV1.id] },
  { name: 'company Ruiz', body: { target: 'company', targetIds: [F.ruiz.id] }, reached: ['anaM1', 'borisM2', 'carmenRuiz'], stores: [F.storeM1.id, F.storeM2.id] },
  { name: 'store M002', body: { target: 'store', targetIds: [F.storeM2.id] }, reached: ['borisM2', 'carmenRuiz'], stores: [F.storeM2.id] },
  { name: 'all, cashiers', body: { target: 'all', roles: ['cashier'] }, reached: ['anaM1', 'diegoV1'], stores: [F.storeM1.id, F.storeM2.id, F.storeV1.id] },
  { name: 'store M001, managers', body: { target: 'store', targetIds: [F.storeM1.id], roles: ['manager'] }, reached: ['carmenRuiz'], stores: [F.storeM1.id] },
  { name: 'company Levante, supervisors', body: { target: 'company', targetIds: [F.levante.id], roles: ['supervisor'] }, reached: [], stores: [F.storeV1.id] },
  { name: 'stores M002 + V001', body: { target: 'store', targetIds: [F.storeM2.id, F.storeV1.id] }, reached: ['borisM2', 'carmenRuiz', 'diegoV1'], stores: [F.storeM2.id, F.storeV1.id] },
];

describe.each(engines)('office notices on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let now = Date.UTC(2026, 11, 1, 9, 0, 0);
  const clock = { now: () => now };
  let hq = '';
  let ruiz = '';
  let levante = '';
  let m1 = '';
  let t1: TerminalClient;
  let t2: TerminalClient;
  let t3: TerminalClient;
  const ids = new Map<string, string>();

  const count = async (table: string) => Number((await all<{ n: unknown }>(h.ds.manager, `SELECT COUNT(*) AS n FROM ${table}`))[0]!.n);
  const writes = () => Promise.all(['office_notice', 'office_notice_store', 'office_notice_target', 'office_notice_read', 'change_log', 'audit_log'].map(count));
  const post = (token: string, body: Record<string, unknown>) => h.api('POST', '/api/office/notices', { token, body: { title: 'Aviso', body: 'Texto del aviso', ...body } });
  const readDoc = (n: number, noticeId: string, who: Who, readAt: string): UpwardDocument => ({
    id: docId(n), kind: 'office.notice_read', createdAt: readAt, payload: { noticeId, staffId: P[who].id, readAt },
  });
  const send = (t: TerminalClient, terminalId: string, documents: UpwardDocument[]) =>
    t.socket.timeout(10_000).emitWithAck('documents', { terminalId, documents }) as Promise<UpwardAck>;

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    await h.ds.manager.insert(bo.StaffEntity, Object.values(P).map((p, i) => ({ ...p, code: `E${i + 1}`, pinHash: 'x', version: 1 })));
    [hq, ruiz, levante, m1] = await Promise.all([h.login(F.hq), h.login(F.managerRuiz), h.login(F.managerLevante), h.login(F.managerM1)]);
    t1 = await connectTerminal(h.url, F.t1.id, await h.pair(F.t1.id));
    t2 = await connectTerminal(h.url, F.t2.id, await h.pair(F.t2.id));
    t3 = await connectTerminal(h.url, F.t3.id, await h.pair(F.t3.id));
  });
  afterAll(async () => {
    for (const t of [t1, t2, t3]) t?.close();
    await h?.teardown();
  });

  it('reaches, per target, exactly the people of the table, and sends each store only the notices for it', async () => {
    for (const row of TABLE) {
      now += 1000;
      const r = await post(hq, { ...row.body, title: row.name });
      expect(r.status, `${row.name}: ${JSON.stringify(r.body)}`).toBe(201);
      ids.set(row.name, r.body.notice.id);
      const reached = (r.body.people as Array<{ staffId: string; targeted: boolean }>).filter((p) => p.targeted).map((p) => p.staffId).sort();
      expect(reached, row.name).toEqual(row.reached.map((w) => P[w].id).sort());
      expect(r.body.notice).toMatchObject({ people: row.reached.length, read: 0, stores: row.stores.length });
      expect((r.body.stores as Array<{ storeId: string }>).map((s) => s.storeId).sort(), row.name).toEqual([...row.stores].sort());
    }
    // What each store's till pulls: the network-wide ones and those aimed at its store, with the roles.
    const at = async (t: TerminalClient) => (await pullChanges(t, 0)).changes.filter((c) => c.entity === 'notice').map((c) => (c.data as { title: string }).title).sort();
    const expectAt = (store: string) => TABLE.filter((r) => r.stores.includes(store)).map((r) => r.name).sort();
    expect(await at(t1)).toEqual(expectAt(F.storeM1.id));
    expect(await at(t3)).toEqual(expectAt(F.storeV1.id));
    const cashiers = (await pullChanges(t3, 0)).changes.find((c) => c.entity === 'notice' && (c.data as { title: string }).title === 'all, cashiers');
    expect(cashiers?.data).toMatchObject({ roles: ['cashier'], priority: 'normal', validUntil: null, startsAt: new Date(Date.UTC(2026, 11, 1, 9, 0, 4)).toISOString() });
  });

  it('applies a read once per person: a resent document and a second confirmation from another till change nothing', async () => {
    const notice = ids.get('company Ruiz')!;
    const first = await send(t1, F.t1.id, [readDoc(1, notice, 'anaM1', '2026-12-01T10:15:00+01:00')]);
    expect(first.results).toEqual([{ id: docId(1), status: 'applied', reference: 'leído / read' }]);
    // The same document again (a lost ack), and another confirmation by Ana from till 2 of the same store.
    expect((await send(t1, F.t1.id, [readDoc(1, notice, 'anaM1', '2026-12-01T10:15:00+01:00')])).results).toEqual(first.results);
    const second = await send(t2, F.t2.id, [readDoc(2, notice, 'anaM1', '2026-12-01T11:00:00+01:00')]);
    expect(second.results).toEqual([{ id: docId(2), status: 'applied', reference: 'ya leído / already read 2026-12-01T10:15:00+01:00' }]);
    // Carmen (company-wide) reads at M001's till.
    expect((await send(t1, F.t1.id, [readDoc(3, notice, 'carmenRuiz', '2026-12-01T10:20:00+01:00')])).results[0]!.status).toBe('applied');
    expect(await all(h.ds.manager, 'SELECT staff_id, store_id, terminal_id, read_at FROM office_notice_read WHERE notice_id = ? ORDER BY read_at', [notice])).toEqual([
      { staff_id: P.anaM1.id, store_id: F.storeM1.id, terminal_id: F.t1.id, read_at: '2026-12-01T10:15:00+01:00' },
      { staff_id: P.carmenRuiz.id, store_id: F.storeM1.id, terminal_id: F.t1.id, read_at: '2026-12-01T10:20:00+01:00' },
    ]);
    const page = await h.api('GET', `/api/office/notices/${notice}`, { token: hq });
    expect(page.body.notice).toMatchObject({ people: 3, read: 2 });
    expect(page.body.people.map((p: { name: string; readAt: string | null }) => [p.name, p.readAt])).toEqual(expect.arrayContaining([
      [P.anaM1.name, '2026-12-01T10:15:00+01:00'], [P.borisM2.name, null], [P.carmenRuiz.name, '2026-12-01T10:20:00+01:00'],
    ]));
    expect(page.body.stores.map((s: { storeId: string; people: number; read: number }) => [s.storeId, s.people, s.read])).toEqual([[F.storeM1.id, 1, 2], [F.storeM2.id, 1, 0]]);
    const listed = (await h.api('GET', '/api/office/notices', { token: hq })).body.items.find((n: { id: string }) => n.id === notice);
    expect(listed).toMatchObject({ people: 3, read: 2 });
  });

  it('rejects a read by someone not of the till’s store or of an unknown notice, writing nothing', async () => {
    const before = await count('office_notice_read');
    const r = await send(t1, F.t1.id, [
      readDoc(4, ids.get('all')!, 'diegoV1', '2026-12-01T10:30:00+01:00'),
      readDoc(5, uuid(0x99, 1), 'anaM1', '2026-12-01T10:30:00+01:00'),
      readDoc(6, ids.get('all')!, 'borisM2', '2026-12-01T10:30:00+01:00'),
    ]);
    expect(r.results.map((x) => x.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(await count('office_notice_read')).toBe(before);
  });

  it('refuses bad input with the field named and writes nothing', async () => {
    const before = await writes();
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ target: 'company' }, 422, 'targetIds'],
      [{ target: 'all', targetIds: [F.storeM1.id] }, 422, 'targetIds'],
      [{ target: 'store', targetIds: [F.storeM1.id, uuid(0x99, 2)] }, 422, 'targetIds.1'],
      [{ target: 'company', targetIds: [uuid(0x99, 3)] }, 422, 'targetIds.0'],
      [{ target: 'all', startsAt: '2026-12-10T09:00:00Z', endsAt: '2026-12-05T09:00:00Z' }, 422, 'endsAt'],
      [{ target: 'all', endsAt: '2026-11-30T09:00:00Z' }, 422, 'endsAt'],
      [{ target: 'all', bodyEn: 'English text' }, 422, 'titleEn'],
      [{ target: 'all', title: '   ' }, 400, 'title'],
      [{ target: 'everyone' }, 400, 'target'],
      [{ target: 'all', roles: ['baker'] }, 400, 'roles.0'],
      [{ target: 'all', priority: 'low' }, 400, 'priority'],
    ];
    for (const [body, status, field] of cases) {
      const r = await post(hq, body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body.type).toMatch(/^https:\/\/tpv\.dev\/problems\//);
      expect(r.body.errors.map((e: { path: string }) => e.path), JSON.stringify(body)).toContain(field);
    }
    expect(await writes()).toEqual(before);
  });

  it('scopes writes and reads: a franchisee writes to and sees only their stores, a store manager reads their store and writes nothing', async () => {
    const before = await writes();
    expect((await post(ruiz, { target: 'store', targetIds: [F.storeV1.id] })).status).toBe(403);
    expect((await post(ruiz, { target: 'company', targetIds: [F.levante.id] })).status).toBe(403);
    expect((await post(ruiz, { target: 'store', targetIds: [F.storeM1.id, F.storeV1.id] })).status).toBe(403);
    expect((await post(ruiz, { target: 'all' })).status).toBe(403);
    expect((await post(m1, { target: 'store', targetIds: [F.storeM1.id] })).status).toBe(403);
    // Withdrawing: Levante does not see a notice of Ruiz's stores; Ruiz may not withdraw HQ's network-wide one.
    expect((await h.api('POST', `/api/office/notices/${ids.get('company Ruiz')}/withdraw`, { token: levante, body: {} })).status).toBe(404);
    expect((await h.api('POST', `/api/office/notices/${ids.get('all')}/withdraw`, { token: ruiz, body: {} })).status).toBe(403);
    expect(await writes()).toEqual(before);

    // Ruiz writes to their own company: reaches their people only.
    now += 1000;
    const own = await post(ruiz, { target: 'company', targetIds: [F.ruiz.id], title: 'Aviso de Ruiz', priority: 'high' });
    expect(own.status).toBe(201);
    expect(own.body.notice).toMatchObject({ people: 3, stores: 2, priority: 'high' });

    // Lists: Levante sees the notices that reached V001 only; the store manager of M001 those that reached M001.
    const titles = async (token: string) => ((await h.api('GET', '/api/office/notices', { token })).body.items as Array<{ title: string }>).map((n) => n.title).sort();
    expect(await titles(levante)).toEqual(TABLE.filter((r) => r.stores.includes(F.storeV1.id)).map((r) => r.name).sort());
    expect(await titles(m1)).toEqual([...TABLE.filter((r) => r.stores.includes(F.storeM1.id)).map((r) => r.name), 'Aviso de Ruiz'].sort());
    expect((await h.api('GET', `/api/office/notices/${ids.get('company Ruiz')}`, { token: levante })).status).toBe(404);
    // On a network-wide notice's page each sees only their people and stores.
    const page = async (token: string) => (await h.api('GET', `/api/office/notices/${ids.get('all')}`, { token })).body;
    const lev = await page(levante);
    expect([lev.people.map((p: { name: string }) => p.name), lev.stores.map((s: { storeId: string }) => s.storeId)]).toEqual([[P.diegoV1.name], [F.storeV1.id]]);
    const store = await page(m1);
    expect([store.people.map((p: { name: string }) => p.name).sort(), store.stores.map((s: { storeId: string }) => s.storeId)]).toEqual([[P.anaM1.name, P.carmenRuiz.name].sort(), [F.storeM1.id]]);

    // Ruiz withdraws their own notice: the feed deletes it at both stores; a second withdrawal is 409.
    const w = await h.api('POST', `/api/office/notices/${own.body.notice.id}/withdraw`, { token: ruiz, body: {} });
    expect(w.status).toBe(200);
    expect(w.body.notice.withdrawnAt).not.toBeNull();
    const deletes = await all<{ store_id: string }>(h.ds.manager, `SELECT store_id FROM change_log WHERE entity = 'notice' AND entity_id = ? AND op = 'delete' ORDER BY store_id`, [own.body.notice.id]);
    expect(deletes.map((d) => d.store_id)).toEqual([F.storeM1.id, F.storeM2.id].sort());
    expect((await h.api('POST', `/api/office/notices/${own.body.notice.id}/withdraw`, { token: ruiz, body: {} })).status).toBe(409);
  });
});
