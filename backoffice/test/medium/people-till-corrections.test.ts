/**
 * Corrections approved at the till, on both engines (issue 16), through the real till socket (`till:request`):
 * Madrid 1's manager corrects the clock-out Ana forgot on Mon 9 November (09:00 → 13:00) and a missed one of
 * Bea; Ana, having typed her PIN at till 02 of Madrid 1, sees it waiting and approves it — the approval is a
 * record of the store's chain with source `till` and the till's id, the correction counts (240 min that day)
 * and the chain verifies. Refused with nothing written: Bea's correction asked for with Ana's PIN, a till of
 * Madrid 2 (another store of the company), a till of another company, a second approval. Bea rejects hers:
 * it never takes effect and her self-service page can no longer approve it. Carla, company-wide (no store),
 * approves hers at Madrid 2's till (her company's chain `hq:<company>`); Levante's till is refused, nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TillRequestReply } from '@tpv/shared/wire/till-request';
import { PEOPLE_CORRECTION_DECIDE, PEOPLE_CORRECTIONS_PENDING } from '@tpv/shared/people/till-corrections';
import { connectPaired, connectTerminal, engines, F, startHarness, type Harness, type TerminalClient } from '../support/harness';
import { hireEmployee } from '../support/people';
import { all } from '../../src/persistence/sql';

/** Madrid is UTC+1 in November 2026: local h:mm on day d as epoch ms. */
const madrid = (d: number, h: number, m = 0) => Date.UTC(2026, 10, d, h - 1, m);

