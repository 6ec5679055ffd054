/**
 * Back-office login, store scoping of managers, terminal pairing (codes: wrong, reused, expired) and
 * revocation (the socket is refused afterwards) — on SQLite and PostgreSQL, over real HTTP and socket.io.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '@tpv/shared/clock';
import { connectTerminal, engines, F, refusedConnection, startHarness, type Harness } from '../support/harness';

describe.each(engines)('auth and pairing on $name', (engine) => {
  const clock = manualClock(Date.UTC(2026, 10, 23, 8, 0, 0));
  let h: Harness & { teardown: () => Promise<void> };
  let hq: string;
  let ruiz: string;

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    hq = await h.login(F.hq);
    ruiz = await h.login(F.managerRuiz);
  });
  afterAll(async () => h?.teardown());

  it('logs in with e-mail and password, refuses a wrong password as problem+json', async () => {
    const bad = await h.api('POST', '/api/auth/login', { body: { email: F.hq.email, password: 'nope' } });
    expect(bad.status).toBe(401);
    expect(bad.body).toMatchObject({ code: 'INVALID_CREDENTIALS', type: 'https://tpv.dev/problems/invalid-credentials' });
    const unknown = await h.api('POST', '/api/auth/login', { body: { email: 'nobody@x.demo', password: 'x' } });
    expect(unknown.status).toBe(401);
    const me = await h.api('GET', '/api/auth/me', { token: ruiz });
    expect(me.body).toMatchObject({ email: F.managerRuiz.email, role: 'franchisee_manager', companyId: F.ruiz.id });
    expect((await h.api('GET', '/api/auth/me')).status).toBe(401);
    expect((await h.api('GET', '/api/auth/me', { token: 'x'.repeat(43) })).status).toBe(401);
  });

  it('expires sessions and ends them on logout', async () => {
    const t = await h.login(F.managerLevante);
    expect((await h.api('GET', '/api/auth/me', { token: t })).status).toBe(200);
    expect((await h.api('POST', '/api/auth/logout', { token: t })).status).toBe(204);
    expect((await h.api('GET', '/api/auth/me', { token: t })).status).toBe(401);
    const t2 = await h.login(F.managerLevante);
    clock.advance(13 * 3600_000);
    expect((await h.api('GET', '/api/auth/me', { token: t2 })).status).toBe(401);
    clock.advance(-13 * 3600_000);
  });

  it('shows a manager only the stores of their company', async () => {
    const org = await h.api('GET', '/api/organisation', { token: ruiz });
    expect(org.body.companies.map((c: { id: string }) => c.id)).toEqual([F.ruiz.id]);
    const all = await h.api('GET', '/api/organisation', { token: hq });
    expect(all.body.companies).toHaveLength(3);
    expect((await h.api('GET', '/api/organisation')).status).toBe(401);
    const terminals = await h.api('GET', '/api/terminals', { token: ruiz });
    expect(terminals.body.map((t: { id: string }) => t.id).sort()).toEqual([F.t1.id, F.t2.id].sort());
    expect((await h.api('GET', `/api/stores/${F.storeV1.id}/stock`, { token: ruiz })).status).toBe(403);
    expect((await h.api('GET', `/api/sales/daily?storeId=${F.storeV1.id}`, { token: ruiz })).status).toBe(403);
    expect((await h.api('GET', `/api/stores/${F.storeM1.id}/stock`, { token: ruiz })).status).toBe(200);
  });

  it('lets a manager pair only their own terminals', async () => {
    const other = await h.api('POST', `/api/terminals/${F.t3.id}/pairing-code`, { token: ruiz });
    expect(other.status).toBe(403);
    const own = await h.api('POST', `/api/terminals/${F.t2.id}/pairing-code`, { token: ruiz });
    expect(own.status).toBe(201);
    expect(own.body.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect((await h.api('POST', `/api/terminals/${F.t2.id}/pairing-code`)).status).toBe(401);
  });

  it('pairs with a valid code once: identity and token; the code is stored hashed and cannot be reused', async () => {
    const code = await h.api('POST', `/api/terminals/${F.t1.id}/pairing-code`, { token: hq });
    expect(code.body.expiresAt).toBe(new Date(clock.now() + 15 * 60_000).toISOString());
    const stored = (await h.ds.query(`SELECT pairing_code_hash FROM terminal WHERE id = '${F.t1.id}'`)) as Array<{ pairing_code_hash: string }>;
    expect(stored[0]!.pairing_code_hash).not.toContain(code.body.code);
    const wrong = await h.api('POST', '/api/pairing', { body: { code: `${code.body.code.slice(0, 12)}${code.body.code.endsWith('00') ? '11' : '00'}`, appVersion: '1.0.0' } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('PAIRING_CODE_INVALID');
    const ok = await h.api('POST', '/api/pairing', { body: { code: code.body.code, appVersion: '1.0.0' } });
    expect(ok.status).toBe(201);
    expect(ok.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(ok.body.identity).toMatchObject({
      terminalId: F.t1.id, terminalCode: '01', storeId: F.storeM1.id, storeCode: 'M001', storeName: 'Madrid 1', storeAddress: 'Calle 1',
      timezone: 'Europe/Madrid', companyId: F.ruiz.id, companyNif: F.ruiz.nif, companyLegalName: 'Ruiz S.L.', companyTradeName: 'Ruiz S.L.', installation: 'M001-01',
    });
    expect(typeof ok.body.catalogVersion).toBe('number');
    const tokenHash = (await h.ds.query(`SELECT token_hash FROM terminal WHERE id = '${F.t1.id}'`)) as Array<{ token_hash: string }>;
    expect(tokenHash[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    const reuse = await h.api('POST', '/api/pairing', { body: { code: code.body.code, appVersion: '1.0.0' } });
    expect(reuse.status).toBe(400);
    const malformed = await h.api('POST', '/api/pairing', { body: { code: '12ab', appVersion: '1.0.0' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('VALIDATION_FAILED');
    // The token opens the socket.
    const term = await connectTerminal(h.url, F.t1.id, ok.body.token);
    expect(term.helloAck.ackedSeq).toBe(0);
    term.close();
  });

  it('refuses an expired code', async () => {
    const code = await h.api('POST', `/api/terminals/${F.t2.id}/pairing-code`, { token: hq });
    clock.advance(15 * 60_000 + 1);
    const r = await h.api('POST', '/api/pairing', { body: { code: code.body.code, appVersion: '1.0.0' } });
    expect(r.status).toBe(410);
    expect(r.body.code).toBe('PAIRING_CODE_EXPIRED');
    const again = await h.api('POST', '/api/pairing', { body: { code: code.body.code, appVersion: '1.0.0' } });
    expect(again.status).toBe(400);
  });

  it('drops the connections of the previous token when a terminal is paired again', async () => {
    const first = await h.pair(F.t2.id);
    const term = await connectTerminal(h.url, F.t2.id, first);
    const dropped = new Promise<string>((resolve) => term.socket.once('disconnect', (reason) => resolve(reason)));
    const second = await h.pair(F.t2.id);
    expect(await dropped).toBe('io server disconnect');
    expect(await refusedConnection(h.url, F.t2.id, first)).toBe('unauthorized');
    (await connectTerminal(h.url, F.t2.id, second)).close();
  });

  it('refuses sockets with a bad token, and drops and refuses a revoked terminal', async () => {
    const token = await h.pair(F.t3.id);
    expect(await refusedConnection(h.url, F.t3.id, 'A'.repeat(43))).toBe('unauthorized');
    expect(await refusedConnection(h.url, F.t1.id, token)).toBe('unauthorized'); // another terminal's token
    const term = await connectTerminal(h.url, F.t3.id, token);
    const dropped = new Promise<string>((resolve) => term.socket.once('disconnect', (reason) => resolve(reason)));
    const levante = await h.login(F.managerLevante);
    expect((await h.api('POST', `/api/terminals/${F.t3.id}/revoke`, { token: ruiz })).status).toBe(403);
    expect((await h.api('POST', `/api/terminals/${F.t3.id}/revoke`, { token: levante })).status).toBe(200);
    expect(await dropped).toBe('io server disconnect');
    expect(await refusedConnection(h.url, F.t3.id, token)).toBe('unauthorized');
  });
});
