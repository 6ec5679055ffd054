/**
 * Named rota templates over HTTP on both engines (issue 16): Madrid 1's manager keeps the week of Monday 9
 * November 2026 (Bea Mon and Wed 09:00–14:00, Carlos Mon 14:00–22:00 with 30′, Dani Fri 10:00–14:00) as
 * "Semana estándar", renames it "Rebajas", and applies it to the week of the 16th: the same shifts on the
 * 16th, 18th and 20th. Refused whole, nothing written: a name already used, an empty week, a template that
 * leaves Bea 9 h rest after a Sunday shift (the error names her and the day), a worker who has left (unless
 * `skipMissing`: then skipped and reported); another company's manager reaches neither store nor template.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, F, startHarness, type Harness } from '../support/harness';
import { hireEmployee } from '../support/people';
import { all } from '../../src/persistence/sql';

const WEEK = '2026-11-09';
interface Shift { employeeId: string; date: string; start: string; end: string; breakMinutes: number; workedMinutes: number }

describe.each(engines)('rota templates on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  const clock = { now: () => Date.UTC(2026, 10, 5, 9) };
  let hq = '';
  let m1 = '';
  let levante = '';
  let bea = '';
  let carlos = '';
  let dani = '';
  let template = '';
  const count = async (table: string) => Number((await all<{ n: unknown }>(h.ds.manager, `SELECT COUNT(*) AS n FROM ${table}`))[0]!.n);
  const writes = () => Promise.all(['rota_shift', 'rota_template', 'rota_template_shift'].map(count));
  const plan = (employeeId: string, date: string, start: string, end: string, breakMinutes = 0) =>
    h.api('POST', '/api/rotas/shifts', { token: m1, body: { storeId: F.storeM1.id, employeeId, date, start, end, breakMinutes } });
  const hire = (code: string, name: string, weeklyHours: number) => hireEmployee(h, hq, { code, name, weeklyHours });
  const brief = (s: Shift[]) => s.map((x) => [x.employeeId, x.date, x.start, x.end, x.breakMinutes]);

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    [hq, m1, levante] = await Promise.all([h.login(F.hq), h.login(F.managerM1), h.login(F.managerLevante)]);
    bea = await hire('T-BEA', 'Bea Plantilla', 20);
    carlos = await hire('T-CAR', 'Carlos Plantilla', 40);
    dani = await hire('T-DAN', 'Dani Plantilla', 40);
    for (const [e, date, start, end, brk] of [[bea, '2026-11-09', '09:00', '14:00', 0], [carlos, '2026-11-09', '14:00', '22:00', 30], [bea, '2026-11-11', '09:00', '14:00', 0], [dani, '2026-11-13', '10:00', '14:00', 0]] as const) {
      expect((await plan(e, date, start, end, brk)).status).toBe(201);
    }
  });
  afterAll(async () => h?.teardown());

  it('saves a week as a named template by weekday (no dates); a name used twice or an empty week is refused, nothing written', async () => {
    const r = await h.api('POST', '/api/rotas/templates', { token: m1, body: { storeId: F.storeM1.id, name: 'Semana estándar', week: WEEK } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    template = r.body.id;
    // Monday (0) Bea then Carlos, Wednesday (2) Bea, Friday (4) Dani; worked 300, 450, 300, 240 minutes.
    expect(r.body.shifts.map((s: { employeeName: string; weekday: number; start: string; end: string; workedMinutes: number }) => [s.employeeName, s.weekday, s.start, s.end, s.workedMinutes])).toEqual([
      ['Bea Plantilla', 0, '09:00', '14:00', 300], ['Carlos Plantilla', 0, '14:00', '22:00', 450], ['Bea Plantilla', 2, '09:00', '14:00', 300], ['Dani Plantilla', 4, '10:00', '14:00', 240],
    ]);
    const before = await writes();
    expect(before).toEqual([4, 1, 4]);
    const again = await h.api('POST', '/api/rotas/templates', { token: m1, body: { storeId: F.storeM1.id, name: 'Semana estándar', week: WEEK } });
    expect(again.status).toBe(409);
    expect(again.body.errors).toEqual([{ path: 'name', message: expect.stringContaining('name already used') }]);
    const empty = await h.api('POST', '/api/rotas/templates', { token: m1, body: { storeId: F.storeM1.id, name: 'Vacía', week: '2026-11-23' } });
    expect(empty.status).toBe(422);
    expect(empty.body.errors[0].path).toBe('week');
    expect((await h.api('POST', '/api/rotas/templates', { token: m1, body: { storeId: F.storeM1.id, name: 'Martes', week: '2026-11-10' } })).status).toBe(400);
    expect(await writes()).toEqual(before);
  });

  it('lists, renames and deletes; a rename onto a name in use is refused', async () => {
    const other = await h.api('POST', '/api/rotas/templates', { token: m1, body: { storeId: F.storeM1.id, name: 'Otra', week: WEEK } });
    expect(other.status).toBe(201);
    const renamed = await h.api('PATCH', `/api/rotas/templates/${template}`, { token: m1, body: { name: 'Rebajas' } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: template, name: 'Rebajas' });
    expect((await h.api('PATCH', `/api/rotas/templates/${other.body.id}`, { token: m1, body: { name: 'Rebajas' } })).status).toBe(409);
    const list = await h.api('GET', `/api/rotas/templates?storeId=${F.storeM1.id}`, { token: m1 });
    expect(list.body.items.map((t: { name: string; shifts: unknown[] }) => [t.name, t.shifts.length])).toEqual([['Otra', 4], ['Rebajas', 4]]);
    expect((await h.api('DELETE', `/api/rotas/templates/${other.body.id}`, { token: m1 })).body).toEqual({ deleted: other.body.id });
    expect((await h.api('GET', `/api/rotas/templates?storeId=${F.storeM1.id}`, { token: m1 })).body.items.map((t: { name: string }) => t.name)).toEqual(['Rebajas']);
    expect(await writes()).toEqual([4, 1, 4]);
  });

  it('applies to the week of the 16th: the same shifts on the 16th, 18th and 20th', async () => {
    const r = await h.api('POST', `/api/rotas/templates/${template}/apply`, { token: m1, body: { week: '2026-11-16' } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.created).toBe(4);
    expect(r.body.skipped).toEqual([]);
    expect(brief(r.body.shifts)).toEqual([
      [bea, '2026-11-16', '09:00', '14:00', 0], [carlos, '2026-11-16', '14:00', '22:00', 30], [bea, '2026-11-18', '09:00', '14:00', 0], [dani, '2026-11-20', '10:00', '14:00', 0],
    ]);
    const week = (await h.api('GET', `/api/rotas/week?storeId=${F.storeM1.id}&week=2026-11-16`, { token: m1 })).body;
    expect(brief(week.shifts)).toEqual(brief(r.body.shifts));
    // Bea 300 + 300, Carlos 450, Dani 240 planned that week.
    expect(week.employees.map((e: { code: string; plannedMinutes: number }) => [e.code, e.plannedMinutes])).toEqual([['T-BEA', 600], ['T-CAR', 450], ['T-DAN', 240]]);
    expect(await count('rota_shift')).toBe(8);
  });

  it('a template that leaves Bea 9 h rest after her Sunday shift is refused whole, naming her and the day', async () => {
    // Sunday 29th 20:00–24:00, then the template's Monday 30th 09:00: 9 h rest, 12 h needed.
    const sunday = await plan(bea, '2026-11-29', '20:00', '24:00');
    expect(sunday.status).toBe(201);
    const before = await writes();
    const r = await h.api('POST', `/api/rotas/templates/${template}/apply`, { token: m1, body: { week: '2026-11-30' } });
    expect(r.status).toBe(422);
    expect(r.body.errors).toEqual([{ path: 'shifts[0].start', message: expect.stringMatching(/^Bea Plantilla, lunes · Monday 2026-11-30: solo 9:00 h de descanso con el turno del 2026-11-29 \(20:00–24:00\)/) }]);
    expect(await writes()).toEqual(before);
    expect((await h.api('DELETE', `/api/rotas/shifts/${sunday.body.id}`, { token: m1 })).status).toBe(200);
  });

  it('a worker who has left is refused unless the manager asks to skip them: then left out and reported', async () => {
    const left = await h.api('POST', `/api/people/employees/${dani}/leave`, { token: hq, body: { leftOn: '2026-11-25', reason: 'Fin de contrato' } });
    expect(left.status, JSON.stringify(left.body)).toBe(200);
    const before = await writes();
    const refused = await h.api('POST', `/api/rotas/templates/${template}/apply`, { token: m1, body: { week: '2026-11-30' } });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([{ path: 'shifts[3].date', message: expect.stringMatching(/^Dani Plantilla, viernes · Friday 2026-12-04: Dani Plantilla no trabaja en la empresa el 2026-12-04/) }]);
    expect(await writes()).toEqual(before);
    const r = await h.api('POST', `/api/rotas/templates/${template}/apply`, { token: m1, body: { week: '2026-11-30', skipMissing: true } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.created).toBe(3);
    expect(brief(r.body.shifts)).toEqual([[bea, '2026-11-30', '09:00', '14:00', 0], [carlos, '2026-11-30', '14:00', '22:00', 30], [bea, '2026-12-02', '09:00', '14:00', 0]]);
    expect(r.body.skipped).toEqual([{ employeeId: dani, employeeName: 'Dani Plantilla', date: '2026-12-04', reason: 'dejó la empresa el 2026-11-25 · left on 2026-11-25' }]);
    expect(await count('rota_shift')).toBe(before[0]! + 3);
  });

  it('another company’s manager reaches neither the store (403) nor the template (404); nothing written', async () => {
    const before = await writes();
    expect((await h.api('GET', `/api/rotas/templates?storeId=${F.storeM1.id}`, { token: levante })).status).toBe(403);
    expect((await h.api('POST', '/api/rotas/templates', { token: levante, body: { storeId: F.storeM1.id, name: 'Ajena', week: WEEK } })).status).toBe(403);
    expect((await h.api('GET', `/api/rotas/templates/${template}`, { token: levante })).status).toBe(404);
    expect((await h.api('PATCH', `/api/rotas/templates/${template}`, { token: levante, body: { name: 'Ajena' } })).status).toBe(404);
    expect((await h.api('POST', `/api/rotas/templates/${template}/apply`, { token: levante, body: { week: '2026-12-07' } })).status).toBe(404);
    expect((await h.api('DELETE', `/api/rotas/templates/${template}`, { token: levante })).status).toBe(404);
    expect(await writes()).toEqual(before);
    expect((await h.api('GET', `/api/rotas/templates/${template}`, { token: m1 })).body.name).toBe('Rebajas');
  });
});
