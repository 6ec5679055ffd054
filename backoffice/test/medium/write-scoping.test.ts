/**
 * Write scoping of staff and notices (issue #9 point 3): a write is checked against the scope of the row it
 * overwrites, not only against the body; staff moved or deactivated leave the old store's tills; PINs are
 * unique per store (a clash is a 409 naming `pin`). On SQLite and PostgreSQL, over real HTTP and socket.io.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendChanges } from '../../src/catalog/changes';
import { noticePayload, staffPayload } from '../../src/catalog/payloads';
import { NoticeEntity, StaffEntity } from '../../src/persistence/entities';
import { writeTransaction } from '../../src/persistence/raw';
import { ScopeLeftovers1795400000302 } from '../../src/persistence/migrations/1795400000302-ScopeLeftovers';
import { connectTerminal, engines, F, pullChanges, startHarness, type Harness, type TerminalClient } from '../support/harness';

const sid = (n: number) => `00000000-0000-7000-8009-${n.toString(16).padStart(12, '0')}`;
const nid = (n: number) => `00000000-0000-7000-800a-${n.toString(16).padStart(12, '0')}`;

const staff = (over: Record<string, unknown>) => ({ companyId: F.ruiz.id, storeId: F.storeM1.id, code: 'X', name: 'X', role: 'cashier', active: true, ...over });

describe.each(engines)('write scoping on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let hq: string;
  let ruiz: string;
  let levante: string;
  let m1: string;
  let madrid: TerminalClient;
  let valencia: TerminalClient;

  beforeAll(async () => {
    h = await startHarness(engine);
    [hq, ruiz, levante, m1] = await Promise.all([h.login(F.hq), h.login(F.managerRuiz), h.login(F.managerLevante), h.login(F.managerM1)]);
    madrid = await connectTerminal(h.url, F.t1.id, await h.pair(F.t1.id));
    valencia = await connectTerminal(h.url, F.t3.id, await h.pair(F.t3.id));
  });
  afterAll(async () => {
    madrid?.close();
    valencia?.close();
    await h?.teardown();
  });

  const staffRow = (id: string) => h.ds.getRepository(StaffEntity).findOneBy({ id });
  const noticeRow = (id: string) => h.ds.getRepository(NoticeEntity).findOneBy({ id });

  it('refuses a franchisee manager taking over another franchisee’s employee: 403, the row unchanged', async () => {
    const id = sid(1);
    const put = await h.api('PUT', `/api/staff/${id}`, { token: levante, body: staff({ companyId: F.levante.id, storeId: F.storeV1.id, code: 'V-1', name: 'Vicenta', pin: '4821' }) });
    expect(put.status).toBe(200);
    const before = await staffRow(id);
    const takeover = await h.api('PUT', `/api/staff/${id}`, { token: ruiz, body: staff({ code: 'R-99', name: 'Vicenta', role: 'manager', pin: '1234' }) });
    expect(takeover.status).toBe(403);
    expect(takeover.body.code).toBe('FORBIDDEN');
    expect(await staffRow(id)).toEqual(before);
  });

  it('refuses a franchisee manager moving another franchisee’s notice or HQ’s franchise-wide notice to their store', async () => {
    const wide = nid(1);
    const valenciaNotice = nid(2);
    const notice = (storeId: string | null, title: string) => ({ storeId, title, body: 'Texto', validUntil: null });
    expect((await h.api('PUT', `/api/notices/${wide}`, { token: hq, body: notice(null, 'Para todos') })).status).toBe(200);
    expect((await h.api('PUT', `/api/notices/${valenciaNotice}`, { token: levante, body: notice(F.storeV1.id, 'Valencia') })).status).toBe(200);
    const before = [await noticeRow(wide), await noticeRow(valenciaNotice)];
    for (const id of [wide, valenciaNotice]) {
      const r = await h.api('PUT', `/api/notices/${id}`, { token: ruiz, body: notice(F.storeM1.id, 'Mío') });
      expect(r.status).toBe(403);
    }
    expect([await noticeRow(wide), await noticeRow(valenciaNotice)]).toEqual(before);
  });

  it('lets a store manager write staff and notices of their own store only', async () => {
    const own = sid(2);
    expect((await h.api('PUT', `/api/staff/${own}`, { token: m1, body: staff({ code: 'M1-1', pin: '5501' }) })).status).toBe(200);
    // Not another store of the same company, not the company-wide list.
    expect((await h.api('PUT', `/api/staff/${sid(3)}`, { token: m1, body: staff({ storeId: F.storeM2.id, code: 'M2-1', pin: '5502' }) })).status).toBe(403);
    expect((await h.api('PUT', `/api/staff/${sid(3)}`, { token: m1, body: staff({ storeId: null, code: 'ALL-1', pin: '5503' }) })).status).toBe(403);
    expect(await staffRow(sid(3))).toBeNull();
    // A row of another store of the company cannot be pulled into theirs either.
    expect((await h.api('PUT', `/api/staff/${sid(4)}`, { token: ruiz, body: staff({ storeId: F.storeM2.id, code: 'M2-2', pin: '5504' }) })).status).toBe(200);
    const before = await staffRow(sid(4));
    expect((await h.api('PUT', `/api/staff/${sid(4)}`, { token: m1, body: staff({ code: 'M2-2', pin: '5505' }) })).status).toBe(403);
    expect(await staffRow(sid(4))).toEqual(before);
  });

  it('deletes staff moved to another store from the old store’s tills and sends deactivated staff as inactive', async () => {
    const id = sid(5);
    expect((await h.api('PUT', `/api/staff/${id}`, { token: ruiz, body: staff({ code: 'MOV-1', name: 'Mover', pin: '6601' }) })).status).toBe(200);
    const v0 = (await pullChanges(madrid, 0)).toVersion;
    // Madrid 1 → Madrid 2 (no terminal paired there in this franchise): Madrid 1's tills get a delete.
    const moved = await h.api('PUT', `/api/staff/${id}`, { token: ruiz, body: staff({ storeId: F.storeM2.id, code: 'MOV-1', name: 'Mover', pin: '6602' }) });
    expect(moved.status).toBe(200);
    expect((await pullChanges(madrid, v0)).changes).toMatchObject([{ entity: 'staff', id, op: 'delete', data: null }]);
    // HQ moves them to Levante's València 1: València's tills get them, nobody else's.
    const v1 = (await pullChanges(valencia, 0)).toVersion;
    const toV = await h.api('PUT', `/api/staff/${id}`, { token: hq, body: staff({ companyId: F.levante.id, storeId: F.storeV1.id, code: 'MOV-1', name: 'Mover', pin: '6603' }) });
    expect(toV.status).toBe(200);
    expect((await pullChanges(valencia, v1)).changes).toMatchObject([{ entity: 'staff', id, op: 'upsert', data: { active: true } }]);
    expect((await pullChanges(madrid, moved.body.version)).changes).toEqual([]);
    // Deactivated: València's tills get them inactive (the till refuses an inactive PIN).
    const off = await h.api('PUT', `/api/staff/${id}`, { token: levante, body: staff({ companyId: F.levante.id, storeId: F.storeV1.id, code: 'MOV-1', name: 'Mover', active: false }) });
    expect(off.status).toBe(200);
    expect((await pullChanges(valencia, toV.body.version)).changes).toMatchObject([{ entity: 'staff', id, op: 'upsert', data: { active: false } }]);
  });

  it('sends company-wide staff narrowed to one store as deletes to the company’s other stores', async () => {
    const id = sid(6);
    const v0 = (await pullChanges(madrid, 0)).toVersion;
    const wide = await h.api('PUT', `/api/staff/${id}`, { token: ruiz, body: staff({ storeId: null, code: 'ALL-2', name: 'Todas', pin: '6701' }) });
    expect(wide.status).toBe(200);
    expect((await pullChanges(madrid, v0)).changes).toMatchObject([{ entity: 'staff', id, op: 'upsert' }]);
    const narrowed = await h.api('PUT', `/api/staff/${id}`, { token: ruiz, body: staff({ storeId: F.storeM2.id, code: 'ALL-2', name: 'Todas', pin: '6702' }) });
    expect(narrowed.status).toBe(200);
    expect((await pullChanges(madrid, wide.body.version)).changes).toMatchObject([{ entity: 'staff', id, op: 'delete', data: null }]);
  });

  it('refuses a PIN already held at the store with a 409 naming pin, and changes nothing', async () => {
    expect((await h.api('PUT', `/api/staff/${sid(10)}`, { token: ruiz, body: staff({ code: 'PIN-1', pin: '7001' }) })).status).toBe(200);
    const version = (await pullChanges(madrid, 0)).toVersion;
    const clash = await h.api('PUT', `/api/staff/${sid(11)}`, { token: ruiz, body: staff({ code: 'PIN-2', role: 'supervisor', pin: '7001' }) });
    expect(clash.status).toBe(409);
    expect(clash.body).toMatchObject({ code: 'PIN_TAKEN', errors: [{ path: 'pin' }] });
    expect(await staffRow(sid(11))).toBeNull();
    // Company-wide staff work in Madrid 1 too: same clash.
    const wide = await h.api('PUT', `/api/staff/${sid(11)}`, { token: ruiz, body: staff({ storeId: null, code: 'PIN-2', pin: '7001' }) });
    expect(wide.status).toBe(409);
    // Changing an existing member's PIN to a colleague's is the same clash.
    expect((await h.api('PUT', `/api/staff/${sid(12)}`, { token: ruiz, body: staff({ code: 'PIN-3', pin: '7003' }) })).status).toBe(200);
    const before = await staffRow(sid(12));
    expect((await h.api('PUT', `/api/staff/${sid(12)}`, { token: ruiz, body: staff({ code: 'PIN-3', pin: '7001' }) })).status).toBe(409);
    expect(await staffRow(sid(12))).toEqual(before);
    expect((await pullChanges(madrid, version)).changes.filter((c) => c.id !== sid(12))).toEqual([]);
    // Their own PIN again is no clash; the same PIN in another company's store is none either.
    expect((await h.api('PUT', `/api/staff/${sid(10)}`, { token: ruiz, body: staff({ code: 'PIN-1', name: 'Renamed', pin: '7001' }) })).status).toBe(200);
    expect((await h.api('PUT', `/api/staff/${sid(13)}`, { token: levante, body: staff({ companyId: F.levante.id, storeId: F.storeV1.id, code: 'PIN-1', pin: '7001' }) })).status).toBe(200);
    // A deactivated member's PIN is free again.
    expect((await h.api('PUT', `/api/staff/${sid(10)}`, { token: ruiz, body: staff({ code: 'PIN-1', active: false }) })).status).toBe(200);
    expect((await h.api('PUT', `/api/staff/${sid(11)}`, { token: ruiz, body: staff({ code: 'PIN-2', pin: '7001' }) })).status).toBe(200);
  });

  it('lets only one of three simultaneous writes with the same PIN at one store through', async () => {
    const results = await Promise.all(
      [sid(30), sid(31), sid(32)].map((id, i) => h.api('PUT', `/api/staff/${id}`, { token: ruiz, body: staff({ code: `RACE-${i}`, pin: '9090' }) })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    const rows = await h.ds.getRepository(StaffEntity).findBy([{ id: sid(30) }, { id: sid(31) }, { id: sid(32) }]);
    expect(rows).toHaveLength(1);
  });

  it('asks for a new PIN when staff move to another store or come back active (422 naming pin)', async () => {
    const id = sid(20);
    expect((await h.api('PUT', `/api/staff/${id}`, { token: ruiz, body: staff({ code: 'NP-1', pin: '8001' }) })).status).toBe(200);
    const before = await staffRow(id);
    const move = await h.api('PUT', `/api/staff/${id}`, { token: ruiz, body: staff({ storeId: F.storeM2.id, code: 'NP-1' }) });
    expect(move.status).toBe(422);
    expect(move.body).toMatchObject({ code: 'PIN_REQUIRED', errors: [{ path: 'pin' }] });
    expect(await staffRow(id)).toEqual(before);
    // A rename in place keeps the PIN.
    expect((await h.api('PUT', `/api/staff/${id}`, { token: ruiz, body: staff({ code: 'NP-1', name: 'Nuevo nombre' }) })).status).toBe(200);
    expect((await h.api('PUT', `/api/staff/${id}`, { token: ruiz, body: staff({ code: 'NP-1', active: false }) })).status).toBe(200);
    expect((await h.api('PUT', `/api/staff/${id}`, { token: ruiz, body: staff({ code: 'NP-1', active: true }) })).status).toBe(422);
    expect((await h.api('PUT', `/api/staff/${id}`, { token: ruiz, body: staff({ code: 'NP-1', active: true, pin: '8002' }) })).status).toBe(200);
  });

  it('repairs what the old code left behind: staff and notices moved before the fix are deleted from their old store', async () => {
    const at = new Date().toISOString();
    const movedStaff = sid(40);
    const keptStaff = sid(41);
    const movedNotice = nid(40);
    await h.ds.getRepository(StaffEntity).insert([
      { id: movedStaff, companyId: F.ruiz.id, storeId: F.storeM2.id, code: 'OLD-1', name: 'Movida', role: 'cashier', pinHash: 'x', active: true, version: 1 },
      { id: keptStaff, companyId: F.ruiz.id, storeId: F.storeM1.id, code: 'OLD-2', name: 'Quieta', role: 'cashier', pinHash: 'x', active: true, version: 1 },
    ]);
    await h.ds.getRepository(NoticeEntity).insert({ id: movedNotice, storeId: F.storeM1.id, title: 'Movido', body: 'Texto', startsAt: null, endsAt: null, active: true, version: 1 });
    // The feed as the old code wrote it: upserts to the old store, then to the new one, never a delete.
    const up = (entity: 'staff' | 'notice', entityId: string, storeId: string) => ({
      entity, entityId, op: 'upsert' as const, storeId, createdAt: at,
      payload: entity === 'staff'
        ? staffPayload({ id: entityId, code: entityId.slice(-4), name: 'Old', role: 'cashier', pinHash: 'x', active: true })
        : noticePayload({ id: entityId, title: 'Movido', body: 'Texto', endsAt: null }),
    });
    await writeTransaction(h.ds, (m) =>
      appendChanges(m, [
        up('staff', movedStaff, F.storeM1.id), up('staff', keptStaff, F.storeM1.id), up('notice', movedNotice, F.storeV1.id),
        up('staff', movedStaff, F.storeM2.id), up('notice', movedNotice, F.storeM1.id),
      ]),
    );
    const m0 = (await pullChanges(madrid, 0)).toVersion;
    const v0 = (await pullChanges(valencia, 0)).toVersion;
    const qr = h.ds.createQueryRunner();
    try {
      await new ScopeLeftovers1795400000302().up(qr);
    } finally {
      await qr.release();
    }
    expect((await pullChanges(madrid, m0)).changes).toMatchObject([{ entity: 'staff', id: movedStaff, op: 'delete' }]);
    expect((await pullChanges(valencia, v0)).changes).toMatchObject([{ entity: 'notice', id: movedNotice, op: 'delete' }]);
  });
});
