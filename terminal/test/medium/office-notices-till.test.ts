/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies of HTTP answers */
/**
 * Office notices at the till (issue 16): the feed's notices are shown to the person logged in by role and
 * dates (unread first, the most urgent on top); confirming one writes the local read and ONE
 * `office.notice_read` outbox document in the same transaction — a second tap, or a notice not for them,
 * writes nothing. No back office is running here: the confirmations wait in the outbox (offline).
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogStore } from '../../src/sync/catalog';
import { freshTerminalDb, STAFF, tempDir, type TestDb } from './support/fixture';
import { startTerminal, type RunningTerminal } from './support/server';

const dir = tempDir('tpv-notices-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const nid = (n: number) => `00000000-0000-7000-8016-${n.toString(16).padStart(12, '0')}`;
const NOW = Date.UTC(2026, 11, 1, 9, 0, 0);

describe('office notices at the till', () => {
  let t: TestDb;
  let s: RunningTerminal;
  let now = NOW;
  const docs = () => t.db.prepare(`SELECT kind, payload FROM document_outbox WHERE kind = 'office.notice_read' ORDER BY created_at, id`).all() as Array<{ kind: string; payload: string }>;
  const reads = () => t.db.prepare(`SELECT notice_id, staff_id, read_at FROM notice_read ORDER BY read_at, notice_id`).all();

  beforeAll(async () => {
    t = await freshTerminalDb(dir);
    s = await startTerminal(t.ds, t.file, { clock: { now: () => now } });
    // The feed brings: a normal notice for all, an urgent one for cashiers, one for managers, one starting tomorrow,
    // one that ended yesterday, and a catalog notice (PUT /api/notices: none of the office fields).
    const notice = (n: number, data: Record<string, unknown>) => ({ version: n, entity: 'notice', id: nid(n), op: 'upsert' as const, data: { id: nid(n), title: `Aviso ${n}`, body: `Texto ${n}`, ...data } });
    const day = 86_400_000;
    createCatalogStore(t.db).applyPage({
      fromVersion: 0, toVersion: 6, hasMore: false,
      changes: [
        notice(1, { priority: 'normal', roles: [], startsAt: new Date(NOW - 3600_000).toISOString(), validUntil: null, titleEn: 'Notice 1', bodyEn: 'Text 1' }),
        notice(2, { priority: 'urgent', roles: ['cashier'], startsAt: new Date(NOW - 60_000).toISOString(), validUntil: new Date(NOW + day).toISOString() }),
        notice(3, { priority: 'high', roles: ['manager'], startsAt: new Date(NOW - 60_000).toISOString() }),
        notice(4, { priority: 'urgent', roles: [], startsAt: new Date(NOW + day).toISOString() }),
        notice(5, { priority: 'urgent', roles: [], startsAt: new Date(NOW - 2 * day).toISOString(), validUntil: new Date(NOW - day).toISOString() }),
        notice(6, { validUntil: null }),
      ],
    }, new Date(NOW).toISOString());
    await s.login(STAFF.cashier.pin);
  });
  afterAll(async () => {
    await s.close();
    await t.ds.destroy();
  });

  it('shows the person logged in the notices for their role within their dates, the most urgent first', async () => {
    const r = await s.call('GET', '/api/notices');
    expect(r.status).toBe(200);
    // urgent 2, then the normal ones: 1 (started an hour ago) before 6 (no start: a catalog notice).
    expect(r.body.map((n: any) => [n.title, n.priority, n.readAt])).toEqual([['Aviso 2', 'urgent', null], ['Aviso 1', 'normal', null], ['Aviso 6', 'normal', null]]);
    expect(r.body[1]).toMatchObject({ titleEn: 'Notice 1', bodyEn: 'Text 1' });
    // The banners (lock screen included) carry only notices for every role that have started.
    expect((await s.call('GET', '/api/state')).body.notices.map((n: any) => n.title)).toEqual(['Aviso 1', 'Aviso 6']);
  });

  it('confirms a read once: the local read and one outbox document; a second tap answers with the first read', async () => {
    now += 5000;
    const first = await s.call('POST', `/api/notices/${nid(2)}/read`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id: nid(2), readAt: new Date(NOW + 5000).toISOString() });
    now += 5000;
    const again = await s.call('POST', `/api/notices/${nid(2)}/read`);
    expect(again.body.readAt).toBe(first.body.readAt);
    expect(docs().map((d) => JSON.parse(d.payload))).toEqual([{ noticeId: nid(2), staffId: STAFF.cashier.id, readAt: first.body.readAt }]);
    // Read ones go below the unread.
    expect((await s.call('GET', '/api/notices')).body.map((n: any) => [n.title, n.readAt !== null])).toEqual([['Aviso 1', false], ['Aviso 6', false], ['Aviso 2', true]]);
  });

  it('refuses a notice not for this person, not started, ended or unknown: 404, nothing written', async () => {
    const before = [docs().length, reads().length];
    for (const n of [3, 4, 5, 99]) expect((await s.call('POST', `/api/notices/${nid(n)}/read`)).status, `notice ${n}`).toBe(404);
    expect([docs().length, reads().length]).toEqual(before);
    // Without a login nobody confirms anything.
    expect((await s.call('POST', `/api/notices/${nid(1)}/read`, undefined, null)).status).toBe(401);
  });

  it('keeps each person’s reads apart: the manager sees their own notice and confirms the shared one separately', async () => {
    await s.login(STAFF.manager.pin);
    expect((await s.call('GET', '/api/notices')).body.map((n: any) => n.title)).toEqual(['Aviso 3', 'Aviso 1', 'Aviso 6']);
    now += 5000;
    expect((await s.call('POST', `/api/notices/${nid(1)}/read`)).status).toBe(200);
    expect(reads()).toEqual([
      { notice_id: nid(2), staff_id: STAFF.cashier.id, read_at: new Date(NOW + 5000).toISOString() },
      { notice_id: nid(1), staff_id: STAFF.manager.id, read_at: new Date(NOW + 15_000).toISOString() },
    ]);
    expect(docs()).toHaveLength(2);
    // HQ withdraws notice 1: it leaves the screen; the read and its document stay (still to be sent).
    createCatalogStore(t.db).applyPage({ fromVersion: 6, toVersion: 7, hasMore: false, changes: [{ version: 7, entity: 'notice', id: nid(1), op: 'delete', data: null }] }, new Date(now).toISOString());
    expect((await s.call('GET', '/api/notices')).body.map((n: any) => n.title)).toEqual(['Aviso 3', 'Aviso 6']);
    expect(docs()).toHaveLength(2);
    expect(t.db.prepare(`SELECT COUNT(*) AS n FROM document_outbox WHERE status = 'pending'`).get()).toEqual({ n: 2 });
  });
});
