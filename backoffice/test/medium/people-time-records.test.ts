/**
 * The working-time record over HTTP on both engines (issue 16): Ruiz's HR hires Ana (cashier at Madrid 1,
 * 20 h a week) — she becomes the staff row her PIN lives in; the store manager records her November; the
 * rules refuse clocking in twice, clocking out while out, ending a break never started, a shift over 12 h
 * (nothing written); a forgotten clock-out is corrected by the company and counts only once Ana approves
 * it on her self-service page (the original kept, both approvals shown); daily/weekly/monthly totals,
 * ordinary vs overtime, worked out by hand below; the store's chain verifies and a tampered row breaks it;
 * personal data only for HR; other companies see nothing; the CSV export; the four-year retention; leaving.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, F, startHarness, type Harness } from '../support/harness';
import { all, bool, exec } from '../../src/persistence/sql';
import { monthlyRecords, type MonthlyRunItem } from '../../src/people/monthly-run';

/** Madrid is UTC+1 in November 2026: local h:mm on day d as epoch ms. */
const madrid = (d: number, h: number, m = 0) => Date.UTC(2026, 10, d, h - 1, m);
const HQ_USER = '00000000-0000-7000-8007-000000000001';

describe.each(engines)('working-time record on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let now = madrid(1, 8);
  const clock = { now: () => now };
  /** A session as of the test clock (sessions last 12 h and the clock walks through November). */
  const session = (who: { email: string; password: string }) => {
    let token = '';
    let at = -Infinity;
    return async () => {
      if (now - at > 6 * 3600_000) [token, at] = [await h.login(who), now];
      return token;
    };
  };
  const hq = session(F.hq);
  const ruiz = session(F.managerRuiz);
  const levante = session(F.managerLevante);
  const m1 = session(F.managerM1);
  let ana = '';
  let anaStaffPin = '';
  let hqWorker = '';
  const count = async (table: string) => Number((await all<{ n: unknown }>(h.ds.manager, `SELECT COUNT(*) AS n FROM ${table}`))[0]!.n);
  const writes = () => Promise.all(['time_record', 'employee', 'employee_contract', 'employee_personal', 'staff', 'change_log'].map(count));

  /** The store manager clocks for Ana at local time d h:m. */
  const clockAna = async (event: string, d: number, hh: number, mm = 0) => {
    now = madrid(d, hh, mm);
    return h.api('POST', '/api/people/time-records', { token: await m1(), body: { employeeId: ana, event } });
  };
  const shift = async (d: number, from: [number, number], to: [number, number], brk?: [[number, number], [number, number]]) => {
    expect((await clockAna('clock_in', d, ...from)).status).toBe(201);
    if (brk) {
      expect((await clockAna('break_start', d, ...brk[0])).status).toBe(201);
      expect((await clockAna('break_end', d, ...brk[1])).status).toBe(201);
    }
    expect((await clockAna('clock_out', d, ...to)).status).toBe(201);
  };

  beforeAll(async () => {
    h = await startHarness(engine, clock);
  });
  afterAll(async () => h?.teardown());

  it('hires: till staff become the staff row (PIN on the tills); bad hires are refused naming the field, nothing written', async () => {
    const before = await writes();
    const body = {
      companyId: F.ruiz.id, storeId: F.storeM1.id, code: 'E-ANA', name: 'Ana Martín', tillRole: 'cashier', pin: '4321', hiredOn: '2026-10-15',
      contract: { type: 'indefinido', weeklyHours: 20, startsOn: '2026-10-15' },
      personal: { nif: '12345678Z', socialSecurityNumber: '281234567890', email: 'ana@example.test', phone: '600000000', iban: 'ES9121000418450200051332' },
    };
    const cases: Array<[() => Promise<string>, unknown, number, string]> = [
      [ruiz, { ...body, pin: undefined }, 422, 'pin'],
      [hq, { ...body, storeId: F.storeV1.id }, 422, 'storeId'],
      [ruiz, { ...body, contract: { ...body.contract, startsOn: '2026-10-01' } }, 422, 'contract.startsOn'],
      [ruiz, { ...body, contract: { ...body.contract, weeklyHours: 45 } }, 400, 'contract.weeklyHours'],
    ];
    for (const [who, b, status, field] of cases) {
      const token = await who();
      const r = await h.api('POST', '/api/people/employees', { token, body: b });
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      expect(r.body.errors.map((e: { path: string }) => e.path)).toContain(field);
    }
    // A store manager is not HR; another franchisee may not hire into Ruiz's store.
    expect((await h.api('POST', '/api/people/employees', { token: await m1(), body })).status).toBe(403);
    expect((await h.api('POST', '/api/people/employees', { token: await levante(), body: { ...body, companyId: F.levante.id } })).status).toBe(403);
    expect((await h.api('POST', '/api/people/employees', { token: await levante(), body })).status).toBe(403);
    expect(await writes()).toEqual(before);

    const r = await h.api('POST', '/api/people/employees', { token: await ruiz(), body });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    ana = r.body.id;
    anaStaffPin = '4321';
    expect(r.body).toMatchObject({ staffId: ana, tillRole: 'cashier', storeId: F.storeM1.id });
    // One record: the staff row has the employee's id, and the feed carries it to Madrid 1's tills.
    const staff = await all<{ id: string; code: string; active: unknown }>(h.ds.manager, `SELECT id, code, active FROM staff WHERE id = ?`, [ana]);
    expect(staff).toHaveLength(1);
    const feed = await all<{ store_id: string; op: string }>(h.ds.manager, `SELECT store_id, op FROM change_log WHERE entity = 'staff' AND entity_id = ?`, [ana]);
    expect(feed).toEqual([{ store_id: F.storeM1.id, op: 'upsert' }]);
    // The same PIN for a colleague at the same store is refused by the staff rule (409), nothing written.
    const again = await writes();
    const clash = await h.api('POST', '/api/people/employees', { token: await ruiz(), body: { ...body, code: 'E-BIS', name: 'Otra', personal: undefined } });
    expect(clash.status).toBe(409);
    expect(await writes()).toEqual(again);

    // HQ staff clocking in the back office: no till role, linked to the HQ user.
    const w = await h.api('POST', '/api/people/employees', {
      token: await hq(), body: { companyId: F.franchisor.id, code: 'HQ-1', name: 'Helena HQ', userId: HQ_USER, hiredOn: '2026-01-01', contract: { type: 'indefinido', weeklyHours: 40, startsOn: '2026-01-01' } },
    });
    expect(w.status, JSON.stringify(w.body)).toBe(201);
    hqWorker = w.body.id;
    expect(w.body.staffId).toBeNull();
  });

  it('personal data only for HR roles; other companies do not see the employee', async () => {
    const byRuiz = await h.api('GET', `/api/people/employees/${ana}`, { token: await ruiz() });
    expect(byRuiz.body.personal).toMatchObject({ nif: '12345678Z', iban: 'ES9121000418450200051332' });
    expect(byRuiz.body.contracts).toEqual([expect.objectContaining({ type: 'indefinido', weeklyMinutes: 1200, startsOn: '2026-10-15', endsOn: null })]);
    const byM1 = await h.api('GET', `/api/people/employees/${ana}`, { token: await m1() });
    expect(byM1.status).toBe(200);
    expect(byM1.body.personal).toBeUndefined();
    expect((await h.api('GET', `/api/people/employees/${ana}`, { token: await levante() })).status).toBe(404);
    expect((await h.api('GET', '/api/people/employees', { token: await levante() })).body.items).toEqual([]);
    expect((await h.api('GET', '/api/people/employees', { token: await ruiz() })).body.items.map((e: { code: string }) => e.code)).toEqual(['E-ANA']);
  });

  it('refuses clocking in twice, out while out, a break not started, a shift over 12 h: 422 with the rule, nothing written', async () => {
    const before = await count('time_record');
    const out = await clockAna('clock_out', 1, 9);
    expect(out.status).toBe(422);
    expect(out.body).toMatchObject({ code: 'NOT_CLOCKED_IN', type: expect.stringMatching(/not-clocked-in$/), detail: expect.stringContaining('You have not clocked in'), errors: [{ path: 'event' }] });
    expect((await clockAna('break_start', 1, 9)).status).toBe(422);
    expect((await h.api('POST', '/api/people/time-records', { token: await m1(), body: { employeeId: ana, event: 'lunch' } })).status).toBe(400);
    // Another company's manager may not clock for her.
    expect((await h.api('POST', '/api/people/time-records', { token: await levante(), body: { employeeId: ana, event: 'clock_in' } })).status).toBe(404);
    expect(await count('time_record')).toBe(before);

    // Sun 1: 10:00–13:00.
    expect((await clockAna('clock_in', 1, 10)).status).toBe(201);
    const twice = await clockAna('clock_in', 1, 10, 5);
    expect(twice.status).toBe(422);
    expect(twice.body.detail).toContain('already clocked in');
    expect((await clockAna('break_end', 1, 11)).body.detail).toContain('not on a break');
    expect((await clockAna('clock_out', 1, 13)).status).toBe(201);
  });

  it('totals per day, week and month, ordinary vs overtime (worked by hand); a forgotten clock-out corrected by company and worker', async () => {
    // Mon 2: 09:00–14:00, break 11:00–11:15 → 4:45 = 285 min.   Tue 3: 09:00–17:30, break 13:00–13:30 → 480.
    // Wed 4: 09:00–15:00 → 360.   Thu 5: 10:00–14:00 → 240.   Mon 30: 09:00–12:00 → 180.
    await shift(2, [9, 0], [14, 0], [[11, 0], [11, 15]]);
    await shift(3, [9, 0], [17, 30], [[13, 0], [13, 30]]);
    await shift(4, [9, 0], [15, 0]);
    await shift(5, [10, 0], [14, 0]);
    // Mon 9: clocked in at 09:00 and forgot to clock out; 22:00 is 13 h later: refused, nothing written.
    const clockIn9 = await clockAna('clock_in', 9, 9);
    expect(clockIn9.status).toBe(201);
    const before = await count('time_record');
    const late = await clockAna('clock_out', 9, 22);
    expect(late.status).toBe(422);
    expect(late.body.detail).toContain('exceed 12 h');
    expect(await count('time_record')).toBe(before);
    await shift(30, [9, 0], [12, 0]);

    // The company corrects: clock-out on the 9th at 13:00 (→ 240 min). A correction past 12 h is refused too.
    now = madrid(30, 18);
    const tooLong = await h.api('POST', `/api/people/employees/${ana}/corrections`, { token: await m1(), body: { correctsId: clockIn9.body.id, event: 'clock_out', at: new Date(madrid(9, 23)).toISOString(), reason: 'olvido' } });
    expect(tooLong.status).toBe(422);
    expect(await count('time_record')).toBe(before + 2);
    expect((await h.api('POST', `/api/people/employees/${ana}/corrections`, { token: await levante(), body: { correctsId: clockIn9.body.id, event: 'clock_out', at: new Date(madrid(9, 13)).toISOString(), reason: 'olvido' } })).status).toBe(404);
    const corr = await h.api('POST', `/api/people/employees/${ana}/corrections`, { token: await m1(), body: { correctsId: clockIn9.body.id, event: 'clock_out', at: new Date(madrid(9, 13)).toISOString(), reason: 'Olvidó fichar la salida' } });
    expect(corr.status, JSON.stringify(corr.body)).toBe(201);
    expect(corr.body).toMatchObject({ kind: 'correction', event: 'clock_out', correctsId: clockIn9.body.id });

    // Not in effect yet: the 9th counts 0 and is flagged.
    const pending = (await h.api('GET', `/api/people/employees/${ana}/time-records?month=2026-11`, { token: await ruiz() })).body;
    expect(pending.shifts.find((s: { date: string }) => s.date === '2026-11-09')).toMatchObject({ workedMinutes: 0, flags: ['over_12h_without_clock_out'] });
    expect(pending.corrections).toEqual([expect.objectContaining({ effective: false, worker: null, company: expect.objectContaining({ party: 'company' }) })]);
    // The manager cannot approve as the worker, nor twice for the company: nothing written.
    const n = await count('time_record');
    expect((await h.api('POST', `/api/people/employees/${ana}/corrections/${corr.body.id}/approve`, { token: await m1(), body: { party: 'worker' } })).status).toBe(403);
    expect((await h.api('POST', `/api/people/employees/${ana}/corrections/${corr.body.id}/approve`, { token: await ruiz(), body: { party: 'company' } })).status).toBe(409);
    expect(await count('time_record')).toBe(n);

    // Ana approves on her self-service page (company NIF + code + till PIN).
    expect((await h.api('POST', '/api/people/self-service/login', { body: { companyNif: F.ruiz.nif, code: 'E-ANA', secret: '9999' } })).status).toBe(401);
    const s = await h.api('POST', '/api/people/self-service/login', { body: { companyNif: F.ruiz.nif, code: 'E-ANA', secret: anaStaffPin } });
    expect(s.status).toBe(200);
    const ok = await h.api('POST', `/api/people/self-service/corrections/${corr.body.id}/approve`, { token: s.body.token });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ effective: true, company: { party: 'company' }, worker: { party: 'worker', source: 'self_service' } });

    const month = (await h.api('GET', '/api/people/self-service/month?month=2026-11', { token: s.body.token })).body;
    const day = (d: string) => month.totals.days.find((x: { date: string }) => x.date === d);
    expect([day('2026-11-01'), day('2026-11-02'), day('2026-11-03'), day('2026-11-09'), day('2026-11-30')].map((x) => [x.workedMinutes, x.breakMinutes])).toEqual([
      [180, 0], [285, 15], [480, 30], [240, 0], [180, 0],
    ]);
    // Weekly rule, 20 h = 1200 min a week, 1200/7 = 171.43 a day:
    //   week of Oct 26 (only Sun 1 in November): allowance 171; worked 180 → overtime 9.
    //   week of Nov 2: allowance 1200; worked 285+480+360+240 = 1365 → overtime 165.
    //   week of Nov 9: worked 240 (the corrected shift) → overtime 0.   weeks of 16 and 23: 0.
    //   week of Nov 30 (only Mon 30): allowance 171; worked 180 → overtime 9.
    // Month: worked 180+1365+240+180 = 1965; overtime 9+165+9 = 183; ordinary 1965−183 = 1782.
    expect(month.totals.weeks.map((w: { weekOf: string; ordinaryAllowanceMinutes: number; workedMinutes: number; overtimeMinutes: number }) => [w.weekOf, w.ordinaryAllowanceMinutes, w.workedMinutes, w.overtimeMinutes])).toEqual([
      ['2026-10-26', 171, 180, 9], ['2026-11-02', 1200, 1365, 165], ['2026-11-09', 1200, 240, 0], ['2026-11-16', 1200, 0, 0], ['2026-11-23', 1200, 0, 0], ['2026-11-30', 171, 180, 9],
    ]);
    expect([month.totals.workedMinutes, month.totals.ordinaryMinutes, month.totals.overtimeMinutes]).toEqual([1965, 1782, 183]);
    // The original clock-in stays; the correction and both approvals are records of the month.
    const kinds = month.records.filter((r: { id: string; correctsId: string | null }) => r.id === clockIn9.body.id || r.correctsId === clockIn9.body.id || r.correctsId === corr.body.id).map((r: { kind: string; party: string | null }) => `${r.kind}${r.party ? `:${r.party}` : ''}`);
    expect(kinds.sort()).toEqual(['approval:company', 'approval:worker', 'clock_in', 'correction']);
    // A second worker approval is refused.
    expect((await h.api('POST', `/api/people/self-service/corrections/${corr.body.id}/approve`, { token: s.body.token })).status).toBe(409);

    // The PDF (checked as text in the system test); here: it is a PDF.
    const pdf = await fetch(`${h.url}/api/people/self-service/month.pdf?month=2026-11`, { headers: { authorization: `Bearer ${s.body.token}` } });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('the monthly run gives every worker their month and the same PDF as their self-service page, drawn in threads or not', async () => {
    const s = await h.api('POST', '/api/people/self-service/login', { body: { companyNif: F.ruiz.nif, code: 'E-ANA', secret: anaStaffPin } });
    const own = await fetch(`${h.url}/api/people/self-service/month.pdf?month=2026-11`, { headers: { authorization: `Bearer ${s.body.token}` } });
    const text = (pdf: Buffer) => execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString();
    const ownText = text(Buffer.from(await own.arrayBuffer()));
    // The worker who approved is named, with where she approved.
    expect(ownText.replace(/[ \t]+/g, ' ')).toContain('Approved by the worker: Ana Martín (E-ANA), autoservicio · self-service');
    for (const threads of [undefined, 0]) {
      const got: Array<{ item: MonthlyRunItem; pdf: Buffer }> = [];
      const totals = await monthlyRecords(h.ds.manager, clock, '2026-11', (item, pdf) => void got.push({ item, pdf: Buffer.from(pdf) }), threads === undefined ? {} : { threads });
      const a = got.find((x) => x.item.employee.id === ana)!;
      expect(a.item).toMatchObject({ month: '2026-11', workedMinutes: 1965, ordinaryMinutes: 1782, overtimeMinutes: 183 });
      expect(text(a.pdf)).toBe(ownText);
      expect(totals.employees).toBe(got.length);
      expect(totals.pdfBytes).toBe(got.reduce((n, x) => n + x.pdf.length, 0));
    }
  });

  it('HQ staff clock in the back office as themselves (the company chain); nobody else’s worker', async () => {
    now = madrid(30, 19);
    const r = await h.api('POST', '/api/people/time-records', { token: await hq(), body: { employeeId: hqWorker, event: 'clock_in' } });
    expect(r.status).toBe(201);
    expect(r.body.chainKey).toBe(`hq:${F.franchisor.id}`);
    expect((await h.api('POST', '/api/people/time-records', { token: await ruiz(), body: { employeeId: hqWorker, event: 'clock_out' } })).status).toBe(404);
  });

  it('the store’s chain verifies; a tampered row breaks it at that row; the inspectorate CSV carries the hashes, scoped', async () => {
    const ok = await h.api('GET', `/api/people/time-chains/verify?chain=${F.storeM1.id}`, { token: await ruiz() });
    // 2 (Sun 1) + 4 + 4 + 2 + 2 (Mon–Thu, breaks on Mon and Tue) + 1 (Mon 9 in) + 2 (Mon 30) + correction + 2 approvals = 20.
    expect(ok.body).toEqual({ chainKey: F.storeM1.id, ok: true, records: 20, broken: null });
    expect((await h.api('GET', `/api/people/time-chains/verify?chain=${F.storeM1.id}`, { token: await levante() })).status).toBe(404);
    expect((await h.api('GET', `/api/people/time-chains/verify?chain=hq:${F.franchisor.id}`, { token: await hq() })).body).toMatchObject({ ok: true, records: 1 });

    const csv = await h.api('GET', '/api/people/time-records/export.csv?month=2026-11', { token: await ruiz() });
    expect(csv.status).toBe(200);
    const lines = String(csv.body).replace(/^\uFEFF/, '').trim().split('\n');
    expect(lines[0]).toBe('cadena;orden;codigo;trabajador;tipo;evento;momento;corrige;parte;motivo;origen;terminal;registrado;huella_anterior;huella');
    expect(lines).toHaveLength(1 + 20);
    expect(lines.every((l, i) => i === 0 || /;[0-9A-F]{64}$/.test(l))).toBe(true);
    const other = String((await h.api('GET', '/api/people/time-records/export.csv?month=2026-11', { token: await levante() })).body).replace(/^\uFEFF/, '').trim().split('\n');
    expect(other).toHaveLength(1);

    // Someone edits the 5th record in the database: the chain breaks there.
    await exec(h.ds.manager, `UPDATE time_record SET at = ? WHERE chain_key = ? AND seq = 5`, [new Date(madrid(2, 8)).toISOString(), F.storeM1.id]);
    const bad = await h.api('GET', `/api/people/time-chains/verify?chain=${F.storeM1.id}`, { token: await ruiz() });
    expect(bad.body).toMatchObject({ ok: false, broken: { seq: 5, reason: 'hash' } });
  });

  it('retention: a purge of records younger than four years is refused; only HR admin may purge', async () => {
    const before = await count('time_record');
    const r = await h.api('POST', '/api/people/time-records/purge', { token: await hq(), body: { before: '2023-01-01' } });
    expect(r.status).toBe(422);
    expect(r.body.detail).toContain('4 years');
    expect((await h.api('POST', '/api/people/time-records/purge', { token: await ruiz(), body: { before: '2022-01-01' } })).status).toBe(403);
    expect(await count('time_record')).toBe(before);
    expect((await h.api('POST', '/api/people/time-records/purge', { token: await hq(), body: { before: '2022-11-01' } })).body).toEqual({ deleted: 0, before: '2022-11-01' });
  });

  it('leaving: the staff row is deactivated on every till of their store; self-service closed', async () => {
    expect((await h.api('POST', `/api/people/employees/${ana}/leave`, { token: await m1(), body: { leftOn: '2026-11-30', reason: 'Fin de contrato' } })).status).toBe(403);
    const r = await h.api('POST', `/api/people/employees/${ana}/leave`, { token: await ruiz(), body: { leftOn: '2026-11-30', reason: 'Fin de contrato' } });
    expect(r.status).toBe(200);
    expect(r.body.leftOn).toBe('2026-11-30');
    const staff = await all<{ active: unknown }>(h.ds.manager, `SELECT active FROM staff WHERE id = ?`, [ana]);
    expect(bool(staff[0]!.active)).toBe(false);
    const last = await all<{ op: string; payload: string }>(h.ds.manager, `SELECT op, payload FROM change_log WHERE entity = 'staff' AND entity_id = ? ORDER BY version DESC`, [ana]);
    expect(last[0]!.op).toBe('upsert');
    expect(typeof last[0]!.payload === 'string' ? JSON.parse(last[0]!.payload) : last[0]!.payload).toMatchObject({ active: false });
    expect((await h.api('POST', '/api/people/self-service/login', { body: { companyNif: F.ruiz.nif, code: 'E-ANA', secret: anaStaffPin } })).status).toBe(401);
    expect((await h.api('POST', `/api/people/employees/${ana}/leave`, { token: await ruiz(), body: { leftOn: '2026-11-30', reason: 'Fin de contrato' } })).status).toBe(409);
    const contract = (await h.api('GET', `/api/people/employees/${ana}`, { token: await ruiz() })).body.contracts[0];
    expect(contract.endsOn).toBe('2026-11-30');
  });
});
