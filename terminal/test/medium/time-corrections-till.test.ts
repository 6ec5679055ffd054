/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies of HTTP answers */
/**
 * Corrections at the till (issue 16): after her PIN, the worker sees the corrections of her record waiting for
 * her (asked of HQ online) and approves or rejects one; the till names her to HQ by the staff id of the PIN it
 * verified, never by anything the screen sends. A wrong PIN asks HQ nothing; HQ's refusal is shown with its
 * message; offline the till says it needs the connection, and nothing is written at the till either way.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TillRequester } from '@tpv/shared/wire/till-request';
import { freshTerminalDb, STAFF, tempDir, type TestDb } from './support/fixture';
import { startTerminal, type RunningTerminal } from './support/server';

const dir = tempDir('tpv-time-corrections-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CORRECTION = '00000000-0000-7000-8010-000000000001';
const OTHERS = '00000000-0000-7000-8010-000000000002';

describe('corrections at the till', () => {
  let t: TestDb;
  let s: RunningTerminal;
  let hq: 'online' | 'offline' = 'online';
  const asked: Array<{ kind: string; payload: any }> = [];
  /** HQ as a fake: one correction waits for the cashier; the answers go through the till's own reply schemas. */
  let decided: string | null = null;
  const hqRequest: TillRequester = async (kind, payload: any, schema) => {
    asked.push({ kind, payload });
    if (hq === 'offline') return null;
    if (payload.staffId !== STAFF.cashier.id) return { refused: { code: 'NOT_THIS_STORE', message: 'No es personal de esta tienda · Not staff of this store' } };
    if (kind === 'people.corrections-pending') {
      return { reply: schema.parse({
        employee: { code: 'E-LUC', name: STAFF.cashier.name }, timeZone: 'Europe/Madrid',
        corrections: decided ? [] : [{ id: CORRECTION, original: { event: 'clock_in', at: '2026-12-01T08:00:00.000Z' }, proposed: { event: 'clock_out', at: '2026-12-01T12:00:00.000Z' }, reason: 'Olvidó fichar la salida', proposedBy: 'm001@test.demo', proposedAt: '2026-12-02T09:00:00.000Z' }],
      }) };
    }
    if (payload.correctionId !== CORRECTION) return { refused: { code: 'CORRECTION_UNKNOWN', message: 'No es una corrección pendiente de su registro · Not a correction of your record waiting for you' } };
    if (decided) return { refused: { code: 'ALREADY_APPROVED', message: 'Ya decidida · Already decided' } };
    decided = payload.decision;
    return { reply: schema.parse({ correctionId: CORRECTION, decision: payload.decision, effective: payload.decision === 'approve', seq: 7 }) };
  };
  const tillRows = () => ['time_clock_event', 'document_outbox', 'audit_log'].map((x) => (t.db.prepare(`SELECT COUNT(*) AS n FROM ${x}`).get() as { n: number }).n);

  beforeAll(async () => {
    t = await freshTerminalDb(dir);
    s = await startTerminal(t.ds, t.file, { hqRequest });
  });
  afterAll(async () => {
    await s.close();
    await t.ds.destroy();
  });

  it('lists the corrections waiting for the worker behind the PIN; a wrong PIN asks HQ nothing', async () => {
    const before = tillRows();
    expect((await s.call('POST', '/api/time-clock/corrections', { pin: '0000' }, null)).status).toBe(401);
    expect(asked).toEqual([]);
    const r = await s.call('POST', '/api/time-clock/corrections', { pin: STAFF.cashier.pin }, null);
    expect(r.status).toBe(200);
    expect(asked).toEqual([{ kind: 'people.corrections-pending', payload: { staffId: STAFF.cashier.id } }]);
    expect(r.body).toMatchObject({ staff: { id: STAFF.cashier.id, name: STAFF.cashier.name }, corrections: [{ id: CORRECTION, reason: 'Olvidó fichar la salida', proposedBy: 'm001@test.demo', proposed: { event: 'clock_out' } }] });
    // Another worker's PIN: HQ refuses (not staff of this store) and the till shows HQ's message.
    const other = await s.call('POST', '/api/time-clock/corrections', { pin: STAFF.supervisor.pin }, null);
    expect(other.status).toBe(403);
    expect(other.body).toMatchObject({ code: 'NOT_THIS_STORE', detail: 'No es personal de esta tienda · Not staff of this store' });
    expect(tillRows()).toEqual(before);
  });

  it('offline: says it needs the connection, nothing written, the correction still waits', async () => {
    hq = 'offline';
    const before = tillRows();
    for (const [path, body] of [['/api/time-clock/corrections', { pin: STAFF.cashier.pin }], [`/api/time-clock/corrections/${CORRECTION}/decision`, { pin: STAFF.cashier.pin, decision: 'approve' }]] as const) {
      const r = await s.call('POST', path, body, null);
      expect(r.status).toBe(503);
      expect(r.body).toMatchObject({ code: 'HQ_UNAVAILABLE', detail: expect.stringContaining('Offline: corrections can only be approved online. Nothing is lost') });
    }
    expect(tillRows()).toEqual(before);
    expect(decided).toBeNull();
    hq = 'online';
  });

  it('approves one: HQ gets the PIN’s staff id and the decision; a second time and someone else’s are refused', async () => {
    asked.length = 0;
    const bad = await s.call('POST', `/api/time-clock/corrections/${CORRECTION}/decision`, { pin: STAFF.cashier.pin, decision: 'maybe' }, null);
    expect(bad.status).toBe(400);
    expect(asked).toEqual([]);
    const r = await s.call('POST', `/api/time-clock/corrections/${CORRECTION}/decision`, { pin: STAFF.cashier.pin, decision: 'approve' }, null);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ correctionId: CORRECTION, decision: 'approve', effective: true, seq: 7, message: 'Corrección aprobada: ya cuenta en su registro · Correction approved: it now counts in your record' });
    expect(asked).toEqual([{ kind: 'people.correction-decide', payload: { staffId: STAFF.cashier.id, correctionId: CORRECTION, decision: 'approve' } }]);
    const again = await s.call('POST', `/api/time-clock/corrections/${CORRECTION}/decision`, { pin: STAFF.cashier.pin, decision: 'reject' }, null);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ALREADY_APPROVED');
    const notMine = await s.call('POST', `/api/time-clock/corrections/${OTHERS}/decision`, { pin: STAFF.cashier.pin, decision: 'approve' }, null);
    expect(notMine.status).toBe(404);
    expect(notMine.body.code).toBe('CORRECTION_UNKNOWN');
    expect((await s.call('POST', '/api/time-clock/corrections', { pin: STAFF.cashier.pin }, null)).body.corrections).toEqual([]);
  });
});
