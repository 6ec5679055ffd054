/**
 * Two back-office nodes on one PostgreSQL database with the socket.io Redis adapter (REDIS_TEST_URL, default
 * redis://127.0.0.1:6379): a nudge or a revocation made on one node reaches a terminal connected to the
 * other, and one terminal's batches sent to both nodes at once are applied once each, in seq order; a sale
 * applied on one node moves the live dashboard of a browser connected to the other.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { io as connect } from 'socket.io-client';
import { DASHBOARD_EVENTS, type DashboardSnapshot } from '@tpv/shared/wire/http/dashboard';
import { openBackofficeDatabase } from '../../src/persistence/data-source';
import { createBackofficeServer, type BackofficeServer } from '../../src/server';
import { attachRedisAdapter } from '../../src/sync/redis';
import { connectTerminal, engines, F, factoryFor, PG_URL, startHarness, type Harness } from '../support/harness';

const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';

describe('two back-office nodes (PostgreSQL + Redis adapter)', () => {
  let a: Harness & { teardown: () => Promise<void> };
  let dsB: DataSource;
  let b: BackofficeServer;
  let urlB: string;
  const closers: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    a = await startHarness(engines.find((e) => e.name === 'postgres')!);
    const schema = ((await a.ds.query('SELECT current_schema() AS s')) as Array<{ s: string }>)[0]!.s;
    dsB = await openBackofficeDatabase({ databaseUrl: PG_URL, schema });
    b = createBackofficeServer({ dataSource: dsB, version: 'test', uiDist: '/nonexistent', log: () => {} });
    const key = `tpv-test-${randomUUID()}`; // this run's own channels on a shared Redis
    closers.push(await attachRedisAdapter(a.server.io, REDIS_URL, key), await attachRedisAdapter(b.io, REDIS_URL, key));
    urlB = `http://127.0.0.1:${await b.listen(0)}`;
  });
  afterAll(async () => {
    await b?.close();
    for (const c of closers) await c();
    await dsB?.destroy();
    await a?.teardown();
  });

  it('nudges and revokes across nodes', async () => {
    const token = await a.pair(F.t1.id);
    const term = await connectTerminal(urlB, F.t1.id, token);
    const hq = await a.login(F.hq);
    const nudge = new Promise<{ version: number }>((resolve) => term.socket.once('catalog:changed', resolve));
    const put = await a.api('PUT', `/api/stores/${F.storeM1.id}/prices/${F.products[0]!.id}`, { token: hq, body: { priceCents: 123 } });
    expect(await nudge).toEqual({ version: put.body.version });
    const dropped = new Promise<string>((resolve) => term.socket.once('disconnect', resolve));
    await a.api('POST', `/api/terminals/${F.t1.id}/revoke`, { token: hq });
    expect(await dropped).toBe('io server disconnect');
  });

  it('applies one terminal once and in order when it talks to both nodes', async () => {
    const token = await a.pair(F.t2.id);
    const [onA, onB] = await Promise.all([connectTerminal(a.url, F.t2.id, token), connectTerminal(urlB, F.t2.id, token)]);
    const f = factoryFor(F.t2, F.storeM1, F.ruiz.nif, 9);
    const batches = Array.from({ length: 10 }, () => Array.from({ length: 4 }, () => f.next()));
    await Promise.all([...batches.map((x) => onA.send(x)), ...[...batches].reverse().map((x) => onB.send(x))]);
    expect((await onA.send(batches[0]!)).ackedSeq).toBe(40);
    const rows = (await a.ds.query(`SELECT COUNT(*) AS n, COUNT(DISTINCT seq) AS d FROM sale_ticket WHERE terminal_id = '${F.t2.id}'`)) as Array<{ n: number; d: number }>;
    expect([Number(rows[0]!.n), Number(rows[0]!.d)]).toEqual([40, 40]);
    const broken = (await a.ds.query(`SELECT COUNT(*) AS n FROM fiscal_record WHERE terminal_id = '${F.t2.id}' AND verified = false`)) as Array<{ n: number }>;
    expect(Number(broken[0]!.n)).toBe(0);
    onA.close();
    onB.close();
  });

  it('a sale applied on one node moves the dashboard of a browser on the other, once', async () => {
    const hq = await a.login(F.hq);
    const browser = connect(`${urlB}/dashboard`, { auth: { token: hq }, transports: ['websocket'], reconnection: false, forceNew: true });
    const updates: DashboardSnapshot[] = [];
    browser.on(DASHBOARD_EVENTS.update, (u: DashboardSnapshot) => updates.push(u));
    try {
      const snapshot = await new Promise<DashboardSnapshot>((resolve, reject) => {
        browser.once(DASHBOARD_EVENTS.snapshot, resolve);
        browser.once('connect_error', reject);
      });
      const before = snapshot.stores.find((s) => s.storeId === F.storeV1.id)!.today;
      const till = await connectTerminal(a.url, F.t3.id, await a.pair(F.t3.id));
      // Sold now (today's figures): 2 × Producto 1 at 0.95 € = 1.90 €, 2 units.
      const f = factoryFor(F.t3, F.storeV1, F.levante.nif, 3, { now: () => Date.now() });
      expect((await till.send([f.sale({ lines: [{ product: F.products[0]!, units: 2 }], payment: 'card' })])).ackedSeq).toBe(1);
      till.close();
      const want = { salesCents: before.salesCents + 190, tickets: before.tickets + 1, returns: before.returns, units: before.units + 2 };
      const end = Date.now() + 5000;
      const v1 = () => updates.flatMap((u) => u.stores.filter((s) => s.storeId === F.storeV1.id).map((s) => s.today));
      while (!v1().some((t) => t.tickets === want.tickets) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      await a.server.dashboard!.flush();
      await b.dashboard!.flush();
      // Counted once: node A's push did not reach node B's browser on top of B's own.
      expect(v1().at(-1)).toEqual(want);
      expect(v1().every((t) => t.tickets <= want.tickets)).toBe(true);
    } finally {
      browser.close();
    }
  });
});
