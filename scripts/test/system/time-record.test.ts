/**
 * The working-time record end to end (issue 16, "must be true" 1): the real back-office process (SQLite,
 * loopback) and a till paired by code and synced by its SyncClient. The franchisee's HR hires a cashier
 * with a PIN (the feed carries them to the till); HQ goes down; the cashier clocks in at the till with the
 * PIN — clocking in twice is refused there, nothing queued; HQ comes back and the clock-in reaches it
 * exactly once (a resend on the till's token gets the same answer, still one record); the store's chain
 * verifies. The manager corrects the clock-in time; the worker approves on the self-service page with the
 * PIN; the month shows the original kept and both approvals, and the PDF says so (pdftotext). A row edited
 * in HQ's database breaks the chain's verification.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { io } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '@tpv/runtime/testing/ports';
import { createUuidV7 } from '@tpv/shared/ids';
import { localDate } from '@tpv/shared/people/time-clock';
import type { UpwardAck, UpwardDocument } from '@tpv/shared/wire/upward';
import { DEFAULT_POLICY } from '@tpv/terminal/app/policy';
import { createPinVerifier } from '@tpv/terminal/people/pins';
import { createTillTimeClock } from '@tpv/terminal/people/time-clock';
import { readCredentials } from '@tpv/terminal/sync/state';
import { until } from '@tpv/terminal/test/support/tickets';
import { buildDemoFranchise } from '../../src/seed/demo-franchise';
import { seedDemoDatabases } from '../../src/seed/write';
import { backofficeFolder, pairingCodeFromHq, pairingTerminal } from './support/paired-terminal';

const folder = backofficeFolder('tpv-time-record-');
afterAll(() => folder.cleanup());

interface OutboxRow { id: string; kind: string; status: string; reference: string | null; message: string | null; payload: string; created_at: string }

describe('working-time record ↔ real back office', () => {
  it('an offline clock-in reaches HQ exactly once; the chain verifies and a tampered row breaks it; a correction keeps the original and shows both approvals', async () => {
    const franchise = buildDemoFranchise();
    const boFile = path.join(folder.dataDir, 'backoffice.sqlite');
    await seedDemoDatabases({ franchise, backoffice: { file: boFile }, terminals: [] });
    const port = await freePort();
    // A shared, busy machine can take long to start the back office under tsx.
    const HEALTH_MS = 180_000;
    let bo = await folder.start(port, HEALTH_MS);
    const url = `http://127.0.0.1:${port}`;
    const terminal = franchise.terminals[0]!;
    const store = franchise.stores.find((s) => s.id === terminal.storeId)!;
    const company = franchise.companies.find((c) => c.id === store.companyId)!;
    const manager = franchise.users.find((u) => u.role === 'franchisee_manager' && u.companyId === store.companyId)!;
    const call = async (method: string, p: string, token: string | null, body?: unknown) => {
      const res = await fetch(url + p, { method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      return { status: res.status, body: /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : text };
    };
    const signIn = async () => (await call('POST', '/api/auth/login', null, { email: manager.email, password: manager.password })).body.token as string;

    const { ds, db, client, logs } = await pairingTerminal(path.join(folder.dataDir, 'terminal.sqlite'), url, await pairingCodeFromHq(url, franchise, terminal.id), 5000);
    const clock = { now: () => Date.now() };
    const timeClock = createTillTimeClock({ db, clock, newId: createUuidV7(clock, (n) => crypto.getRandomValues(new Uint8Array(n))), queued: () => client.notify() });
    const pins = createPinVerifier(db, DEFAULT_POLICY);
    try {
      await client.start();
      await until(() => client.status().online && !client.status().catalog.loading && client.status().catalog.version > 0, 60_000, `catalogue (${logs.slice(-3).join(' | ')})`);

      // HR (the franchisee) hires a cashier for this store: one record, which the feed brings to the till with the PIN.
      const PIN = '97531';
      const hired = await call('POST', '/api/people/employees', await signIn(), {
        companyId: company.id, storeId: store.id, code: 'E-SYS', name: 'Sara Sistema', tillRole: 'cashier', pin: PIN, hiredOn: '2026-01-01',
        contract: { type: 'indefinido', weeklyHours: 30, startsOn: '2026-01-01' },
      });
      expect(hired.status, JSON.stringify(hired.body)).toBe(201);
      const employeeId = hired.body.id as string;
      client.notify();
      await until(() => db.prepare<[string], { id: string }>('SELECT id FROM staff WHERE id = ? AND active = 1').get(employeeId) !== undefined, 60_000, 'the hired cashier at the till');

      // HQ goes down; the cashier clocks in at the till with the PIN.
      bo.process.kill('SIGKILL');
      await until(() => !client.status().online, 10_000, 'offline');
      const staff = await pins.verify(PIN);
      expect(staff).toMatchObject({ ok: true, value: { id: employeeId } });
      const clockIn = timeClock.record((staff as { value: { id: string; name: string; role: 'cashier' } }).value, 'clock_in');
      expect(clockIn.ok).toBe(true);
      const clockInId = (clockIn as { value: { id: string } }).value.id;
      const twice = timeClock.record((staff as { value: { id: string; name: string; role: 'cashier' } }).value, 'clock_in');
      expect(twice).toMatchObject({ ok: false, error: { code: 'ALREADY_CLOCKED_IN', message: expect.stringContaining('Ya has fichado la entrada') } });
      const rows = db.prepare<[], OutboxRow>(`SELECT * FROM document_outbox WHERE kind = 'people.clock' ORDER BY created_at, id`);
      expect(rows.all().map((r) => r.status)).toEqual(['pending']);

      bo = await folder.start(port, HEALTH_MS);
      await until(() => rows.all()[0]!.status !== 'pending', 60_000, `the clock-in answered (${logs.slice(-5).join(' | ')})`);
      expect(rows.all()[0]).toMatchObject({ id: clockInId, status: 'applied', reference: expect.stringContaining('registrado') });
      const hq = new Database(boFile);
      const records = () => hq.prepare<[string], { id: string; kind: string; source: string; terminal_id: string }>(`SELECT id, kind, source, terminal_id FROM time_record WHERE employee_id = ? AND kind = 'clock_in'`).all(employeeId);
      expect(records()).toHaveLength(1);
      // HQ's record keeps the till's id for the event.
      expect(records()[0]).toMatchObject({ id: clockInId, kind: 'clock_in', source: 'till', terminal_id: terminal.id });

      // The same document again on the till's own token: the same answer, still one record.
      const creds = readCredentials(db)!;
      const socket = io(`${url}/terminal`, { auth: { terminalId: creds.terminalId, token: creds.token, lastAckedSeq: 0, catalogVersion: 0, lastSeq: 0 }, transports: ['websocket'], reconnection: false, forceNew: true });
      try {
        await new Promise((resolve, reject) => (socket.once('hello:ack', resolve), socket.once('connect_error', reject)));
        const r = rows.all()[0]!;
        const doc: UpwardDocument = { id: r.id, kind: 'people.clock', createdAt: r.created_at, payload: JSON.parse(r.payload) as unknown };
        const ack = (await socket.timeout(10_000).emitWithAck('documents', { terminalId: creds.terminalId, documents: [doc] })) as UpwardAck;
        expect(ack.results).toEqual([expect.objectContaining({ id: r.id, status: 'applied', reference: r.reference })]);
      } finally {
        socket.close();
      }
      expect(records()).toHaveLength(1);

      // The store's chain verifies.
      const token = await signIn();
      expect((await call('GET', `/api/people/time-chains/verify?chain=${store.id}`, token)).body).toMatchObject({ ok: true, broken: null });

      // The manager corrects the clock-in to five minutes earlier; the worker approves on the self-service page with the PIN.
      const month = localDate(Date.now(), 'Europe/Madrid').slice(0, 7);
      const corrected = new Date(Date.parse(JSON.parse(rows.all()[0]!.payload).at as string) - 5 * 60_000).toISOString();
      const corr = await call('POST', `/api/people/employees/${employeeId}/corrections`, token, { correctsId: clockInId, event: 'clock_in', at: corrected, reason: 'Llegó antes; la caja estaba apagada' });
      expect(corr.status, JSON.stringify(corr.body)).toBe(201);
      const self = await call('POST', '/api/people/self-service/login', null, { companyNif: company.nif, code: 'E-SYS', secret: PIN });
      expect(self.status).toBe(200);
      const approved = await call('POST', `/api/people/self-service/corrections/${corr.body.id}/approve`, self.body.token);
      expect(approved.body).toMatchObject({ effective: true, company: { party: 'company', recordedBy: `user ${manager.email}` }, worker: { party: 'worker', source: 'self_service' } });
      const view = (await call('GET', `/api/people/self-service/month?month=${month}`, self.body.token)).body;
      expect(view.records.find((r: { id: string }) => r.id === clockInId)).toMatchObject({ kind: 'clock_in', source: 'till' });
      expect(view.corrections).toEqual([expect.objectContaining({ effective: true, correction: expect.objectContaining({ correctsId: clockInId, at: corrected }) })]);
      expect(view.shifts.at(-1)).toMatchObject({ start: Date.parse(corrected), end: null });

      // The monthly PDF, as text.
      const pdf = await fetch(`${url}/api/people/self-service/month.pdf?month=${month}`, { headers: { authorization: `Bearer ${self.body.token}` } });
      expect(pdf.headers.get('content-type')).toBe('application/pdf');
      const file = path.join(folder.dataDir, 'month.pdf');
      writeFileSync(file, Buffer.from(await pdf.arrayBuffer()));
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      for (const s of ['Registro de jornada', 'Sara Sistema (E-SYS)', company.legalName, 'Original: entrada', 'EN VIGOR · IN EFFECT', `user ${manager.email}`]) expect(text).toContain(s);

      // Someone edits the till's clock-in in HQ's database: the chain no longer verifies, at that record.
      const seq = hq.prepare<[string], { seq: number }>('SELECT seq FROM time_record WHERE id = ?').get(clockInId)!.seq;
      hq.prepare<[string, string]>('UPDATE time_record SET at = ? WHERE id = ?').run(corrected, clockInId);
      hq.close();
      expect((await call('GET', `/api/people/time-chains/verify?chain=${store.id}`, token)).body).toMatchObject({ ok: false, broken: { seq, reason: 'hash' } });
    } finally {
      await client.stop();
      await ds.destroy();
    }
  }, 600_000);
});
