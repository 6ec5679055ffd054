/**
 * Fuzz tier, till: thousands of malformed requests over every `/api` route of the terminal service
 * (enumerated from the express app at run time), first as a cashier with a line in the cart and an open
 * cash session, then as a manager with the cart emptied; plus hostile events on the till's own socket.
 * The edge must hold: no 5xx, every 4xx problem+json, the till healthy afterwards, no ticket written and
 * the cart where it was. Deterministic (seeded PRNG), loopback only, a real SQLite file.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import { seededRandom } from '@tpv/shared/prng';
import { generateRequests, hostileString, hostileValue, listRoutes, oversizedRequests, pick, sendAll, summarise, type FuzzAnswer, type FuzzTarget } from '@tpv/runtime/testing/fuzz';
import { EAN, freshTerminalDb, pid, rowCounts, STAFF, tempDir, type TestDb } from '../medium/support/fixture';
import { startTerminal, type RunningTerminal } from '../medium/support/server';

const SEED = 0x7111_2026;
const REQUESTS_PER_PHASE = 2600;
const SOCKET_EVENTS = 400;
const UNKNOWN = '00000000-0000-7000-8fff-000000000002';

const SEEDS: Record<string, unknown> = {
  'POST /api/auth/login': { pin: '0000' },
  'POST /api/cart/scan': { code: '8410000000999' },
  'POST /api/cart/lines': { productId: UNKNOWN, units: 1 },
  'PATCH /api/cart/lines/:lineId': { units: 2, supervisorPin: '0000' },
  'DELETE /api/cart/lines/:lineId': { supervisorPin: '0000' },
  'POST /api/cart/cancel': { cartId: UNKNOWN, supervisorPin: '0000' },
  'PUT /api/cart/discount': { discount: { kind: 'percent', bp: 500 }, supervisorPin: '0000' },
  'PUT /api/cart/customer': { customerId: UNKNOWN },
  'POST /api/cart/checkout': { payments: [{ method: 'cash', amountCents: 1 }, { method: 'card', amountCents: 1, reference: 'T1' }] },
  'POST /api/cash/open': { float: { '1000': 1 } },
  'POST /api/cash/movements': { kind: 'cash_out', amountCents: 999_999, reason: 'fuzz' },
  'POST /api/cash/close': { counted: { '1000': 1 }, supervisorPin: '0000' },
  'POST /api/returns': { originalTicketId: UNKNOWN, lines: [{ lineNo: 1, units: 1 }], refund: { method: 'cash' } },
  'PUT /api/devices/config': { printer: { kind: 'none' } },
};

describe('till fuzz', () => {
  let t: TestDb;
  let s: RunningTerminal;
  const dir = tempDir('tpv-fuzz-');

  beforeAll(async () => {
    t = await freshTerminalDb(dir);
    // Generous PIN limits: the fuzz must reach the handlers, not the lockout (a 429 would still be a valid answer).
    s = await startTerminal(t.ds, t.file, { policy: { pinMaxFailures: 1_000_000 } });
  });
  afterAll(async () => {
    await s?.close();
    await t?.ds.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers every malformed request on every route with a 4xx problem (never 5xx), writes no ticket, keeps the cart, stays healthy', async () => {
    const routes = listRoutes(s.service.app);
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(Object.keys(SEEDS)));
    const cashier = await s.login(STAFF.cashier.pin);
    expect((await s.call('POST', '/api/cash/open', { float: { '1000': 2 } })).status).toBe(200);
    expect((await s.call('POST', '/api/cart/scan', { code: EAN.wine })).status).toBe(200);
    const before = rowCounts(t.db);
    const target = (tokens: string[]): FuzzTarget => ({
      routes,
      tokens,
      ids: ['1', '2', pid(1), pid(6), UNKNOWN, STAFF.manager.id],
      seeds: SEEDS,
      queryKeys: ['limit', 'q'],
      bodyLimitBytes: 1024 * 1024,
    });
    const answers: FuzzAnswer[] = [];
    // Phase 1: a cashier, a line in the cart, the session open.
    answers.push(...(await sendAll(s.url, [...generateRequests(SEED, target([cashier]), REQUESTS_PER_PHASE), ...oversizedRequests(target([cashier]))], 12)));
    // Phase 2: a manager (devices, overrides), the cart emptied.
    const manager = await s.login(STAFF.manager.pin);
    const cart = await s.call('GET', '/api/cart');
    for (const line of cart.body.lines ?? []) await s.call('DELETE', `/api/cart/lines/${line.id}`, {});
    answers.push(...(await sendAll(s.url, generateRequests(SEED + 1, target([manager]), REQUESTS_PER_PHASE), 12)));

    expect(summarise(answers)).toEqual([]);
    expect(answers.length).toBeGreaterThanOrEqual(2 * REQUESTS_PER_PHASE);
    expect(answers.filter((a) => a.status < 300).length).toBeGreaterThan(0);

    const after = rowCounts(t.db);
    expect({ ticket: after.ticket, outbox: after.outbox, fiscal_record: after.fiscal_record, cart: after.cart }).toEqual({
      ticket: before.ticket,
      outbox: before.outbox,
      fiscal_record: before.fiscal_record,
      cart: before.cart,
    });
    expect((await s.call('GET', '/health', undefined, null)).status).toBe(200);
    await s.login(STAFF.cashier.pin);
    expect((await s.call('GET', '/api/cart')).status).toBe(200);
  });

  it('ignores hostile events on its own socket and keeps serving screens', async () => {
    const rand = seededRandom(SEED + 2);
    const token = await s.login(STAFF.cashier.pin);
    const sockets = await Promise.all(
      Array.from({ length: 8 }, (_, i) => {
        const auth = i % 2 === 0 ? { token } : (hostileValue(rand) as Record<string, unknown>);
        const sock = connect(s.url, { auth: auth && typeof auth === 'object' && !Array.isArray(auth) ? auth : { token: hostileString(rand) }, transports: ['websocket'], reconnection: false, forceNew: true });
        return new Promise<typeof sock>((resolve, reject) => {
          sock.once('connect', () => resolve(sock));
          sock.once('connect_error', reject);
        });
      }),
    );
    const events = ['cart', 'scan', 'status', 'display', 'sync:status', 'tickets', 'catalog:pull', '__proto__', 'constructor', hostileString(rand).slice(0, 200) || 'x'];
    for (let i = 0; i < SOCKET_EVENTS; i++) {
      const sock = pick(rand, sockets);
      if (rand() < 0.5) sock.emit(pick(rand, events), hostileValue(rand), hostileValue(rand));
      else sock.emit(pick(rand, events), hostileValue(rand), () => undefined);
    }
    // A round trip on each socket after the flood: every one of them is still served in order.
    const statuses = await Promise.all(
      sockets.map(
        (sock) =>
          new Promise<unknown>((resolve) => {
            sock.once('display', resolve);
            void s.call('POST', '/api/cart/scan', { code: EAN.water });
          }),
      ),
    );
    expect(statuses).toHaveLength(sockets.length);
    for (const sock of sockets) sock.close();
    expect((await s.call('GET', '/health', undefined, null)).status).toBe(200);
  });
});