describe.each(engines)('corrections at the till on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let now = madrid(9, 8);
  const clock = { now: () => now };
  const tills: TerminalClient[] = [];
  let t1: TerminalClient; // Madrid 1, till 01
  let t2: TerminalClient; // Madrid 1, till 02
  let tM2: TerminalClient; // Madrid 2 (Ruiz's other store)
  let t3: TerminalClient; // València 1 (Levante)
  let tM2Id = '';
  let ana = '';
  let bea = '';
  let anaCorrection = '';
  let beaCorrection = '';
  const ask = (t: TerminalClient, kind: string, payload: unknown) => t.socket.timeout(10_000).emitWithAck('till:request', { kind, payload }) as Promise<TillRequestReply & { reply?: any; refused?: { code: string; message: string } }>; // eslint-disable-line @typescript-eslint/no-explicit-any -- reply union
  const records = async () => Number((await all<{ n: unknown }>(h.ds.manager, `SELECT COUNT(*) AS n FROM time_record`))[0]!.n);

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    const ruiz = await h.login(F.managerRuiz);
    const hire = (code: string, name: string, pin: string) => hireEmployee(h, ruiz, { code, name, tillRole: 'cashier', pin });
    ana = await hire('E-ANA', 'Ana Martín', '4321');
    bea = await hire('E-BEA', 'Bea Ruiz', '5678');
    const m2 = await h.api('POST', '/api/terminals', { token: await h.login(F.hq), body: { storeId: F.storeM2.id, name: 'Caja M2' } });
    expect(m2.status, JSON.stringify(m2.body)).toBe(201);
    tM2Id = m2.body.terminal.id;
    const paired = await h.api('POST', '/api/pairing', { body: { code: m2.body.code, appVersion: 'test' } });
    expect(paired.status).toBe(201);
    tM2 = await connectTerminal(h.url, tM2Id, paired.body.token);
    t1 = await connectPaired(h, F.t1.id);
    t2 = await connectPaired(h, F.t2.id);
    t3 = await connectPaired(h, F.t3.id);
    tills.push(t1, t2, tM2, t3);

    // Mon 9: both clock in at 09:00 (recorded by the manager) and forget to clock out.
    now = madrid(9, 9);
    const m1 = await h.login(F.managerM1);
    for (const employeeId of [ana, bea]) expect((await h.api('POST', '/api/people/time-records', { token: m1, body: { employeeId, event: 'clock_in' } })).status).toBe(201);
    // Tue 10, 10:00: the manager corrects: Ana left at 13:00, Bea at 14:00.
    now = madrid(10, 10);
    const m1b = await h.login(F.managerM1);
    const ins = await all<{ id: string; employee_id: string }>(h.ds.manager, `SELECT id, employee_id FROM time_record WHERE kind = 'clock_in'`);
    const correct = async (who: string, hh: number, reason: string) => {
      const r = await h.api('POST', `/api/people/employees/${who}/corrections`, {
        token: m1b, body: { correctsId: ins.find((x) => x.employee_id === who)!.id, event: 'clock_out', at: new Date(madrid(9, hh)).toISOString(), reason },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body.id as string;
    };
    anaCorrection = await correct(ana, 13, 'Olvidó fichar la salida');
    beaCorrection = await correct(bea, 14, 'Salida no registrada');
  });
  afterAll(async () => {
    for (const t of tills) t.close();
    await h?.teardown();
  });

  it('the till lists what waits for the worker behind the PIN: the original, the proposal, the reason, who proposed it', async () => {
    const r = await ask(t2, PEOPLE_CORRECTIONS_PENDING, { staffId: ana });
    expect(r.reply).toEqual({
      employee: { code: 'E-ANA', name: 'Ana Martín' },
      timeZone: 'Europe/Madrid',
      corrections: [{
        id: anaCorrection,
        original: { event: 'clock_in', at: '2026-11-09T08:00:00.000Z' },
        proposed: { event: 'clock_out', at: '2026-11-09T12:00:00.000Z' },
        reason: 'Olvidó fichar la salida',
        proposedBy: F.managerM1.email,
        proposedAt: '2026-11-10T09:00:00.000Z',
      }],
    });
    // The same question from another store's or another company's till is refused.
    expect((await ask(tM2, PEOPLE_CORRECTIONS_PENDING, { staffId: ana })).refused?.code).toBe('NOT_THIS_STORE');
    expect((await ask(t3, PEOPLE_CORRECTIONS_PENDING, { staffId: ana })).refused?.code).toBe('NOT_AN_EMPLOYEE');
  });

  it('refuses, writing nothing: another worker’s correction, a till of another store or company, a malformed decision', async () => {
    const before = await records();
    const cases: Array<[TerminalClient, unknown, string]> = [
      [t2, { staffId: ana, correctionId: beaCorrection, decision: 'approve' }, 'CORRECTION_UNKNOWN'],
      [t2, { staffId: ana, correctionId: beaCorrection, decision: 'reject' }, 'CORRECTION_UNKNOWN'],
      [tM2, { staffId: ana, correctionId: anaCorrection, decision: 'approve' }, 'NOT_THIS_STORE'],
      [t3, { staffId: ana, correctionId: anaCorrection, decision: 'approve' }, 'NOT_AN_EMPLOYEE'],
      [t2, { staffId: ana, correctionId: anaCorrection, decision: 'maybe' }, 'MALFORMED'],
    ];
    for (const [t, payload, code] of cases) {
      const r = await ask(t, PEOPLE_CORRECTION_DECIDE, payload);
      expect(r.refused?.code, JSON.stringify(r)).toBe(code);
      expect(r.refused?.message.length).toBeGreaterThan(5);
    }
    expect(await records()).toBe(before);
  });

  it('Ana approves at till 02: a chained approval (source till, the till’s id), the correction counts, the chain verifies', async () => {
    // Madrid 1's chain so far: 2 clock-ins, 2 corrections with their company approvals = 6 records; hers is the 7th.
    const r = await ask(t2, PEOPLE_CORRECTION_DECIDE, { staffId: ana, correctionId: anaCorrection, decision: 'approve' });
    expect(r.reply).toEqual({ correctionId: anaCorrection, decision: 'approve', effective: true, seq: 7 });
    const rows = await all<{ kind: string; party: string; source: string; terminal_id: string; corrects_id: string; chain_key: string; recorded_by: string }>(h.ds.manager,
      `SELECT kind, party, source, terminal_id, corrects_id, chain_key, recorded_by FROM time_record WHERE seq = 7 AND chain_key = ?`, [F.storeM1.id]);
    expect(rows).toEqual([{ kind: 'approval', party: 'worker', source: 'till', terminal_id: F.t2.id, corrects_id: anaCorrection, chain_key: F.storeM1.id, recorded_by: `till ${F.t2.id}` }]);
    const m1 = await h.login(F.managerM1);
    const month = (await h.api('GET', `/api/people/employees/${ana}/time-records?month=2026-11`, { token: m1 })).body;
    // 09:00 → 13:00 on Mon 9 = 240 min, the only shift of her month.
    expect(month.totals.workedMinutes).toBe(240);
    expect(month.corrections).toEqual([expect.objectContaining({ effective: true, rejected: null, worker: expect.objectContaining({ source: 'till', terminalId: F.t2.id }) })]);
    const chain = await h.api('GET', `/api/people/time-chains/verify?chain=${F.storeM1.id}`, { token: m1 });
    expect(chain.body).toEqual({ chainKey: F.storeM1.id, ok: true, records: 7, broken: null });
    // Nothing waits for her any more; a second approval is refused, nothing written.
    expect((await ask(t1, PEOPLE_CORRECTIONS_PENDING, { staffId: ana })).reply.corrections).toEqual([]);
    const again = await ask(t1, PEOPLE_CORRECTION_DECIDE, { staffId: ana, correctionId: anaCorrection, decision: 'approve' });
    expect(again.refused).toMatchObject({ code: 'ALREADY_APPROVED', message: expect.stringContaining('Ya decidida') });
    expect(await records()).toBe(7);
  });

  it('Bea rejects hers at till 01: it never takes effect, and cannot be approved afterwards anywhere', async () => {
    const r = await ask(t1, PEOPLE_CORRECTION_DECIDE, { staffId: bea, correctionId: beaCorrection, decision: 'reject' });
    expect(r.reply).toEqual({ correctionId: beaCorrection, decision: 'reject', effective: false, seq: 8 });
    expect((await ask(t1, PEOPLE_CORRECTIONS_PENDING, { staffId: bea })).reply.corrections).toEqual([]);
    const m1 = await h.login(F.managerM1);
    const month = (await h.api('GET', `/api/people/employees/${bea}/time-records?month=2026-11`, { token: m1 })).body;
    expect(month.corrections).toEqual([expect.objectContaining({ effective: false, worker: null, rejected: expect.objectContaining({ kind: 'rejection', party: 'worker', source: 'till', terminalId: F.t1.id }) })]);
    // Her clock-in stays open: no worked minutes counted from the rejected clock-out.
    expect(month.shifts.map((s: { end: number | null }) => s.end)).toEqual([null]);
    const s = await h.api('POST', '/api/people/self-service/login', { body: { companyNif: F.ruiz.nif, code: 'E-BEA', secret: '5678' } });
    expect(s.status).toBe(200);
    const late = await h.api('POST', `/api/people/self-service/corrections/${beaCorrection}/approve`, { token: s.body.token });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('REJECTED');
    expect((await ask(t1, PEOPLE_CORRECTION_DECIDE, { staffId: bea, correctionId: beaCorrection, decision: 'approve' })).refused?.code).toBe('REJECTED');
    expect(await records()).toBe(8);
    const chain = await h.api('GET', `/api/people/time-chains/verify?chain=${F.storeM1.id}`, { token: m1 });
    expect(chain.body).toMatchObject({ ok: true, records: 8 });
  });
  it('a company-wide employee (no store) approves at a till of any store of her company; another company’s till is refused, nothing written', async () => {
    const ruiz = await h.login(F.managerRuiz);
    const carla = await hireEmployee(h, ruiz, { code: 'E-CARLA', name: 'Carla Gil', storeId: null, tillRole: 'cashier', pin: '2468' });
    // Wed 11: in at 09:00, recorded in the back office (HQ staff: her company's chain); Thu 12 the franchisee corrects the missing 17:00 out.
    now = madrid(11, 9);
    const inRes = await h.api('POST', '/api/people/time-records', { token: await h.login(F.managerRuiz), body: { employeeId: carla, event: 'clock_in' } });
    expect(inRes.status, JSON.stringify(inRes.body)).toBe(201);
    now = madrid(12, 10);
    const ruizB = await h.login(F.managerRuiz);
    const clockIn = (await all<{ id: string }>(h.ds.manager, `SELECT id FROM time_record WHERE employee_id = ? AND kind = 'clock_in'`, [carla]))[0]!.id;
    const c = await h.api('POST', `/api/people/employees/${carla}/corrections`, {
      token: ruizB, body: { correctsId: clockIn, event: 'clock_out', at: new Date(madrid(11, 17)).toISOString(), reason: 'Salida no fichada' },
    });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    const chainKey = `hq:${F.ruiz.id}`;
    // 8 of Madrid 1 + her clock-in, the correction and the company's approval.
    expect(await records()).toBe(11);

    // València 1 is Levante's: refused, nothing written.
    expect((await ask(t3, PEOPLE_CORRECTIONS_PENDING, { staffId: carla })).refused?.code).toBe('NOT_AN_EMPLOYEE');
    expect((await ask(t3, PEOPLE_CORRECTION_DECIDE, { staffId: carla, correctionId: c.body.id, decision: 'approve' })).refused?.code).toBe('NOT_AN_EMPLOYEE');
    expect(await records()).toBe(11);

    // Madrid 2's till (not a store of hers: she has none) lists it and takes her approval, the 4th record of her company's chain.
    expect((await ask(tM2, PEOPLE_CORRECTIONS_PENDING, { staffId: carla })).reply.corrections.map((x: { id: string }) => x.id)).toEqual([c.body.id]);
    const r = await ask(tM2, PEOPLE_CORRECTION_DECIDE, { staffId: carla, correctionId: c.body.id, decision: 'approve' });
    expect(r.reply).toEqual({ correctionId: c.body.id, decision: 'approve', effective: true, seq: 4 });
    const rows = await all<{ party: string; source: string; terminal_id: string; chain_key: string }>(h.ds.manager,
      `SELECT party, source, terminal_id, chain_key FROM time_record WHERE kind = 'approval' AND employee_id = ? AND party = 'worker'`, [carla]);
    expect(rows).toEqual([{ party: 'worker', source: 'till', terminal_id: tM2Id, chain_key: chainKey }]);
    expect(await records()).toBe(12);
    const month = (await h.api('GET', `/api/people/employees/${carla}/time-records?month=2026-11`, { token: ruizB })).body;
    expect(month.totals.workedMinutes).toBe(480); // 09:00 → 17:00
    const chain = await h.api('GET', `/api/people/time-chains/verify?chain=${encodeURIComponent(chainKey)}`, { token: ruizB });
    expect(chain.body).toEqual({ chainKey, ok: true, records: 4, broken: null });
  });
});
