/**
 * The documents library over HTTP on both engines (issue 16): HQ publishes a manual for one company's people;
 * those it is for acknowledge the current version once; a new version asks them again and the page keeps who
 * acknowledged which version; files download as uploaded; bad input and out-of-scope writes change nothing,
 * another company's people neither see nor download it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, F, startHarness, type Harness } from '../support/harness';
import { all } from '../../src/persistence/sql';

const uuid = (n: number) => `00000000-0000-7000-8018-${n.toString(16).padStart(12, '0')}`;
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const file = (text: string) => ({ name: 'Manual de apertura.txt', mediaType: 'text/plain', contentBase64: b64(text) });

describe.each(engines)('office documents on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let now = Date.UTC(2026, 11, 1, 9, 0, 0);
  const clock = { now: () => now };
  let hq = '';
  let ruiz = '';
  let levante = '';
  let m1 = '';
  let doc = '';

  const count = async (table: string) => Number((await all<{ n: unknown }>(h.ds.manager, `SELECT COUNT(*) AS n FROM ${table}`))[0]!.n);
  const writes = () => Promise.all(['office_document', 'office_document_version', 'office_document_ack', 'stored_file', 'audit_log'].map(count));
  const create = (token: string, body: Record<string, unknown>) => h.api('POST', '/api/office/documents', { token, body: { title: 'Manual de apertura', file: file('v1'), ...body } });
  const ack = (token: string, version: number) => h.api('POST', `/api/office/documents/${doc}/acknowledge`, { token, body: { version } });

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    [hq, ruiz, levante, m1] = await Promise.all([h.login(F.hq), h.login(F.managerRuiz), h.login(F.managerLevante), h.login(F.managerM1)]);
  });
  afterAll(async () => h?.teardown());

  it('refuses bad input and out-of-scope publications, writing nothing (no file kept either)', async () => {
    const before = await writes();
    const cases: Array<[string, Record<string, unknown>, number, string?]> = [
      [hq, { target: 'company' }, 422, 'targetIds'],
      [hq, { target: 'store', targetIds: [uuid(99)] }, 422, 'targetIds.0'],
      [hq, { target: 'all', file: { ...file('x'), mediaType: 'texto' } }, 400, 'file.mediaType'],
      [hq, { target: 'all', roles: ['cashier'] }, 400, 'roles.0'],
      [ruiz, { target: 'company', targetIds: [F.levante.id] }, 403],
      [m1, { target: 'store', targetIds: [F.storeM1.id] }, 403],
    ];
    for (const [token, body, status, field] of cases) {
      const r = await create(token, body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      if (field) expect(r.body.errors.map((e: { path: string }) => e.path)).toContain(field);
    }
    expect(await writes()).toEqual(before);
  });

  it('publishes a manual for Ruiz’s people: they see it and acknowledge the current version once; Levante does not see it', async () => {
    const r = await create(hq, { target: 'company', targetIds: [F.ruiz.id], note: 'Primera edición' });
    expect(r.status).toBe(201);
    doc = r.body.document.id;
    expect(r.body.versions.map((v: { version: number; sizeBytes: number }) => [v.version, v.sizeBytes])).toEqual([[1, 2]]);
    const mine = async (token: string) => ((await h.api('GET', '/api/office/documents', { token })).body.items as Array<{ id: string; forMe: boolean; acknowledgedVersion: number | null; currentVersion: number }>).find((d) => d.id === doc);
    expect(await mine(m1)).toMatchObject({ forMe: true, acknowledgedVersion: null, currentVersion: 1 });
    expect(await mine(levante)).toBeUndefined();
    expect((await h.api('GET', `/api/office/documents/${doc}`, { token: levante })).status).toBe(404);
    expect((await h.api('GET', `/api/office/documents/${doc}/versions/1/file`, { token: levante })).status).toBe(404);

    now += 60_000;
    expect((await ack(m1, 1)).status).toBe(200);
    const before = await writes();
    expect((await ack(m1, 1)).body.code).toBe('ALREADY_ACKNOWLEDGED');
    expect((await ack(m1, 2)).body.code).toBe('VERSION_NOT_CURRENT');
    expect((await ack(levante, 1)).status).toBe(404);
    // HQ sees it all but is not its audience (a company's document).
    expect((await ack(hq, 1)).status).toBe(404);
    expect(await writes()).toEqual(before);
  });

  it('a new version asks again; the page keeps who acknowledged which version; each file downloads as uploaded', async () => {
    now += 60_000;
    const v2 = await h.api('POST', `/api/office/documents/${doc}/versions`, { token: hq, body: { note: 'Horario nuevo', file: file('versión 2') } });
    expect(v2.status).toBe(201);
    expect(v2.body.document.currentVersion).toBe(2);
    const summary = (await h.api('GET', `/api/office/documents/${doc}`, { token: m1 })).body.document;
    expect([summary.currentVersion, summary.acknowledgedVersion]).toEqual([2, 1]);
    now += 60_000;
    expect((await ack(m1, 2)).status).toBe(200);
    expect((await ack(ruiz, 2)).status).toBe(200);
    const page = (await h.api('GET', `/api/office/documents/${doc}`, { token: hq })).body;
    expect(page.acknowledgements.map((a: { name: string; version: number; acknowledgedAt: string }) => [a.name, a.version, a.acknowledgedAt])).toEqual([
      // Newest first; at the same moment, by user id (Ruiz's user before the store manager's).
      ['Ruiz', 2, '2026-12-01T09:03:00.000Z'], ['Madrid 1', 2, '2026-12-01T09:03:00.000Z'], ['Madrid 1', 1, '2026-12-01T09:01:00.000Z'],
    ]);
    for (const [v, text] of [[1, 'v1'], [2, 'versión 2']] as const) {
      const res = await fetch(`${h.url}/api/office/documents/${doc}/versions/${v}/file`, { headers: { authorization: `Bearer ${m1}` } });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(text);
    }
    // Ruiz may add a version of a document of their company; Levante may not touch it.
    expect((await h.api('POST', `/api/office/documents/${doc}/versions`, { token: ruiz, body: { file: file('v3') } })).status).toBe(201);
    expect((await h.api('POST', `/api/office/documents/${doc}/versions`, { token: levante, body: { file: file('v4') } })).status).toBe(404);
    expect((await h.api('POST', `/api/office/documents/${doc}/versions`, { token: m1, body: { file: file('v4') } })).status).toBe(403);
  });
});
