/**
 * Fuzz tier, back office: thousands of malformed requests over every `/api` route (enumerated from the
 * express app at run time) as HQ, as a franchisee manager, with forged and missing tokens, plus malformed
 * socket events on the sync namespace (`tickets`, `catalog:pull`, unknown events, hostile handshakes).
 * The edge must hold: no 5xx, every 4xx problem+json, the service healthy afterwards, no ticket stored.
 * Deterministic (seeded PRNG), loopback only, on a SQLite file and on PostgreSQL (the engines report
 * constraint failures differently).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import { seededRandom } from '@tpv/shared/prng';
import { EVENTS, SOCKET_NAMESPACE } from '@tpv/shared/wire/sync-protocol';
import { deepJson, generateRequests, hostileValue, listRoutes, mutate, oversizedRequests, pick, sendAll, summarise, type FuzzTarget } from '@tpv/runtime/testing/fuzz';
import { connectTerminal, engines, F, factoryFor, startHarness, type Harness, type TerminalClient } from '../support/harness';

const SEED = 0x7a5e_2026;
/** Per engine. */
const HTTP_REQUESTS = 2600;
const SOCKET_EVENTS = 300;
/** How long a socket request may wait for its ack; generous, since only a missing ack waits it out (100 in flight at once, PostgreSQL under load). */
const ACK_WAIT_MS = 15_000;

const UNKNOWN = '00000000-0000-7000-8fff-000000000001';
const product = { sku: 'FZ-1', name: 'Fuzz', categoryId: null, taxRateBp: 2100, exemption: null, weighed: false, priceCents: 100, active: true, barcodes: ['8412345678905'] };
const SEEDS: Record<string, unknown> = {
  'POST /api/auth/login': { email: 'nobody@test.demo', password: 'wrong-password' },
  'POST /api/pairing': { code: '12345678', appVersion: 'fuzz' },
  'PUT /api/products/:id': product,
  'PUT /api/stores/:storeId/prices/:productId': { priceCents: 250 },
  'PUT /api/categories/:id': { name: 'Bebidas', parentId: null, sort: 1 },
  'PUT /api/customers/:id': { nif: 'B11223344', name: 'Cliente', email: 'a@b.es', reRegime: false, creditLimitCents: 1000, active: true },
  'PUT /api/notices/:id': { storeId: F.storeM1.id, title: 'Aviso', body: 'Texto', validUntil: null },
  'PUT /api/staff/:id': { companyId: F.ruiz.id, storeId: F.storeM1.id, code: 'FZ1', name: 'Fuzz', role: 'cashier', pin: '4321', active: true },
};

async function saleCount(h: Harness): Promise<number> {
  const rows = (await h.ds.query('SELECT COUNT(*) AS n FROM sale_ticket')) as Array<{ n: number | string }>;
  return Number(rows[0]!.n);
}

