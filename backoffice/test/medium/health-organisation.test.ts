import { hashSecret } from '../../src/auth/secret-hash';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppUserEntity, CompanyEntity, StoreEntity, TerminalEntity } from '../../src/persistence/entities';
import { createBackofficeServer } from '../../src/server';
import { engines } from '../support/engines';

describe.each(engines)('back-office edge on $name', (engine) => {
  let ds: DataSource;
  let teardown: () => Promise<void>;
  let server: ReturnType<typeof createBackofficeServer>;
  let base: string;
  let token: string;

  beforeAll(async () => {
    const setup = await engine.setup();
    teardown = setup.teardown;
    ds = await setup.open();
    await ds.getRepository(CompanyEntity).insert([
      { id: '00000000-0000-7000-8000-0000000000c2', kind: 'franchisee', nif: 'B12345674', legalName: 'Zeta Franquiciado S.L.', tradeName: null, address: null },
      { id: '00000000-0000-7000-8000-0000000000c1', kind: 'franchisor', nif: 'B87654323', legalName: 'Alfa Central S.L.', tradeName: null, address: null },
    ]);
    await ds.getRepository(StoreEntity).insert({ id: '00000000-0000-7000-8000-0000000000a1', code: 'M001', companyId: '00000000-0000-7000-8000-0000000000c2', name: 'Centro', address: null, timezone: 'Europe/Madrid' });
    await ds.getRepository(TerminalEntity).insert({
      id: '00000000-0000-7000-8000-0000000000b1', storeId: '00000000-0000-7000-8000-0000000000a1', code: '01', name: 'Caja 1', installation: 'M001-01',
      tokenHash: null, pairingCodeHash: null, pairingExpiresAt: null, revokedAt: null, lastSeenAt: null, lastAckedSeq: 0, lastFiscalHash: null, catalogVersion: 0, appVersion: null,
    });
    await ds.getRepository(AppUserEntity).insert({
      id: '00000000-0000-7000-8000-0000000000d1', email: 'hq@alfa.demo', name: 'HQ', passwordHash: await hashSecret('hq-pass'), role: 'hq_admin', companyId: null,
    });
    server = createBackofficeServer({ dataSource: ds, version: '9.9.9', uiDist: '/nonexistent' });
    base = `http://127.0.0.1:${await server.listen(0)}`;
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'hq@alfa.demo', password: 'hq-pass' }) });
    token = ((await login.json()) as { token: string }).token;
  });
  afterAll(async () => {
    await server?.close();
    await ds?.destroy();
    await teardown?.();
  });

  it('reports health with version and engine, never a password', async () => {
    const res = await fetch(`${base}/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; version: string; database: { engine: string; location: string; ok: boolean } };
    expect(body).toMatchObject({ status: 'ok', version: '9.9.9', database: { engine: engine.name, ok: true } });
    expect(body.database.location).not.toMatch(/:[^/@]*@/);
  });

  it('lists the franchisor first, then franchisees with their stores and terminals', async () => {
    expect((await fetch(`${base}/api/organisation`)).status).toBe(401);
    const body = (await (await fetch(`${base}/api/organisation`, { headers: { authorization: `Bearer ${token}` } })).json()) as { companies: Array<{ kind: string; stores: Array<{ code: string; terminals: Array<{ code: string; paired: boolean }> }> }> };
    expect(body.companies.map((c) => c.kind)).toEqual(['franchisor', 'franchisee']);
    expect(body.companies[1]!.stores).toEqual([expect.objectContaining({ code: 'M001', terminals: [expect.objectContaining({ code: '01', paired: false })] })]);
  });

  it('answers unknown routes and malformed JSON with problem+json', async () => {
    const missing = await fetch(`${base}/api/nothing-here`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await missing.json()).toMatchObject({ code: 'NOT_FOUND', type: 'https://tpv.dev/problems/not-found', detail: 'No route for GET /api/nothing-here' });

    const bad = await fetch(`${base}/api/organisation`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"broken": ' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await bad.json()).toMatchObject({ code: 'BAD_REQUEST', status: 400 });
  });
});
