/**
 * The working-time record's pure rules (shared/src/people): which clock event may follow which, the 12-hour
 * ceiling, shifts and unpaid breaks, the weekly prorated overtime rule at the month's edges and when a
 * contract starts mid-month, and the chain's hash input and verification. Values worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import { buildShifts, monthTotals, refuseClockEvent, type ClockEvent, type TimedEvent } from '../../src/people/time-clock';
import { timeRecordHash, timeRecordHashInput, verifyChain, type TimeRecordHashFields } from '../../src/people/time-chain';

const H = 3_600_000;
const t0 = Date.UTC(2026, 1, 2, 8, 0); // Mon 2 Feb 2026 09:00 Madrid (UTC+1)
const ev = (event: ClockEvent, hours: number): TimedEvent => ({ event, at: t0 + hours * H });

describe('clock rules', () => {
  it.each([
    // [events so far, next, refusal]
    [[], ev('clock_in', 0), null],
    [[], ev('clock_out', 1), 'NOT_CLOCKED_IN'],
    [[], ev('break_start', 1), 'NOT_CLOCKED_IN'],
    [[ev('clock_in', 0)], ev('clock_in', 1), 'ALREADY_CLOCKED_IN'],
    [[ev('clock_in', 0)], ev('break_end', 1), 'NOT_ON_BREAK'],
    [[ev('clock_in', 0), ev('break_start', 1)], ev('break_start', 2), 'ALREADY_ON_BREAK'],
    [[ev('clock_in', 0), ev('break_start', 1)], ev('clock_out', 2), null],
    [[ev('clock_in', 0)], ev('clock_out', 12), null],
    // 12 h and a minute after the clock-in: over the ceiling.
    [[ev('clock_in', 0)], ev('clock_out', 12 + 1 / 60), 'SHIFT_TOO_LONG'],
    // A forgotten shift does not lock the worker out: after 12 h a new clock-in is taken.
    [[ev('clock_in', 0)], ev('clock_in', 13), null],
    [[ev('clock_in', 5)], ev('clock_out', 4), 'OUT_OF_ORDER'],
  ] as Array<[TimedEvent[], TimedEvent, string | null]>)('%#: %j then %j → %s', (events, next, refusal) => {
    expect(refuseClockEvent(events, next)).toBe(refusal);
  });
});

describe('shifts', () => {
  it('worked = out − in − breaks; a break open at clock-out ends there; an open shift counts 0 and is flagged', () => {
    const shifts = buildShifts([ev('clock_in', 0), ev('break_start', 2), ev('break_end', 2.5), ev('clock_out', 8), ev('clock_in', 24), ev('break_start', 27), ev('clock_out', 28), ev('clock_in', 48)], t0 + 61 * H);
    // 8 h − 0:30 = 450 min; 4 h with a break from the 3rd hour to the end: 3 h = 180 min, break 60.
    expect(shifts.map((s) => [s.workedMinutes, s.breakMinutes, s.flags])).toEqual([[450, 30, []], [180, 60, []], [0, 0, ['over_12h_without_clock_out']]]);
    expect(buildShifts([ev('clock_in', 0)], t0 + 2 * H)[0]!.flags).toEqual(['open']);
  });
});

describe('monthly totals', () => {
  // February 2026 (28 days): Sun 1 alone in the week of Mon 26 Jan; weeks of 2, 9 and 16 Feb whole; Mon 23 – Sat 28 six days.
  const day = (d: number, from: number, to: number) => [
    { event: 'clock_in' as const, at: Date.UTC(2026, 1, d, from - 1) },
    { event: 'clock_out' as const, at: Date.UTC(2026, 1, d, to - 1) },
  ];
  it('prorates the weekly hours by the days of each week in the month and in the contract', () => {
    // Contract of 35 h (2100 min) from Wed 11 Feb: 2100/7 = 300 a day.
    //   week of 26 Jan (Sun 1): no contract → allowance 0; worked 4 h = 240 → all overtime.
    //   week of 2 Feb: no contract → 0; worked 0.
    //   week of 9 Feb: Wed 11 – Sun 15 = 5 days → 1500; worked 10 h Wed + 10 h Thu + 9 h Fri = 1740 → overtime 240.
    //   week of 16 Feb: 2100; week of 23 Feb (6 days): 1800; worked 0.
    // Month: worked 240 + 1740 = 1980; overtime 240 + 240 = 480; ordinary 1500.
    const events = [...day(1, 10, 14), ...day(11, 8, 18), ...day(12, 8, 18), ...day(13, 8, 17)];
    const r = monthTotals('2026-02', buildShifts(events, Date.UTC(2026, 2, 1)), [{ weeklyMinutes: 2100, startsOn: '2026-02-11', endsOn: null }], 'Europe/Madrid');
    expect(r.weeks.map((w) => [w.weekOf, w.days, w.ordinaryAllowanceMinutes, w.workedMinutes, w.overtimeMinutes])).toEqual([
      ['2026-01-26', 1, 0, 240, 240], ['2026-02-02', 7, 0, 0, 0], ['2026-02-09', 7, 1500, 1740, 240], ['2026-02-16', 7, 2100, 0, 0], ['2026-02-23', 6, 1800, 0, 0],
    ]);
    expect([r.workedMinutes, r.ordinaryMinutes, r.overtimeMinutes]).toEqual([1980, 1500, 480]);
  });
  it('counts a shift that crosses midnight on the day of its clock-in (Madrid time)', () => {
    // Fri 27 Feb 22:00 → Sat 28 Feb 02:00 Madrid = 240 min on the 27th.
    const events = [{ event: 'clock_in' as const, at: Date.UTC(2026, 1, 27, 21) }, { event: 'clock_out' as const, at: Date.UTC(2026, 1, 28, 1) }];
    const r = monthTotals('2026-02', buildShifts(events, Date.UTC(2026, 2, 1)), [{ weeklyMinutes: 2400, startsOn: '2026-01-01', endsOn: null }], 'Europe/Madrid');
    expect(r.days.filter((d) => d.workedMinutes > 0)).toEqual([{ date: '2026-02-27', workedMinutes: 240, breakMinutes: 0, shifts: 1 }]);
  });
});

describe('the chain', () => {
  const fields = (n: number, prev: string): TimeRecordHashFields => ({
    Cadena: 'S1', Orden: String(n), Id: `r${n}`, Empresa: 'C', Empleado: 'E', Tipo: 'clock_in', Evento: '', Momento: '2026-02-02T08:00:00.000Z', Corrige: '', Parte: '', Motivo: ' ',
    Origen: 'till', Terminal: 'T', Registrado: '2026-02-02T08:00:01.000Z', HuellaAnterior: prev,
  });
  it('hashes name=value pairs in a fixed order, values trimmed, and verifies links and hashes', () => {
    expect(timeRecordHashInput(fields(1, ''))).toBe(
      'Cadena=S1&Orden=1&Id=r1&Empresa=C&Empleado=E&Tipo=clock_in&Evento=&Momento=2026-02-02T08:00:00.000Z&Corrige=&Parte=&Motivo=&Origen=till&Terminal=T&Registrado=2026-02-02T08:00:01.000Z&HuellaAnterior=',
    );
    const h1 = timeRecordHash(fields(1, ''));
    expect(h1).toMatch(/^[0-9A-F]{64}$/);
    const h2 = timeRecordHash(fields(2, h1));
    const chain = [{ seq: 1, prevHash: '', hash: h1, fields: fields(1, '') }, { seq: 2, prevHash: h1, hash: h2, fields: fields(2, h1) }];
    expect(verifyChain(chain, { seq: 0, hash: '' })).toEqual({ ok: true, records: 2, broken: null });
    expect(verifyChain([chain[0]!, { ...chain[1]!, fields: { ...chain[1]!.fields, Momento: '2026-02-02T07:00:00.000Z' } }], { seq: 0, hash: '' }).broken).toEqual({ seq: 2, reason: 'hash' });
    expect(verifyChain([chain[1]!], { seq: 0, hash: '' }).broken).toEqual({ seq: 2, reason: 'gap' });
    expect(verifyChain([chain[1]!], { seq: 1, hash: 'X' }).broken).toEqual({ seq: 2, reason: 'link' });
  });
});
