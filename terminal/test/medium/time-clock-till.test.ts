/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies of HTTP answers */
/**
 * The working-time record at the till (issue 16): a worker clocks with their PIN, no session needed; each
 * event is kept in `time_clock_event` with its `people.clock` outbox document, in one local transaction.
 * Clocking in twice, clocking out while out, ending a break never started, a shift over 12 h, a wrong PIN:
 * refused with the rule (Spanish · English), nothing written. The events cannot be changed or deleted.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshTerminalDb, STAFF, tempDir, type TestDb } from './support/fixture';
import { startTerminal, type RunningTerminal } from './support/server';

const dir = tempDir('tpv-time-clock-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('time clock at the till', () => {
  let t: TestDb;
  let s: RunningTerminal;
  let now = Date.UTC(2026, 11, 1, 8, 0);
  beforeAll(async () => {
    t = await freshTerminalDb(dir);
    s = await startTerminal(t.ds, t.file, { clock: { now: () => now } });
  });
  afterAll(async () => {
    await s.close();
    await t.ds.destroy();
  });
  const counts = () => [t.db.prepare(`SELECT COUNT(*) AS n FROM time_clock_event`).get(), t.db.prepare(`SELECT COUNT(*) AS n FROM document_outbox WHERE kind = 'people.clock'`).get()];
  const clock = (event: string, pin: string = STAFF.cashier.pin) => s.call('POST', '/api/time-clock', { pin, event }, null);

  it('records clock events with the PIN (no session) as one outbox document each; broken rules write nothing', async () => {
    const before = counts();
    for (const [event, code] of [['clock_out', 'NOT_CLOCKED_IN'], ['break_start', 'NOT_CLOCKED_IN'], ['break_end', 'NOT_CLOCKED_IN']] as const) {
      const r = await clock(event);
      expect(r.status).toBe(422);
      expect(r.body).toMatchObject({ code, detail: expect.stringContaining(' · ') });
    }
    expect((await clock('clock_in', '0000')).status).toBe(401);
    expect((await s.call('POST', '/api/time-clock', { pin: STAFF.cashier.pin, event: 'lunch' }, null)).status).toBe(400);
    expect(counts()).toEqual(before);

    const r = await clock('clock_in');
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ event: 'clock_in', state: 'in', staff: { id: STAFF.cashier.id }, message: expect.stringContaining('Entrada registrada · Clocked in'), document: { status: 'pending' } });
    const doc = t.db.prepare(`SELECT id, payload FROM document_outbox WHERE kind = 'people.clock'`).get() as any;
    expect(doc.id).toBe(r.body.id);
    expect(JSON.parse(doc.payload)).toEqual({ staffId: STAFF.cashier.id, event: 'clock_in', at: '2026-12-01T08:00:00.000Z' });

    now += 60_000;
    const twice = await clock('clock_in');
    expect(twice.status).toBe(422);
    expect(twice.body.detail).toBe('Ya has fichado la entrada · You have already clocked in');
    // Another worker is on their own.
    expect((await clock('clock_in', STAFF.supervisor.pin)).status).toBe(201);
    now += 3 * 3_600_000;
    expect((await clock('break_start')).body.state).toBe('on_break');
    expect((await clock('break_end')).body.state).toBe('in');
    now += 9 * 3_600_000; // 12 h 1 min after the clock-in
    const late = await clock('clock_out');
    expect(late.status).toBe(422);
    expect(late.body.code).toBe('SHIFT_TOO_LONG');
    expect(counts()).toEqual([{ n: 4 }, { n: 4 }]);
  });

  it('keeps the events for good: no change, no deletion', () => {
    expect(() => t.db.prepare(`UPDATE time_clock_event SET at = 'x'`).run()).toThrow(/never changed/);
    expect(() => t.db.prepare(`DELETE FROM time_clock_event`).run()).toThrow(/never deleted/);
  });
});
