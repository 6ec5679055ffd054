/**
 * Throttling of what an outsider can try without credentials (issue #9), on SQLite and PostgreSQL over real
 * HTTP and socket.io: login per account and per address, pairing per code and per address, socket
 * handshakes per address; 429 problem+json with Retry-After; the default namespace closed; a small frame
 * limit before a terminal has authenticated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, Manager } from 'socket.io-client';
import { connectTerminal, engines, F, factoryFor, refusedConnection, startHarness, type Harness } from '../support/harness';
import { randomUUID } from 'node:crypto';
import { createBackofficeServer } from '../../src/server';
import { createRedisThrottle, createThrottle, DEFAULT_LIMITS, type ThrottleLimits } from '../../src/throttle/limits';
import { SOCKET_NAMESPACE } from '@tpv/shared/wire/sync-protocol';

const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';

type H = Harness & { teardown: () => Promise<void> };
const limits = (over: Partial<ThrottleLimits>): ThrottleLimits => ({ ...DEFAULT_LIMITS, ...over });

async function post(h: Harness, pathname: string, body: unknown): Promise<{ status: number; retryAfter: string | null; type: string | null; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON
  const res = await fetch(h.url + pathname, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), type: res.headers.get('content-type'), body: await res.json() };
}
const wrongPassword = (email: string) => ({ email, password: 'not-the-password' });

describe.each(engines)('throttling on $name', (engine) => {
  describe('back-office login', () => {
    let h: H;
    beforeAll(async () => {
      h = await startHarness(engine, undefined, { throttle: createThrottle(limits({ loginPerAccount: { points: 3, seconds: 600 }, loginPerAddress: { points: 6, seconds: 600 } })) });
    });
    afterAll(async () => h?.teardown());

    it('answers 429 with Retry-After after the configured failures of one account, even to the right password', async () => {
      expect((await post(h, '/api/auth/login', wrongPassword(F.hq.email))).status).toBe(401);
      expect((await post(h, '/api/auth/login', wrongPassword(F.hq.email.toUpperCase()))).status).toBe(401); // same account
      const third = await post(h, '/api/auth/login', wrongPassword(F.hq.email));
      expect(third.status).toBe(429);
      expect(third.type).toContain('application/problem+json');
      expect(third.body).toMatchObject({ code: 'TOO_MANY_ATTEMPTS', status: 429 });
      expect(Number(third.retryAfter)).toBeGreaterThan(0);
      const right = await post(h, '/api/auth/login', F.hq);
      expect(right.status).toBe(429);
      // Another account from the same address still logs in.
      expect((await post(h, '/api/auth/login', F.managerRuiz)).status).toBe(200);
    });

    it('answers 429 to every account after the configured failures of one address; a good login gives back only its own attempt', async () => {
      // This address has spent 4 attempts above (3 failures, the refused right password); a good login costs nothing.
      expect((await post(h, '/api/auth/login', F.managerRuiz)).status).toBe(200);
      expect((await post(h, '/api/auth/login', wrongPassword('nobody@x.demo'))).status).toBe(401);
      expect((await post(h, '/api/auth/login', wrongPassword('someone@x.demo'))).status).toBe(429);
      const levante = await post(h, '/api/auth/login', F.managerLevante);
      expect([levante.status, levante.body.code]).toEqual([429, 'TOO_MANY_ATTEMPTS']);
    });
  });

  describe('per-address limits behind a proxy (TPV_TRUST_PROXY)', () => {
    const from = (h: H, address: string, body: unknown) =>
      fetch(`${h.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': address }, body: JSON.stringify(body) }).then((r) => r.status);
    const oneFailurePerAddress = limits({ loginPerAddress: { points: 2, seconds: 600 } });

    it('counts each client behind a trusted proxy apart: failures of one client do not lock the others out', async () => {
      const h: H = await startHarness(engine, undefined, { throttle: createThrottle(oneFailurePerAddress), trustProxy: 'loopback' });
      try {
        expect(await from(h, '203.0.113.7', wrongPassword('a@x.demo'))).toBe(401);
        expect(await from(h, '203.0.113.7', wrongPassword('b@x.demo'))).toBe(429);
        expect(await from(h, '203.0.113.8', F.managerRuiz)).toBe(200); // another client through the same proxy
        expect(await from(h, '203.0.113.7', F.managerLevante)).toBe(429);
      } finally {
        await h.teardown();
      }
    });

    it('ignores X-Forwarded-For when no proxy is trusted: a forged header does not buy new attempts', async () => {
      const h: H = await startHarness(engine, undefined, { throttle: createThrottle(oneFailurePerAddress) });
      try {
        expect(await from(h, '198.51.100.1', wrongPassword('a@x.demo'))).toBe(401);
        expect(await from(h, '198.51.100.2', wrongPassword('b@x.demo'))).toBe(429);
        expect(await from(h, '198.51.100.3', F.managerRuiz)).toBe(429);
      } finally {
        await h.teardown();
      }
    });
  });

  describe('limits shared by two back-office nodes through Redis', () => {
    const prefix = `tpv-test:${randomUUID()}`;
    const l = limits({ loginPerAccount: { points: 2, seconds: 600 } });
    let h: H;
    let nodeB: ReturnType<typeof createBackofficeServer>;
    let urlB: string;
    const closers: Array<() => Promise<void>> = [];
    beforeAll(async () => {
      const a = await createRedisThrottle(REDIS_URL, l, prefix);
      const b = await createRedisThrottle(REDIS_URL, l, prefix);
      closers.push(a.close, b.close);
      h = await startHarness(engine, undefined, { throttle: a.throttle });
      nodeB = createBackofficeServer({ dataSource: h.ds, version: 'test', uiDist: '/nonexistent', log: () => {}, throttle: b.throttle });
      urlB = `http://127.0.0.1:${await nodeB.listen(0)}`;
    });
    afterAll(async () => {
      await nodeB?.close();
      await h?.teardown();
      for (const c of closers) await c();
    });

    it('counts failures made on one node when a login reaches the other', async () => {
      expect((await post(h, '/api/auth/login', wrongPassword(F.managerLevante.email))).status).toBe(401);
      const onB = await post({ ...h, url: urlB }, '/api/auth/login', wrongPassword(F.managerLevante.email));
      expect(onB.status).toBe(429);
      expect((await post(h, '/api/auth/login', F.managerLevante)).status).toBe(429);
    });
  });

  describe('pairing', () => {
    let h: H;
    let hq: string;
    beforeAll(async () => {
      h = await startHarness(engine, undefined, { throttle: createThrottle(limits({ pairingPerTerminal: { points: 3, seconds: 600 }, pairingPerAddress: { points: 8, seconds: 600 } })) });
      hq = await h.login(F.hq);
    });
    afterAll(async () => h?.teardown());

    const newCode = async (terminalId: string) => (await h.api('POST', `/api/terminals/${terminalId}/pairing-code`, { token: hq })).body.code as string;
    /** Same pairing slot (the code's first group), another secret. */
    const guessFor = (code: string, n: number) => `${code.slice(0, 4)}-${String(n).padStart(4, '0')}-0000`;

    it('issues strong codes: 12 characters of Crockford base32 (60 bits), typed with or without dashes, any case', async () => {
      const code = await newCode(F.t1.id);
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
      const stored = (await h.ds.query(`SELECT pairing_code_hash FROM terminal WHERE id = '${F.t1.id}'`)) as Array<{ pairing_code_hash: string }>;
      expect(stored[0]!.pairing_code_hash).toMatch(/^[0-9a-f]{64}$/);
      const r = await post(h, '/api/pairing', { code: ` ${code.replace(/-/g, '').toLowerCase()} `, appVersion: '1.0.0' });
      expect(r.status).toBe(201);
    });

    it('answers 429 after the configured wrong guesses at one code, even to the right code; a new code pairs', async () => {
      const code = await newCode(F.t2.id);
      expect((await post(h, '/api/pairing', { code: guessFor(code, 1), appVersion: '1' })).status).toBe(400);
      expect((await post(h, '/api/pairing', { code: guessFor(code, 2), appVersion: '1' })).status).toBe(400);
      const third = await post(h, '/api/pairing', { code: guessFor(code, 3), appVersion: '1' });
      expect([third.status, third.body.code]).toEqual([429, 'TOO_MANY_ATTEMPTS']);
      expect(Number(third.retryAfter)).toBeGreaterThan(0);
      expect((await post(h, '/api/pairing', { code, appVersion: '1' })).status).toBe(429);
      // HQ gives the till a new code (a fresh secret): it pairs.
      expect((await post(h, '/api/pairing', { code: await newCode(F.t2.id), appVersion: '1' })).status).toBe(201);
    });

    it('answers 429 to any code after the configured failures of one address', async () => {
      // 3 failures + 1 refused attempt above; 4 more reach the address limit of 8.
      for (let i = 0; i < 3; i++) expect((await post(h, '/api/pairing', { code: `Z${i}ZZ-ZZZZ-ZZZZ`, appVersion: '1' })).status).toBe(400);
      expect((await post(h, '/api/pairing', { code: 'ZZZZ-ZZZZ-ZZZZ', appVersion: '1' })).status).toBe(429);
      const good = await post(h, '/api/pairing', { code: await newCode(F.t3.id), appVersion: '1' });
      expect([good.status, good.body.code]).toEqual([429, 'TOO_MANY_ATTEMPTS']);
    });
  });

  describe('socket.io', () => {
    let h: H;
    const logs: string[] = [];
    beforeAll(async () => {
      h = await startHarness(engine, undefined, { throttle: createThrottle(limits({ handshakePerAddress: { points: 4, seconds: 600 } })), log: (m) => logs.push(m) });
    });
    afterAll(async () => h?.teardown());

    it('closes the default namespace and unknown namespaces to everyone', async () => {
      for (const nsp of ['/', '/admin']) {
        const s = connect(`${h.url}${nsp}`, { transports: ['websocket'], reconnection: false, forceNew: true });
        const outcome = await new Promise<string>((resolve) => {
          s.once('connect', () => resolve('connected'));
          s.once('connect_error', (e) => resolve(`refused: ${e.message}`));
        });
        s.close();
        expect(outcome).toMatch(/^refused/);
      }
    });

    it('refuses a frame above the pre-authentication limit, and takes a big batch from an authenticated terminal', async () => {
      const m = new Manager(h.url, { transports: ['websocket'], reconnection: false, autoConnect: false, forceNew: true });
      await new Promise<void>((resolve, reject) => m.open((e) => (e ? reject(e) : resolve())));
      const closed = new Promise<string>((resolve) => m.engine.once('close', (reason: string) => resolve(reason)));
      m.engine.write('x'.repeat(1024 * 1024)); // before any namespace CONNECT: not authenticated
      expect(await closed).toBe('transport close');
      expect(logs.filter((l) => l.includes('not reachable'))).toEqual([]); // refused by ws from the frame header, not after buffering

      const token = await h.pair(F.t1.id);
      const term = await connectTerminal(h.url, F.t1.id, token);
      const factory = factoryFor(F.t1, F.storeM1, F.ruiz.nif);
      const tickets = Array.from({ length: 60 }, () => factory.next());
      expect(JSON.stringify(tickets).length).toBeGreaterThan(64 * 1024);
      expect((await term.send(tickets)).ackedSeq).toBe(60);
      term.close();
    });

    it('lets more good handshakes in at once than the failure limit allows (tills reconnecting together after a restart)', async () => {
      const token = await h.pair(F.t2.id);
      const sockets = Array.from({ length: 10 }, () => connect(`${h.url}${SOCKET_NAMESPACE}`, { auth: { terminalId: F.t2.id, token, lastAckedSeq: 0, catalogVersion: 0 }, transports: ['websocket'], reconnection: false, forceNew: true }));
      const outcomes = await Promise.all(
        sockets.map((s) => new Promise<string>((resolve) => (s.once('connect', () => resolve('connected')), s.once('connect_error', (e) => resolve(e.message))))),
      );
      for (const s of sockets) s.close();
      expect(outcomes).toEqual(Array.from({ length: 10 }, () => 'connected'));
    });

    it('refuses handshakes from an address after the configured failures, without reading the database again', async () => {
      const token = await h.pair(F.t3.id);
      const before = logs.length;
      for (let i = 0; i < 3; i++) expect(await refusedConnection(h.url, F.t3.id, 'B'.repeat(43))).toBe('unauthorized');
      expect(await refusedConnection(h.url, F.t3.id, 'C'.repeat(43))).not.toBe('unauthorized'); // the 4th failure: throttled
      const refused = logs.length;
      for (let i = 0; i < 5; i++) expect(await refusedConnection(h.url, F.t3.id, token)).not.toBe('unauthorized'); // even the right token
      expect(logs.length).toBe(refused); // refused before any database read or log line
      expect(refused - before).toBeLessThanOrEqual(5);
    });
  });
});
