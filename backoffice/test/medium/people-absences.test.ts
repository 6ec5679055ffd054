/**
 * Absences and holidays over HTTP on both engines (issue 16). Ruiz hires Bea (cashier at Madrid 1) on 1 July
 * 2026: her 2026 allowance is 15 days (184 of 365 days employed × 30, half up). On her self-service page she
 * asks for 3–16 August (14 days): requested. The store manager approves it. She asks for 21–23 December (3):
 * beyond the 1 day left → refused as asked, nothing written; for 22 December (1 day) → requested; the manager
 * refuses it without a reason (422), then with one. The manager records a sick leave 5–7 October (approved as
 * written, not drawn on the balance); a vacation overlapping it is 409. Other companies see nothing; a manager
 * never decides their own request; a started absence cannot be cancelled; bad dates are field errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, F, startHarness, type Harness } from '../support/harness';
import { all } from '../../src/persistence/sql';

describe.each(engines)('absences and holidays on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let now = Date.UTC(2026, 6, 20, 9, 0);
  let ruiz = '';
  let m1 = '';
  let levante = '';
  let bea = '';
  let self = '';
  const count = async () => Number((await all<{ n: unknown }>(h.ds.manager, 'SELECT COUNT(*) AS n FROM absence'))[0]!.n);
  const balance = async () => (await h.api('GET', '/api/people/self-service/absences?year=2026', { token: self })).body.balance;
  const ask = (body: Record<string, unknown>) => h.api('POST', '/api/people/self-service/absences', { token: self, body });

  beforeAll(async () => {
    h = await startHarness(engine, { now: () => now });
    [ruiz, m1, levante] = await Promise.all([h.login(F.managerRuiz), h.login(F.managerM1), h.login(F.managerLevante)]);
    const r = await h.api('POST', '/api/people/employees', {
      token: ruiz,
      body: { companyId: F.ruiz.id, storeId: F.storeM1.id, code: 'E-BEA', name: 'Bea Ruiz', tillRole: 'cashier', pin: '5813', hiredOn: '2026-07-01', contract: { type: 'indefinido', weeklyHours: 40, startsOn: '2026-07-01' } },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    bea = r.body.id;
    self = (await h.api('POST', '/api/people/self-service/login', { body: { companyNif: F.ruiz.nif, code: 'E-BEA', secret: '5813' } })).body.token;
  });
  afterAll(async () => h?.teardown());

  it('the worker asks for 14 days of August: requested, the balance shows it; her manager approves it', async () => {
    expect(await balance()).toEqual({ year: 2026, allowanceDays: 15, approvedDays: 0, requestedDays: 0, availableDays: 15 });
    const r = await ask({ kind: 'vacation', fromDate: '2026-08-03', toDate: '2026-08-16', note: 'Verano' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ status: 'requested', days: 14, employeeName: 'Bea Ruiz', requestedByKind: 'worker', decidedBy: null });
    expect(await balance()).toMatchObject({ requestedDays: 14, availableDays: 1 });
    const pending = await h.api('GET', '/api/people/absences?status=requested', { token: m1 });
    expect(pending.body.items.map((a: { id: string }) => a.id)).toEqual([r.body.id]);
    // Another franchisee neither sees nor decides it.
    expect((await h.api('GET', '/api/people/absences', { token: levante })).body.items).toEqual([]);
    expect((await h.api('POST', `/api/people/absences/${r.body.id}/decision`, { token: levante, body: { decision: 'approve' } })).status).toBe(404);
    const ok = await h.api('POST', `/api/people/absences/${r.body.id}/decision`, { token: m1, body: { decision: 'approve' } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ status: 'approved', decidedByName: 'Madrid 1' });
    expect((await h.api('POST', `/api/people/absences/${r.body.id}/decision`, { token: m1, body: { decision: 'refuse', note: 'no' } })).status).toBe(409);
    expect(await balance()).toEqual({ year: 2026, allowanceDays: 15, approvedDays: 14, requestedDays: 0, availableDays: 1 });
  });

  it('refuses, writing nothing: beyond the balance, across New Year, reversed or unreal dates, before the hiring date', async () => {
    const before = await count();
    const cases: Array<[Record<string, unknown>, number, string, string]> = [
      [{ kind: 'vacation', fromDate: '2026-12-21', toDate: '2026-12-23' }, 422, 'toDate', 'VACATION_EXCEEDS_BALANCE'],
      [{ kind: 'vacation', fromDate: '2026-12-31', toDate: '2027-01-01' }, 422, 'toDate', 'VACATION_CROSSES_YEAR'],
      [{ kind: 'leave', fromDate: '2026-09-10', toDate: '2026-09-09' }, 422, 'toDate', 'RANGE_INVALID'],
      [{ kind: 'leave', fromDate: '2026-09-31', toDate: '2026-10-01' }, 422, 'fromDate', 'DATE_INVALID'],
      [{ kind: 'leave', fromDate: '2026-06-30', toDate: '2026-07-02' }, 422, 'fromDate', 'OUTSIDE_EMPLOYMENT'],
      [{ kind: 'vacation', fromDate: '2026-08-16', toDate: '2026-08-16' }, 409, 'fromDate', 'ABSENCE_OVERLAPS'],
      [{ kind: 'holiday', fromDate: '2026-09-01', toDate: '2026-09-01' }, 400, 'kind', ''],
    ];
    for (const [body, status, field, code] of cases) {
      const r = await ask(body);
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      expect(r.body.status).toBe(status); // a problem document, field errors below
      expect(r.body.errors.map((e: { path: string }) => e.path)).toContain(field);
      if (code) expect(r.body.code).toBe(code);
    }
    expect(await count()).toBe(before);
    // Without a self-service session nothing is asked at all.
    expect((await h.api('POST', '/api/people/self-service/absences', { body: { kind: 'leave', fromDate: '2026-09-01', toDate: '2026-09-01' } })).status).toBe(401);
  });

  it('a refusal needs a reason; a recorded sick leave is approved as written and does not draw on the holidays', async () => {
    const r = await ask({ kind: 'vacation', fromDate: '2026-12-22', toDate: '2026-12-22' });
    expect(r.status).toBe(201);
    const noReason = await h.api('POST', `/api/people/absences/${r.body.id}/decision`, { token: m1, body: { decision: 'refuse' } });
    expect(noReason.status).toBe(422);
    expect(noReason.body.errors[0].path).toBe('note');
    const no = await h.api('POST', `/api/people/absences/${r.body.id}/decision`, { token: m1, body: { decision: 'refuse', note: 'Campaña de Navidad' } });
    expect(no.body).toMatchObject({ status: 'refused', decisionNote: 'Campaña de Navidad' });

    const sick = await h.api('POST', '/api/people/absences', { token: m1, body: { employeeId: bea, kind: 'sick_leave', fromDate: '2026-10-05', toDate: '2026-10-07', note: 'Parte de baja' } });
    expect(sick.status, JSON.stringify(sick.body)).toBe(201);
    expect(sick.body).toMatchObject({ status: 'approved', days: 3, requestedByKind: 'user', decidedByName: 'Madrid 1' });
    expect((await ask({ kind: 'vacation', fromDate: '2026-10-07', toDate: '2026-10-07' })).status).toBe(409);
    expect(await balance()).toEqual({ year: 2026, allowanceDays: 15, approvedDays: 14, requestedDays: 0, availableDays: 1 });
    // Levante's manager may not record absences for Ruiz's people.
    expect((await h.api('POST', '/api/people/absences', { token: levante, body: { employeeId: bea, kind: 'leave', fromDate: '2026-11-02', toDate: '2026-11-02' } })).status).toBe(404);
    const year = await h.api('GET', `/api/people/employees/${bea}/absences?year=2026`, { token: ruiz });
    expect(year.body.items.map((a: { kind: string; status: string; days: number }) => [a.kind, a.status, a.days])).toEqual([
      ['vacation', 'approved', 14], ['sick_leave', 'approved', 3], ['vacation', 'refused', 1],
    ]);
  });

  it('cancels only before the start: the worker her own, then an absence under way is refused', async () => {
    const r = await ask({ kind: 'leave', fromDate: '2026-09-14', toDate: '2026-09-14', note: 'Mudanza' });
    expect((await h.api('POST', `/api/people/self-service/absences/${r.body.id}/cancel`, { token: self })).body.status).toBe('cancelled');
    expect((await h.api('POST', `/api/people/self-service/absences/${r.body.id}/cancel`, { token: self })).status).toBe(409);
    now = Date.UTC(2026, 7, 4, 9, 0); // 4 August: her vacation started yesterday (sessions last hours: sign in again)
    ruiz = await h.login(F.managerRuiz);
    const august = (await h.api('GET', '/api/people/absences?status=approved&from=2026-08-01&to=2026-08-31', { token: ruiz })).body.items[0];
    const late = await h.api('POST', `/api/people/absences/${august.id}/cancel`, { token: ruiz });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('ALREADY_STARTED');
    // The audit log keeps each write once (the test clock stands still within a step, so compared as a set).
    const actions = await all<{ action: string }>(h.ds.manager, `SELECT action FROM audit_log WHERE entity = 'absence'`);
    expect(actions.map((a) => a.action).sort()).toEqual(['absence.approve', 'absence.cancel', 'absence.record', 'absence.refuse', 'absence.request', 'absence.request', 'absence.request']);
  });
});
