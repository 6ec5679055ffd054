/**
 * Rotas over HTTP on both engines (issue 16): Madrid 1's manager plans the week of Monday 9 November 2026 for
 * Bea (20 h a week) and Carlos (40 h). Each rule refuses with a field error and writes nothing: an overlapping
 * shift, over 9 h in a day, under 12 h rest between days, over the contract's weekly hours, 6 h without a
 * 15-min break, an end before the start, someone not on the store's staff, a store outside the caller's scope.
 * The week's view (hours worked out by hand below) sets the people planned per hour beside the store's sale
 * tickets and sales per hour, read from the reports' hourly rollup that the ingest of the till's tickets keeps; the week copies onto the next one whole, and a copy that would overlap is refused whole.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTerminal, engines, F, factoryFor, startHarness, type Harness } from '../support/harness';
import { all } from '../../src/persistence/sql';

const WEEK = '2026-11-09';
interface Shift { id: string; employeeId: string; date: string; start: string; end: string; breakMinutes: number; workedMinutes: number }

describe.each(engines)('rotas on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  const clock = { now: () => Date.UTC(2026, 10, 5, 9) };
  let hq = '';
  let m1 = '';
  let levante = '';
  let bea = '';
  let carlos = '';
  let valencia = '';
  const shifts = async () => Number((await all<{ n: unknown }>(h.ds.manager, `SELECT COUNT(*) AS n FROM rota_shift`))[0]!.n);
  const plan = (token: string, employeeId: string, date: string, start: string, end: string, breakMinutes = 0, storeId = F.storeM1.id) =>
    h.api('POST', '/api/rotas/shifts', { token, body: { storeId, employeeId, date, start, end, breakMinutes } });
  const hire = async (storeId: string, companyId: string, code: string, name: string, weeklyHours: number) => {
    const r = await h.api('POST', '/api/people/employees', { token: hq, body: { companyId, storeId, code, name, hiredOn: '2026-10-01', contract: { type: 'indefinido', weeklyHours, startsOn: '2026-10-01' } } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.id as string;
  };

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    [hq, m1, levante] = await Promise.all([h.login(F.hq), h.login(F.managerM1), h.login(F.managerLevante)]);
    bea = await hire(F.storeM1.id, F.ruiz.id, 'R-BEA', 'Bea Rota', 20);
    carlos = await hire(F.storeM1.id, F.ruiz.id, 'R-CAR', 'Carlos Rota', 40);
    valencia = await hire(F.storeV1.id, F.levante.id, 'R-VAL', 'Vicent Rota', 40);
  });
  afterAll(async () => h?.teardown());

  it('plans shifts within the rules; each broken rule is a field error and nothing is written', async () => {
    const ok: Array<[string, string, string, string, number, number]> = [
      // employee, date, start, end, break, worked minutes
      [bea, '2026-11-09', '09:00', '14:00', 0, 300],
      [carlos, '2026-11-09', '14:00', '22:00', 30, 450],
      [bea, '2026-11-10', '06:00', '10:00', 0, 240], // 16 h after Monday's 14:00
      [carlos, '2026-11-10', '10:00', '14:00', 0, 240], // exactly 12 h after Monday's 22:00
      [bea, '2026-11-11', '09:00', '14:00', 0, 300],
      [bea, '2026-11-12', '09:00', '14:00', 0, 300], // Bea's week: 300 + 240 + 300 + 300 = 1140 of 1200
      [carlos, '2026-11-11', '09:00', '16:00', 15, 405], // 7 h with the 15-min break
    ];
    for (const [e, date, start, end, brk, worked] of ok) {
      const r = await plan(m1, e, date, start, end, brk);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body).toMatchObject({ employeeId: e, date, start, end, breakMinutes: brk, workedMinutes: worked });
    }
    expect(await shifts()).toBe(7);

    const refused: Array<[string, string, string, string, string, number, string, RegExp]> = [
      [m1, bea, '2026-11-09', '13:00', '15:00', 0, 'start', /se solapa con el turno 09:00–14:00/],
      [m1, bea, '2026-11-09', '16:00', '20:30', 0, 'end', /9:30 h en el día: más de 9 h ordinarias/], // 300 + 270 = 570 > 540
      [m1, carlos, '2026-11-12', '02:00', '06:00', 0, 'start', /solo 10:00 h de descanso con el turno del 2026-11-11 \(09:00–16:00\)/], // Wed 16:00 → Thu 02:00
      [m1, bea, '2026-11-13', '09:00', '11:00', 0, 'end', /21:00 h planificadas en la semana del 2026-11-09: el contrato son 20:00 h/], // 1140 + 120 = 1260 > 1200
      [m1, carlos, '2026-11-13', '08:00', '15:00', 0, 'breakMinutes', /más de 6 h seguidas necesitan una pausa de 15 min/],
      [m1, carlos, '2026-11-14', '14:00', '09:00', 0, 'end', /la salida debe ser posterior a la entrada/],
      [hq, valencia, '2026-11-14', '09:00', '13:00', 0, 'employeeId', /no es personal de esta tienda/],
    ];
    for (const [token, e, date, start, end, brk, path, message] of refused) {
      const r = await plan(token, e, date, start, end, brk);
      expect(r.status, `${date} ${start}-${end}: ${JSON.stringify(r.body)}`).toBe(422);
      expect(r.body.title).toBe('Request refused');
      const err = (r.body.errors as Array<{ path: string; message: string }>).find((x) => x.path === path);
      expect(err?.message, JSON.stringify(r.body.errors)).toMatch(message);
    }
    // Another company's manager may not plan Madrid 1; nor read its week.
    expect((await plan(levante, bea, '2026-11-14', '09:00', '13:00')).status).toBe(403);
    expect((await h.api('GET', `/api/rotas/week?storeId=${F.storeM1.id}&week=${WEEK}`, { token: levante })).status).toBe(403);
    // A week is given by its Monday.
    expect((await h.api('GET', `/api/rotas/week?storeId=${F.storeM1.id}&week=2026-11-10`, { token: m1 })).status).toBe(400);
    expect(await shifts()).toBe(7);
  });

  it('the week beside the store’s sales per hour (Madrid time), worked out by hand', async () => {
    // Monday at till 01 of Madrid 1, sent up as the till sends them (socket, ingest, the reports' hourly rollup):
    // 10:15 Madrid (UTC+1) 2 × Producto 1 at 0,95 € = 1,90 €; 10:40 3 × Producto 2 at 1,32 € = 3,96 €;
    // 10:50 a return of one Producto 1 = −0,95 € (not a ticket sold; its money is given back); 15:05 1 × Producto 3 = 1,69 €.
    let at = 0;
    const f = factoryFor(F.t1, F.storeM1, F.ruiz.nif, 16, { now: () => at });
    const when = (utc: string) => (at = Date.parse(`2026-11-09T${utc}:00.000Z`));
    when('09:15');
    const s1 = f.sale({ lines: [{ product: F.products[0]!, units: 2 }], payment: 'cash' });
    when('09:40');
    const s2 = f.sale({ lines: [{ product: F.products[1]!, units: 3 }], payment: 'card' });
    when('09:50');
    const r1 = f.returnOf(s1, 0, 1);
    when('14:05');
    const s3 = f.sale({ lines: [{ product: F.products[2]!, units: 1 }], payment: 'cash' });
    expect([s1, s2, r1, s3].map((t) => t.totals.total)).toEqual([190, 396, -95, 169]);
    const term = await connectTerminal(h.url, F.t1.id, await h.pair(F.t1.id));
    try {
      expect(await term.send([s1, s2, r1, s3])).toEqual({ terminalId: F.t1.id, ackedSeq: 4 });
    } finally {
      term.close();
    }
    const r = await h.api('GET', `/api/rotas/week?storeId=${F.storeM1.id}&week=${WEEK}`, { token: m1 });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.days).toEqual(['2026-11-09', '2026-11-10', '2026-11-11', '2026-11-12', '2026-11-13', '2026-11-14', '2026-11-15']);
    const byCode = Object.fromEntries((r.body.employees as Array<{ code: string; weeklyMinutes: number; plannedMinutes: number }>).map((e) => [e.code, e]));
    expect(byCode['R-BEA']).toMatchObject({ weeklyMinutes: 1200, plannedMinutes: 300 + 240 + 300 + 300 });
    expect(byCode['R-CAR']).toMatchObject({ weeklyMinutes: 2400, plannedMinutes: 450 + 240 + 405 });
    expect(byCode['R-VAL']).toBeUndefined();
    const monday = (r.body.hours as Array<{ date: string; hour: number; tickets: number; salesCents: number; staff: number }>).filter((x) => x.date === '2026-11-09');
    // Bea 09–14 (hours 9–13), Carlos 14–22 (hours 14–21); at 10 h 2 tickets and 1,90 + 3,96 − 0,95 = 4,91 €, at 15 h 1 ticket of 1,69 €.
    expect(monday).toEqual([
      { date: '2026-11-09', hour: 9, tickets: 0, salesCents: 0, staff: 1 },
      { date: '2026-11-09', hour: 10, tickets: 2, salesCents: 491, staff: 1 },
      { date: '2026-11-09', hour: 11, tickets: 0, salesCents: 0, staff: 1 },
      { date: '2026-11-09', hour: 12, tickets: 0, salesCents: 0, staff: 1 },
      { date: '2026-11-09', hour: 13, tickets: 0, salesCents: 0, staff: 1 },
      { date: '2026-11-09', hour: 14, tickets: 0, salesCents: 0, staff: 1 },
      { date: '2026-11-09', hour: 15, tickets: 1, salesCents: 169, staff: 1 },
      ...[16, 17, 18, 19, 20, 21].map((hour) => ({ date: '2026-11-09', hour, tickets: 0, salesCents: 0, staff: 1 })),
    ]);
    // Wednesday 11–13 h: Bea (09–14) and Carlos (09–16) both planned.
    expect((r.body.hours as Array<{ date: string; hour: number; staff: number }>).find((x) => x.date === '2026-11-11' && x.hour === 11)?.staff).toBe(2);
  });

  it('copies the week onto the next whole; a copy that would overlap is refused whole; removing a shift', async () => {
    const copy = await h.api('POST', '/api/rotas/weeks/copy', { token: m1, body: { storeId: F.storeM1.id, fromWeek: WEEK, toWeek: '2026-11-16' } });
    expect(copy.status, JSON.stringify(copy.body)).toBe(201);
    expect(copy.body.created).toBe(7);
    expect((copy.body.shifts as Shift[]).map((s) => `${s.date} ${s.start}-${s.end}`).sort()).toEqual(
      ['2026-11-16 09:00-14:00', '2026-11-16 14:00-22:00', '2026-11-17 06:00-10:00', '2026-11-17 10:00-14:00', '2026-11-18 09:00-14:00', '2026-11-18 09:00-16:00', '2026-11-19 09:00-14:00'],
    );
    expect(await shifts()).toBe(14);
    const again = await h.api('POST', '/api/rotas/weeks/copy', { token: m1, body: { storeId: F.storeM1.id, fromWeek: WEEK, toWeek: '2026-11-16' } });
    expect(again.status).toBe(422);
    expect((again.body.errors as Array<{ path: string }>).map((e) => e.path)).toContain('shifts[0].start');
    expect(await shifts()).toBe(14);
    // An empty week copies as nothing; a week onto itself is refused.
    expect((await h.api('POST', '/api/rotas/weeks/copy', { token: m1, body: { storeId: F.storeM1.id, fromWeek: '2026-11-02', toWeek: '2026-11-23' } })).body.created).toBe(0);
    expect((await h.api('POST', '/api/rotas/weeks/copy', { token: m1, body: { storeId: F.storeM1.id, fromWeek: WEEK, toWeek: WEEK } })).status).toBe(422);

    const one = (copy.body.shifts as Shift[])[0]!;
    expect((await h.api('DELETE', `/api/rotas/shifts/${one.id}`, { token: levante })).status).toBe(404);
    expect((await h.api('DELETE', `/api/rotas/shifts/${one.id}`, { token: m1 })).status).toBe(200);
    expect(await shifts()).toBe(13);
  });
});
