/**
 * The live dashboard and scheduled report views over HTTP and socket.io on both engines (issue 18).
 *
 * Dashboard: each user's socket gets a snapshot of exactly the stores in their scope; a till's sale moves
 * the figures of its store for HQ, its franchisee and its store manager within a second of the ack, and
 * another franchisee receives nothing of it; pushes are coalesced (a burst of batches → a few updates);
 * last year's same weekday comes from sales_day 364 days before. Views: saved per user, HQ shares with a
 * company, refusals are problem+json that write nothing; a daily schedule due at 07:00 Madrid runs once a
 * day, never twice — a second tick, a second node (a "restart" over the same database) and a late tick all
 * find it claimed; its job files the rendered report in the inbox, read marks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import { DASHBOARD_EVENTS, type DashboardSnapshot, type StoreFigures } from '@tpv/shared/wire/http/dashboard';
import { connectTerminal, engines, F, factoryFor, startHarness, type Harness, type TerminalClient } from '../support/harness';
import { all, exec } from '../../src/persistence/sql';
import { createViewService, type ReportRenderer } from '../../src/dashboard/views';
import { periodOf, reportServiceRenderer } from '../../src/dashboard/report-renderer';
import ExcelJS from 'exceljs';

const [p1, p2] = F.products;

interface DashClient {
  socket: Socket;
  snapshot: DashboardSnapshot;
  updates: Array<{ at: number; body: DashboardSnapshot }>;
}

async function dashboard(url: string, token: string): Promise<DashClient> {
  const socket = connect(`${url}/dashboard`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  const updates: DashClient['updates'] = [];
  socket.on(DASHBOARD_EVENTS.update, (body: DashboardSnapshot) => updates.push({ at: Date.now(), body }));
  const snapshot = await new Promise<DashboardSnapshot>((resolve, reject) => {
    socket.once(DASHBOARD_EVENTS.snapshot, resolve);
    socket.once('connect_error', reject);
  });
  return { socket, snapshot, updates };
}

const storeIn = (u: DashboardSnapshot, id: string) => u.stores.find((s) => s.storeId === id);
async function until<T>(what: () => T | undefined, ms = 2000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = what();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.each(engines)('live dashboard and report views on $name', (engine) => {
  // 2026-11-23 is a Monday; 364 days before, 2025-11-24, a Monday too. 10:00 in Madrid (CET).
  let now = Date.UTC(2026, 10, 23, 9, 0, 0);
  const clock = { now: () => now };
  const renders: Array<{ user: string; key: string; format: string; filters: Record<string, string> }> = [];
  const renderer: ReportRenderer = {
    async render(user, key, filters, format) {
      renders.push({ user: user.email, key, format, filters });
      return { bytes: Buffer.from(`${format}:${key}:${user.email}`), name: `${key}.${format}`, title: `Informe ${key}` };
    },
  };
  let h: Harness & { teardown: () => Promise<void> };
  let hq = '';
  let ruiz = '';
  let levante = '';
  let m1 = '';
  let t1: TerminalClient;
  let t3: TerminalClient;
  const clients: DashClient[] = [];
  let factoryMs = now;
  const tillClock = { now: () => (factoryMs += 1000) };

  beforeAll(async () => {
    // No fold at start: last year's figures are written straight into the hour rollup below.
    h = await startHarness(engine, clock, { reportRenderer: renderer, reportScheduleEveryMs: 0, reportFoldEveryMs: 0 });
    [hq, ruiz, levante, m1] = await Promise.all([h.login(F.hq), h.login(F.managerRuiz), h.login(F.managerLevante), h.login(F.managerM1)]);
    // Last year's same weekday at Madrid 1, in the reports' hourly rollup: at 10 h 3 sales (36.30 €, 7 units),
    // at 18 h 1 sale (12.10 €, 3 units) and 1 return (−1.21 €, −1 unit).
    const hour = `INSERT INTO report_ticket_hour (store_id, business_date, hour, tickets, returns_tickets, units, gross_cents, net_cents, discount_cents, returns_cents) VALUES (?, '2025-11-24', ?, ?, ?, ?, ?, 0, 0, 0)`;
    await exec(h.ds.manager, hour, [F.storeM1.id, 10, 3, 0, 7, 3630]);
    await exec(h.ds.manager, hour, [F.storeM1.id, 18, 1, 1, 2, 1210 - 121]);
    t1 = await connectTerminal(h.url, F.t1.id, await h.pair(F.t1.id));
    t3 = await connectTerminal(h.url, F.t3.id, await h.pair(F.t3.id));
  });
  afterAll(async () => {
    for (const c of clients) c.socket.close();
    t1?.close();
    t3?.close();
    await h?.teardown();
  });

  it('a socket without a valid session is refused', async () => {
    const socket = connect(`${h.url}/dashboard`, { auth: { token: 'x'.repeat(40) }, transports: ['websocket'], reconnection: false, forceNew: true });
    const message = await new Promise<string>((resolve) => socket.once('connect_error', (e) => resolve(e.message)));
    socket.close();
    expect(message).toBe('unauthorized');
  });

  it('each user’s snapshot holds exactly the stores of their scope, with last year’s same weekday', async () => {
    const [cHq, cRuiz, cLevante, cM1] = await Promise.all([dashboard(h.url, hq), dashboard(h.url, ruiz), dashboard(h.url, levante), dashboard(h.url, m1)]);
    clients.push(cHq!, cRuiz!, cLevante!, cM1!);
    const codes = (c: DashClient) => c.snapshot.stores.map((s) => s.storeCode).sort();
    expect(codes(cHq!)).toEqual(['M001', 'M002', 'V001']);
    expect(codes(cRuiz!)).toEqual(['M001', 'M002']);
    expect(codes(cLevante!)).toEqual(['V001']);
    expect(codes(cM1!)).toEqual(['M001']);
    const m = storeIn(cHq!.snapshot, F.storeM1.id)!;
    expect(m.businessDate).toBe('2026-11-23');
    expect(m.today).toEqual({ salesCents: 0, tickets: 0, returns: 0, units: 0 });
    // 3630 + 1210 − 121 = 4719 cents with IVA; 3 + 1 = 4 sale tickets, 1 return; 7 + 3 − 1 = 9 units.
    expect(m.lastYear).toEqual({ salesCents: 4719, tickets: 4, returns: 1, units: 9 });
    expect(storeIn(cHq!.snapshot, F.storeV1.id)!.lastYear).toBeNull();
    // The same over HTTP, scoped the same way.
    const r = await h.api('GET', '/api/dashboard', { token: levante });
    expect(r.status).toBe(200);
    expect((r.body as DashboardSnapshot).stores.map((s) => s.storeCode)).toEqual(['V001']);
  });

  it('a sale at Madrid 1 moves its figures for HQ, Ruiz and the store within a second of the ack; Levante receives nothing', async () => {
    const [cHq, cRuiz, cLevante, cM1] = clients as [DashClient, DashClient, DashClient, DashClient];
    const f = factoryFor(F.t1, F.storeM1, F.ruiz.nif, 1, tillClock);
    // 2 × Producto 1 (0.95 €) + 1 × Producto 2 (1.32 €) = 3.22 € with IVA, 3 units.
    const sale = f.sale({ lines: [{ product: p1!, units: 2 }, { product: p2!, units: 1 }], payment: 'cash' });
    expect(sale.totals.total).toBe(322);
    const ack = await t1.send([sale]);
    expect(ack.ackedSeq).toBe(1);
    const acked = Date.now();
    const seen = (c: DashClient) => until(() => c.updates.map((u) => ({ at: u.at, s: storeIn(u.body, F.storeM1.id) })).find((u) => u.s?.today.tickets === 1));
    const [a, b, c] = await Promise.all([seen(cHq), seen(cRuiz), seen(cM1)]);
    for (const u of [a, b, c]) {
      expect(u.s!.today).toEqual({ salesCents: 322, tickets: 1, returns: 0, units: 3 });
      expect(u.at - acked).toBeLessThan(1000);
    }
    await h.server.dashboard!.flush();
    expect(cLevante.updates).toEqual([]);
  });

  it('a sale at València 1 reaches HQ and Levante; no update of Ruiz or the Madrid store ever names it', async () => {
    const [cHq, cRuiz, cLevante, cM1] = clients as [DashClient, DashClient, DashClient, DashClient];
    const f = factoryFor(F.t3, F.storeV1, F.levante.nif, 3, tillClock);
    await t3.send([f.sale({ lines: [{ product: p1!, units: 1 }], payment: 'card' })]);
    const got = await until(() => cLevante.updates.map((u) => storeIn(u.body, F.storeV1.id)).find((s) => s?.today.tickets === 1));
    expect(got.today).toEqual({ salesCents: 95, tickets: 1, returns: 0, units: 1 });
    await until(() => cHq.updates.map((u) => storeIn(u.body, F.storeV1.id)).find((s) => s?.today.tickets === 1));
    await h.server.dashboard!.flush();
    const named = (c: DashClient) => new Set(c.updates.flatMap((u) => u.body.stores.map((s: StoreFigures) => s.storeCode)));
    expect([...named(cRuiz)]).toEqual(['M001']);
    expect([...named(cM1)]).toEqual(['M001']);
    expect([...named(cLevante)]).toEqual(['V001']);
  });

  it('a burst of 30 batches is coalesced into a few pushes whose last one holds every ticket', async () => {
    const [cHq] = clients as [DashClient];
    const before = cHq.updates.length;
    const f = factoryFor(F.t1, F.storeM1, F.ruiz.nif, 1, tillClock);
    f.sale({ lines: [{ product: p1!, units: 2 }, { product: p2!, units: 1 }], payment: 'cash' }); // seq 1, already sent
    const started = Date.now();
    for (let i = 0; i < 30; i++) await t1.send([f.sale({ lines: [{ product: p1!, units: 1 }], payment: 'cash' })]);
    const last = await until(() => cHq.updates.map((u) => storeIn(u.body, F.storeM1.id)).find((s) => s?.today.tickets === 31));
    // 322 + 30 × 95 = 3172 cents; 3 + 30 = 33 units.
    expect(last.today).toEqual({ salesCents: 3172, tickets: 31, returns: 0, units: 33 });
    const pushes = cHq.updates.length - before;
    // At most one push per 250 ms while the burst lasted, plus the one after it.
    expect(pushes).toBeLessThanOrEqual(Math.ceil((Date.now() - started) / 250) + 1);
    expect(pushes).toBeLessThan(30);
  });

  it('views: saved per user, shared by HQ with a company; bad input and a non-HQ share are refused and write nothing', async () => {
    const count = async () => Number((await all<{ n: unknown }>(h.ds.manager, `SELECT COUNT(*) AS n FROM report_view`))[0]!.n);
    const mine = await h.api('POST', '/api/report-views', { token: ruiz, body: { name: 'Ventas del mes', reportKey: 'sales-by-period', filters: { from: '2026-11-01', to: '2026-11-30' } } });
    expect(mine.status, JSON.stringify(mine.body)).toBe(201);
    expect(mine.body).toMatchObject({ name: 'Ventas del mes', mine: true, companyId: null, schedules: [] });
    const shared = await h.api('POST', '/api/report-views', { token: hq, body: { name: 'ABC Ruiz', reportKey: 'abc', filters: { company: F.ruiz.id }, companyId: F.ruiz.id } });
    expect(shared.status, JSON.stringify(shared.body)).toBe(201);
    const n = await count();
    const bad: Array<[string, object, number, string]> = [
      [ruiz, { name: 'Ventas del mes', reportKey: 'sales-by-period', filters: {} }, 409, 'name'],
      [ruiz, { name: 'Compartida', reportKey: 'abc', filters: {}, companyId: F.ruiz.id }, 422, 'companyId'],
      [ruiz, { name: '', reportKey: 'abc', filters: {} }, 400, 'name'],
      [ruiz, { name: 'X', reportKey: 'ABC DROP', filters: {} }, 400, 'reportKey'],
      [ruiz, { name: 'X', reportKey: 'sales-by-moon', filters: {} }, 422, 'reportKey'],
    ];
    for (const [token, body, status, field] of bad) {
      const r = await h.api('POST', '/api/report-views', { token, body });
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      expect(r.body.errors.map((e: { path: string }) => e.path)).toContain(field);
    }
    expect(await count()).toBe(n);
    const names = async (token: string) => ((await h.api('GET', '/api/report-views', { token })).body.items as Array<{ name: string; mine: boolean }>).map((v) => `${v.name}${v.mine ? '' : ' (shared)'}`);
    expect(await names(ruiz)).toEqual(['ABC Ruiz (shared)', 'Ventas del mes']);
    expect(await names(levante)).toEqual([]);
    expect(await names(hq)).toEqual(['ABC Ruiz']);
    // Only its owner deletes a view; another user's is not even there.
    expect((await h.api('DELETE', `/api/report-views/${shared.body.id}`, { token: ruiz })).status).toBe(403);
    expect((await h.api('DELETE', `/api/report-views/${mine.body.id}`, { token: levante })).status).toBe(404);
  });

  it('a daily schedule due at 07:00 Madrid runs once a day: not twice on a second tick, another node or a restart; late ticks run it once', async () => {
    const view = ((await h.api('GET', '/api/report-views', { token: ruiz })).body.items as Array<{ id: string; name: string }>).find((v) => v.name === 'Ventas del mes')!;
    const bad = await h.api('POST', `/api/report-views/${view.id}/schedules`, { token: ruiz, body: { frequency: 'weekly', timeOfDay: '07:00', format: 'pdf' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('weekday');
    const made = await h.api('POST', `/api/report-views/${view.id}/schedules`, { token: ruiz, body: { frequency: 'daily', timeOfDay: '07:00', format: 'xlsx' } });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    // Now is Monday 10:00 in Madrid: the first run is Tuesday 07:00 CET = 06:00 UTC.
    expect(made.body.schedules[0]).toMatchObject({ frequency: 'daily', timeOfDay: '07:00', timeZone: 'Europe/Madrid', format: 'xlsx', nextRunAt: '2026-11-24T06:00:00.000Z' });

    // Another node — or this one restarted — over the same database: a fresh service, nothing in memory.
    const other = createViewService(h.ds, clock, { files: h.server.files, jobs: h.server.jobs, renderer: () => renderer });
    {
      now = Date.UTC(2026, 10, 24, 5, 59, 59);
      expect(await h.server.runDueReports()).toEqual([]);
      now = Date.UTC(2026, 10, 24, 6, 0, 0);
      const [first, again, otherNode] = await Promise.all([h.server.runDueReports(), h.server.runDueReports(), other.runDue()]);
      const runs = [...first!, ...again!, ...otherNode!];
      expect(runs.map((r) => r.runFor)).toEqual(['2026-11-24T06:00:00.000Z']);
      await h.server.jobs.settled(runs[0]!.jobId);
      now = Date.UTC(2026, 10, 24, 18, 0, 0);
      expect(await other.runDue()).toEqual([]);
      expect(await h.server.runDueReports()).toEqual([]);
      // Down all Wednesday: Thursday 09:00 runs the missed day once, then keeps to 07:00.
      now = Date.UTC(2026, 10, 26, 8, 0, 0);
      const late = await other.runDue();
      expect(late.map((r) => r.runFor)).toEqual(['2026-11-25T06:00:00.000Z']);
      expect(await h.server.runDueReports()).toEqual([]);
      await h.server.jobs.settled(late[0]!.jobId);
      const row = (await all<{ next_run_at: string }>(h.ds.manager, `SELECT next_run_at FROM report_schedule`))[0]!;
      expect(row.next_run_at).toBe('2026-11-27T06:00:00.000Z');
    }
    // Two deliveries, rendered for Ruiz in XLSX, in his inbox, unread; the file downloads.
    expect(renders.map((r) => `${r.user} ${r.key} ${r.format}`)).toEqual(['ruiz@test.demo sales-by-period xlsx', 'ruiz@test.demo sales-by-period xlsx']);
    now = Date.UTC(2026, 10, 26, 8, 0, 0);
    ruiz = await h.login(F.managerRuiz);
    levante = await h.login(F.managerLevante);
    const inbox = await h.api('GET', '/api/report-inbox', { token: ruiz });
    expect(inbox.status).toBe(200);
    expect(inbox.body.unread).toBe(2);
    expect(inbox.body.items.map((i: { title: string }) => i.title)).toEqual(['Ventas del mes · Informe sales-by-period · 2026-11-25', 'Ventas del mes · Informe sales-by-period · 2026-11-24']);
    const item = inbox.body.items[0] as { id: string; fileId: string };
    const file = await fetch(`${h.url}/api/files/${item.fileId}`, { headers: { authorization: `Bearer ${ruiz}` } });
    expect(file.status).toBe(200);
    expect(await file.text()).toBe('xlsx:sales-by-period:ruiz@test.demo');
    expect((await h.api('POST', `/api/report-inbox/${item.id}/read`, { token: levante })).status).toBe(404);
    expect((await h.api('POST', `/api/report-inbox/${item.id}/read`, { token: ruiz })).status).toBe(204);
    expect((await h.api('GET', '/api/report-inbox', { token: ruiz })).body.unread).toBe(1);
    expect((await h.api('GET', '/api/report-inbox', { token: levante })).body.items).toEqual([]);
  });

  it('the default renderer is the reports service: a "yesterday" view renders yesterday’s file in the recipient’s scope', async () => {
    // Thursday 2026-11-26 09:00 Madrid: yesterday is Wednesday the 25th; Madrid 1 and València 1 sold on the 23rd only.
    const real = reportServiceRenderer(h.ds, clock);
    const levanteUser = { id: '00000000-0000-7000-8007-000000000003', email: F.managerLevante.email, name: 'Levante', role: 'franchisee_manager' as const, companyId: F.levante.id, storeId: null, companyIds: [F.levante.id] };
    const y = await real.render(levanteUser, 'sales-by-store', { period: 'yesterday' }, 'xlsx');
    expect(y.name).toBe('sales-by-store_2026-11-25_2026-11-25.xlsx');
    const week = await real.render(levanteUser, 'sales-by-store', { period: 'last7' }, 'xlsx');
    expect(week.name).toBe('sales-by-store_2026-11-20_2026-11-26.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(week.bytes as unknown as ArrayBuffer);
    const text = JSON.stringify(book.worksheets[0]!.getSheetValues());
    expect(text).toContain('V001');
    expect(text).not.toContain('M001');
    const cases: Array<[string, string, string | null]> = [
      ['lastMonth', '2026-03-15', '2026-02-01..2026-02-28'],
      ['thisMonth', '2026-03-15', '2026-03-01..2026-03-15'],
      ['lastYear', '2026-03-15', '2025-01-01..2025-12-31'],
      ['last30', '2026-03-01', '2026-01-31..2026-03-01'],
      ['nonsense', '2026-03-01', null],
    ];
    for (const [preset, today, want] of cases) {
      const r = periodOf(preset, today);
      expect(r ? `${r.from}..${r.to}` : null, preset).toBe(want);
    }
  });
});