describe.each(engines)('back-office fuzz on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let hq: string;
  let ruiz: string;
  /** A session the fuzz never sees (so no fuzzed logout ends it), to check the service afterwards. */
  let reserved: string;
  let terminal: TerminalClient;
  let terminalToken: string;

  // Every login, pairing and handshake the checks need happens before the fuzz: the login, pairing and
  // handshake limits (per address) may well be spent by the fuzz's own attempts, and a 429 there is right.
  beforeAll(async () => {
    h = await startHarness(engine);
    hq = await h.login(F.hq);
    ruiz = await h.login(F.managerRuiz);
    reserved = await h.login(F.hq);
    // Till 02 of Madrid 1: its id is not among the fuzzed ones, so no fuzzed revoke ends this link.
    terminalToken = await h.pair(F.t2.id);
    terminal = await connectTerminal(h.url, F.t2.id, terminalToken);
  });
  afterAll(async () => {
    terminal?.close();
    await h?.teardown();
  });

  it('answers every malformed request on every route with a 4xx problem (never 5xx), stores no ticket, stays healthy', async () => {
    const routes = listRoutes(h.server.app);
    // Every route family the back office has today must be among those found at run time.
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(Object.keys(SEEDS)));
    const tickets = await saleCount(h);
    const target: FuzzTarget = {
      routes,
      tokens: [hq, hq, ruiz],
      ids: [F.storeM1.id, F.storeV1.id, F.ruiz.id, F.levante.id, F.franchisor.id, F.t1.id, F.t3.id, F.products[0]!.id, F.products[1]!.id, F.customer.id, UNKNOWN],
      seeds: SEEDS,
      // Login verifies an argon2 hash (~100 ms of CPU): a few dozen tries are enough there.
      weights: { 'POST /api/auth/login': 0.1, 'PUT /api/staff/:id': 0.3 },
      bodyLimitBytes: 5 * 1024 * 1024,
    };
    const requests = [...generateRequests(SEED, target, HTTP_REQUESTS), ...oversizedRequests(target)];
    const answers = await sendAll(h.url, requests, 12);
    const breaches = summarise(answers);
    if (process.env.TPV_FUZZ_TIMES) {
    const per = new Map<string, [number, number]>();
    for (const a of answers) { const k = a.req.route + ' ' + a.status; const v = per.get(k) ?? [0, 0]; per.set(k, [v[0] + a.ms, v[1] + 1]); }
    console.log([...per].sort((a, b) => b[1][0] - a[1][0]).slice(0, 30).map(([k, v]) => `${k} ${Math.round(v[0])}ms/${v[1]}`).join('\n'));
    }
    expect(breaches).toEqual([]);
    expect(answers.length).toBeGreaterThanOrEqual(HTTP_REQUESTS);
    // Some requests got through to the use cases (2xx) and every route answered something else than 404 at least once.
    expect(answers.filter((a) => a.status < 300).length).toBeGreaterThan(0);

    const health = await h.api('GET', '/health');
    expect(health.status).toBe(200);
    expect(await saleCount(h)).toBe(tickets);
    expect((await h.api('GET', '/api/organisation', { token: reserved })).status).toBe(200);
  });

  it('survives malformed sync events and handshakes; the connected till still syncs afterwards', async () => {
    const rand = seededRandom(SEED + 1);
    const tickets = await saleCount(h);
    const factory = factoryFor(F.t2, F.storeM1, F.ruiz.nif);
    const good = factory.next();
    const ids = [F.t1.id, F.t3.id, F.storeV1.id, UNKNOWN];
    // A batch that can never be valid: a broken seq on top of the random mutations (nothing may be stored).
    const batch = () => {
      const t = mutate(rand, good, ids) as Record<string, unknown>;
      if (t && typeof t === 'object' && !Array.isArray(t)) t.seq = pick(rand, [-1, 0.5, '1', null, 2 ** 53]);
      return { terminalId: pick(rand, [F.t2.id, F.t3.id]), batchId: pick(rand, ['b', '', 'x'.repeat(200)]), tickets: [t] };
    };
    let answered = 0;
    const unanswered = new Map<string, number>();
    const emit = async (event: string, payload: unknown, label: string) => {
      try {
        await terminal.socket.timeout(ACK_WAIT_MS).emitWithAck(event, payload);
        answered++;
      } catch {
        unanswered.set(`${event} (${label})`, (unanswered.get(`${event} (${label})`) ?? 0) + 1);
      }
    };
    // Deep JSON goes out as raw socket.io text, as a hostile client could send it: socket.io-client's own
    // encoder walks arguments recursively and overflows its stack before anything reaches the wire.
    let rawAckId = 1_000_000;
    const emitRaw = (event: string, json: string, label: string) =>
      new Promise<void>((resolve) => {
        const id = rawAckId++;
        const engine = terminal.socket.io.engine;
        const answer = `3${SOCKET_NAMESPACE},${id}[`;
        const onPacket = (p: { type: string; data?: unknown }) => {
          if (p.type !== 'message' || typeof p.data !== 'string' || !p.data.startsWith(answer)) return;
          clearTimeout(timer);
          engine.off('packet', onPacket);
          answered++;
          resolve();
        };
        const timer = setTimeout(() => {
          engine.off('packet', onPacket);
          unanswered.set(`${event} (${label})`, (unanswered.get(`${event} (${label})`) ?? 0) + 1);
          resolve();
        }, ACK_WAIT_MS);
        engine.on('packet', onPacket);
        engine.write(`2${SOCKET_NAMESPACE},${id}[${JSON.stringify(event)},${json}]`);
      });
    const jobs: Array<() => Promise<void>> = [];
    for (let i = 0; i < SOCKET_EVENTS; i++) {
      const kind = rand();
      if (kind < 0.4) jobs.push(rand() < 0.8 ? () => emit(EVENTS.tickets, batch(), 'mutated batch') : () => emit(EVENTS.tickets, hostileValue(rand, ids), 'hostile value'));
      else if (kind < 0.7) jobs.push(rand() < 0.5 ? () => emit(EVENTS.catalogPull, mutate(rand, { sinceVersion: 0, limit: 10 }, ids), 'mutated pull') : () => emit(EVENTS.catalogPull, hostileValue(rand, ids), 'hostile value'));
      else if (kind < 0.75) jobs.push(() => emitRaw(EVENTS.tickets, deepJson(pick(rand, [100, 5000, 50_000]), pick(rand, ['array', 'object'] as const)), 'deep JSON'));
      else jobs.push(async () => void terminal.socket.emit(pick(rand, ['hello', 'tickets:ack', 'catalog:changed', '__proto__', 'x'.repeat(300), 'ping']), hostileValue(rand, ids)));
    }
    for (let i = 0; i < jobs.length; i += 100) await Promise.all(jobs.slice(i, i + 100).map((j) => j()));

    // Hostile handshakes are refused, never crash the gateway.
    const refusals = await Promise.all(
      Array.from({ length: 40 }, () => {
        const auth = mutate(rand, { terminalId: F.t2.id, token: terminalToken.slice(0, -1) + 'x', lastAckedSeq: 0, catalogVersion: 0 }, ids);
        return new Promise<string>((resolve) => {
          const s = connect(`${h.url}${SOCKET_NAMESPACE}`, { auth: auth as Record<string, unknown>, transports: ['websocket'], reconnection: false, forceNew: true });
          s.once('connect_error', (e) => (s.close(), resolve(e.message)));
          s.once('connect', () => (s.close(), resolve('connected')));
          // A CONNECT packet whose auth is not an object makes the server drop the whole connection.
          s.io.once('close', () => resolve('connection closed by the server'));
        });
      }),
    );
    expect(refusals.filter((r) => r === 'connected')).toEqual([]);

    // The default namespace: refused, or connected and deaf to whatever is sent there.
    const root = connect(h.url, { transports: ['websocket'], reconnection: false, forceNew: true });
    const rootState = await new Promise<string>((resolve) => {
      root.once('connect', () => resolve('connected'));
      root.once('connect_error', (e) => resolve(e.message));
    });
    if (rootState === 'connected') for (let i = 0; i < 50; i++) root.emit(pick(rand, [EVENTS.tickets, EVENTS.catalogPull, 'x']), hostileValue(rand, ids));
    root.close();

    console.info(`[fuzz] sync requests: ${answered} answered; without an ack within ${ACK_WAIT_MS} ms: ${JSON.stringify(Object.fromEntries(unanswered))}`);
    // Every request with an ack callback is answered, malformed or not (a till would otherwise wait forever).
    expect(Object.fromEntries(unanswered)).toEqual({});
    expect((await h.api('GET', '/health')).status).toBe(200);
    expect(await saleCount(h)).toBe(tickets);
    // The till's link still works: a genuine ticket is applied and acked.
    expect(terminal.socket.connected).toBe(true);
    const ack = await terminal.send([good]);
    expect(ack.ackedSeq).toBe(good.seq);
    expect(await saleCount(h)).toBe(tickets + 1);
  });
});
