/**
 * The labour inspectorate's read-only access on both engines (issue 16). Ruiz's HR grants an inspector a 30-day
 * key for Ruiz answering request "ITSS 28/1234/26"; with it the inspector reads Ruiz's November — Ana's two
 * shifts (09:00–14:00 and 09:00–13:30, 570 minutes) —, the records CSV with their hashes and Ana's monthly PDF
 * (pdftotext). The key opens nothing else (no back-office route, no other company's worker); it stops at once
 * when revoked and by itself when it expires. Another franchisee or a store manager cannot grant one; bad grants
 * are field errors; every use is audited.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, F, startHarness, type Harness } from '../support/harness';
import { all } from '../../src/persistence/sql';

/** Madrid is UTC+1 in November 2026: local h:mm on day d as epoch ms. */
const madrid = (d: number, h: number, m = 0) => Date.UTC(2026, 10, d, h - 1, m);

describe.each(engines)('labour inspector access on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let now = madrid(2, 8);
  let ruiz = '';
  let ana = '';
  let key = '';
  let grantId = '';
  const raw = (path: string, bearer?: string) => fetch(h.url + path, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });

  beforeAll(async () => {
    h = await startHarness(engine, { now: () => now });
    ruiz = await h.login(F.managerRuiz);
    const hired = await h.api('POST', '/api/people/employees', {
      token: ruiz, body: { companyId: F.ruiz.id, storeId: F.storeM1.id, code: 'E-ANA', name: 'Ana Martín', hiredOn: '2026-10-01', contract: { type: 'indefinido', weeklyHours: 40, startsOn: '2026-10-01' } },
    });
    expect(hired.status, JSON.stringify(hired.body)).toBe(201);
    ana = hired.body.id;
    for (const [event, d, hh, mm] of [['clock_in', 2, 9, 0], ['clock_out', 2, 14, 0], ['clock_in', 3, 9, 0], ['clock_out', 3, 13, 30]] as const) {
      now = madrid(d, hh, mm);
      const m1 = await h.login(F.managerM1); // sessions last hours; the clock walks days
      expect((await h.api('POST', '/api/people/time-records', { token: m1, body: { employeeId: ana, event } })).status).toBe(201);
    }
    now = madrid(20, 10);
    ruiz = await h.login(F.managerRuiz);
  });
  afterAll(async () => h?.teardown());

  it('HR grants a key for its company; others cannot; bad grants are field errors', async () => {
    const body = { companyId: F.ruiz.id, inspectorName: 'Inspectora M. López', reference: 'ITSS 28/1234/26', validDays: 30 };
    for (const [field, b] of [['validDays', { ...body, validDays: 91 }], ['reference', { ...body, reference: '' }]] as const) {
      const r = await h.api('POST', '/api/people/inspector-access', { token: ruiz, body: b });
      expect(r.status).toBe(400);
      expect(r.body.errors.map((e: { path: string }) => e.path)).toContain(field);
    }
    expect((await h.api('POST', '/api/people/inspector-access', { token: await h.login(F.managerLevante), body })).status).toBe(403);
    expect((await h.api('POST', '/api/people/inspector-access', { token: await h.login(F.managerM1), body })).status).toBe(403);
    expect(Number((await all<{ n: unknown }>(h.ds.manager, 'SELECT COUNT(*) AS n FROM inspector_access'))[0]!.n)).toBe(0);
    const g = await h.api('POST', '/api/people/inspector-access', { token: ruiz, body });
    expect(g.status, JSON.stringify(g.body)).toBe(201);
    expect(g.body).toMatchObject({ inspectorName: 'Inspectora M. López', expiresAt: new Date(now + 30 * 86_400_000).toISOString(), revokedAt: null });
    [key, grantId] = [g.body.key, g.body.id];
    // Listed without the key; only its hash is kept.
    const list = await h.api('GET', '/api/people/inspector-access', { token: ruiz });
    expect(list.body.items.map((a: Record<string, unknown>) => [a.id, 'key' in a])).toEqual([[grantId, false]]);
    expect((await all<{ token_hash: string }>(h.ds.manager, 'SELECT token_hash FROM inspector_access'))[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('the key opens the company’s month, its CSV with hashes and a worker’s PDF', async () => {
    const who = await (await raw('/api/people/inspector/session', key)).json();
    expect(who).toMatchObject({ company: { nif: F.ruiz.nif }, reference: 'ITSS 28/1234/26' });
    const month = await (await raw('/api/people/inspector/month?month=2026-11', key)).json();
    const row = month.employees.find((e: { id: string }) => e.id === ana);
    expect(row).toMatchObject({ name: 'Ana Martín', days: 2, workedMinutes: 570 });
    expect(row.ordinaryMinutes + row.overtimeMinutes).toBe(570);
    const csv = await (await raw('/api/people/inspector/time-records.csv?month=2026-11', key)).text();
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toContain('huella');
    expect(lines.slice(1).filter((l) => l.includes('E-ANA')).map((l) => /[,;](clock_in|clock_out)[,;]/.exec(l)?.[1])).toEqual(['clock_in', 'clock_out', 'clock_in', 'clock_out']);
    expect(lines.slice(1).every((l) => /[0-9A-Fa-f]{64}\s*$/.test(l))).toBe(true);
    const pdf = await raw(`/api/people/inspector/employees/${ana}/time-records.pdf?month=2026-11`, key);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: Buffer.from(await pdf.arrayBuffer()) }).toString();
    expect(text).toContain('Ana Martín');
    expect(text).toMatch(/9:30/); // 570 minutes worked
  });

  it('the key opens nothing else: no back-office route, no other company’s worker', async () => {
    expect((await raw('/api/people/employees', key)).status).toBe(401);
    expect((await raw('/api/people/time-records/export.csv?month=2026-11', key)).status).toBe(401);
    const levante = await h.api('POST', '/api/people/employees', {
      token: await h.login(F.managerLevante), body: { companyId: F.levante.id, storeId: F.storeV1.id, code: 'E-LEV', name: 'Luis Levante', hiredOn: '2026-10-01', contract: { type: 'indefinido', weeklyHours: 40, startsOn: '2026-10-01' } },
    });
    expect((await raw(`/api/people/inspector/employees/${levante.body.id}/time-records.pdf?month=2026-11`, key)).status).toBe(404);
    expect((await raw('/api/people/inspector/month?month=2026-11', 'not-a-key')).status).toBe(401);
    expect((await raw('/api/people/inspector/month?month=2026-11')).status).toBe(401);
  });

  it('stops when revoked and when it expires; every use is audited', async () => {
    const used = Number((await all<{ n: unknown }>(h.ds.manager, `SELECT COUNT(*) AS n FROM audit_log WHERE action = 'inspector.read'`))[0]!.n);
    expect(used).toBe(5); // session, month, csv, pdf and the refused other company's PDF (a bad key leaves no read)
    const r = await h.api('POST', `/api/people/inspector-access/${grantId}/revoke`, { token: ruiz });
    expect(r.body.revokedAt).not.toBeNull();
    expect((await raw('/api/people/inspector/session', key)).status).toBe(401);
    const g = await h.api('POST', '/api/people/inspector-access', { token: ruiz, body: { companyId: F.ruiz.id, inspectorName: 'Inspectora M. López', reference: 'ITSS 28/1234/26', validDays: 1 } });
    expect((await raw('/api/people/inspector/session', g.body.key)).status).toBe(200);
    now += 86_400_000 + 1000;
    expect((await raw('/api/people/inspector/session', g.body.key)).status).toBe(401);
  });
});
